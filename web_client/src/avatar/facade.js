/**
 * The avatar facade: one small API over every avatar kind (the procedural head built in code, GLB
 * models driven through a mapping file — realistic VALID humans, ARKit + Oculus morph targets —
 * and VRM 0.x/1.0). Verb pairs: speak / stopSpeaking, setExpression, setViseme, dispose.
 *
 * Loading is progressive: the procedural head shows at once and a model file loads behind it, then
 * takes its place (`ready` settles when it did or failed). A file that cannot be shown (wrong
 * format, over the size limit, missing what its mapping needs) leaves the procedural head in place,
 * with the reason in the console, in `loadError` and on the host element (`data-avatar-error`).
 * Under software WebGL (no GPU) a model loads in its software profile (loaders/softwareProfile.js);
 * if it still runs below the frame-rate floor (frameRateGuard.js) the procedural head comes back,
 * with the reason given the same way.
 *
 * @typedef {Object} AvatarRig  what a loader returns
 * @property {string} kind
 * @property {import('three').Object3D} object
 * @property {Set<string>} channels  channel names it can show
 * @property {(weights: Record<string, number>) => void} applyChannels
 * @property {(pose: {pitch: number, yaw: number, roll: number}) => void} setHeadPose
 * @property {(x: number, y: number) => void} setGaze
 * @property {(breath: number, lean: number) => void} setBreath
 * @property {(dt: number) => void} [update]
 * @property {{target: import('three').Vector3, height: number}|null} [portrait]  head-and-shoulders framing
 * @property {() => Record<string, number>} [morphValues]  the model's own target values (tests)
 * @property {() => void} dispose
 *
 * @typedef {Object} AvatarOptions
 * @property {'procedural'|'glb'|'vrm'} [kind='procedural']
 * @property {string} [url]            model URL (required for glb and vrm)
 * @property {'valid'|'arkit'} [family='arkit']  the mapping file of a glb (mappings/<family>.json)
 * @property {number} [maxBytes=8 MiB] larger model files are refused
 * @property {boolean} [allowSoftware=false] under software WebGL, keep the model even when it runs
 *   below the frame-rate floor (tests, benchmark); without it a slow model gives way to the procedural head
 * @property {boolean} [reducedMotion=false]  calmer: no head motion, nods or saccades
 * @property {boolean} [still=false]   no idle motion at all (reference screenshots)
 * @property {number} [maxPixelRatio=1.5]
 * @property {() => number} [random]   random source of the idle motion
 *
 * @typedef {Object} ExpressionOptions
 * @property {number} [intensity=1]    0..1
 * @property {number} [durationMs=Infinity] hold time, then ease back to neutral
 */
import { createStage } from './scene.js';
import { createProceduralAvatar } from './procedural.js';
import { ExpressionBlender } from './expressionBlender.js';
import { IdleMotion } from './idleMotion.js';
import { FrameRateGuard } from './frameRateGuard.js';
import { normaliseTrack, sampleVisemes, visemeAt } from './visemeTrack.js';
import { EXPRESSIONS, EXPRESSION_NAMES, GESTURES, VISEMES, visemeChannel } from './vocabulary.js';

const KINDS = ['procedural', 'glb', 'vrm'];
const FAMILIES = ['valid', 'arkit'];
const OPTION_KEYS = new Set(['kind', 'url', 'family', 'maxBytes', 'allowSoftware', 'reducedMotion', 'still', 'maxPixelRatio', 'random']);
// Below this the GPU is too weak for a realistic model's textures: the procedural head stays.
const MIN_TEXTURE_SIZE = 4096;

