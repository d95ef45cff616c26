import { describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { rigFromScene } from '../src/avatar/loaders/gltf.js';
import { applySoftwareProfile, drivenTargets } from '../src/avatar/loaders/softwareProfile.js';
import { VOCABULARY_CHANNELS } from '../src/avatar/mappingValidator.js';

// A figure of three quads: a face (all weight on Head), a neck (half Head, half Hips) and legs far
// below the portrait (all Hips). Every quad carries the same morph targets (a shift along x).
const QUADS = { face: [1.5, 1.7, [1, 0]], neck: [1.2, 1.4, [0.5, 0.5]], legs: [0, 0.2, [0, 1]] };

function figure(targetNames, { name = 'body' } = {}) {
  const scene = new THREE.Group();
  const hips = new THREE.Bone();
  hips.name = 'Hips';
  const head = new THREE.Bone();
  head.name = 'Head';
  head.position.set(0, 1.5, 0);
  hips.add(head);
  const positions = [];
  const skinIndex = [];
  const skinWeight = [];
  const index = [];
  for (const [low, high, [headWeight, hipsWeight]] of Object.values(QUADS)) {
    const first = positions.length / 3;
    positions.push(-0.1, low, 0, 0.1, low, 0, 0.1, high, 0, -0.1, high, 0);
    for (let i = 0; i < 4; i += 1) { skinIndex.push(1, 0, 0, 0); skinWeight.push(headWeight, hipsWeight, 0, 0); }
    index.push(first, first + 1, first + 2, first, first + 2, first + 3);
  }
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.Float32BufferAttribute(positions, 3));
  geometry.setAttribute('normal', new THREE.Float32BufferAttribute(positions.map((_, i) => (i % 3 === 2 ? 1 : 0)), 3));
  geometry.setAttribute('uv', new THREE.Float32BufferAttribute(new Array((positions.length / 3) * 2).fill(0.5), 2));
  geometry.setAttribute('skinIndex', new THREE.Uint16BufferAttribute(skinIndex, 4));
  geometry.setAttribute('skinWeight', new THREE.Float32BufferAttribute(skinWeight, 4));
  geometry.setIndex(index);
  geometry.morphAttributes.position = targetNames.map(() => new THREE.Float32BufferAttribute(positions.map((_, i) => (i % 3 === 0 ? 0.05 : 0)), 3));
  geometry.morphAttributes.normal = targetNames.map(() => new THREE.Float32BufferAttribute(positions.map((_, i) => (i % 3 === 1 ? 0.2 : 0)), 3));
  geometry.morphTargetsRelative = true;
  const mesh = new THREE.SkinnedMesh(geometry, new THREE.MeshStandardMaterial({ map: new THREE.Texture(), name }));
  mesh.name = name;
  mesh.updateMorphTargets();
  mesh.morphTargetDictionary = Object.fromEntries(targetNames.map((target, i) => [target, i]));
  scene.add(hips, mesh);
  scene.updateMatrixWorld(true);
  mesh.bind(new THREE.Skeleton([hips, head]));
  return { scene, head, mesh };
}

const PORTRAIT = { target: new THREE.Vector3(0, 1.6, 0), height: 0.44 };
const MAPPING = { channels: { jawOpen: { jawOpen: 1 } }, teeth: { jawOpen: { teethOpen: 1 } } };

function worldPositions(mesh) {
  mesh.updateMatrixWorld(true);
  mesh.skeleton?.update();
  const point = new THREE.Vector3();
  return Array.from({ length: mesh.geometry.attributes.position.count }, (_, i) => mesh.localToWorld(mesh.getVertexPosition(i, point)).toArray());
}

