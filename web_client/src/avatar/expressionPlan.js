/**
 * The face of a turn follows what is being said. The bridge plans one expression per sentence
 * (bot_message.sentences, docs/protocol.md §5); this module times them with the speech's word
 * timings, so each sentence's face holds exactly while it is spoken, and clamps every face to the
 * customer's feeling: a frustrated, anxious or sad customer never gets a smile, whatever a message
 * says. Pure functions: the caller owns the clock (turnPerformer.js).
 */

// The taxonomy's distress labels (contracts/emotion/taxonomy.yml, `distress: true`).
export const DISTRESS = new Set(['frustrated', 'anxious', 'sad']);
const SMILES = new Set(['happy', 'joyful']);
const INSTEAD_OF_SMILE = { frustrated: 'calm', anxious: 'reassuring', sad: 'sympathetic' };

/** The expression clamped to the customer's emotion ({label, intensity} or null). */
export function clampToCustomer(expression, customerEmotion) {
  const label = customerEmotion?.label;
  if (DISTRESS.has(label) && SMILES.has(expression.name)) return { ...expression, name: INSTEAD_OF_SMILE[label] };
  return expression;
}

/** The face while the customer talks or types: it reflects how they feel, never a fixed neutral. */
export function listeningFace(customerEmotion) {
  const label = customerEmotion?.label || 'neutral';
  const strength = Math.min(1, Math.max(0, customerEmotion?.intensity ?? 0));
  const face = {
    frustrated: 'concerned', anxious: 'concerned', sad: 'sympathetic', confused: 'attentive', happy: 'happy',
  }[label] || 'attentive';
  const base = label === 'happy' ? 0.3 : label === 'neutral' ? 0.3 : 0.4;
  return { name: face, intensity: Math.round((base + 0.35 * strength) * 100) / 100 };
}

/**
 * The sentences of a bot_message: the bridge's plan, or the whole text with the message's own
 * expression when the frame has none (an older bridge).
 * @returns {Array<{offset: number, length: number, expression: {name: string, intensity: number}}>}
 */
export function sentencesOf(frame) {
  const text = frame.text || '';
  const planned = Array.isArray(frame.sentences) && frame.sentences.length ? frame.sentences : [{ offset: 0, length: text.length, expression: frame.expression }];
  return planned
    .filter((s) => s.expression && Number.isInteger(s.offset) && s.offset < text.length)
    .map((s) => ({ offset: s.offset, length: s.length, text: text.slice(s.offset, s.offset + s.length), expression: clampToCustomer(s.expression, frame.customer_emotion) }));
}

/**
 * Times sentences by the speech's words: a sentence starts at its first word's t_ms and lasts
 * until the next sentence starts (the last one until the end of the audio).
 * @returns {Array<{startMs: number, endMs: number, offset: number, length: number, text: string, expression: object}>}
 */
export function timeSentences(sentences, words, durationMs) {
  const starts = sentences.map((sentence, index) => {
    if (index === 0) return 0;
    const first = words.find((word) => word.offset >= sentence.offset);
    return first ? first.t_ms : durationMs;
  });
  return sentences.map((sentence, index) => ({
    ...sentence,
    startMs: starts[index],
    endMs: index + 1 < sentences.length ? Math.max(starts[index], starts[index + 1]) : durationMs,
  }));
}

/** Index of the sentence spoken at `ms` (the last one after the end). */
export function sentenceAt(timed, ms) {
  let found = 0;
  for (let i = 0; i < timed.length; i += 1) if (timed[i].startMs <= ms) found = i;
  return found;
}
