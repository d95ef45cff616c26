/**
 * The software-rendering quality profile of a mapped GLB avatar. Without a GPU (SwiftShader,
 * llvmpipe) every vertex and every pixel costs CPU time, so the loaded scene is slimmed to what the
 * portrait camera shows and what the mapping drives (measured: docs/benchmarks.md):
 *
 * - triangles below the framed chest go (off screen, yet they would be skinned and morphed), and
 *   so do single-sided ones that face away from the camera (the back of the head, of the teeth),
 * - morph targets the mapping never drives go; a part keeps only the targets that move it, blended
 *   on the CPU with their normals (cpuMorphs.js: three's shader reads every target for every vertex),
 * - the parts that move rigidly with one driven joint (face, teeth, hair, eyes) become plain meshes
 *   hanging from that joint, so only the neck and shoulders are still skinned (rigidParts.js),
 * - physically based materials become one with the same colour map lit per vertex (no specular
 *   term, no normal map: softwareMaterial.js), single-sided except the hair cards.
 *
 * A GPU keeps the full model. Run it after the mapping was checked against the full scene, with
 * the rest pose applied and world matrices up to date.
 */
import * as THREE from 'three';
import { PORTRAIT_FOV, PORTRAIT_RISE } from '../stageSettings.js';
import { MIXED, copyAttribute, rigidGeometry, vertexCarriers } from './rigidParts.js';
import { createSoftwareMaterial } from './softwareMaterial.js';
import { CpuMorphs } from './cpuMorphs.js';

// cos(120°): a single-sided triangle turned further from the camera stays hidden through head turns.
const AWAY_FROM_CAMERA = -0.5;
// Morph deltas below this (in the geometry's units, metres for VALID) move nothing one could see.
const MORPH_EPSILON = 1e-5;

/** Morph target names a mapping can drive: its channels' targets and the teeth that follow them. */
export function drivenTargets(mapping) {
  const names = new Set();
  for (const targets of Object.values(mapping.channels || {})) for (const name of Object.keys(targets)) names.add(name);
  for (const teeth of Object.values(mapping.teeth || {})) for (const name of Object.keys(teeth)) names.add(name);
  return names;
}

/** World-space position of every vertex in the current pose, without morphs (x, y, z per vertex). */
function vertexPositions(mesh) {
  const count = mesh.geometry.attributes.position.count;
  const positions = new Float32Array(count * 3);
  const influences = mesh.morphTargetInfluences;
  const saved = influences ? [...influences] : null;
  influences?.fill(0);
  mesh.skeleton?.update();
  const point = new THREE.Vector3();
  for (let i = 0; i < count; i += 1) mesh.localToWorld(mesh.getVertexPosition(i, point)).toArray(positions, i * 3);
  saved?.forEach((value, i) => { influences[i] = value; });
  return positions;
}

/**
 * Whether the camera can see a triangle: a vertex at or above `minHeight`, and (single-sided only)
 * not turned far away from the camera. The margin covers the head's turns and the jaw's morphs.
 */
function visibility(positions, minHeight, eye, singleSided) {
  const [a, b, c, edge, normal, toEye] = Array.from({ length: 6 }, () => new THREE.Vector3());
  return (i, j, k) => {
    if (positions[i * 3 + 1] < minHeight && positions[j * 3 + 1] < minHeight && positions[k * 3 + 1] < minHeight) return false;
    if (!singleSided || !eye) return true;
    a.fromArray(positions, i * 3);
    b.fromArray(positions, j * 3);
    c.fromArray(positions, k * 3);
    normal.subVectors(c, b).cross(edge.subVectors(a, b)).normalize();
    toEye.copy(eye).sub(a).normalize();
    return normal.dot(toEye) > AWAY_FROM_CAMERA;
  };
}

