import { describe, expect, it } from 'vitest';
import { normaliseTrack, sampleVisemes, visemeAt } from '../src/avatar/visemeTrack.js';
import { ExpressionBlender } from '../src/avatar/expressionBlender.js';
import { IdleMotion, seededRandom } from '../src/avatar/idleMotion.js';
import { MorphBindings } from '../src/avatar/morphRig.js';
import { validateAvatarOptions } from '../src/avatar/facade.js';
import { vrmExpressionValues } from '../src/avatar/loaders/vrm.js';
import { EXPRESSIONS, EXPRESSION_CHANNELS, VISEMES } from '../src/avatar/vocabulary.js';

const track = normaliseTrack([{ t_ms: 100, viseme: 'aa' }, { t_ms: 0, viseme: 'sil' }, { t_ms: 250, viseme: 'O' }, { t_ms: 400, viseme: 'sil' }]);

describe('viseme track', () => {
  it('sorts entries and finds the viseme at a time', () => {
    expect(track.map((e) => e.t_ms)).toEqual([0, 100, 250, 400]);
    expect(visemeAt(track, 50)).toBe('sil');
    expect(visemeAt(track, 100)).toBe('aa');
    expect(visemeAt(track, 399)).toBe('O');
    expect(visemeAt(track, 10_000)).toBe('sil');
  });

  it('cross-fades from the previous viseme without anticipating the next', () => {
    expect(sampleVisemes(track, 90)).toEqual({});
    expect(sampleVisemes(track, 130, 60)).toEqual({ aa: 0.5 });
    const mid = sampleVisemes(track, 280, 60);
    expect(mid.O).toBeCloseTo(0.5);
    expect(mid.aa).toBeCloseTo(0.5);
    expect(sampleVisemes(track, 330, 60)).toEqual({ O: 1 });
  });

  it.each([
    [[{ t_ms: -1, viseme: 'aa' }]], [[{ t_ms: 0, viseme: 'xx' }]], [[null]], ['aa'], [[{ t_ms: NaN, viseme: 'aa' }]],
  ])('rejects a malformed timeline %j', (bad) => {
    expect(() => normaliseTrack(bad)).toThrow(TypeError);
  });
});

describe('expression blending', () => {
  it('blends in gradually, holds, and eases back to neutral', () => {
    const blender = new ExpressionBlender({ blendSeconds: 0.2 });
    blender.set('happy', 1, 1000, 0);
    const first = blender.update(0.016, 0.016).mouthSmileLeft;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(0.2);
    let weights;
    for (let t = 0.032; t < 0.9; t += 0.016) weights = blender.update(t, 0.016);
    expect(weights.mouthSmileLeft).toBeCloseTo(EXPRESSIONS.happy.channels.mouthSmileLeft, 1);
    expect(blender.activeName(0.5)).toBe('happy');
    for (let t = 1; t < 3; t += 0.016) weights = blender.update(t, 0.016);
    expect(blender.activeName(3)).toBe('neutral');
    expect(weights.mouthSmileLeft).toBeLessThan(0.01);
  });

  it('scales by intensity', () => {
    const blender = new ExpressionBlender({ blendSeconds: 0 });
    blender.set('concerned', 0.5, 5000, 0);
    expect(blender.update(0.1, 0.1).browInnerUp).toBeCloseTo(EXPRESSIONS.concerned.channels.browInnerUp * 0.5);
  });

  it.each([['grumpy', 1, 10], ['happy', 2, 10], ['happy', -0.1, 10], ['happy', 1, -5], ['happy', NaN, 1]])('rejects %s / %s / %s', (name, intensity, duration) => {
    expect(() => new ExpressionBlender().set(name, intensity, duration, 0)).toThrow(RangeError);
  });

  it('uses only known channels in every expression', () => {
    for (const expression of Object.values(EXPRESSIONS)) {
      for (const channel of Object.keys(expression.channels)) expect(EXPRESSION_CHANNELS).toContain(channel);
    }
  });
});

