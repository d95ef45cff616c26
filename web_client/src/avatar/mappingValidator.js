/**
 * Checks a mapping file (mappings/<family>.json) against the avatar it is used with: every name of
 * the product's vocabulary is mapped, and every morph target, VRM expression and joint it names
 * exists in the model. Used at load time (a bad file falls back to the procedural head with this
 * message) and by the tests against the shipped files.
 */
import { EXPRESSION_CHANNELS, VISEMES, visemeChannel } from './vocabulary.js';

/** Every channel a mapping must cover. */
export const VOCABULARY_CHANNELS = Object.freeze([...EXPRESSION_CHANNELS, ...VISEMES.map(visemeChannel)]);
// The rest pose of the mouth needs no target.
const MAY_BE_EMPTY = new Set([visemeChannel('sil')]);

/** An avatar file that cannot be shown: wrong format, too large, or missing what the mapping needs. */
export class AvatarFileError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AvatarFileError';
  }
}

/**
 * @param {object} mapping  a parsed mappings/*.json
 * @param {{morphs: Set<string>, joints: Set<string>}} model  what the loaded file has
 * @returns {string[]} the problems (empty when the mapping fits)
 */
export function mappingProblems(mapping, model) {
  const problems = [];
  const channels = mapping.channels || {};
  const allowEmpty = new Set([...MAY_BE_EMPTY, ...(mapping.allowEmpty || [])]);
  for (const channel of VOCABULARY_CHANNELS) {
    const targets = channels[channel];
    if (!targets) problems.push(`"${channel}" is not mapped`);
    else if (!Object.keys(targets).length && !allowEmpty.has(channel)) problems.push(`"${channel}" maps to nothing`);
  }
  for (const [channel, targets] of Object.entries(channels)) {
    if (!VOCABULARY_CHANNELS.includes(channel)) problems.push(`"${channel}" is not a vocabulary name`);
    for (const [target, weight] of Object.entries(targets)) {
      if (!model.morphs.has(target)) problems.push(`"${channel}" needs morph target "${target}", which the model lacks`);
      if (!(weight > 0 && weight <= 2)) problems.push(`"${channel}" → "${target}": weight ${weight} is not in (0, 2]`);
    }
  }
  for (const [source, targets] of Object.entries(mapping.teeth || {})) {
    if (!model.morphs.has(source)) problems.push(`teeth follow "${source}", which the model lacks`);
    for (const target of Object.keys(targets)) if (!model.morphs.has(target)) problems.push(`teeth target "${target}" is missing`);
  }
  for (const role of mapping.requiredJoints || []) {
    const joint = mapping.joints?.[role];
    if (!joint) problems.push(`no joint named for "${role}"`);
    else if (!model.joints.has(joint)) problems.push(`joint "${joint}" (${role}) is missing`);
  }
  for (const joint of Object.keys(mapping.restPose || {})) {
    if (!joint.startsWith('_') && !model.joints.has(joint)) problems.push(`rest pose joint "${joint}" is missing`);
  }
  return problems;
}

/** Throws AvatarFileError naming the first problems (all of them in `problems`). */
export function assertMappingFits(mapping, model, label) {
  const problems = mappingProblems(mapping, model);
  if (problems.length) {
    const error = new AvatarFileError(`${label} does not fit the "${mapping.family}" mapping: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
    error.problems = problems;
    throw error;
  }
}

/** Morph target and node names of a three.js scene (a loaded GLB). */
export function describeScene(scene) {
  const morphs = new Set();
  const joints = new Set();
  scene.traverse((node) => {
    if (node.name) joints.add(node.name);
    for (const name of Object.keys(node.morphTargetDictionary || {})) morphs.add(name);
  });
  return { morphs, joints };
}