/** Visible triangles (flat vertex index triples), grouped by carrier (MIXED: stays skinned). */
function groupTriangles(geometry, visible, carriers) {
  const index = geometry.index;
  const read = index ? (i) => index.getX(i) : (i) => i;
  const total = index ? index.count : geometry.attributes.position.count;
  const groups = new Map();
  for (let i = 0; i < total; i += 3) {
    const a = read(i), b = read(i + 1), c = read(i + 2);
    if (!visible(a, b, c)) continue;
    const key = carriers && carriers[a] === carriers[b] && carriers[a] === carriers[c] ? carriers[a] : MIXED;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(a, b, c);
  }
  return groups;
}

/** The distinct vertices of `triangles` in first-use order, and the triangles renumbered to them. */
function compact(triangles) {
  const remap = new Map();
  const vertices = [];
  for (const vertex of triangles) if (!remap.has(vertex)) { remap.set(vertex, vertices.length); vertices.push(vertex); }
  const IndexArray = vertices.length > 65535 ? Uint32Array : Uint16Array;
  return { vertices, index: new THREE.BufferAttribute(IndexArray.from(triangles, (vertex) => remap.get(vertex)), 1) };
}

/** Whether a morph target moves any of `vertices` (original indices) visibly. */
function movesAny(morph, vertices) {
  for (const vertex of vertices) {
    if (Math.abs(morph.getX(vertex)) > MORPH_EPSILON || Math.abs(morph.getY(vertex)) > MORPH_EPSILON || Math.abs(morph.getZ(vertex)) > MORPH_EPSILON) return true;
  }
  return false;
}

/** The same triangles in the mesh's own (skinned) space, position morphs in `targetIndices` only. */
function skinnedGeometry(source, vertices, targetIndices) {
  const geometry = new THREE.BufferGeometry();
  for (const [name, attribute] of Object.entries(source.attributes)) if (name !== 'tangent') geometry.setAttribute(name, copyAttribute(attribute, vertices));
  // Positions and normals as floats: the CPU morphs write them (cpuMorphs.js).
  const floats = (attribute) => new THREE.Float32BufferAttribute(vertices.flatMap((v) => [attribute.getX(v), attribute.getY(v), attribute.getZ(v)]), 3);
  for (const name of ['position', 'normal']) if (source.attributes[name]) geometry.setAttribute(name, floats(source.attributes[name]));
  if (targetIndices.length) {
    geometry.morphAttributes.position = targetIndices.map((t) => copyAttribute(source.morphAttributes.position[t], vertices));
    if (source.morphAttributes.normal && source.attributes.normal) geometry.morphAttributes.normal = targetIndices.map((t) => copyAttribute(source.morphAttributes.normal[t], vertices));
    geometry.morphTargetsRelative = source.morphTargetsRelative;
  }
  return geometry;
}

/** Names the mesh's morph targets and hands them to the CPU (`userData.cpuMorphs`). */
function withTargets(mesh, targetNames) {
  mesh.morphTargetDictionary = undefined;
  mesh.morphTargetInfluences = undefined;
  mesh.updateMorphTargets();
  // updateMorphTargets numbers the targets when the attributes carry no names: give them back.
  if (targetNames.length) {
    mesh.morphTargetDictionary = Object.fromEntries(targetNames.map((name, i) => [name, i]));
    mesh.userData.cpuMorphs = new CpuMorphs(mesh);
  }
  mesh.frustumCulled = false;
  return mesh;
}

