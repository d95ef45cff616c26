// Speech input and barge-in (src/voice/): the VAD's onset and offset, the 16 kHz wire format,
// barge-in stopping playback at once, and the push-to-talk button against a fake microphone.
import { describe, expect, it, vi } from 'vitest';
import { EnergyVad, levelDb } from '../src/voice/vad.js';
import { Chunker, Resampler, toBase64 } from '../src/voice/pcm.js';
import { createBargeIn } from '../src/voice/bargeIn.js';
import { mountVoiceInput } from '../src/voice/voiceInput.js';
import { Microphone, MicrophoneError } from '../src/voice/microphone.js';
import { SpeechPlayer } from '../src/audio/speechPlayer.js';
import { Emitter } from '../src/protocol/emitter.js';

const RATE = 16000;
const frame = (amplitude, ms = 32) => Float32Array.from({ length: (RATE * ms) / 1000 }, (_, i) => amplitude * Math.sin(i / 3));

function run(vad, amplitude, ms) {
  const events = [];
  for (let t = 0; t < ms; t += 32) { const e = vad.push(frame(amplitude), RATE); if (e) events.push([e, t + 32]); }
  return events;
}

describe('EnergyVad', () => {
  it('finds speech after the onset time and its end after the hangover', () => {
    const vad = new EnergyVad({ onsetMs: 90, hangoverMs: 700 });
    expect(run(vad, 0.001, 1000)).toEqual([]); // room noise sets the floor
    expect(run(vad, 0.3, 500)).toEqual([['onset', 96]]); // within 100 ms of the first loud frame
    const end = run(vad, 0.001, 1000);
    expect(end).toHaveLength(1);
    expect(end[0][0]).toBe('offset');
    expect(end[0][1]).toBeGreaterThanOrEqual(700);
    expect(end[0][1]).toBeLessThan(800);
  });

  it('ignores a click shorter than the onset time and steady noise', () => {
    const vad = new EnergyVad();
    run(vad, 0.001, 500);
    expect(run(vad, 0.3, 32)).toEqual([]);
    expect(run(vad, 0.001, 300)).toEqual([]);
    const steady = new EnergyVad({ minLevelDb: -30 });
    expect(run(steady, 0.01, 2000)).toEqual([]); // -40 dBFS hum: never speech
  });

  it('measures levels in dBFS and rejects bad options', () => {
    expect(levelDb(new Float32Array(100))).toBe(-120);
    expect(levelDb(Float32Array.from({ length: 100 }, () => 1))).toBeCloseTo(0);
    expect(() => new EnergyVad({ onsetMs: 0 })).toThrow(RangeError);
  });
});

describe('16 kHz PCM', () => {
  it('resamples 48 kHz to a third of the samples across frame borders', () => {
    const resampler = new Resampler(48000);
    const total = [1000, 2048, 7].map((n) => resampler.push(new Float32Array(n).fill(0.5)).length).reduce((a, b) => a + b);
    expect(total).toBe(Math.floor((1000 + 2048 + 7) / 3));
    expect(() => new Resampler(8000)).toThrow(RangeError);
  });

  it('cuts 8192-byte chunks of little-endian int16 and flushes the rest', () => {
    const chunker = new Chunker();
    const chunks = chunker.push(new Float32Array(5000).fill(-1));
    expect(chunks.map((c) => c.length)).toEqual([8192]);
    expect(new DataView(chunks[0].buffer).getInt16(0, true)).toBe(-32768);
    expect(chunker.flush()[0].length).toBe((5000 - 4096) * 2);
    expect(toBase64(new Uint8Array([1, 2, 3]))).toBe('AQID');
  });
});

