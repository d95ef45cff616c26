/**
 * VRM 0.x / 1.0 avatars through @pixiv/three-vrm. ARKit channels map to VRM's preset expressions
 * (happy, sad, angry, surprised, relaxed, blinks) and the Oculus visemes to its five vowels; a VRM
 * that carries ARKit-named custom expressions ("perfect sync") gets those channels directly.
 */
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { VRMLoaderPlugin, VRMUtils } from '@pixiv/three-vrm';
import { EXPRESSION_CHANNELS } from '../vocabulary.js';

// Oculus viseme → VRM vowel weights.
export const VISEME_TO_VOWELS = {
  PP: {}, FF: { ih: 0.2 }, TH: { ih: 0.3 }, DD: { ih: 0.3 }, kk: { aa: 0.3 }, CH: { ou: 0.4 },
  SS: { ih: 0.4 }, nn: { ih: 0.2 }, RR: { ou: 0.4 }, aa: { aa: 1 }, E: { ee: 1 }, I: { ih: 1 },
  O: { oh: 1 }, U: { ou: 1 },
};

const avg = (w, a, b) => ((w[a] || 0) + (w[b] || 0)) / 2;

/** The VRM expression values for a set of channel weights (pure; exported for tests). */
export function vrmExpressionValues(weights, customNames = new Set()) {
  const values = {
    happy: avg(weights, 'mouthSmileLeft', 'mouthSmileRight'),
    sad: Math.max(avg(weights, 'mouthFrownLeft', 'mouthFrownRight'), 0.5 * (weights.browInnerUp || 0)),
    angry: avg(weights, 'browDownLeft', 'browDownRight') * 0.6,
    surprised: avg(weights, 'eyeWideLeft', 'eyeWideRight'),
    relaxed: avg(weights, 'eyeSquintLeft', 'eyeSquintRight') * 0.5,
    blinkLeft: weights.eyeBlinkLeft || 0,
    blinkRight: weights.eyeBlinkRight || 0,
    aa: 0, ih: 0, ou: 0, ee: 0, oh: 0,
  };
  for (const [viseme, vowels] of Object.entries(VISEME_TO_VOWELS)) {
    const w = weights[`viseme_${viseme}`] || 0;
    if (!w) continue;
    for (const [vowel, share] of Object.entries(vowels)) values[vowel] = Math.max(values[vowel], w * share);
  }
  for (const name of customNames) values[name] = weights[name] || 0;
  return values;
}

export async function loadVrmAvatar(url) {
  const loader = new GLTFLoader();
  loader.register((parser) => new VRMLoaderPlugin(parser));
  const gltf = await loader.loadAsync(url);
  const vrm = gltf.userData.vrm;
  if (!vrm) throw new Error('this file is not a VRM model');
  VRMUtils.rotateVRM0(vrm);
  const manager = vrm.expressionManager;
  const present = new Set(Object.keys(manager?.expressionMap || {}));
  const custom = new Set(EXPRESSION_CHANNELS.filter((name) => present.has(name)));
  const head = vrm.humanoid?.getNormalizedBoneNode('head');
  const chest = vrm.humanoid?.getNormalizedBoneNode('chest');
  const leftEye = vrm.humanoid?.getNormalizedBoneNode('leftEye');
  const rightEye = vrm.humanoid?.getNormalizedBoneNode('rightEye');
  return {
    kind: 'vrm',
    object: vrm.scene,
    channels: new Set([...EXPRESSION_CHANNELS, ...Object.keys(VISEME_TO_VOWELS).map((v) => `viseme_${v}`)]),
    applyChannels(weights) {
      if (!manager) return;
      for (const [name, value] of Object.entries(vrmExpressionValues(weights, custom))) {
        if (present.has(name)) manager.setValue(name, Math.min(1, value));
      }
    },
    setHeadPose({ pitch, yaw, roll }) { head?.rotation.set(pitch, yaw, roll); },
    setGaze(x, y) { for (const eye of [leftEye, rightEye]) eye?.rotation.set(-y, x, 0); },
    setBreath(breath) { chest?.scale.set(1, 1 + 0.006 * breath, 1); },
    update(dt) { vrm.update(dt); },
    dispose() { VRMUtils.deepDispose(vrm.scene); },
  };
}