/** Checks avatar options; throws a TypeError naming the bad option. */
export function validateAvatarOptions(options = {}) {
  if (typeof options !== 'object' || options === null) throw new TypeError('avatar options must be an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`unknown avatar option "${key}" (known: ${[...OPTION_KEYS].join(', ')})`);
  }
  const kind = options.kind ?? 'procedural';
  if (!KINDS.includes(kind)) throw new TypeError(`avatar kind must be one of ${KINDS.join(', ')}, not "${kind}"`);
  if (kind !== 'procedural' && (typeof options.url !== 'string' || !options.url)) throw new TypeError(`a ${kind} avatar needs a "url"`);
  if (options.maxPixelRatio !== undefined && !(options.maxPixelRatio > 0)) throw new TypeError('maxPixelRatio must be a positive number');
  const family = options.family ?? 'arkit';
  if (!FAMILIES.includes(family)) throw new TypeError(`family must be one of ${FAMILIES.join(', ')}, not "${family}"`);
  if (options.maxBytes !== undefined && !(Number.isInteger(options.maxBytes) && options.maxBytes > 0)) throw new TypeError('maxBytes must be a positive integer');
  for (const flag of ['reducedMotion', 'still']) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') throw new TypeError(`${flag} must be a boolean`);
  }
  return { kind, url: options.url, family, maxBytes: options.maxBytes ?? 8 * 1024 * 1024, allowSoftware: !!options.allowSoftware, reducedMotion: !!options.reducedMotion, still: !!options.still, maxPixelRatio: options.maxPixelRatio ?? 1.5, random: options.random };
}

async function loadModelRig({ kind, url, family, maxBytes }, software) {
  if (kind === 'glb') return (await import('./loaders/gltf.js')).loadGlbAvatar(url, { family, maxBytes, software });
  return (await import('./loaders/vrm.js')).loadVrmAvatar(url, { maxBytes });
}

/**
 * Creates an avatar inside `container`: the procedural head at once, a model file (if any) behind
 * it. Throws WebGLUnavailableError without WebGL.
 * @param {HTMLElement} container
 * @param {AvatarOptions} [options]
 */
export async function createAvatar(container, options = {}) {
  const settings = validateAvatarOptions(options);
  const stage = createStage(container, { ...settings, antialias: settings.kind !== 'procedural' });
  const rig = createProceduralAvatar();
  stage.scene.add(rig.object);
  const avatar = new Avatar(container, stage, rig, settings);
  if (settings.kind !== 'procedural') avatar.ready = avatar.loadModel(settings);
  return avatar;
}

export class Avatar {
  constructor(container, stage, rig, settings) {
    this.container = container;
    this.stage = stage;
    this.rig = rig;
    this.expressions = new ExpressionBlender({ blendSeconds: settings.reducedMotion ? 0.35 : 0.2 });
    this.idle = new IdleMotion({ random: settings.random, reducedMotion: settings.reducedMotion, still: settings.still });
    this.speech = null; // {track, clock}
    this.manualViseme = null;
    this.frames = 0;
    this.visible = true;
    this.disposed = false;
    this.weights = {}; // the render loop's scratch object, reused every frame
    this.headPose = { pitch: 0, yaw: 0, roll: 0 };
    this.lastViseme = 'sil';
    this.started = performance.now() / 1000;
    this.lastFrame = this.started;
    this.frameHandle = 0;
    this.onVisibility = () => this.updateRunning();
    container.ownerDocument.addEventListener('visibilitychange', this.onVisibility);
    if (typeof IntersectionObserver !== 'undefined') {
      this.observer = new IntersectionObserver((entries) => {
        this.visible = entries.some((entry) => entry.isIntersecting);
        this.updateRunning();
      });
      this.observer.observe(container);
    }
    if (typeof ResizeObserver !== 'undefined') {
      this.resizer = new ResizeObserver(() => stage.resize());
      this.resizer.observe(container);
    }
    if (settings.still) this.expressions.settle(0);
    this.tick = this.tick.bind(this);
    this.ready = Promise.resolve();
    this.loading = false;
    this.loadError = null;
    this.guard = null; // a FrameRateGuard while a software-rendered model proves its frame rate
    this.updateRunning();
  }