describe('barge-in', () => {
  it('stops the playing clip at once and tells the server once per interruption', async () => {
    const source = { start: vi.fn(), stop: vi.fn(), connect() {}, onended: null };
    const context = { state: 'running', currentTime: 0, destination: {}, resume: async () => {}, decodeAudioData: async () => ({}), createBufferSource: () => source };
    const player = new SpeechPlayer({ createContext: () => context });
    const handle = player.play({ audioBase64: 'AAAA', durationMs: 4000 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const sent = [];
    const stopSpeech = () => player.stop();
    const barge = createBargeIn({ speakingTurn: () => (player.current ? 'm7' : null), stopSpeech, send: (f) => sent.push(f) });
    expect(barge.interrupt('voice')).toBe(true);
    expect(source.stop).toHaveBeenCalled();
    expect(handle.clock()).toBeNull(); // the lips follow this clock: they stop with it
    expect(barge.last.stopMs).toBeLessThan(300);
    expect(sent).toEqual([{ type: 'barge_in', reply_to: 'm7' }]);
    expect(barge.wasInterrupted('m7')).toBe(true);
    expect(barge.interrupt('typing')).toBe(false); // nothing playing any more: nothing to tell
    expect(sent).toHaveLength(1);
  });
});

class FakeConnection extends Emitter {
  constructor() { super(); this.sent = []; }
  sendRaw(frame) { this.sent.push(frame); return true; }
}

class FakeMicrophone extends Emitter {
  constructor(failure = null) { super(); this.failure = failure; this.active = false; }
  async start() { if (this.failure) throw new MicrophoneError(this.failure); this.active = true; }
  stop() { this.active = false; }
}

function mount({ failure = null, speaking = null, language = 'en' } = {}) {
  document.body.innerHTML = '<form class="composer"><textarea></textarea><button type="submit">Send</button></form>';
  const composer = document.querySelector('form');
  const input = document.querySelector('textarea');
  const connection = new FakeConnection();
  const microphone = new FakeMicrophone(failure);
  const stopSpeech = vi.fn();
  const voice = mountVoiceInput({ composer, input, connection, language: () => language, speakingTurn: () => speaking, stopSpeech, microphone });
  connection.emit('session', { type: 'session_started', limits: { speech_in: { sample_rate: 16000, codec: 'pcm_s16le', max_utterance_s: 30, max_chunk_bytes: 8192 } } });
  return { voice, connection, microphone, input, stopSpeech };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('push-to-talk', () => {
  it('streams while on, shows the microphone is on, and puts the transcript in the composer', async () => {
    const { voice, connection, microphone, input, stopSpeech } = mount({ speaking: 'm3' });
    expect(voice.button.hidden).toBe(false);
    voice.button.click();
    await flush();
    expect(stopSpeech).toHaveBeenCalled(); // pressing the mic is a barge-in
    expect(voice.button.getAttribute('aria-pressed')).toBe('true');
    expect(voice.status.textContent).toMatch(/Microphone on/);
    microphone.emit('samples', new Float32Array(48000).fill(0.2), 48000); // one second at 48 kHz
    voice.button.click();
    const types = connection.sent.map((f) => f.type);
    expect(types[0]).toBe('barge_in');
    expect(types.slice(1, 2)).toEqual(['audio_start']);
    expect(types.at(-1)).toBe('audio_end');
    const chunks = connection.sent.filter((f) => f.type === 'audio_chunk');
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect(chunks.reduce((n, c) => n + atob(c.data).length, 0)).toBe(32000); // 16 kHz, 2 bytes
    expect(microphone.active).toBe(false);
    const id = connection.sent[1].id;
    connection.emit('notice', { type: 'transcript', reply_to: id, text: 'Where is my order?', sent: false });
    expect(input.value).toBe('Where is my order?');
  });

  it('says the microphone is blocked in the customer\'s language', async () => {
    const { voice } = mount({ failure: 'denied', language: 'de' });
    voice.button.click();
    await flush();
    expect(voice.status.textContent).toMatch(/Mikrofon ist blockiert/);
    expect(voice.button.getAttribute('aria-pressed')).toBe('false');
  });

  it('hides the microphone when the session offers no speech input', () => {
    const { voice, connection } = mount();
    connection.emit('session', { type: 'session_started', limits: {} });
    expect(voice.button.hidden).toBe(true);
  });
});

describe('hands-free', () => {
  it('opens an utterance at the VAD onset (barging in) and ends it after the hangover', async () => {
    const { voice, connection, microphone, stopSpeech } = mount({ speaking: 'm9' });
    voice.handsFreeButton.click();
    await flush();
    expect(voice.mode).toBe('hands_free');
    const feed = (amplitude, ms) => { for (let t = 0; t < ms; t += 32) microphone.emit('samples', frame(amplitude), RATE); };
    feed(0.001, 600);
    expect(connection.sent).toEqual([]);
    feed(0.3, 600);
    expect(stopSpeech).toHaveBeenCalledTimes(1);
    expect(connection.sent.map((f) => f.type).slice(0, 2)).toEqual(['barge_in', 'audio_start']);
    expect(connection.sent[1].mode).toBe('hands_free');
    feed(0.001, 900);
    expect(connection.sent.at(-1).type).toBe('audio_end');
  });

  it('typing while the avatar talks stops it', () => {
    const { voice, stopSpeech, connection } = mount({ speaking: 'm4' });
    voice.typing(true);
    expect(stopSpeech).toHaveBeenCalled();
    expect(connection.sent).toEqual([{ type: 'barge_in', reply_to: 'm4' }]);
    expect(voice.interrupted('m4')).toBe(true);
  });
});

describe('Microphone', () => {
  it.each([['NotAllowedError', 'denied'], ['NotFoundError', 'missing'], ['AbortError', 'failed']])('maps %s to %s', async (name, reason) => {
    const microphone = new Microphone({ getUserMedia: async () => { throw Object.assign(new Error(name), { name }); } });
    await expect(microphone.start()).rejects.toMatchObject({ reason });
    expect(microphone.active).toBe(false);
  });

  it('captures with a ScriptProcessor where no worklet is allowed, and releases the device on stop', async () => {
    const track = { stop: vi.fn() };
    const processor = { connect: vi.fn(), disconnect: vi.fn() };
    const context = {
      state: 'running', sampleRate: 48000, destination: {}, close: vi.fn(async () => {}),
      createMediaStreamSource: () => ({ connect: vi.fn(), disconnect: vi.fn() }),
      createScriptProcessor: () => processor,
    };
    const microphone = new Microphone({ getUserMedia: async () => ({ getTracks: () => [track] }), createContext: () => context });
    const frames = [];
    microphone.on('samples', (samples, rate) => frames.push([samples.length, rate]));
    await microphone.start();
    processor.onaudioprocess({ inputBuffer: { getChannelData: () => new Float32Array(2048) } });
    expect(frames).toEqual([[2048, 48000]]);
    microphone.stop();
    expect(track.stop).toHaveBeenCalled(); // the browser's "microphone in use" indicator goes off
    expect(context.close).toHaveBeenCalled();
    expect(microphone.active).toBe(false);
  });
});

describe('the microphone button with a pointer', () => {
  it('toggles on a quick press and stops on release after holding it down', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { voice, connection } = mount();
      const press = (type) => voice.button.dispatchEvent(new PointerEvent(type, { button: 0, bubbles: true }));
      press('pointerdown');
      await flush();
      press('pointerup'); // quick: stays on
      expect(voice.mode).toBe('push_to_talk');
      press('pointerdown'); // again: off
      expect(voice.mode).toBe(null);
      press('pointerdown');
      await flush();
      vi.setSystemTime(Date.now() + 1000);
      press('pointerup'); // held for a second: off on release
      expect(voice.mode).toBe(null);
      expect(connection.sent.filter((f) => f.type === 'audio_end')).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