describe('idle motion', () => {
  it('blinks now and then and moves the head a little', () => {
    const idle = new IdleMotion({ random: seededRandom(3) });
    let blinked = false;
    let yaws = new Set();
    for (let t = 0; t < 10; t += 1 / 60) {
      const s = idle.update(t);
      blinked ||= s.blink > 0.5;
      yaws.add(Math.round(s.head.yaw * 1e4));
    }
    expect(blinked).toBe(true);
    expect(yaws.size).toBeGreaterThan(10);
  });

  it('keeps the head still in reduced motion, even while typing or gesturing', () => {
    const idle = new IdleMotion({ random: seededRandom(3), reducedMotion: true });
    idle.typing = true;
    idle.startGesture('nod', 1, 0);
    for (let t = 0; t < 5; t += 1 / 30) {
      const s = idle.update(t);
      expect(s.head).toEqual({ pitch: 0, yaw: 0, roll: 0 });
      expect(s.gaze).toEqual({ x: 0, y: 0 });
    }
  });

  it('nods while the customer types', () => {
    const idle = new IdleMotion({ random: seededRandom(1) });
    const still = [];
    const typing = [];
    for (let t = 0; t < 2; t += 1 / 60) still.push(idle.update(t).head.pitch);
    idle.typing = true;
    for (let t = 2; t < 4; t += 1 / 60) typing.push(idle.update(t).head.pitch);
    expect(Math.max(...typing)).toBeGreaterThan(Math.max(...still) + 0.02);
  });

  it('rejects unknown gestures', () => {
    expect(() => new IdleMotion().startGesture('wave', 1, 0)).toThrow(RangeError);
  });
});

describe('morph bindings', () => {
  it('drives every bound mesh and clamps to 0..1', () => {
    const mesh = { morphTargetDictionary: { jawOpen: 0, viseme_aa: 1, other: 2 }, morphTargetInfluences: [0, 0, 0.7] };
    const bindings = new MorphBindings();
    bindings.bindMesh(mesh, (name) => (name === 'other' ? null : name));
    bindings.apply({ jawOpen: 3, viseme_aa: -1 });
    expect(mesh.morphTargetInfluences).toEqual([1, 0, 0.7]);
    expect([...bindings.channels].sort()).toEqual(['jawOpen', 'viseme_aa']);
  });
});

describe('avatar options', () => {
  it('accepts the defaults', () => {
    expect(validateAvatarOptions({})).toMatchObject({ kind: 'procedural', reducedMotion: false, still: false });
  });

  it.each([
    [{ kind: 'fbx' }, /kind/], [{ kind: 'glb' }, /url/], [{ kind: 'vrm', url: '' }, /url/], [{ colour: 'red' }, /unknown avatar option "colour"/],
    [{ maxPixelRatio: 0 }, /maxPixelRatio/], [{ reducedMotion: 'yes' }, /reducedMotion/], [null, /object/],
  ])('rejects %j', (options, message) => {
    expect(() => validateAvatarOptions(options)).toThrow(message);
  });
});

describe('VRM mapping', () => {
  it('maps ARKit channels to presets and visemes to vowels', () => {
    const values = vrmExpressionValues({ mouthSmileLeft: 0.8, mouthSmileRight: 0.6, eyeBlinkLeft: 1, viseme_aa: 0.9, viseme_U: 0.5 });
    expect(values.happy).toBeCloseTo(0.7);
    expect(values.blinkLeft).toBe(1);
    expect(values.aa).toBeCloseTo(0.9);
    expect(values.ou).toBeCloseTo(0.5);
    expect(values.ee).toBe(0);
  });

  it('has a vowel mapping for every speaking viseme', async () => {
    const { VISEME_TO_VOWELS } = await import('../src/avatar/loaders/vrm.js');
    for (const viseme of VISEMES.filter((v) => v !== 'sil')) expect(VISEME_TO_VOWELS).toHaveProperty(viseme);
  });
});
