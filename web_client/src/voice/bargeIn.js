/**
 * Barge-in: when the customer starts speaking (VAD onset, the mic button) or typing while the
 * avatar talks, its audio and lips stop at once and the server is told to send no more speech
 * for that turn (`barge_in`). Returns how long the stop took, for the benchmark.
 */

/**
 * @param {Object} hooks
 * @param {() => (string|null)} hooks.speakingTurn  the turn being spoken (its reply_to), or null
 * @param {() => void} hooks.stopSpeech  stops audio, visemes and queued speech (app.js)
 * @param {(frame: object) => void} hooks.send  sends a protocol frame
 * @param {() => number} [hooks.now]
 */
export function createBargeIn({ speakingTurn, stopSpeech, send, now = () => performance.now() }) {
  let last = null;
  const interrupted = []; // recent turns cut off: their speech frames still in flight are not played
  return {
    /** @param {'voice'|'typing'|'button'} cause  @returns {boolean} whether the avatar was talking */
    interrupt(cause) {
      const turn = speakingTurn();
      if (!turn) return false;
      const started = now();
      stopSpeech();
      send(turn === true ? { type: 'barge_in' } : { type: 'barge_in', reply_to: turn });
      if (turn !== true) { interrupted.push(turn); if (interrupted.length > 20) interrupted.shift(); }
      last = { cause, turn, stopMs: now() - started };
      return true;
    },
    /** Whether the customer cut this turn's speech off (later frames of it stay silent). */
    wasInterrupted(turn) { return interrupted.includes(turn); },
    /** The last interruption: {cause, turn, stopMs}. */
    get last() { return last; },
  };
}
