/**
 * GLB avatars with ARKit blend shapes and Oculus visemes (`viseme_aa` ...), the format of common
 * avatar services and of the TalkingHead library. Morph targets bind by name; the head, neck and
 * eye bones (if present) take the head pose and gaze.
 */
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { MorphBindings } from '../morphRig.js';
import { EXPRESSION_CHANNELS, VISEMES, visemeChannel } from '../vocabulary.js';

const KNOWN_CHANNELS = new Set([...EXPRESSION_CHANNELS, ...VISEMES.map(visemeChannel)]);

function findBone(root, names) {
  let found = null;
  root.traverse((node) => { if (!found && names.includes(node.name)) found = node; });
  return found;
}

/** Builds a rig from a loaded glTF scene (exported for tests that build scenes in code). */
export function rigFromScene(scene, kind = 'glb') {
  const bindings = new MorphBindings();
  scene.traverse((node) => {
    if (node.isMesh && node.morphTargetDictionary) bindings.bindMesh(node, (name) => (KNOWN_CHANNELS.has(name) ? name : null));
  });
  if (!bindings.channels.size) throw new Error('this GLB has no ARKit or Oculus viseme morph targets');
  const head = findBone(scene, ['Head', 'head', 'mixamorigHead']);
  const eyes = ['LeftEye', 'RightEye', 'mixamorigLeftEye', 'mixamorigRightEye'].map((n) => findBone(scene, [n])).filter(Boolean);
  const spine = findBone(scene, ['Spine2', 'Spine1', 'spine', 'mixamorigSpine2']);
  const headRest = head ? head.rotation.clone() : null;
  const eyeRest = eyes.map((eye) => eye.rotation.clone());
  const spineRest = spine ? spine.scale.clone() : null;
  return {
    kind,
    object: scene,
    channels: bindings.channels,
    applyChannels(weights) { bindings.apply(weights); },
    setHeadPose({ pitch, yaw, roll }) {
      if (head) head.rotation.set(headRest.x + pitch, headRest.y + yaw, headRest.z + roll);
    },
    setGaze(x, y) {
      eyes.forEach((eye, i) => eye.rotation.set(eyeRest[i].x - y, eyeRest[i].y + x, eyeRest[i].z));
    },
    setBreath(breath) {
      if (spine) spine.scale.set(spineRest.x * (1 + 0.004 * breath), spineRest.y * (1 + 0.006 * breath), spineRest.z);
    },
    dispose() {
      scene.traverse((node) => {
        node.geometry?.dispose();
        for (const material of [].concat(node.material || [])) {
          for (const value of Object.values(material)) if (value && value.isTexture) value.dispose();
          material.dispose();
        }
      });
    },
  };
}

export async function loadGlbAvatar(url) {
  const gltf = await new GLTFLoader().loadAsync(url);
  return rigFromScene(gltf.scene, 'glb');
}