describe('software profile', () => {
  it('blends a target back out', () => {
    const { scene, head } = figure(['jawOpen']);
    applySoftwareProfile(scene, MAPPING, PORTRAIT, [head]);
    const face = head.children.find((child) => child.isMesh);
    const before = [...face.geometry.attributes.position.array];
    face.morphTargetInfluences[0] = 0.5;
    face.userData.cpuMorphs.apply();
    expect(face.geometry.attributes.position.getX(0)).toBeCloseTo(before[0] + 0.025);
    expect(face.geometry.attributes.normal.getY(0)).toBeCloseTo(0.1); // the normals follow the shape
    face.morphTargetInfluences[0] = 0;
    face.userData.cpuMorphs.apply();
    expect([...face.geometry.attributes.position.array]).toEqual(before);
  });


  it('names the morph targets a mapping drives, teeth included', () => {
    expect([...drivenTargets(MAPPING)].sort()).toEqual(['jawOpen', 'teethOpen']);
  });

  it('drops what is below the portrait and moves the rigid face under its joint', () => {
    const { scene, head, mesh } = figure(['jawOpen', 'mouthSmile']);
    const result = applySoftwareProfile(scene, MAPPING, PORTRAIT, [head]);
    expect(result).toEqual({ meshes: 2, vertices: 8, skinnedVertices: 4, targets: 2 });
    const face = head.children.find((child) => child.isMesh);
    expect(face.isSkinnedMesh).toBeFalsy();
    expect(face.geometry.attributes.skinIndex).toBeUndefined();
    // The neck blends two carriers: it stays skinned, without the legs.
    expect(mesh.parent).toBe(scene);
    expect(Math.min(...worldPositions(mesh).map(([, y]) => y))).toBeCloseTo(1.2);
    // Only the driven target is left, under its name, blended on the CPU (none in the shader).
    for (const part of [face, mesh]) {
      expect(part.morphTargetDictionary).toEqual({ jawOpen: 0 });
      expect(part.userData.cpuMorphs.targets).toHaveLength(1);
      expect(part.geometry.morphAttributes.position).toBeUndefined();
      expect(part.geometry.morphAttributes.normal).toBeUndefined();
    }
    expect(face.material.isShaderMaterial).toBe(true);
    expect(face.material.side).toBe(THREE.FrontSide);
  });

  it('the rigid face follows the head exactly as skinning would, morphs included', () => {
    const { scene, head } = figure(['jawOpen']);
    applySoftwareProfile(scene, MAPPING, PORTRAIT, [head]);
    const face = head.children.find((child) => child.isMesh);
    head.rotation.set(0.3, 0.5, 0);
    face.morphTargetInfluences[0] = 1;
    expect(face.userData.cpuMorphs.apply()).toBe(true);
    expect(face.userData.cpuMorphs.apply()).toBe(false); // nothing changed since
    scene.updateMatrixWorld(true);
    // A vertex bound to the head only: the head's rotation about its origin, after the morph shift.
    const expected = [[-0.05, 1.5, 0], [0.15, 1.5, 0], [0.15, 1.7, 0], [-0.05, 1.7, 0]].map(([x, y, z]) =>
      new THREE.Vector3(x, y - 1.5, z).applyEuler(head.rotation).add(new THREE.Vector3(0, 1.5, 0)).toArray());
    worldPositions(face).forEach((position, i) => position.forEach((value, c) => expect(value).toBeCloseTo(expected[i][c], 5)));
  });

  it('keeps the hair cards double-sided', () => {
    const { scene, head } = figure(['jawOpen'], { name: 'h_wig' });
    applySoftwareProfile(scene, MAPPING, PORTRAIT, [head]);
    expect(head.children.find((child) => child.isMesh).material.side).toBe(THREE.DoubleSide);
  });

  it('a rig in the software profile drives the slimmed meshes by name', () => {
    const vocabulary = VOCABULARY_CHANNELS.filter((name) => name !== 'viseme_sil');
    const { scene, head, mesh } = figure([...vocabulary, 'somethingElse']);
    const rig = rigFromScene(scene, 'arkit', 'the figure', { software: true });
    expect(rig.profile.targets).toBe(2 * vocabulary.length);
    const face = head.children.find((child) => child.isMesh);
    rig.applyChannels({ jawOpen: 0.4 });
    for (const part of [face, mesh]) {
      expect(part.morphTargetInfluences[part.morphTargetDictionary.jawOpen]).toBeCloseTo(0.4);
      expect(part.morphTargetDictionary.somethingElse).toBeUndefined();
    }
    rig.dispose();
  });

  it('leaves a GPU model alone', () => {
    const { scene, mesh } = figure([...VOCABULARY_CHANNELS]);
    const rig = rigFromScene(scene, 'arkit');
    expect(rig.profile).toBeNull();
    expect(mesh.geometry.morphAttributes.position).toHaveLength(VOCABULARY_CHANNELS.length);
    expect(mesh.material.isMeshStandardMaterial).toBe(true);
  });
});
