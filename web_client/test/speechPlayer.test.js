import { describe, expect, it, vi } from 'vitest';
import { SpeechPlayer } from '../src/audio/speechPlayer.js';

/** A fake of the browser's AudioContext (outside our code): a settable clock and autoplay state. */
class FakeAudioContext {
  constructor({ allowed }) {
    this.allowed = allowed;
    this.state = allowed ? 'running' : 'suspended';
    this.currentTime = 10;
    this.destination = {};
    this.sources = [];
  }

  async resume() { if (this.allowed) this.state = 'running'; else throw new Error('NotAllowedError'); }

  async decodeAudioData() { return { duration: 1 }; }

  createBufferSource() {
    const source = { connect() {}, start: vi.fn(), stop: vi.fn(() => source.onended?.()), onended: null };
    this.sources.push(source);
    return source;
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SpeechPlayer', () => {
  it('plays through Web Audio and reports the audio clock', async () => {
    const context = new FakeAudioContext({ allowed: true });
    const player = new SpeechPlayer({ createContext: () => context, fetchAudio: async () => new ArrayBuffer(8) });
    const handle = player.play({ audioUrl: '/audio/x.wav', durationMs: 1000 });
    await flush(); await flush();
    expect(handle.audible).toBe(true);
    context.currentTime = 10.25;
    expect(handle.clock()).toBeCloseTo(250);
    context.sources[0].onended();
    await handle.done;
    expect(handle.clock()).toBeNull();
  });

  it('falls back to a silent clock and says so when audio is blocked', async () => {
    let now = 0;
    const context = new FakeAudioContext({ allowed: false });
    const player = new SpeechPlayer({ createContext: () => context, fetchAudio: async () => new ArrayBuffer(8), now: () => now });
    const blocked = [];
    player.on('blocked', (value) => blocked.push(value));
    const handle = player.play({ audioUrl: '/audio/x.wav', durationMs: 50 });
    await flush(); await flush();
    expect(blocked).toEqual([true]);
    expect(handle.audible).toBe(false);
    now = 30;
    expect(handle.clock()).toBe(30);
    await handle.done; // the wall-clock timer ends it after durationMs
  });

  it('stops the previous clip when a new one starts', async () => {
    const context = new FakeAudioContext({ allowed: true });
    const player = new SpeechPlayer({ createContext: () => context, fetchAudio: async () => new ArrayBuffer(8) });
    const first = player.play({ audioUrl: '/a.wav', durationMs: 1000 });
    await flush(); await flush();
    const second = player.play({ audioUrl: '/b.wav', durationMs: 1000 });
    await first.done;
    expect(first.clock()).toBeNull();
    expect(context.sources[0].stop).toHaveBeenCalled();
    expect(second.clock()).not.toBeNull();
  });
});
