/**
 * Performs a turn's replies: plays each message's speech in order and, on the speech clock, shows
 * the face of the sentence being spoken, the mouth (visemes) and the caption of that sentence only.
 * A later message never changes the face of a sentence still being spoken: a bot_message's
 * expression waits for its own speech. When the speech ends the caption hides and the face turns to
 * listening, reflecting the customer's feeling.
 */
import { wordAt } from '../chat/captions.js';
import { listeningFace, sentenceAt, sentencesOf, timeSentences } from './expressionPlan.js';

export class TurnPerformer {
  /**
   * @param {{avatar: object|null, captions: import('../chat/captions.js').Captions,
   *   player: import('../audio/speechPlayer.js').SpeechPlayer, bridgeOrigin: string, still?: boolean}} parts
   */
  constructor({ avatar, captions, player, bridgeOrigin, still = false }) {
    Object.assign(this, { avatar, captions, player, bridgeOrigin, still });
    this.messages = new Map(); // message_id -> bot_message
    this.queue = [];
    this.turn = null;
    this.handle = null;
    this.frame = 0;
    this.customerEmotion = null;
    this.current = null; // {timed, index, words, ms} of the speech playing
  }

  get speaking() { return !!this.handle; }

  /** A bot_message: remembered for its speech; shown at once only when no speech will follow. */
  onMessage(frame, replayed) {
    this.messages.set(frame.message_id, frame);
    if (frame.customer_emotion) this.customerEmotion = frame.customer_emotion;
    if (replayed || frame.speech_pending || this.speaking) return;
    const [first] = sentencesOf(frame);
    if (first) this.setFace(first.expression, frame.expression?.duration_ms);
    this.captions.show(frame.text, []);
  }

  onSpeech(frame) {
    if (this.turn !== frame.reply_to) { this.stop(); this.turn = frame.reply_to; }
    this.queue.push(frame);
    this.playNext();
  }

  /** The customer sent a message or is typing: stop talking, listen. */
  listen() {
    this.stop();
    this.captions.clear();
    this.setFace(listeningFace(this.customerEmotion));
  }

  stop() {
    this.queue.length = 0;
    this.handle?.stop();
    this.handle = null;
    this.current = null;
    this.avatar?.stopSpeaking();
    cancelAnimationFrame(this.frame);
  }

  setFace(expression, durationMs = Infinity) {
    if (!this.avatar || this.still || !expression) return;
    this.avatar.setExpression(expression.name, { intensity: expression.intensity, durationMs });
  }

  playNext() {
    if (this.handle || !this.queue.length) return;
    const frame = this.queue.shift();
    const data = frame.speech;
    const message = this.messages.get(frame.message_id) || { text: '', expression: null };
    const words = data.words || [];
    const timed = timeSentences(sentencesOf(message), words, data.duration_ms);
    const audioUrl = data.audio.url ? new URL(data.audio.url, this.bridgeOrigin).href : undefined;
    const handle = this.player.play({ audioUrl, audioBase64: data.audio.base64, durationMs: data.duration_ms });
    this.handle = handle;
    this.current = { timed, index: -1, words, ms: 0, messageId: frame.message_id };
    this.avatar?.speak(data.visemes, handle.clock);
    const follow = () => {
      const ms = handle.clock();
      if (ms === null || this.handle !== handle) return;
      this.follow(ms);
      this.frame = requestAnimationFrame(follow);
    };
    follow();
    handle.done.then(() => {
      if (this.handle !== handle) return;
      this.handle = null;
      this.current = null;
      this.avatar?.stopSpeaking();
      cancelAnimationFrame(this.frame);
      if (this.queue.length) this.playNext();
      else { this.captions.clear(); this.setFace(listeningFace(this.customerEmotion)); }
    });
  }

  /** One step on the speech clock: the sentence's face and caption, the word highlighted. */
  follow(ms) {
    const current = this.current;
    if (!current || !current.timed.length) return;
    current.ms = ms;
    const index = sentenceAt(current.timed, ms);
    const sentence = current.timed[index];
    if (index !== current.index) {
      current.index = index;
      this.setFace(sentence.expression);
      const end = sentence.offset + sentence.length;
      // The caption is this sentence alone; its words' offsets become relative to it.
      current.captionWords = current.words.filter((w) => w.offset >= sentence.offset && w.offset + w.length <= end).map((w) => ({ ...w, offset: w.offset - sentence.offset }));
      this.captions.show(sentence.text, current.captionWords);
    }
    this.captions.highlight(wordAt(current.captionWords, ms));
  }

  /** What is being said now (test hook and diagnostics). */
  state() {
    const current = this.current;
    const sentence = current && current.index >= 0 ? current.timed[current.index] : null;
    return {
      speaking: this.speaking, messageId: current?.messageId ?? null, clockMs: current?.ms ?? null,
      sentence: sentence ? { index: current.index, text: sentence.text, startMs: sentence.startMs, endMs: sentence.endMs, expression: sentence.expression.name } : null,
      customerEmotion: this.customerEmotion,
    };
  }
}
