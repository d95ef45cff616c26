/** The mapping file of each avatar family (see mappingValidator.js for what they must contain). */
import valid from './valid.json';
import arkit from './arkit.json';
import vrm from './vrm.json';

export const MAPPINGS = Object.freeze({ valid, arkit, vrm });

export function mappingFor(family) {
  const mapping = MAPPINGS[family];
  if (!mapping) throw new TypeError(`unknown avatar family "${family}" (known: ${Object.keys(MAPPINGS).join(', ')})`);
  return mapping;
}
