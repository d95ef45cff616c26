/**
 * Rigid parts of a skinned mesh. At run time only the mapping's joints turn (head, neck, eyes,
 * chest); every other bone keeps its pose relative to its nearest driven ancestor. A vertex whose
 * weights all fall on bones under one driven joint therefore moves rigidly with that joint, and can
 * be drawn as a plain mesh hanging from it: the same picture without skinning in the vertex shader
 * (a large share of a frame under software WebGL: docs/benchmarks.md).
 */
import * as THREE from 'three';

const MIXED = -1;
const WEIGHT_EPSILON = 1e-4;

/** For each bone of the mesh's skeleton: the index in `drivers` that carries it, or the last one (the mesh's parent: bones no driven joint moves). */
function boneCarriers(mesh, drivers) {
  const still = drivers.length - 1;
  return mesh.skeleton.bones.map((bone) => {
    for (let node = bone; node; node = node.parent) {
      const at = drivers.indexOf(node);
      if (at >= 0 && at < still) return at;
    }
    return still;
  });
}

/**
 * Which carrier moves each vertex: an index into `drivers`, or MIXED when its weights fall under
 * different driven joints (it stays skinned).
 * @returns {Int32Array}
 */
export function vertexCarriers(mesh, drivers) {
  const carriers = boneCarriers(mesh, drivers);
  const { skinIndex, skinWeight } = mesh.geometry.attributes;
  const result = new Int32Array(skinIndex.count);
  for (let i = 0; i < skinIndex.count; i += 1) {
    let carrier = null;
    for (let c = 0; c < skinIndex.itemSize; c += 1) {
      if (skinWeight.getComponent(i, c) < WEIGHT_EPSILON) continue;
      const next = carriers[skinIndex.getComponent(i, c)];
      carrier = carrier === null || carrier === next ? next : MIXED;
    }
    result[i] = carrier ?? drivers.length - 1;
  }
  return result;
}

/**
 * The matrix that takes vertex `i` from the mesh's geometry space into the carrier's local space in
 * the current pose (the skinning blend, then the carrier's inverse world matrix).
 */
function vertexMatrix(mesh, i, carrierInverse, target, scratch) {
  const { skinIndex, skinWeight } = mesh.geometry.attributes;
  const { boneMatrices } = mesh.skeleton;
  target.elements.fill(0);
  for (let c = 0; c < skinIndex.itemSize; c += 1) {
    const weight = skinWeight.getComponent(i, c);
    if (weight < WEIGHT_EPSILON) continue;
    const offset = skinIndex.getComponent(i, c) * 16;
    for (let k = 0; k < 16; k += 1) target.elements[k] += weight * boneMatrices[offset + k];
  }
  scratch.multiplyMatrices(mesh.matrixWorld, mesh.bindMatrixInverse);
  return target.premultiply(scratch).multiply(mesh.bindMatrix).premultiply(carrierInverse);
}

/**
 * The geometry of `vertices` (original indices) moved into the carrier's local space: positions,
 * normals and their morph deltas as floats; uv kept; skinning attributes dropped.
 */
export function rigidGeometry(mesh, vertices, carrier, targetIndices) {
  mesh.skeleton.update();
  const carrierInverse = carrier.matrixWorld.clone().invert();
  const source = mesh.geometry;
  const { position, normal, uv } = source.attributes;
  const morphs = targetIndices.map((t) => source.morphAttributes.position[t]);
  const normalMorphs = normal && source.morphAttributes.normal ? targetIndices.map((t) => source.morphAttributes.normal[t]) : [];
  const positions = new Float32Array(vertices.length * 3);
  const normals = normal ? new Float32Array(vertices.length * 3) : null;
  const deltas = morphs.map(() => new Float32Array(vertices.length * 3));
  const normalDeltas = normalMorphs.map(() => new Float32Array(vertices.length * 3));
  const matrix = new THREE.Matrix4();
  const scratch = new THREE.Matrix4();
  const linear = new THREE.Matrix3();
  const vector = new THREE.Vector3();
  vertices.forEach((vertex, i) => {
    vertexMatrix(mesh, vertex, carrierInverse, matrix, scratch);
    vector.fromBufferAttribute(position, vertex).applyMatrix4(matrix).toArray(positions, i * 3);
    linear.setFromMatrix4(matrix);
    morphs.forEach((morph, m) => {
      vector.fromBufferAttribute(morph, vertex);
      (source.morphTargetsRelative ? vector.applyMatrix3(linear) : vector.applyMatrix4(matrix)).toArray(deltas[m], i * 3);
    });
    if (!normals) return;
    linear.invert().transpose(); // the normal matrix
    vector.fromBufferAttribute(normal, vertex).applyMatrix3(linear).normalize().toArray(normals, i * 3);
    normalMorphs.forEach((morph, m) => vector.fromBufferAttribute(morph, vertex).applyMatrix3(linear).toArray(normalDeltas[m], i * 3));
  });
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  if (normals) geometry.setAttribute('normal', new THREE.BufferAttribute(normals, 3));
  if (uv) geometry.setAttribute('uv', copyAttribute(uv, vertices));
  if (morphs.length) {
    geometry.morphAttributes.position = deltas.map((array) => new THREE.BufferAttribute(array, 3));
    if (normalDeltas.length) geometry.morphAttributes.normal = normalDeltas.map((array) => new THREE.BufferAttribute(array, 3));
    geometry.morphTargetsRelative = source.morphTargetsRelative;
  }
  return geometry;
}

/** The items of `vertices` (original indices) of an attribute, same type and normalisation. */
export function copyAttribute(attribute, vertices) {
  const { itemSize } = attribute;
  const copy = new THREE.BufferAttribute(new attribute.array.constructor(vertices.length * itemSize), itemSize, attribute.normalized);
  for (let i = 0; i < vertices.length; i += 1) {
    for (let c = 0; c < itemSize; c += 1) copy.setComponent(i, c, attribute.getComponent(vertices[i], c));
  }
  copy.name = attribute.name;
  return copy;
}

export { MIXED };