  /** Loads a model file behind the procedural head and swaps it in; never rejects. */
  async loadModel(settings) {
    this.loading = true;
    try {
      if (this.stage.renderer.capabilities.maxTextureSize < MIN_TEXTURE_SIZE) throw new Error("this device's WebGL is too weak for the realistic avatar");
      const rig = await loadModelRig(settings, this.stage.software);
      if (this.disposed) { rig.dispose(); return; }
      this.replaceRig(rig);
      // Software WebGL runs the slimmed model (loaders/softwareProfile.js); a CPU too slow even for
      // that gets the procedural head back.
      if (this.stage.software && !settings.allowSoftware) this.guard = new FrameRateGuard();
    } catch (error) {
      this.showLoadError(String(error.message || error));
    } finally {
      this.loading = false;
    }
  }

  showLoadError(reason) {
    this.loadError = reason;
    this.container.dataset.avatarError = reason;
    console.error(`avatar: ${reason}; showing the procedural head instead`);
  }

  /** The frame-rate guard's verdict: a model below the floor gives way to the procedural head. */
  checkFrameRate(now) {
    const { floorFps } = this.guard;
    const verdict = this.guard.frame(now);
    if (!verdict) return;
    this.guard = null;
    if (!verdict.tooSlow) return;
    this.replaceRig(createProceduralAvatar());
    this.showLoadError(`the realistic avatar ran at ${verdict.fps.toFixed(1)} fps here (software WebGL, floor ${floorFps} fps)`);
  }

  replaceRig(rig) {
    this.stage.scene.remove(this.rig.object);
    this.rig.dispose();
    this.rig = rig;
    this.stage.scene.add(rig.object);
    this.stage.frame(rig.portrait);
    this.update(this.now, 0);
  }

  get now() { return performance.now() / 1000 - this.started; }

  /** Renders only while the page and the avatar are visible. */
  updateRunning() {
    const shouldRun = !this.disposed && this.visible && this.container.ownerDocument.visibilityState !== 'hidden';
    if (shouldRun && !this.frameHandle) {
      this.lastFrame = performance.now() / 1000;
      this.frameHandle = requestAnimationFrame(this.tick);
    } else if (!shouldRun && this.frameHandle) {
      cancelAnimationFrame(this.frameHandle);
      this.frameHandle = 0;
      this.guard?.restart(); // a pause is no slow frame
    }
  }

  get running() { return this.frameHandle !== 0; }

  /**
   * Shows an expression; it blends in, holds for durationMs and eases back to neutral.
   * @param {string} name
   * @param {ExpressionOptions} [options]
   */
  setExpression(name, { intensity = 1, durationMs = Infinity } = {}) {
    this.expressions.set(name, intensity, durationMs, this.now);
    if (this.idle.still) this.expressions.settle(this.now);
  }

  /** Plays a gesture from the protocol (ignored in reduced motion). */
  gesture(name, intensity = 0.5) {
    if (!GESTURES.includes(name)) throw new RangeError(`unknown gesture "${name}"`);
    this.idle.startGesture(name, intensity, this.now);
  }

  /**
   * Drives the mouth from a viseme timeline against a clock (ms into the audio). Replaces any
   * speech in progress.
   * @param {Array<{t_ms: number, viseme: string}>} visemes
   * @param {() => number} clock
   */
  speak(visemes, clock) {
    if (typeof clock !== 'function') throw new TypeError('speak needs a clock function returning ms');
    this.speech = { track: normaliseTrack(visemes), clock };
  }

  /** Stops lip movement at once (interrupted or finished speech). */
  stopSpeaking() {
    this.speech = null;
  }

  /** Holds one viseme (or null to release): for previews and tests. */
  setViseme(name) {
    if (name !== null && !VISEMES.includes(name)) throw new RangeError(`unknown viseme "${name}"`);
    this.manualViseme = name;
  }

  /** The customer is typing: the avatar nods along (not in reduced motion). */
  setTyping(active) { this.idle.typing = !!active; }

