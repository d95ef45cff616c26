/**
 * Life when nobody speaks: blinks, small saccades around the user's face, breathing, a slow drift
 * of the head, a nod while the customer types, and the bridge's gestures. Reduced motion keeps
 * blinks and a calm breath but no head motion, nods or saccades. `still` freezes everything
 * (reference screenshots, the benchmark's steady state is NOT still).
 */

/** Small seeded PRNG so tests can reproduce a sequence. */
export function seededRandom(seed = 1) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GESTURE_SHAPES = {
  // duration (s) and the pose offset as a function of phase 0..1
  nod: { duration: 0.9, pose: (p) => ({ pitch: 0.09 * Math.sin(p * Math.PI * 2) * (1 - p), yaw: 0, roll: 0, lean: 0 }) },
  slow_nod: { duration: 1.6, pose: (p) => ({ pitch: 0.08 * Math.sin(p * Math.PI), yaw: 0, roll: 0, lean: 0 }) },
  head_tilt: { duration: 2.2, pose: (p) => ({ pitch: 0, yaw: 0, roll: 0.1 * Math.sin(p * Math.PI), lean: 0 }) },
  lean_in: { duration: 2.4, pose: (p) => ({ pitch: 0.03 * Math.sin(p * Math.PI), yaw: 0, roll: 0, lean: 0.06 * Math.sin(p * Math.PI) }) },
  open_palms: { duration: 1.8, pose: (p) => ({ pitch: -0.03 * Math.sin(p * Math.PI), yaw: 0, roll: 0, lean: -0.03 * Math.sin(p * Math.PI) }) },
};

export class IdleMotion {
  /** @param {{random?: () => number, reducedMotion?: boolean, still?: boolean}} [options] */
  constructor({ random = Math.random, reducedMotion = false, still = false } = {}) {
    this.random = random;
    this.reducedMotion = reducedMotion;
    this.still = still;
    this.typing = false;
    this.nextBlink = 1 + random() * 3;
    this.blinkStart = -1;
    this.nextSaccade = 0.8;
    this.gazeTarget = { x: 0, y: 0 };
    this.gesture = null;
    this.state = { blink: 0, gaze: { x: 0, y: 0 }, head: { pitch: 0, yaw: 0, roll: 0 }, breath: 0, lean: 0 };
  }

  /** @param {string} name a GESTURES name; ignored in reduced motion */
  startGesture(name, intensity, nowSeconds) {
    if (!GESTURE_SHAPES[name]) throw new RangeError(`unknown gesture "${name}"`);
    if (this.reducedMotion || this.still) return;
    this.gesture = { shape: GESTURE_SHAPES[name], start: nowSeconds, intensity };
  }

  update(t) {
    const s = this.state;
    if (this.still) {
      s.blink = 0; s.gaze.x = 0; s.gaze.y = 0; s.breath = 0; s.lean = 0;
      s.head.pitch = 0; s.head.yaw = 0; s.head.roll = 0;
      return s;
    }
    // Blinks: 150 ms close-open every 2-6 s (sometimes a double blink).
    if (t >= this.nextBlink && this.blinkStart < 0) { this.blinkStart = t; }
    if (this.blinkStart >= 0) {
      const p = (t - this.blinkStart) / 0.16;
      s.blink = p < 0.5 ? p * 2 : Math.max(0, 2 - p * 2);
      if (p >= 1) {
        this.blinkStart = -1;
        this.nextBlink = t + (this.random() < 0.15 ? 0.25 : 2 + this.random() * 4);
        s.blink = 0;
      }
    }
    s.breath = Math.sin(t * Math.PI * 2 * 0.22) * (this.reducedMotion ? 0.4 : 1);
    if (this.reducedMotion) {
      s.gaze.x = 0; s.gaze.y = 0; s.lean = 0;
      s.head.pitch = 0; s.head.yaw = 0; s.head.roll = 0;
      return s;
    }
    // Saccades: quick jumps to points around the user's face, then hold.
    if (t >= this.nextSaccade) {
      this.gazeTarget.x = (this.random() - 0.5) * 0.12;
      this.gazeTarget.y = (this.random() - 0.5) * 0.07;
      this.nextSaccade = t + 0.6 + this.random() * 2.2;
    }
    s.gaze.x += (this.gazeTarget.x - s.gaze.x) * 0.5;
    s.gaze.y += (this.gazeTarget.y - s.gaze.y) * 0.5;
    // Slow head drift: sums of incommensurate sines, a few degrees at most.
    s.head.pitch = 0.018 * Math.sin(t * 0.53) + 0.008 * Math.sin(t * 1.31);
    s.head.yaw = 0.03 * Math.sin(t * 0.37) + 0.01 * Math.sin(t * 0.91);
    s.head.roll = 0.015 * Math.sin(t * 0.29 + 1.3);
    s.lean = 0;
    if (this.typing) s.head.pitch += 0.045 * Math.max(0, Math.sin(t * Math.PI * 2 * 0.9));
    if (this.gesture) {
      const p = (t - this.gesture.start) / this.gesture.shape.duration;
      if (p >= 1) this.gesture = null;
      else {
        const pose = this.gesture.shape.pose(p);
        const k = 0.5 + this.gesture.intensity;
        s.head.pitch += pose.pitch * k; s.head.yaw += pose.yaw * k; s.head.roll += pose.roll * k; s.lean += pose.lean * k;
      }
    }
    return s;
  }
}
