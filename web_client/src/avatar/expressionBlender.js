/**
 * Expression blending: the requested expression (scaled by intensity) is held for its duration,
 * then eases back to neutral; every channel moves toward its target with exponential smoothing,
 * so changes blend in and out instead of jumping.
 */
import { EXPRESSIONS, EXPRESSION_NAMES } from './vocabulary.js';

export class ExpressionBlender {
  /** @param {{blendSeconds?: number}} [options] time constant of the blend */
  constructor({ blendSeconds = 0.2 } = {}) {
    this.blendSeconds = blendSeconds;
    this.name = 'neutral';
    this.intensity = 0;
    this.until = Infinity;
    /** @type {Record<string, number>} */
    this.weights = {};
    this.head = { pitch: 0, roll: 0 };
  }

  /**
   * @param {string} name one of EXPRESSION_NAMES
   * @param {number} intensity 0..1
   * @param {number} durationMs how long to hold it (Infinity: until the next call)
   * @param {number} nowSeconds
   */
  set(name, intensity, durationMs, nowSeconds) {
    if (!EXPRESSIONS[name]) throw new RangeError(`unknown expression "${name}" (known: ${EXPRESSION_NAMES.join(', ')})`);
    if (!(intensity >= 0 && intensity <= 1)) throw new RangeError('intensity must be between 0 and 1');
    if (!(durationMs >= 0)) throw new RangeError('durationMs must be >= 0');
    this.name = name;
    this.intensity = intensity;
    this.until = nowSeconds + durationMs / 1000;
  }

  /** The expression currently aimed at (neutral once the hold time is over). */
  activeName(nowSeconds) {
    return nowSeconds < this.until ? this.name : 'neutral';
  }

  /** Advances the blend by `dt` seconds; returns the smoothed channel weights (same object each time). */
  update(nowSeconds, dt) {
    const name = this.activeName(nowSeconds);
    const target = EXPRESSIONS[name];
    const scale = name === 'neutral' ? 0 : this.intensity;
    const alpha = this.blendSeconds > 0 ? 1 - Math.exp(-dt / this.blendSeconds) : 1;
    for (const channel of Object.keys(this.weights)) {
      if (!(channel in target.channels)) this.weights[channel] += (0 - this.weights[channel]) * alpha;
    }
    for (const [channel, value] of Object.entries(target.channels)) {
      const current = this.weights[channel] || 0;
      this.weights[channel] = current + (value * scale - current) * alpha;
    }
    this.head.pitch += (target.head.pitch * scale - this.head.pitch) * alpha;
    this.head.roll += (target.head.roll * scale - this.head.roll) * alpha;
    return this.weights;
  }

  /** Jumps straight to the target (still poses, screenshots). */
  settle(nowSeconds) {
    const saved = this.blendSeconds;
    this.blendSeconds = 0;
    this.update(nowSeconds, 1);
    this.blendSeconds = saved;
  }
}