/** Splits one mesh into rigid parts under their carriers and a skinned rest; returns the meshes now shown. */
function slimMesh(mesh, driven, drivers, view, doubleSided) {
  const dictionary = mesh.morphTargetDictionary || {};
  const drivenNames = Object.keys(dictionary).filter((name) => driven.has(name)).sort((a, b) => dictionary[a] - dictionary[b]);
  // Each part keeps the targets that move one of its vertices (the chest keeps none of the face's).
  const movingTargets = (vertices) => {
    const names = drivenNames.filter((name) => movesAny(source.morphAttributes.position[dictionary[name]], vertices));
    return { targetNames: names, targetIndices: names.map((name) => dictionary[name]) };
  };
  const source = mesh.geometry;
  if (source.groups.length) return [mesh]; // multi-material meshes keep their geometry
  const rigid = mesh.isSkinnedMesh ? vertexCarriers(mesh, [...drivers, mesh.parent]) : null;
  const shown = [];
  const visible = visibility(vertexPositions(mesh), view.minHeight, view.eye, !doubleSided);
  const groups = groupTriangles(source, visible, rigid);
  for (const [carrier, triangles] of groups) {
    if (carrier === MIXED) continue;
    const { vertices, index } = compact(triangles);
    const { targetNames, targetIndices } = movingTargets(vertices);
    const node = carrier < drivers.length ? drivers[carrier] : mesh.parent;
    const geometry = rigidGeometry(mesh, vertices, node, targetIndices);
    geometry.setIndex(index);
    const part = withTargets(new THREE.Mesh(geometry, mesh.material), targetNames);
    part.name = `${mesh.name}@${node.name || 'still'}`;
    node.add(part);
    shown.push(part);
  }
  if (groups.has(MIXED)) {
    const { vertices, index } = compact(groups.get(MIXED));
    const { targetNames, targetIndices } = movingTargets(vertices);
    mesh.geometry = skinnedGeometry(source, vertices, targetIndices);
    mesh.geometry.setIndex(index);
    shown.push(withTargets(mesh, targetNames));
  } else mesh.removeFromParent();
  source.dispose();
  return shown;
}

/** Where the portrait camera stands (scene.js frame()). */
function portraitEye({ target, height }) {
  const distance = height / (2 * Math.tan(THREE.MathUtils.degToRad(PORTRAIT_FOV) / 2));
  return target.clone().add(new THREE.Vector3(0, PORTRAIT_RISE, distance));
}

function cheapMaterial(material, hair) {
  const side = hair ? THREE.DoubleSide : THREE.FrontSide;
  if (material.map && !material.transparent && !material.alphaTest) return createSoftwareMaterial(material.map, { doubleSided: hair, name: material.name });
  return new THREE.MeshLambertMaterial({ name: material.name, map: material.map, color: material.color, side, transparent: material.transparent, alphaTest: material.alphaTest });
}

/**
 * Slims a mapped scene in place for software rendering.
 * @param {import('three').Object3D} scene
 * @param {object} mapping  the family's mapping file
 * @param {{target: import('three').Vector3, height: number}|null} portrait  the camera's framing
 * @param {import('three').Object3D[]} drivers  the joints that move at run time
 * @returns {{meshes: number, vertices: number, skinnedVertices: number, targets: number}}
 */
export function applySoftwareProfile(scene, mapping, portrait, drivers) {
  const driven = drivenTargets(mapping);
  // A tall, narrow stage shows up to twice the portrait's height (scene.js); below that nothing shows.
  const view = portrait ? { minHeight: portrait.target.y - portrait.height, eye: portraitEye(portrait) } : { minHeight: -Infinity, eye: null };
  const meshes = [];
  scene.traverse((node) => { if (node.isMesh) meshes.push(node); });
  const replaced = new Map();
  const result = { meshes: 0, vertices: 0, skinnedVertices: 0, targets: 0 };
  const originals = new Set();
  for (const original of meshes) {
    for (const material of [].concat(original.material)) originals.add(material);
    const hair = /hair|wig/i.test(`${original.name} ${[].concat(original.material).map((m) => m.name).join(' ')}`);
    const materials = [].concat(original.material).map((material) => {
      const key = `${material.uuid}/${hair}`;
      if (!replaced.has(key)) replaced.set(key, cheapMaterial(material, hair));
      return replaced.get(key);
    });
    for (const mesh of slimMesh(original, driven, drivers, view, hair)) {
      mesh.material = materials.length === 1 ? materials[0] : materials;
      result.meshes += 1;
      result.vertices += mesh.geometry.attributes.position.count;
      if (mesh.isSkinnedMesh) result.skinnedVertices += mesh.geometry.attributes.position.count;
      result.targets += mesh.userData.cpuMorphs?.targets.length ?? 0;
    }
  }
  for (const material of originals) material.dispose();
  return result;
}
