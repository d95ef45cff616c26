/**
 * A simple energy voice-activity detector: speech starts when a frame's level stays this far above
 * the running noise floor for `onsetMs`, and ends after `hangoverMs` below it. Pure (no audio API),
 * so it runs the same in the capture callback and in the tests.
 */

/**
 * @typedef {Object} VadOptions
 * @property {number} [marginDb=12]    how far above the noise floor counts as speech
 * @property {number} [minLevelDb=-50] frames quieter than this are never speech
 * @property {number} [onsetMs=90]     speech this long starts an utterance (barge-in fires then)
 * @property {number} [hangoverMs=700] silence this long ends it
 */
export class EnergyVad {
  /** @param {VadOptions} [options] */
  constructor({ marginDb = 12, minLevelDb = -50, onsetMs = 90, hangoverMs = 700 } = {}) {
    if (!(onsetMs > 0 && hangoverMs > 0)) throw new RangeError('onsetMs and hangoverMs must be positive');
    Object.assign(this, { marginDb, minLevelDb, onsetMs, hangoverMs });
    this.floorDb = -60;
    this.speaking = false;
    this.aboveMs = 0;
    this.belowMs = 0;
  }

  /**
   * Feeds one frame of samples (-1..1); returns 'onset', 'offset' or null.
   * @param {Float32Array} samples
   * @param {number} sampleRate
   */
  push(samples, sampleRate) {
    const ms = (samples.length / sampleRate) * 1000;
    const level = levelDb(samples);
    const loud = level >= this.minLevelDb && level >= this.floorDb + this.marginDb;
    if (!loud) this.floorDb += (level - this.floorDb) * (level < this.floorDb ? 0.5 : 0.05); // track the room's noise
    if (loud) { this.aboveMs += ms; this.belowMs = 0; } else { this.belowMs += ms; this.aboveMs = 0; }
    if (!this.speaking && this.aboveMs >= this.onsetMs) { this.speaking = true; return 'onset'; }
    if (this.speaking && this.belowMs >= this.hangoverMs) { this.speaking = false; return 'offset'; }
    return null;
  }
}

/** RMS level in dBFS (-Infinity for silence clamped to -120). */
export function levelDb(samples) {
  let sum = 0;
  for (let i = 0; i < samples.length; i += 1) sum += samples[i] * samples[i];
  const rms = Math.sqrt(sum / Math.max(samples.length, 1));
  return rms > 0 ? Math.max(20 * Math.log10(rms), -120) : -120;
}
