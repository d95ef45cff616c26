/**
 * The bridge's WebSocket protocol v1 (docs/protocol.md), client side. Keeps the session across
 * reconnects: resumes with the last conversation `seq` it has seen, drops frames it already has
 * (by seq), and re-sends user messages that were never acknowledged under the same id (the server
 * answers a repeat with `duplicate_message`, so nothing is processed twice).
 *
 * Events: `state` (connecting | open | reconnecting | closed | taken_over), `frame` (conversation
 * frames, once each, with `{replayed}`), `session` (session_started / session_resumed),
 * `notice` (connection frames: feedback_received, session_ended, errors without seq).
 */
import { Emitter } from './emitter.js';

const CONVERSATION = new Set(['ack', 'bot_message', 'bot_speech', 'turn_complete', 'agent_message', 'status', 'error']);
const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_TOKEN_CHARS = 512; // contracts/protocol/schemas/start.json

/** Reconnect delay: exponential from 0.5 s to 8 s with jitter. */
export function backoffMs(attempt, random = Math.random) {
  const base = Math.min(8000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + 0.5 * random()));
}

export class BridgeConnection extends Emitter {
  /**
   * @param {Object} options
   * @param {string} options.url          ws(s)://host/ws/v1
   * @param {string} options.language     en | de
   * @param {boolean} [options.audio=true]
   * @param {Storage} [options.storage]   where session id, resume token and seq survive a reload
   * @param {string|null} [options.customerToken]  the shop's token for its signed-in customer, sent
   *   with start and resume (docs/shop-integration.md); never stored by the client
   * @param {typeof WebSocket} [options.WebSocketImpl]
   * @param {(fn: Function, ms: number) => any} [options.setTimer]
   * @param {() => number} [options.random]
   */
  constructor({ url, language, audio = true, storage = null, customerToken = null, WebSocketImpl = globalThis.WebSocket, setTimer = (fn, ms) => setTimeout(fn, ms), clearTimer = (h) => clearTimeout(h), random = Math.random }) {
    super();
    if (!/^wss?:\/\//.test(url || '')) throw new TypeError('url must be a ws:// or wss:// URL');
    if (customerToken !== null && (typeof customerToken !== 'string' || customerToken.length < 1 || customerToken.length > MAX_TOKEN_CHARS)) {
      throw new TypeError(`customerToken must be a string of 1-${MAX_TOKEN_CHARS} characters`);
    }
    this.url = url;
    this.customerToken = customerToken;
    this.language = language;
    this.audio = audio;
    this.storage = storage;
    this.WebSocketImpl = WebSocketImpl;
    this.setTimer = setTimer;
    this.clearTimer = clearTimer;
    this.random = random;
    this.socket = null;
    this.state = 'closed';
    this.attempt = 0;
    this.stopped = false;
    this.session = this.loadSession();
    // A reloaded page has no transcript: replay everything the server still holds.
    this.lastSeq = 0;
    this.replayRemaining = 0;
    /** @type {Map<string, string>} user messages sent but not yet acknowledged: id -> text */
    this.pending = new Map();
    this.counter = 0;
    this.timer = null;
  }

  storageKey() { return `avatar-assistant:${this.url}`; }

  loadSession() {
    try {
      const raw = this.storage?.getItem(this.storageKey());
      const value = raw ? JSON.parse(raw) : null;
      if (!value || typeof value.session_id !== 'string' || typeof value.resume_token !== 'string') return null;
      // Signed in at the shop since (or no longer): that stored session is not this customer's.
      return !!value.signed_in === !!this.customerToken ? value : null;
    } catch { return null; }
  }

  saveSession() {
    try {
      if (this.session) this.storage?.setItem(this.storageKey(), JSON.stringify(this.session));
      else this.storage?.removeItem(this.storageKey());
    } catch { /* storage full or blocked: the session just does not survive a reload */ }
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  connect() {
    this.stopped = false;
    this.open();
  }

  open() {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let socket;
    try {
      socket = new this.WebSocketImpl(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.attached = false;
    socket.onopen = () => this.onOpen(socket);
    socket.onmessage = (event) => this.onMessage(socket, event.data);
    socket.onclose = () => this.onClose(socket);
    socket.onerror = () => { /* onclose follows */ };
  }

  onOpen(socket) {
    if (socket !== this.socket) return;
    if (this.session) {
      this.sendRaw({ type: 'resume', session_id: this.session.session_id, resume_token: this.session.resume_token, last_seq: this.lastSeq, capabilities: { audio: this.audio }, ...this.customerField() });
    } else {
      this.startSession();
    }
  }

  startSession() {
    this.sendRaw({ type: 'start', language: this.language, capabilities: { audio: this.audio }, ...this.customerField() });
  }

  customerField() { return this.customerToken ? { customer_token: this.customerToken } : {}; }

  onClose(socket) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.attached = false;
    if (this.stopped || this.state === 'taken_over') return;
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    this.setState('reconnecting');
    const delay = backoffMs(this.attempt, this.random);
    this.attempt += 1;
    this.timer = this.setTimer(() => { this.timer = null; if (!this.stopped) this.open(); }, delay);
  }

  onMessage(socket, data) {
    if (socket !== this.socket) return;
    let frame;
    try { frame = JSON.parse(data); } catch { return; }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    switch (frame.type) {
      case 'session_started':
        this.session = { session_id: frame.session_id, resume_token: frame.resume_token, signed_in: !!this.customerToken };
        this.lastSeq = 0;
        this.saveSession();
        this.attached = true;
        this.attempt = 0;
        this.setState('open');
        this.emit('session', frame);
        this.flushPending();
        return;
      case 'session_resumed':
        this.attached = true;
        this.attempt = 0;
        this.replayRemaining = frame.replayed || 0;
        this.setState('open');
        this.emit('session', frame);
        if (!this.replayRemaining) this.flushPending();
        return;
      default:
        break;
    }
    if (frame.type === 'error' && frame.seq === undefined) {
      this.onConnectionError(frame);
      return;
    }
    if (CONVERSATION.has(frame.type) && Number.isInteger(frame.seq)) {
      const replayed = this.replayRemaining > 0;
      if (replayed) this.replayRemaining -= 1;
      if (frame.seq <= this.lastSeq) return; // already shown: never twice
      this.lastSeq = frame.seq;
      if (frame.type === 'ack') this.pending.delete(frame.reply_to);
      if (frame.type === 'error' && frame.reply_to) this.pending.delete(frame.reply_to);
      this.emit('frame', frame, { replayed });
      if (replayed && this.replayRemaining === 0) this.flushPending();
      return;
    }
    this.emit('notice', frame);
  }

  onConnectionError(frame) {
    const code = frame.code;
    if (code === 'session_forbidden' || code === 'session_ended') {
      // The stored session is gone: start a fresh one on this socket.
      this.session = null;
      this.lastSeq = 0;
      this.saveSession();
      this.emit('notice', frame);
      this.startSession();
      return;
    }
    if (code === 'session_taken_over') {
      this.setState('taken_over');
      this.emit('notice', frame);
      return;
    }
    if (code === 'duplicate_message' && frame.reply_to) {
      // A re-send after a reconnect that the server had already received: its ack is in the replay.
      this.pending.delete(frame.reply_to);
      return;
    }
    if (frame.reply_to) this.pending.delete(frame.reply_to);
    this.emit('notice', frame);
  }

  flushPending() {
    for (const [id, text] of this.pending) this.sendRaw({ type: 'user_message', id, text });
  }

  newMessageId() {
    this.counter += 1;
    return `c${Date.now().toString(36)}${Math.floor(this.random() * 1e6).toString(36)}-${this.counter}`;
  }

  /** Sends a user message (queued while disconnected); returns its id. */
  sendText(text, id = this.newMessageId()) {
    if (typeof text !== 'string' || !text.trim()) throw new TypeError('a message needs some text');
    if (!ID_PATTERN.test(id)) throw new TypeError('message ids are 1-64 of [A-Za-z0-9_.:-]');
    this.pending.set(id, text);
    if (this.attached && this.replayRemaining === 0) this.sendRaw({ type: 'user_message', id, text });
    return id;
  }

  sendTyping(active) { if (this.attached) this.sendRaw({ type: 'typing', active: !!active }); }

  setAudio(enabled) {
    this.audio = !!enabled;
    if (this.attached) this.sendRaw({ type: 'capabilities', audio: this.audio });
  }

  sendCsat(score, comment) {
    if (!Number.isInteger(score) || score < 1 || score > 5) throw new RangeError('score must be 1..5');
    const frame = { type: 'csat', score };
    if (comment) frame.comment = String(comment).slice(0, 1000);
    this.sendRaw(frame);
  }

  /** Starts a new session in another language (used before the first message). */
  restart(language) {
    this.language = language;
    this.session = null;
    this.lastSeq = 0;
    this.saveSession();
    this.pending.clear();
    this.dropSocket();
  }

  sendRaw(frame) {
    if (!this.socket || this.socket.readyState !== 1) return false;
    this.socket.send(JSON.stringify({ v: 1, ...frame }));
    return true;
  }

  /** Closes the socket as a network failure would; the client reconnects and resumes. */
  dropSocket() {
    const socket = this.socket;
    if (socket) {
      this.socket = null;
      this.attached = false;
      socket.onclose = null;
      socket.close();
    }
    if (!this.stopped && !this.timer) { this.attempt = Math.max(this.attempt, 0); this.scheduleReconnect(); }
  }

  close() {
    this.stopped = true;
    if (this.timer) this.clearTimer(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.setState('closed');
  }
}
