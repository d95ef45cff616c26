/**
 * A rig for a GLB avatar driven through a mapping file (mappings/*.json): the vocabulary's channels
 * mix into the model's morph targets (teeth following the mouth), the head pose turns neck and
 * head, gaze turns the eye joints, breathing moves the chest. The file's T-pose arms come down
 * (the mapping's restPose) and the portrait camera frames head and shoulders.
 */
import * as THREE from 'three';
import { ChannelMixer } from '../channelMix.js';
import { BoneDriver } from '../boneDriver.js';
import { assertMappingFits, describeScene } from '../mappingValidator.js';
import { applySoftwareProfile } from './softwareProfile.js';

const NECK_SHARE = 0.35; // of a head turn; the head itself takes the rest

function findNode(root, name) {
  let found = null;
  root.traverse((node) => { if (!found && node.name === name) found = node; });
  return found;
}

function applyRestPose(scene, restPose) {
  for (const [name, [x, y, z]] of Object.entries(restPose || {})) {
    if (name.startsWith('_')) continue;
    const bone = findNode(scene, name);
    if (!bone) continue;
    const driver = new BoneDriver(bone);
    driver.set(x, y, z);
    bone.updateMatrixWorld(true);
  }
}

function tuneMaterials(scene, tuning) {
  scene.traverse((node) => {
    if (!node.isMesh) return;
    node.frustumCulled = false; // skinned bounds are the bind pose's; the portrait camera is close
    if (!tuning) return;
    for (const material of [].concat(node.material)) {
      if ('roughness' in material && tuning.roughness !== undefined) material.roughness = tuning.roughness;
      if ('metalness' in material && tuning.metalness !== undefined) material.metalness = tuning.metalness;
    }
  });
}

/** Head-and-shoulders framing: the point to look at and the height of the view, in metres. */
function portraitOf(scene, portrait) {
  const joint = portrait && findNode(scene, portrait.joint);
  if (!joint) return null;
  const target = joint.getWorldPosition(new THREE.Vector3()).add(new THREE.Vector3(...(portrait.lookOffset || [0, 0, 0])));
  return { target, height: portrait.height };
}

/**
 * @param {import('three').Object3D} scene  a loaded glTF scene
 * @param {object} mapping  mappings/<family>.json
 * @param {string} [label]
 * @param {{software?: boolean}} [options]  software: the software-rendering profile (softwareProfile.js)
 */
export function rigFromMapping(scene, mapping, label = 'the avatar', { software = false } = {}) {
  assertMappingFits(mapping, describeScene(scene), label);
  scene.updateMatrixWorld(true);
  applyRestPose(scene, mapping.restPose);
  scene.updateMatrixWorld(true);
  tuneMaterials(scene, mapping.material);
  const portrait = portraitOf(scene, mapping.portrait);
  // In the software profile the neck takes the whole head turn: the head then moves rigidly with
  // the neck, and so does the face skinned to both (no skinning for it: softwareProfile.js).
  const nodeFor = (role) => (mapping.joints?.[role] ? findNode(scene, mapping.joints[role]) : null);
  const headOnNeck = software && !!nodeFor('neck') && !!nodeFor('head');
  const roles = Object.keys(mapping.joints || {}).filter((role) => !(headOnNeck && role === 'head'));
  const drivers = [...new Set(roles.map(nodeFor).filter(Boolean))];
  const profile = software ? applySoftwareProfile(scene, mapping, portrait, drivers) : null;

  const cpuMorphs = [];
  scene.traverse((node) => { if (node.userData.cpuMorphs) cpuMorphs.push(node.userData.cpuMorphs); });

  const mixer = new ChannelMixer(mapping.channels, mapping.teeth);
  const bindings = mixer.targets.map(() => []);
  const position = new Map(mixer.targets.map((name, i) => [name, i]));
  scene.traverse((node) => {
    if (!node.isMesh || !node.morphTargetDictionary) return;
    for (const [name, index] of Object.entries(node.morphTargetDictionary)) {
      if (position.has(name)) bindings[position.get(name)].push({ influences: node.morphTargetInfluences, index });
    }
  });
  const joint = (role) => {
    const node = nodeFor(role);
    return node ? new BoneDriver(node) : null;
  };
  const head = headOnNeck ? null : joint('head');
  const neck = joint('neck');
  const eyes = [joint('leftEye'), joint('rightEye')].filter(Boolean);
  const chest = joint('chest');

  return {
    kind: mapping.family,
    object: scene,
    portrait,
    /** The software profile's result ({vertices, targets}), null at full quality. */
    profile,
    channels: new Set(Object.keys(mapping.channels).filter((name) => Object.keys(mapping.channels[name]).length)),
    /** Morph target values by name (diagnostics and tests). */
    morphValues() { return Object.fromEntries(mixer.targets.map((name, i) => [name, mixer.values[i]])); },
    applyChannels(weights) {
      const values = mixer.mix(weights);
      for (let i = 0; i < bindings.length; i += 1) {
        for (const { influences, index } of bindings[i]) influences[index] = values[i];
      }
      for (const morphs of cpuMorphs) morphs.apply();
    },
    setHeadPose({ pitch, yaw, roll }) {
      const neckShare = !neck ? 0 : head ? NECK_SHARE : 1;
      neck?.set(pitch * neckShare, yaw * neckShare, roll * neckShare);
      head?.set(pitch * (1 - neckShare), yaw * (1 - neckShare), roll * (1 - neckShare));
    },
    setGaze(x, y) {
      for (const eye of eyes) eye.set(-y, x, 0);
    },
    setBreath(breath, lean) {
      chest?.set(0.012 * breath + (lean || 0), 0, 0);
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
