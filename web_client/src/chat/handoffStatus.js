/**
 * What a `status` frame from the handoff (docs/protocol.md §9) changes in the chat, kept out of
 * app.js so it can be tested: the banner, a notice in the transcript, and whether to ask for a
 * rating. The frame's `text` comes from the handoff service in the session's language; the
 * widget's own strings are the fallback.
 *
 * @typedef {{text: string, kind: 'agent'|'bot'}} Banner
 * @typedef {{title: string, payload: string}} Offer  a quick reply the customer may choose
 * @typedef {{banner: Banner|null, notice: string|null, askRating: boolean, offers: Offer[]}} StatusEffect
 */

// A long wait: the customer may ask for a call back or an e-mail reply instead. The choice goes
// to the agent inbox as a message (docs/protocol.md §9), so nothing new is needed on the wire.
const CONTACT_TITLE_KEYS = { callback: 'contactCallback', email: 'contactEmail' };
export const CONTACT_REQUEST = '/contact_request';

/**
 * The quick replies a queued frame's `contact_options` offer; unknown options are ignored.
 * @param {string[]|undefined} options
 * @param {(key: string) => string} t
 * @returns {Offer[]}
 */
export function contactOffers(options, t) {
  return (Array.isArray(options) ? options : [])
    .filter((via) => Object.hasOwn(CONTACT_TITLE_KEYS, via))
    .map((via) => ({ title: t(CONTACT_TITLE_KEYS[via]), payload: `${CONTACT_REQUEST}{"via":"${via}"}` }));
}

/**
 * The i18n key of the notice that confirms a chosen offer, or null when `payload` is none.
 * @param {string} payload
 */
export function contactChosenNotice(payload) {
  if (typeof payload !== 'string' || !payload.startsWith(CONTACT_REQUEST)) return null;
  if (payload.includes('"callback"')) return 'contactChosenCallback';
  return payload.includes('"email"') ? 'contactChosenEmail' : null;
}

/**
 * @param {{state: string, text?: string, queue_position?: number, estimated_wait_s?: number, contact_options?: string[]}} frame
 * @param {(key: string, values?: object) => string} t
 * @param {string|null} agentName  the last agent who wrote (the frame names no one)
 * @returns {StatusEffect}
 */
export function statusEffect(frame, t, agentName = null) {
  const back = { text: t('backWithAssistant'), kind: 'bot' };
  const none = { banner: null, notice: null, askRating: false, offers: [] };
  switch (frame.state) {
    case 'queued': {
      let text = frame.queue_position ? t('queuePosition', { position: frame.queue_position }) : t('queued');
      if (frame.estimated_wait_s) text += ` ${t('estimatedWait', { minutes: Math.max(1, Math.round(frame.estimated_wait_s / 60)) })}`;
      return { ...none, banner: { text: frame.text || text, kind: 'agent' }, offers: contactOffers(frame.contact_options, t) };
    }
    case 'with_agent':
      return { ...none, banner: { text: frame.text || (agentName ? t('withAgent', { name: agentName }) : t('withAgentNoName')), kind: 'agent' } };
    case 'agent_left': // the agent ended the conversation: the assistant answers again, and a rating is due
      return { ...none, banner: back, notice: frame.text || t('agentLeft'), askRating: true };
    case 'bot': // handed back: the conversation goes on with the assistant
      return { ...none, banner: back, notice: frame.text || t('handedBack') };
    default:
      return none;
  }
}
