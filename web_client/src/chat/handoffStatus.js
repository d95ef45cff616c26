/**
 * What a `status` frame from the handoff (docs/protocol.md §9) changes in the chat, kept out of
 * app.js so it can be tested: the banner, a notice in the transcript, and whether to ask for a
 * rating. The frame's `text` comes from the handoff service in the session's language; the
 * widget's own strings are the fallback.
 *
 * @typedef {{text: string, kind: 'agent'|'bot'}} Banner
 * @typedef {{banner: Banner|null, notice: string|null, askRating: boolean}} StatusEffect
 */

/**
 * @param {{state: string, text?: string, queue_position?: number, estimated_wait_s?: number}} frame
 * @param {(key: string, values?: object) => string} t
 * @param {string|null} agentName  the last agent who wrote (the frame names no one)
 * @returns {StatusEffect}
 */
export function statusEffect(frame, t, agentName = null) {
  const back = { text: t('backWithAssistant'), kind: 'bot' };
  switch (frame.state) {
    case 'queued': {
      let text = frame.queue_position ? t('queuePosition', { position: frame.queue_position }) : t('queued');
      if (frame.estimated_wait_s) text += ` ${t('estimatedWait', { minutes: Math.max(1, Math.round(frame.estimated_wait_s / 60)) })}`;
      return { banner: { text: frame.text || text, kind: 'agent' }, notice: null, askRating: false };
    }
    case 'with_agent':
      return { banner: { text: frame.text || (agentName ? t('withAgent', { name: agentName }) : t('withAgentNoName')), kind: 'agent' }, notice: null, askRating: false };
    case 'agent_left': // the agent ended the conversation: the assistant answers again, and a rating is due
      return { banner: back, notice: frame.text || t('agentLeft'), askRating: true };
    case 'bot': // handed back: the conversation goes on with the assistant
      return { banner: back, notice: frame.text || t('handedBack'), askRating: false };
    default:
      return { banner: null, notice: null, askRating: false };
  }
}
