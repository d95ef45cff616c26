/**
 * The stage's light rig and portrait camera in one place: scene.js builds the three.js lights and
 * camera from them; the software profile (loaders/softwareProfile.js, softwareMaterial.js) lights
 * its vertices with the same values and knows where the camera stands.
 */
export const LIGHTS = Object.freeze({
  hemisphere: { sky: 0xfff5ec, ground: 0x8a96ad, intensity: 1.7 },
  key: { color: 0xffeee0, intensity: 1.8, position: [-1.6, 1.8, 2.6] },
  rim: { color: 0xcfe3ff, intensity: 1.6, position: [1.2, 1.5, -2.5] },
});

/** Exposure of a realistic model's frame (ACES filmic tone mapping, scene.js frame()). */
export const MODEL_EXPOSURE = 1.1;

/** Vertical field of view (degrees) of the camera on a square or wide stage. */
export const PORTRAIT_FOV = 24;

/** How far above a model's portrait target the camera stands (metres). */
export const PORTRAIT_RISE = 0.02;
