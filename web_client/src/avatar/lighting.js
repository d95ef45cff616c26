/**
 * The stage's light rig in one place: scene.js builds three.js lights from it, and the software
 * material (loaders/softwareMaterial.js) lights its vertices with the same values.
 */
export const LIGHTS = Object.freeze({
  hemisphere: { sky: 0xfff5ec, ground: 0x8a96ad, intensity: 1.7 },
  key: { color: 0xffeee0, intensity: 1.8, position: [-1.6, 1.8, 2.6] },
  rim: { color: 0xcfe3ff, intensity: 1.6, position: [1.2, 1.5, -2.5] },
});

/** Exposure of a realistic model's frame (ACES filmic tone mapping, scene.js frame()). */
export const MODEL_EXPOSURE = 1.1;
