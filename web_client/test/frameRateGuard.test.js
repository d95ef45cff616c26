import { describe, expect, it, vi } from 'vitest';
import { FrameRateGuard } from '../src/avatar/frameRateGuard.js';
import { Avatar } from '../src/avatar/facade.js';

/** Feeds `guard` frames `1 / fps` seconds apart until it gives a verdict (or `limit` frames). */
function run(guard, fps, limit = 1000) {
  for (let i = 0; i < limit; i += 1) {
    const verdict = guard.frame(i / fps);
    if (verdict) return verdict;
  }
  return null;
}

describe('frame-rate guard', () => {
  it('gives one verdict after its window: too slow below the floor, fine above', () => {
    const slow = run(new FrameRateGuard({ floorFps: 12, windowSeconds: 2 }), 8);
    expect(slow.tooSlow).toBe(true);
    expect(slow.fps).toBeCloseTo(8, 5);
    expect(run(new FrameRateGuard({ floorFps: 12, windowSeconds: 2 }), 25).tooSlow).toBe(false);
  });

  it('does not count the warm-up frames (shader compilation, texture upload)', () => {
    const guard = new FrameRateGuard({ floorFps: 12, windowSeconds: 1, warmUpFrames: 3 });
    for (const t of [0, 2, 4]) expect(guard.frame(t)).toBeNull(); // two seconds a frame, then steady
    const verdict = run({ frame: (t) => guard.frame(10 + t) }, 30);
    expect(verdict.tooSlow).toBe(false);
  });

  it('starts over after a pause', () => {
    const guard = new FrameRateGuard({ floorFps: 12, windowSeconds: 1, warmUpFrames: 0 });
    guard.frame(0);
    guard.frame(0.05);
    guard.restart();
    expect(guard.frame(100)).toBeNull(); // the paused minutes are not a slow frame
    expect(run({ frame: (t) => guard.frame(100 + t) }, 30).tooSlow).toBe(false);
  });

  it('refuses nonsense settings', () => {
    expect(() => new FrameRateGuard({ floorFps: 0 })).toThrow(RangeError);
  });
});

describe('a software-rendered model below the floor', () => {
  it('gives way to the procedural head, saying why', () => {
    const stage = { scene: { add: vi.fn(), remove: vi.fn() }, frame: vi.fn(), render: vi.fn(), resize: vi.fn(), dispose: vi.fn(), software: true };
    const model = { kind: 'valid', object: {}, channels: new Set(), applyChannels() {}, setHeadPose() {}, setGaze() {}, setBreath() {}, dispose: vi.fn() };
    const container = document.createElement('div');
    const avatar = new Avatar(container, stage, model, { reducedMotion: false, still: true });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    avatar.guard = new FrameRateGuard({ floorFps: 12, windowSeconds: 1, warmUpFrames: 0 });
    for (let i = 0; i < 20 && avatar.guard; i += 1) avatar.checkFrameRate(i / 5);
    expect(avatar.rig.kind).toBe('procedural');
    expect(model.dispose).toHaveBeenCalled();
    expect(stage.frame).toHaveBeenLastCalledWith(undefined); // the procedural head's framing again
    expect(avatar.loadError).toMatch(/ran at 5\.0 fps .*floor 12 fps/);
    expect(container.dataset.avatarError).toBe(avatar.loadError);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('showing the procedural head instead'));
    expect(avatar.guard).toBeNull();
    avatar.dispose();
    errors.mockRestore();
  });
});