  tick() {
    this.frameHandle = 0;
    if (this.disposed) return;
    const nowAbs = performance.now() / 1000;
    const dt = Math.min(0.1, nowAbs - this.lastFrame);
    this.lastFrame = nowAbs;
    this.update(this.now, dt);
    this.stage.render();
    this.frames += 1;
    if (this.guard) this.checkFrameRate(nowAbs);
    this.updateRunning();
  }

  update(t, dt) {
    const weights = this.weights;
    for (const key of Object.keys(weights)) weights[key] = 0;
    Object.assign(weights, this.expressions.update(t, dt));
    const idle = this.idle.update(t);
    weights.eyeBlinkLeft = Math.min(1, (weights.eyeBlinkLeft || 0) + idle.blink);
    weights.eyeBlinkRight = Math.min(1, (weights.eyeBlinkRight || 0) + idle.blink);
    let visemes = null;
    this.lastViseme = 'sil';
    if (this.manualViseme) {
      visemes = { [this.manualViseme]: 1 };
      this.lastViseme = this.manualViseme;
    } else if (this.speech) {
      const ms = this.speech.clock();
      if (ms === null || ms === undefined) this.speech = null;
      else {
        visemes = sampleVisemes(this.speech.track, ms);
        this.lastViseme = visemeAt(this.speech.track, ms);
      }
    }
    if (visemes) {
      // Speaking relaxes the expression's mouth so the visemes read clearly.
      for (const key of ['mouthPressLeft', 'mouthPressRight', 'mouthPucker', 'mouthFunnel', 'jawOpen']) weights[key] = (weights[key] || 0) * 0.3;
      for (const [viseme, value] of Object.entries(visemes)) weights[visemeChannel(viseme)] = value;
    }
    this.rig.applyChannels(weights);
    const expressionHead = this.expressions.head;
    this.headPose.pitch = expressionHead.pitch + idle.head.pitch;
    this.headPose.yaw = idle.head.yaw;
    this.headPose.roll = expressionHead.roll + idle.head.roll;
    this.rig.setHeadPose(this.headPose);
    this.rig.setGaze(idle.gaze.x, idle.gaze.y);
    this.rig.setBreath(idle.breath, idle.lean);
    this.rig.update?.(dt);
  }

  /**
   * Frame cost for the benchmark: renders `count` frames back to back, each waited for with a
   * one-pixel read-back (so software WebGL's raster time is included), and returns their ms.
   * The display's refresh rate caps requestAnimationFrame, so rAF intervals cannot show it.
   */
  measureFrameTimes(count = 100) {
    const gl = this.stage.renderer.getContext();
    const pixel = new Uint8Array(4);
    const times = [];
    for (let i = 0; i < count; i += 1) {
      const start = performance.now();
      this.update(this.now, 1 / 60);
      this.stage.render();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
      times.push(performance.now() - start);
    }
    return times;
  }

  /** A read-only snapshot for tests and diagnostics. */
  snapshot() {
    const weights = {};
    for (const [key, value] of Object.entries(this.weights)) if (value > 0.001) weights[key] = Math.round(value * 1000) / 1000;
    return {
      renderer: 'webgl', kind: this.rig.kind, channels: [...this.rig.channels].sort(), expression: this.expressions.activeName(this.now),
      weights, viseme: this.lastViseme, speaking: !!this.speech, frames: this.frames, running: this.running,
      reducedMotion: this.idle.reducedMotion, head: { ...this.headPose }, typing: this.idle.typing,
      loading: this.loading, loadError: this.loadError, quality: this.stage.software ? 'software' : 'full',
    };
  }

  dispose() {
    this.disposed = true;
    this.updateRunning();
    this.container.ownerDocument.removeEventListener('visibilitychange', this.onVisibility);
    this.observer?.disconnect();
    this.resizer?.disconnect();
    this.stage.scene.remove(this.rig.object);
    this.rig.dispose();
    this.stage.dispose();
  }
}

export { EXPRESSION_NAMES, EXPRESSIONS };
