/**
 * The safety net of the software profile: after a realistic model is swapped in, it watches the
 * delivered frame rate for a while; if it stays below a floor (a slow CPU rendering in software),
 * the caller falls back to the procedural head. Only running time counts: a hidden page's pause
 * starts the window again.
 */
export class FrameRateGuard {
  /**
   * @param {{floorFps?: number, windowSeconds?: number, warmUpFrames?: number}} [options]
   *   warmUpFrames: frames not counted (the first ones compile shaders and upload textures)
   */
  constructor({ floorFps = 12, windowSeconds = 2, warmUpFrames = 5 } = {}) {
    if (!(floorFps > 0) || !(windowSeconds > 0)) throw new RangeError('floorFps and windowSeconds must be positive');
    this.floorFps = floorFps;
    this.windowSeconds = windowSeconds;
    this.warmUpFrames = warmUpFrames;
    this.restart();
  }

  /** Forgets what was measured (after a pause). */
  restart() {
    this.seen = 0;
    this.start = null;
    this.frames = 0;
  }

  /**
   * Counts a rendered frame at `now` (seconds). Returns null while measuring, then the verdict
   * once: {fps, tooSlow}.
   */
  frame(now) {
    this.seen += 1;
    if (this.seen <= this.warmUpFrames) return null;
    if (this.start === null) { this.start = now; return null; }
    this.frames += 1;
    const elapsed = now - this.start;
    if (elapsed < this.windowSeconds) return null;
    const fps = this.frames / elapsed;
    return { fps, tooSlow: fps < this.floorFps };
  }
}
