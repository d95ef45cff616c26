/**
 * Fetches a model file with the checks that give a clear error instead of a hang or a crash: a size
 * limit (Content-Length first, then the bytes), the glTF binary header, and the extensions it
 * requires. Also reads a GLB's JSON chunk (the tests read the shipped files with it).
 */
import { AvatarFileError } from '../mappingValidator.js';

const GLB_MAGIC = 0x46546c67; // "glTF"
const JSON_CHUNK = 0x4e4f534a; // "JSON"
/** Extensions our loader (three's GLTFLoader + the meshopt decoder) handles. */
export const SUPPORTED_EXTENSIONS = new Set([
  'EXT_meshopt_compression', 'KHR_mesh_quantization', 'EXT_texture_webp', 'KHR_texture_transform',
  'KHR_materials_emissive_strength', 'KHR_materials_unlit', 'KHR_texture_basisu', 'VRMC_vrm', 'VRM',
]);

/** The JSON chunk of a GLB (ArrayBuffer); throws AvatarFileError when it is not one. */
export function readGlbJson(buffer, label = 'the model') {
  if (buffer.byteLength < 20) throw new AvatarFileError(`${label} is not a glTF binary (.glb): too short`);
  const view = new DataView(buffer);
  if (view.getUint32(0, true) !== GLB_MAGIC) throw new AvatarFileError(`${label} is not a glTF binary (.glb): wrong header`);
  if (view.getUint32(4, true) !== 2) throw new AvatarFileError(`${label} is glTF version ${view.getUint32(4, true)}, not 2`);
  const length = view.getUint32(12, true);
  if (view.getUint32(16, true) !== JSON_CHUNK || 20 + length > buffer.byteLength) throw new AvatarFileError(`${label} has no readable JSON chunk`);
  try {
    return JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 20, length)));
  } catch (error) {
    throw new AvatarFileError(`${label} has a broken JSON chunk: ${error.message}`);
  }
}

/** Morph target names (mesh extras.targetNames) and node names from a GLB's JSON. */
export function describeGlbJson(json) {
  const morphs = new Set();
  for (const mesh of json.meshes || []) for (const name of mesh.extras?.targetNames || []) morphs.add(name);
  return { morphs, joints: new Set((json.nodes || []).map((node) => node.name).filter(Boolean)) };
}

/**
 * @param {string} url
 * @param {number} maxBytes
 * @returns {Promise<ArrayBuffer>}
 */
export async function fetchModel(url, maxBytes, fetchImpl = globalThis.fetch) {
  const label = `avatar file ${url}`;
  const response = await fetchImpl(url);
  if (!response.ok) throw new AvatarFileError(`${label}: HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length'));
  const tooLarge = (bytes) => new AvatarFileError(`${label} is ${(bytes / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(1)} MB limit`);
  if (declared > maxBytes) {
    response.body?.cancel?.();
    throw tooLarge(declared);
  }
  const buffer = await response.arrayBuffer();
  if (buffer.byteLength > maxBytes) throw tooLarge(buffer.byteLength);
  const json = readGlbJson(buffer, label);
  const unsupported = (json.extensionsRequired || []).filter((name) => !SUPPORTED_EXTENSIONS.has(name));
  if (unsupported.length) throw new AvatarFileError(`${label} requires unsupported glTF extensions: ${unsupported.join(', ')}`);
  return buffer;
}
