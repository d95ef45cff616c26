/**
 * GLB avatars: realistic VALID humans (the default) and models with ARKit blend shapes + Oculus
 * visemes (`viseme_aa` ...), driven through their family's mapping file. The file is fetched with a
 * size limit and format checks (glbFile.js), decoded with three's GLTFLoader and meshopt decoder,
 * and checked against the mapping before it is shown.
 */
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { mappingFor } from '../mappings/index.js';
import { fetchModel } from './glbFile.js';
import { rigFromMapping } from './mappedRig.js';

export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/** Builds a rig from a loaded glTF scene (exported for tests that build scenes in code). */
export function rigFromScene(scene, family = 'arkit', label = 'the avatar', { software = false } = {}) {
  return rigFromMapping(scene, mappingFor(family), label, { software });
}

/**
 * @param {string} url
 * @param {{family?: string, maxBytes?: number, software?: boolean}} [options]  software: slim the
 *   model for a CPU rasteriser (softwareProfile.js)
 */
export async function loadGlbAvatar(url, { family = 'arkit', maxBytes = DEFAULT_MAX_BYTES, software = false } = {}) {
  const buffer = await fetchModel(url, maxBytes);
  const loader = new GLTFLoader();
  loader.setMeshoptDecoder(MeshoptDecoder);
  const base = new URL('.', new URL(url, globalThis.location?.href)).href;
  const gltf = await loader.parseAsync(buffer, base);
  return rigFromScene(gltf.scene, family, `avatar file ${url}`, { software });
}
