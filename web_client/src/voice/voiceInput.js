/**
 * Speaking to the assistant: the microphone button next to the composer (push-to-talk: click or
 * Space/Enter to start, again to stop; or hold it down), an optional hands-free mode (the energy
 * VAD starts and ends utterances), the "microphone on" indicator, and barge-in. The transcript of
 * a push-to-talk utterance lands in the composer to be edited and sent; hands-free ones are sent
 * by the server. Protocol: docs/protocol.md "Speaking to the assistant".
 */
import { Microphone, MicrophoneError } from './microphone.js';
import { EnergyVad } from './vad.js';
import { Chunker, Resampler, SAMPLE_RATE, toBase64 } from './pcm.js';
import { createBargeIn } from './bargeIn.js';
import { voiceText } from './strings.js';

const PRE_ROLL_FRAMES = 8; // ~350 ms kept before a hands-free onset, so the first syllable is not lost
const HOLD_MS = 450; // a press longer than this is hold-to-talk: releasing stops
const STYLE = `.voice-mic,.voice-hands-free{display:inline-flex;align-items:center;justify-content:center;gap:6px}
.voice-mic{min-width:2.75rem}.voice-mic[aria-pressed="true"]{background:#b3261e;color:#fff}
.voice-icon{width:18px;height:18px;flex:none}
.voice-status{flex-basis:100%;font-size:.85em;margin:.25rem 0 0}.voice-status[data-on="true"]::before{content:"● ";color:#b3261e}
.voice-hands-free[aria-pressed="true"]{outline:2px solid #b3261e}
@container chat (max-width: 520px){.voice-hands-free .voice-label{display:none}.voice-hands-free{min-width:2.75rem}}`;
// Icons drawn inline (an emoji needs a font the customer's device may not have).
const SVG = 'http://www.w3.org/2000/svg';
const ICONS = {
  mic: ['M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z', 'M6 11a6 6 0 0 0 12 0M12 17v4M9 21h6'],
  handsFree: ['M4 10v4M8 7v10M12 4v16M16 7v10M20 10v4'],
};
function icon(doc, name) {
  const svg = doc.createElementNS(SVG, 'svg');
  for (const [key, value] of Object.entries({ viewBox: '0 0 24 24', class: 'voice-icon', 'aria-hidden': 'true', focusable: 'false', fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round' })) svg.setAttribute(key, value);
  for (const d of ICONS[name]) {
    const path = doc.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
let ids = 0;

/**
 * @param {Object} options
 * @param {HTMLFormElement} options.composer  the composer form (the button goes before its last child)
 * @param {HTMLTextAreaElement} options.input  where a push-to-talk transcript goes
 * @param {{sendRaw: (f: object) => boolean, on: Function}} options.connection
 * @param {() => string} options.language
 * @param {() => (string|null)} options.speakingTurn  reply_to of the speech playing now, or null
 * @param {() => void} options.stopSpeech
 * @param {Microphone} [options.microphone]
 */
export function mountVoiceInput({ composer, input, connection, language, speakingTurn, stopSpeech, microphone = new Microphone() }) {
  const doc = composer.ownerDocument;
  const t = (key) => voiceText(language(), key);
  const button = doc.createElement('button');
  Object.assign(button, { type: 'button', className: 'voice-mic', hidden: true });
  button.append(icon(doc, 'mic'));
  button.setAttribute('aria-pressed', 'false');
  const handsFreeButton = doc.createElement('button');
  Object.assign(handsFreeButton, { type: 'button', className: 'voice-hands-free', hidden: true });
  // The label hides in a narrow chat (a phone, the widget), the icon and aria-label stay.
  const handsFreeLabel = Object.assign(doc.createElement('span'), { className: 'voice-label' });
  handsFreeButton.append(icon(doc, 'handsFree'), handsFreeLabel);
  handsFreeButton.setAttribute('aria-pressed', 'false');
  const status = doc.createElement('p');
  Object.assign(status, { className: 'voice-status', hidden: true });
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  const style = doc.createElement('style');
  style.textContent = STYLE;
  composer.insertBefore(button, composer.lastChild);
  composer.insertBefore(handsFreeButton, composer.lastChild);
  composer.append(status);
  (composer.getRootNode().host ? composer.getRootNode() : doc.head || doc.body).append(style);

  const bargeIn = createBargeIn({ speakingTurn, stopSpeech, send: (frame) => connection.sendRaw(frame) });
  const vad = new EnergyVad();
  const state = { mode: null, utterance: null, seq: 0, resampler: null, chunker: null, preRoll: [], maxSamples: 30 * SAMPLE_RATE, sent: 0, pressedAt: 0 };

  function relabel() {
    button.setAttribute('aria-label', state.mode === 'push_to_talk' ? t('micStop') : t('micStart'));
    button.title = button.getAttribute('aria-label');
    handsFreeLabel.textContent = t('handsFree');
    handsFreeButton.setAttribute('aria-label', t('handsFree'));
  }
  function say(text, on = false) {
    status.textContent = text || '';
    status.hidden = !text;
    status.dataset.on = String(on);
  }

  function open(mode) {
    state.utterance = `v${Date.now().toString(36)}${(ids += 1)}`;
    state.seq = 0;
    state.sent = 0;
    state.chunker = new Chunker();
    connection.sendRaw({ type: 'audio_start', id: state.utterance, sample_rate: SAMPLE_RATE, codec: 'pcm_s16le', mode });
  }
  function sendSamples(samples) {
    if (!state.utterance) return;
    for (const pcm of state.chunker.push(samples)) sendChunk(pcm);
    if (state.sent >= state.maxSamples) close(false); // the server's limit: stop before it cuts us off
  }
  function sendChunk(pcm) {
    connection.sendRaw({ type: 'audio_chunk', id: state.utterance, seq: state.seq, data: toBase64(pcm) });
    state.seq += 1;
    state.sent += pcm.length / 2;
  }
  function close(cancel) {
    if (!state.utterance) return;
    if (!cancel) for (const pcm of state.chunker.flush()) sendChunk(pcm);
    connection.sendRaw({ type: 'audio_end', id: state.utterance, ...(cancel ? { cancel: true } : {}) });
    state.pending = cancel ? null : state.utterance;
    state.utterance = null;
    if (!cancel && state.mode === 'push_to_talk') say(t('micThinking'));
  }

  microphone.on('samples', (samples, rate) => {
    if (!state.resampler) state.resampler = new Resampler(rate);
    const frame = state.resampler.push(samples);
    if (state.mode === 'push_to_talk') { sendSamples(frame); return; }
    if (state.mode !== 'hands_free') return;
    const event = vad.push(frame, SAMPLE_RATE);
    if (event === 'onset') {
      bargeIn.interrupt('voice');
      open('hands_free');
      for (const earlier of state.preRoll) sendSamples(earlier);
      state.preRoll = [];
    }
    if (state.utterance) sendSamples(frame);
    else { state.preRoll.push(frame); if (state.preRoll.length > PRE_ROLL_FRAMES) state.preRoll.shift(); }
    if (event === 'offset') close(false);
  });

  async function startMic(mode) {
    try {
      await microphone.start();
    } catch (error) {
      const reason = error instanceof MicrophoneError ? error.reason : 'failed';
      say(t({ denied: 'micDenied', missing: 'micMissing' }[reason] || 'micFailed'));
      return false;
    }
    state.mode = mode;
    state.resampler = null;
    button.setAttribute('aria-pressed', String(mode === 'push_to_talk'));
    handsFreeButton.setAttribute('aria-pressed', String(mode === 'hands_free'));
    say(mode === 'hands_free' ? t('handsFreeOn') : t('micOn'), true);
    relabel();
    return true;
  }
  function stopMic(cancel = false) {
    close(cancel);
    microphone.stop();
    const wasPushToTalk = state.mode === 'push_to_talk';
    state.mode = null;
    state.preRoll = [];
    button.setAttribute('aria-pressed', 'false');
    handsFreeButton.setAttribute('aria-pressed', 'false');
    if (!wasPushToTalk || cancel) say('');
    relabel();
  }

  async function pushToTalk() {
    if (state.mode === 'push_to_talk') { stopMic(); return; }
    if (state.mode === 'hands_free') stopMic(true);
    bargeIn.interrupt('button');
    if (await startMic('push_to_talk')) open('push_to_talk');
  }
  // Pointer: press to start; a quick release keeps it on (press again to stop), a release after
  // holding it down stops (hold-to-talk). Keyboard: Space or Enter on the focused button toggles.
  button.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    state.pressedAt = Date.now();
    pushToTalk();
  });
  button.addEventListener('pointerup', () => {
    if (state.mode === 'push_to_talk' && Date.now() - state.pressedAt > HOLD_MS) stopMic();
  });
  button.addEventListener('click', (event) => { if (event.detail === 0) pushToTalk(); });
  handsFreeButton.addEventListener('click', async () => {
    if (state.mode === 'hands_free') stopMic(true);
    else { if (state.mode) stopMic(true); await startMic('hands_free'); }
  });

  const onSession = (frame) => {
    if (frame.type === 'session_started') {
      const limits = frame.limits?.speech_in;
      button.hidden = handsFreeButton.hidden = !limits;
      if (limits) state.maxSamples = Math.floor((limits.max_utterance_s - 0.5) * SAMPLE_RATE);
      else if (state.mode) stopMic(true);
    } else button.hidden = handsFreeButton.hidden = false; // resumed: as before; speech_unavailable hides it
  };
  const onNotice = (frame) => {
    if (frame.type === 'transcript' && frame.reply_to === state.pending) {
      state.pending = null;
      if (!frame.sent) {
        input.value = input.value ? `${input.value} ${frame.text}` : frame.text;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.focus();
      }
      say(state.mode === 'hands_free' ? t('handsFreeOn') : '', state.mode === 'hands_free');
    } else if (frame.type === 'error' && frame.reply_to && (frame.reply_to === state.pending || frame.reply_to === state.utterance)) {
      // The server's message is already in the customer's language (no speech, too long, busy ...).
      if (frame.reply_to === state.utterance) stopMic(true);
      state.pending = null;
      say(frame.message, state.mode === 'hands_free');
      if (frame.code === 'speech_unavailable') { stopMic(true); button.hidden = handsFreeButton.hidden = true; say(frame.message); }
    }
  };
  const unsubscribe = [connection.on('session', onSession), connection.on('notice', onNotice)];
  relabel();

  return {
    button, handsFreeButton, status, bargeIn,
    /** The customer typed while the avatar talks: barge in. */
    typing(active) { if (active) bargeIn.interrupt('typing'); },
    /** True for a turn whose speech the customer interrupted: its remaining speech frames are skipped. */
    interrupted(turn) { return bargeIn.wasInterrupted(turn); },
    relabel,
    get mode() { return state.mode; },
    dispose() { unsubscribe.forEach((off) => off?.()); stopMic(true); button.remove(); handsFreeButton.remove(); status.remove(); style.remove(); },
  };
}
