/**
 * Plays the bridge's speech with Web Audio and exposes the audio clock (ms into the clip) that
 * drives visemes and caption highlighting. When the browser blocks audio (autoplay policy) the
 * same timeline runs on a silent wall clock, so captions and lips still follow, and `blocked`
 * turns true until `unlock()` is called from a user gesture.
 */
import { Emitter } from '../protocol/emitter.js';

export class SpeechPlayer extends Emitter {
  /**
   * @param {Object} [options]
   * @param {() => AudioContext} [options.createContext]
   * @param {(url: string) => Promise<ArrayBuffer>} [options.fetchAudio]
   * @param {() => number} [options.now]  wall clock in ms (performance.now)
   */
  constructor({ createContext = () => new (globalThis.AudioContext || globalThis.webkitAudioContext)(), fetchAudio = defaultFetch, now = () => performance.now() } = {}) {
    super();
    this.createContext = createContext;
    this.fetchAudio = fetchAudio;
    this.now = now;
    this.context = null;
    this.current = null;
    this.blocked = false;
  }

  ensureContext() {
    if (!this.context) {
      try { this.context = this.createContext(); } catch { this.context = null; }
    }
    return this.context;
  }

  /** Call from a click/tap: resumes a suspended AudioContext. */
  async unlock() {
    const context = this.ensureContext();
    if (context && context.state !== 'running') {
      try { await context.resume(); } catch { /* still blocked */ }
    }
    this.setBlocked(!context || context.state !== 'running');
  }

  setBlocked(blocked) {
    if (this.blocked !== blocked) { this.blocked = blocked; this.emit('blocked', blocked); }
  }

  /**
   * Plays one speech clip. Resolves when it ends or is stopped.
   * @param {{audioUrl?: string, audioBase64?: string, durationMs: number}} clip
   * @returns {{clock: () => (number|null), done: Promise<void>, stop: () => void, audible: boolean}}
   */
  play(clip) {
    this.stop();
    const playback = { stopped: false, startedAt: null, source: null, audible: false };
    let finish;
    const done = new Promise((resolve) => { finish = resolve; });
    const end = () => {
      if (playback.ended) return;
      playback.ended = true;
      if (this.current === handle) this.current = null;
      finish();
    };
    const startWallClock = () => {
      playback.startedAt = this.now();
      playback.wallTimer = setTimeout(end, clip.durationMs);
    };
    const handle = {
      get audible() { return playback.audible; },
      clock: () => {
        if (playback.ended) return null;
        if (playback.startedAt === null) return 0;
        if (playback.audible) return (this.context.currentTime - playback.startedAt) * 1000;
        return this.now() - playback.startedAt;
      },
      done,
      stop: () => {
        playback.stopped = true;
        clearTimeout(playback.wallTimer);
        try { playback.source?.stop(); } catch { /* not started */ }
        end();
      },
    };
    this.current = handle;
    this.startAudio(clip, playback, end).then((ok) => {
      if (!ok && !playback.stopped && !playback.ended) startWallClock();
    });
    return handle;
  }

  async startAudio(clip, playback, end) {
    const context = this.ensureContext();
    if (!context) return false;
    if (context.state !== 'running') {
      try { await context.resume(); } catch { /* blocked */ }
    }
    if (context.state !== 'running') { this.setBlocked(true); return false; }
    this.setBlocked(false);
    try {
      const bytes = clip.audioBase64 ? base64ToBuffer(clip.audioBase64) : await this.fetchAudio(clip.audioUrl);
      const buffer = await context.decodeAudioData(bytes);
      if (playback.stopped) return true;
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      source.onended = end;
      playback.source = source;
      playback.audible = true;
      playback.startedAt = context.currentTime;
      source.start();
      return true;
    } catch (error) {
      console.warn('speech playback failed, continuing silently', error);
      return false;
    }
  }

  stop() { this.current?.stop(); }
}

async function defaultFetch(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`audio ${response.status}`);
  return response.arrayBuffer();
}

function base64ToBuffer(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}
