/**
 * The microphone: getUserMedia -> Web Audio -> float frames at the context's rate ('samples'
 * events). An AudioWorklet does the capture where the page allows it (loaded from a blob: URL);
 * otherwise a ScriptProcessorNode does. Nothing is recorded or stored here: frames go to
 * listeners and are gone.
 */
import { Emitter } from '../protocol/emitter.js';

const FRAME = 2048; // samples per 'samples' event (about 43 ms at 48 kHz)
const WORKLET = `class VoiceCapture extends AudioWorkletProcessor {
  constructor() { super(); this.frame = new Float32Array(${FRAME}); this.filled = 0; }
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    let offset = 0;
    while (offset < channel.length) {
      const take = Math.min(${FRAME} - this.filled, channel.length - offset);
      this.frame.set(channel.subarray(offset, offset + take), this.filled);
      this.filled += take; offset += take;
      if (this.filled === ${FRAME}) { this.port.postMessage(this.frame.slice(0)); this.filled = 0; }
    }
    return true;
  }
}
registerProcessor('voice-capture', VoiceCapture);`;

/** Why the microphone did not start: 'denied' | 'missing' | 'failed'. */
export class MicrophoneError extends Error {
  constructor(reason, cause) { super(`microphone ${reason}`); this.reason = reason; this.cause = cause; }
}

export class Microphone extends Emitter {
  /**
   * @param {Object} [options]
   * @param {(constraints: object) => Promise<MediaStream>} [options.getUserMedia]
   * @param {() => AudioContext} [options.createContext]
   */
  constructor({
    getUserMedia = (constraints) => globalThis.navigator.mediaDevices.getUserMedia(constraints),
    createContext = () => new (globalThis.AudioContext || globalThis.webkitAudioContext)(),
  } = {}) {
    super();
    Object.assign(this, { getUserMedia, createContext });
    this.stream = null;
    this.context = null;
    this.nodes = [];
  }

  get active() { return !!this.stream; }

  async start() {
    if (this.stream) return;
    let stream;
    try {
      // The browser's echo cancellation keeps the avatar's own voice from sounding like the customer.
      stream = await this.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
    } catch (error) {
      const reason = error?.name === 'NotAllowedError' || error?.name === 'SecurityError' ? 'denied'
        : error?.name === 'NotFoundError' || error?.name === 'OverconstrainedError' ? 'missing' : 'failed';
      throw new MicrophoneError(reason, error);
    }
    this.stream = stream;
    try {
      this.context = this.createContext();
      if (this.context.state !== 'running') await this.context.resume?.();
      const source = this.context.createMediaStreamSource(stream);
      const capture = await this.captureNode();
      source.connect(capture);
      this.nodes = [source, capture];
    } catch (error) {
      this.stop();
      throw new MicrophoneError('failed', error);
    }
  }

  async captureNode() {
    const context = this.context;
    const rate = context.sampleRate;
    if (context.audioWorklet && globalThis.Blob && globalThis.URL?.createObjectURL) {
      const url = URL.createObjectURL(new Blob([WORKLET], { type: 'text/javascript' }));
      try {
        await context.audioWorklet.addModule(url);
        const node = new AudioWorkletNode(context, 'voice-capture');
        node.port.onmessage = (event) => this.emit('samples', event.data, rate);
        return node;
      } catch {
        // The page's Content-Security-Policy may not allow blob: scripts: fall back below.
      } finally {
        URL.revokeObjectURL(url);
      }
    }
    const node = context.createScriptProcessor(FRAME, 1, 1);
    node.onaudioprocess = (event) => this.emit('samples', event.inputBuffer.getChannelData(0).slice(0), rate);
    node.connect(context.destination); // a ScriptProcessor runs only when connected (it outputs silence)
    return node;
  }

  /** Releases the device: the browser's "microphone in use" indicator goes off. */
  stop() {
    for (const node of this.nodes) { try { node.disconnect(); } catch { /* already */ } }
    this.nodes = [];
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.context?.close?.().catch(() => {});
    this.context = null;
  }
}
