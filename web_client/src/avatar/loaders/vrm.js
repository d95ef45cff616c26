/**
 * VRM 0.x / 1.0 avatars through @pixiv/three-vrm, driven through mappings/vrm.json: the
 * vocabulary's channels mix into VRM's preset expressions (happy, sad, angry, surprised, relaxed,
 * blinks) and its five vowels; a VRM that carries ARKit-named custom expressions ("perfect sync")
 * gets those channels directly.
 */
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { VRMLoaderPlugin, VRMUtils } from '@pixiv/three-vrm';
import { ChannelMixer } from '../channelMix.js';
import { assertMappingFits } from '../mappingValidator.js';
import { mappingFor } from '../mappings/index.js';
import { EXPRESSION_CHANNELS, VISEMES, visemeChannel } from '../vocabulary.js';
import { DEFAULT_MAX_BYTES } from './gltf.js';
import { fetchModel } from './glbFile.js';

const MAPPING = mappingFor('vrm');

/** Oculus viseme → VRM vowel weights (from the mapping file). */
export const VISEME_TO_VOWELS = Object.fromEntries(VISEMES.filter((v) => v !== 'sil').map((v) => [v, MAPPING.channels[visemeChannel(v)]]));

/** The VRM expression values for a set of channel weights (pure; exported for tests). */
export function vrmExpressionValues(weights, customNames = new Set(), mixer = new ChannelMixer(MAPPING.channels)) {
  const values = mixer.mixNamed(weights);
  for (const name of customNames) values[name] = Math.min(1, weights[name] || 0);
  return values;
}

export async function loadVrmAvatar(url, { maxBytes = DEFAULT_MAX_BYTES } = {}) {
  const buffer = await fetchModel(url, maxBytes);
  const loader = new GLTFLoader();
  loader.register((parser) => new VRMLoaderPlugin(parser));
  const gltf = await loader.parseAsync(buffer, new URL('.', new URL(url, globalThis.location?.href)).href);
  const vrm = gltf.userData.vrm;
  if (!vrm) throw new Error('this file is not a VRM model');
  VRMUtils.rotateVRM0(vrm);
  const manager = vrm.expressionManager;
  const present = new Set(Object.keys(manager?.expressionMap || {}));
  const bones = new Set(Object.keys(MAPPING.joints).filter((role) => vrm.humanoid?.getNormalizedBoneNode(MAPPING.joints[role])).map((role) => MAPPING.joints[role]));
  assertMappingFits(MAPPING, { morphs: present, joints: bones }, `avatar file ${url}`);
  const custom = new Set(EXPRESSION_CHANNELS.filter((name) => present.has(name)));
  const mixer = new ChannelMixer(MAPPING.channels);
  const bone = (role) => vrm.humanoid?.getNormalizedBoneNode(MAPPING.joints[role]);
  const [head, chest, leftEye, rightEye] = ['head', 'chest', 'leftEye', 'rightEye'].map(bone);
  return {
    kind: 'vrm',
    object: vrm.scene,
    portrait: null,
    channels: new Set([...EXPRESSION_CHANNELS, ...VISEMES.map(visemeChannel)]),
    applyChannels(weights) {
      if (!manager) return;
      for (const [name, value] of Object.entries(vrmExpressionValues(weights, custom, mixer))) {
        if (present.has(name)) manager.setValue(name, value);
      }
    },
    setHeadPose({ pitch, yaw, roll }) { head?.rotation.set(pitch, yaw, roll); },
    setGaze(x, y) { for (const eye of [leftEye, rightEye]) eye?.rotation.set(-y, x, 0); },
    setBreath(breath) { chest?.scale.set(1, 1 + 0.006 * breath, 1); },
    update(dt) { vrm.update(dt); },
    dispose() { VRMUtils.deepDispose(vrm.scene); },
  };
}
