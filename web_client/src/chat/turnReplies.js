/**
 * Small decisions about a turn's replies, kept out of app.js so they can be tested:
 * what a quick reply sends and shows, and whether a failed turn still needs a notice.
 */

/**
 * A quick reply sends its payload when it is one ("/request_human"), else its title; the chat
 * always shows the title, never the payload.
 * @param {{title: string, payload: string}} button
 * @returns {{send: string, show: string}}
 */
export function quickReplyMessage({ title, payload }) {
  const send = typeof payload === 'string' && payload.startsWith('/') ? payload : String(title ?? '');
  return { send, show: String(title ?? send) };
}

/**
 * The payload -> title map of a bot message's quick replies, added to `titles` (kept for the
 * whole conversation, so a customer message replayed after a reload can show its title).
 * @param {Map<string, string>} titles
 * @param {Array<{title: string, payload: string}>} buttons
 */
export function rememberButtonTitles(titles, buttons) {
  for (const button of buttons || []) {
    const { send, show } = quickReplyMessage(button);
    if (send !== show) titles.set(send, show);
  }
  return titles;
}

/**
 * What the chat shows for a customer message: the title of the quick reply whose payload it is,
 * else the text as typed.
 * @param {string} text
 * @param {Map<string, string>} titles
 */
export function shownCustomerText(text, titles) {
  return titles.get(text) ?? text;
}

/**
 * The i18n key of the notice a failed turn needs, or null. When Rasa is down the bridge answers
 * with a bot message first (it says what is wrong and offers a person), so that turn needs no
 * second, vaguer notice.
 * @param {{code: string, reply_to?: string}} frame  the terminal error frame
 * @param {Set<string>} answered  reply_to ids that got a bot message
 */
export function failedTurnNotice(frame, answered) {
  if (frame.code !== 'dialogue_unavailable') return null;
  return frame.reply_to && answered.has(frame.reply_to) ? null : 'dialogueUnavailable';
}
