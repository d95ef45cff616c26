import { describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { rigFromScene } from '../src/avatar/loaders/gltf.js';
import { trustedModelUrl } from '../src/avatar/avatarChoice.js';
import { VOCABULARY_CHANNELS } from '../src/avatar/mappingValidator.js';

function morphMesh(names) {
  const geometry = new THREE.BoxGeometry(1, 1, 1);
  geometry.morphAttributes.position = names.map(() => geometry.attributes.position.clone());
  const mesh = new THREE.Mesh(geometry, new THREE.MeshBasicMaterial());
  mesh.updateMorphTargets();
  mesh.morphTargetDictionary = Object.fromEntries(names.map((name, i) => [name, i]));
  return mesh;
}

describe('GLB avatars (ARKit + Oculus visemes)', () => {
  const vocabulary = VOCABULARY_CHANNELS.filter((name) => name !== 'viseme_sil');

  it('drives morph targets by name on every mesh and turns the head bone', () => {
    const scene = new THREE.Group();
    const head = new THREE.Bone();
    head.name = 'Head';
    const face = morphMesh([...vocabulary, 'somethingElse']);
    const teeth = morphMesh(['jawOpen']);
    scene.add(head, face, teeth);
    const rig = rigFromScene(scene);
    expect([...rig.channels].sort()).toEqual([...vocabulary].sort());
    rig.applyChannels({ mouthSmileLeft: 0.6, jawOpen: 0.4, viseme_aa: 1, somethingElse: 1 });
    const value = (mesh, name) => mesh.morphTargetInfluences[mesh.morphTargetDictionary[name]];
    expect(value(face, 'mouthSmileLeft')).toBeCloseTo(0.6);
    expect(value(face, 'viseme_aa')).toBe(1);
    expect(value(face, 'somethingElse')).toBe(0);
    expect(value(teeth, 'jawOpen')).toBeCloseTo(0.4);
    rig.setHeadPose({ pitch: 0.1, yaw: 0.2, roll: 0 });
    expect(head.rotation.x).toBeCloseTo(0.1);
    expect(head.rotation.y).toBeCloseTo(0.2);
    rig.dispose();
  });

  it('refuses a model without the blend shapes its mapping needs, naming them', () => {
    const scene = new THREE.Group();
    scene.add(morphMesh(['Key 1', 'Key 2']));
    expect(() => rigFromScene(scene)).toThrow(/needs morph target "browInnerUp"/);
  });
});

describe('model URLs from the query string', () => {
  const location = new URL('https://shop.example/page');
  it.each([
    ['/models/mila.glb', 'https://shop.example/models/mila.glb'],
    ['https://bridge.example/m.vrm', 'https://bridge.example/m.vrm'],
    ['https://evil.example/huge.glb', null],
    ['javascript:alert(1)', null],
    [null, null],
  ])('%s -> %s', (url, expected) => {
    expect(trustedModelUrl(url, 'https://bridge.example', location)).toBe(expected);
  });
});
