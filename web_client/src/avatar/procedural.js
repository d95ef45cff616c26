/**
 * The default avatar, built entirely in code: a friendly stylised head and shoulders. Face parts
 * carry morph targets made by re-running their shape function with other parameters, so every
 * target has the base's topology: mouth (smile, frown, press, pucker, jaw and the 15 Oculus
 * visemes), eyelids (blink, squint, wide), brows (inner up, down, outer up).
 */
import * as THREE from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import { MorphBindings } from './morphRig.js';
import { VISEMES, visemeChannel } from './vocabulary.js';

// Head ellipsoid radii; face parts sit on its surface.
const HEAD = { a: 0.5, b: 0.6, c: 0.5 };
const PALETTE = {
  skin: 0xf1cdb8, skinShade: 0xe6b49c, lips: 0xc96a6a, mouth: 0x5a2430, teeth: 0xfbf7f0,
  hair: 0x5b3a2a, brows: 0x4a2f22, iris: 0x3f7f8c, pupil: 0x1d2226, white: 0xfbfbfb,
  blush: 0xee9a9a, top: 0x2f7d78, collar: 0xf4efe6,
};

function surfaceZ(x, y) {
  const k = 1 - (x / HEAD.a) ** 2 - (y / HEAD.b) ** 2;
  return HEAD.c * Math.sqrt(Math.max(0, k));
}

// ---- mouth ------------------------------------------------------------------------------------
const MOUTH_Y = -0.3;
const RING = 40; // samples around the mouth
const RADIAL = 4; // inner edge .. outer edge

const NEUTRAL_MOUTH = { width: 1, open: 0, jaw: 0, smileL: 0.2, smileR: 0.2, frownL: 0, frownR: 0, press: 0, pucker: 0, funnel: 0, shift: 0 };

/** Mouth parameters of each viseme (relative to neutral). */
const VISEME_SHAPES = {
  sil: {}, PP: { press: 0.8 }, FF: { open: 0.1, width: 1.02, press: 0.3 }, TH: { open: 0.22, width: 0.98 },
  DD: { open: 0.3 }, kk: { open: 0.38, width: 0.96 }, CH: { open: 0.25, pucker: 0.45, width: 0.9 },
  SS: { open: 0.14, width: 1.1 }, nn: { open: 0.2 }, RR: { open: 0.25, pucker: 0.5 },
  aa: { open: 0.75, jaw: 0.6 }, E: { open: 0.45, width: 1.14, jaw: 0.2 }, I: { open: 0.3, width: 1.2 },
  O: { open: 0.6, pucker: 0.6, funnel: 0.5, jaw: 0.35 }, U: { open: 0.3, pucker: 0.95, funnel: 0.3 },
};

function mouthContour(p, u, side) {
  // side: 0 inner edge, 1 outer edge. Returns [x, y, z].
  const c = Math.cos(u);
  const s = Math.sin(u);
  const upper = s >= 0;
  const width = 0.13 * p.width * (1 + 0.12 * (p.smileL + p.smileR) / 2) * (1 - 0.3 * p.pucker);
  const opening = 0.085 * p.open * (1 + 0.4 * p.funnel);
  const lipUpper = 0.024 * (1 - 0.55 * p.press) * (1 + 0.4 * p.pucker);
  const lipLower = 0.032 * (1 - 0.5 * p.press) * (1 + 0.4 * p.pucker);
  const jawDrop = 0.05 * p.jaw;
  const innerWidth = width * (1 - 0.08 - 0.25 * p.funnel);
  let x;
  let y;
  if (side === 0) {
    x = innerWidth * c;
    y = upper ? opening * 0.35 * s : -(opening * 0.65 + jawDrop) * Math.abs(s);
  } else {
    x = width * c;
    y = upper ? (opening * 0.35 + lipUpper) * s : -(opening * 0.65 + jawDrop + lipLower) * Math.abs(s);
  }
  // Corners rise with a smile, fall with a frown; each side on its own.
  const sideSmile = c >= 0 ? p.smileL - p.frownL : p.smileR - p.frownR;
  y += sideSmile * (sideSmile > 0 ? 0.045 : 0.06) * Math.abs(c) ** 2.5 - 0.008 * (p.smileL + p.smileR) * (1 - Math.abs(c));
  x += p.shift * 0.035;
  return [x, y];
}

function mouthPositions(params) {
  const p = { ...NEUTRAL_MOUTH, ...params };
  const positions = [];
  const lift = 0.008 + 0.03 * p.pucker;
  // Lips: RING x RADIAL grid from the inner edge to the outer edge, bulging outward.
  for (let i = 0; i < RING; i += 1) {
    const u = (i / RING) * Math.PI * 2;
    const [xi, yi] = mouthContour(p, u, 0);
    const [xo, yo] = mouthContour(p, u, 1);
    for (let r = 0; r < RADIAL; r += 1) {
      const v = r / (RADIAL - 1);
      const x = xi + (xo - xi) * v;
      const y = MOUTH_Y + yi + (yo - yi) * v;
      const bulge = Math.sin(Math.PI * (0.15 + 0.85 * (1 - v)) ) * 0.014 * (1 - 0.4 * p.press);
      positions.push(x, y, surfaceZ(x, y) + lift + bulge * (1 - v * 0.7) - 0.004 * v);
    }
  }
  // Cavity: a fan from the centre of the opening to the inner edge, just behind the lips.
  const [, top] = mouthContour(p, Math.PI / 2, 0);
  const [, bottom] = mouthContour(p, -Math.PI / 2, 0);
  const cy = MOUTH_Y + (top + bottom) / 2;
  positions.push(p.shift * 0.035, cy, surfaceZ(0, cy) + lift - 0.002);
  for (let i = 0; i < RING; i += 1) {
    const [x, y] = mouthContour(p, (i / RING) * Math.PI * 2, 0);
    positions.push(x, MOUTH_Y + y, surfaceZ(x, MOUTH_Y + y) + lift - 0.002);
  }
  // Upper teeth: a strip under the upper inner edge, never below the lower inner edge.
  const half = RING / 2;
  for (let i = 0; i <= half; i += 1) {
    const u = (i / half) * Math.PI;
    const [x, yTop] = mouthContour(p, u, 0);
    const [, yLow] = mouthContour(p, -u, 0);
    const yBottom = Math.max(yTop - 0.03, yLow);
    const inset = 0.82;
    positions.push(x * inset, MOUTH_Y + yTop, surfaceZ(x, MOUTH_Y) + lift);
    positions.push(x * inset, MOUTH_Y + yBottom, surfaceZ(x, MOUTH_Y) + lift);
  }
  return positions;
}

function mouthIndices() {
  const lips = [];
  for (let i = 0; i < RING; i += 1) {
    const next = (i + 1) % RING;
    for (let r = 0; r < RADIAL - 1; r += 1) {
      const a = i * RADIAL + r; const b = next * RADIAL + r;
      lips.push(a, b, a + 1, b, b + 1, a + 1);
    }
  }
  const cavityStart = RING * RADIAL;
  const cavity = [];
  for (let i = 0; i < RING; i += 1) cavity.push(cavityStart, cavityStart + 1 + ((i + 1) % RING), cavityStart + 1 + i);
  const teethStart = cavityStart + 1 + RING;
  const teeth = [];
  for (let i = 0; i < RING / 2; i += 1) {
    const a = teethStart + i * 2;
    teeth.push(a, a + 1, a + 2, a + 1, a + 3, a + 2);
  }
  return { lips, cavity, teeth };
}

const MOUTH_TARGETS = {
  mouthSmileLeft: { smileL: 1 }, mouthSmileRight: { smileR: 1 },
  mouthFrownLeft: { frownL: 1 }, mouthFrownRight: { frownR: 1 },
  mouthPress: { press: 1 }, mouthPucker: { pucker: 1 }, mouthFunnel: { funnel: 1, open: 0.3 },
  jawOpen: { jaw: 1, open: 0.9 }, mouthLeft: { shift: 1 },
  ...Object.fromEntries(VISEMES.filter((v) => v !== 'sil').map((v) => [visemeChannel(v), VISEME_SHAPES[v]])),
};

function buildMouth(materials, bindings) {
  const geometry = new THREE.BufferGeometry();
  const base = mouthPositions({});
  geometry.setAttribute('position', new THREE.Float32BufferAttribute(base, 3));
  const { lips, cavity, teeth } = mouthIndices();
  geometry.setIndex([...lips, ...cavity, ...teeth]);
  geometry.addGroup(0, lips.length, 0);
  geometry.addGroup(lips.length, cavity.length, 1);
  geometry.addGroup(lips.length + cavity.length, teeth.length, 2);
  const names = Object.keys(MOUTH_TARGETS);
  geometry.morphAttributes.position = names.map((name) => {
    const shape = mouthPositions(MOUTH_TARGETS[name]);
    for (let i = 0; i < shape.length; i += 1) shape[i] -= base[i];
    return new THREE.Float32BufferAttribute(shape, 3);
  });
  geometry.morphTargetsRelative = true;
  geometry.computeVertexNormals();
  const mesh = new THREE.Mesh(geometry, [materials.lips, materials.mouth, materials.teeth]);
  mesh.name = 'mouth';
  mesh.updateMorphTargets();
  names.forEach((name, index) => {
    if (name === 'mouthPress') {
      bindings.bind('mouthPressLeft', mesh, index, 0.5);
      bindings.bind('mouthPressRight', mesh, index, 0.5);
    } else bindings.bind(name, mesh, index);
  });
  return mesh;
}

// ---- eyes, lids, brows ------------------------------------------------------------------------
const EYE = { x: 0.165, y: 0.02, r: 0.078 };

function lidGeometry(upper, theta) {
  // A sphere cap around the top (upper lid) or bottom pole; theta is how far down it reaches.
  const g = upper
    ? new THREE.SphereGeometry(EYE.r * 1.08, 24, 10, 0, Math.PI * 2, 0, theta)
    : new THREE.SphereGeometry(EYE.r * 1.06, 24, 10, 0, Math.PI * 2, Math.PI - theta, theta);
  return g;
}

function morphingLid(upper, targets, material) {
  // targets: {channelSuffix: theta}; base theta first.
  const [baseTheta, ...rest] = targets;
  const geometry = lidGeometry(upper, baseTheta.theta);
  const base = geometry.attributes.position.array;
  geometry.morphAttributes.position = rest.map(({ theta }) => {
    const shape = lidGeometry(upper, theta).attributes.position.array.slice();
    for (let i = 0; i < shape.length; i += 1) shape[i] -= base[i];
    return new THREE.Float32BufferAttribute(shape, 3);
  });
  geometry.morphTargetsRelative = true;
  const mesh = new THREE.Mesh(geometry, material);
  mesh.updateMorphTargets();
  return { mesh, names: rest.map((t) => t.name) };
}

function buildEye(side, materials, bindings, disposables) {
  const suffix = side > 0 ? 'Left' : 'Right'; // the avatar's left is +x (the viewer's right)
  const socket = new THREE.Group();
  const x = side * EYE.x;
  socket.position.set(x, EYE.y, surfaceZ(x, EYE.y) - EYE.r * 0.55);
  const ball = new THREE.Group();
  const white = new THREE.Mesh(new THREE.SphereGeometry(EYE.r, 24, 16), materials.white);
  const iris = new THREE.Mesh(coloured(new THREE.CircleGeometry(EYE.r * 0.58, 24), PALETTE.iris));
  iris.position.z = EYE.r * 0.985;
  const pupil = new THREE.Mesh(coloured(new THREE.CircleGeometry(EYE.r * 0.28, 20), PALETTE.pupil));
  pupil.position.z = EYE.r * 0.99;
  const glint = new THREE.Mesh(coloured(new THREE.CircleGeometry(EYE.r * 0.1, 12), 0xffffff));
  glint.position.set(-EYE.r * 0.18, EYE.r * 0.2, EYE.r * 0.995);
  ball.add(white, mergeMeshes([iris, pupil, glint], materials.irisPupil, 'iris'));
  socket.add(ball);
  const upper = morphingLid(true, [
    { theta: 1.02 }, { name: `eyeBlink${suffix}`, theta: 2.05 }, { name: `eyeSquint${suffix}`, theta: 1.3 }, { name: `eyeWide${suffix}`, theta: 0.78 },
  ], materials.lid);
  const lower = morphingLid(false, [{ theta: 0.95 }, { name: `eyeSquint${suffix}`, theta: 1.4 }, { name: `eyeBlink${suffix}`, theta: 1.05 }], materials.lidLower);
  upper.names.forEach((name, i) => bindings.bind(name, upper.mesh, i));
  lower.names.forEach((name, i) => bindings.bind(name, lower.mesh, i));
  // Lash line along the upper lid's edge follows the blink through the lid itself.
  socket.add(upper.mesh, lower.mesh);
  disposables.push(white.geometry);
  return { socket, ball };
}

function browCurve(side, p) {
  // Points from the inner end to the outer end of one brow.
  const baseY = EYE.y + 0.135;
  const inner = [side * 0.075, baseY + 0.005 + 0.075 * p.innerUp - 0.05 * p.down];
  const middle = [side * 0.16, baseY + 0.03 + 0.028 * p.innerUp - 0.018 * p.down + 0.035 * p.outerUp];
  const outer = [side * 0.245, baseY + 0.004 - 0.012 * p.innerUp + 0.055 * p.outerUp];
  const points = [inner, middle, outer].map(([x, y], i) => new THREE.Vector3(x - side * 0.012 * p.down * (i === 0 ? 1 : 0), y, surfaceZ(x, y) + 0.012));
  return new THREE.CatmullRomCurve3(points);
}

function buildBrow(side, material, bindings) {
  const suffix = side > 0 ? 'Left' : 'Right';
  const make = (p) => new THREE.TubeGeometry(browCurve(side, { innerUp: 0, down: 0, outerUp: 0, ...p }), 14, 0.013, 6, false);
  const geometry = make({});
  const base = geometry.attributes.position.array;
  const targets = [['browInnerUp', { innerUp: 1 }], [`browDown${suffix}`, { down: 1 }], [`browOuterUp${suffix}`, { outerUp: 1 }]];
  geometry.morphAttributes.position = targets.map(([, p]) => {
    const shape = make(p).attributes.position.array.slice();
    for (let i = 0; i < shape.length; i += 1) shape[i] -= base[i];
    return new THREE.Float32BufferAttribute(shape, 3);
  });
  geometry.morphTargetsRelative = true;
  const mesh = new THREE.Mesh(geometry, material);
  mesh.updateMorphTargets();
  targets.forEach(([name], i) => bindings.bind(name, mesh, i));
  return mesh;
}

// ---- whole figure -----------------------------------------------------------------------------
function ellipsoid(rx, ry, rz, material, segments = 32) {
  const mesh = new THREE.Mesh(new THREE.SphereGeometry(1, segments, Math.round(segments * 0.75)), material);
  mesh.scale.set(rx, ry, rz);
  return mesh;
}

/**
 * Bakes static parts that share a material into one mesh: every draw call counts under software
 * WebGL. The parts must be positioned in the parent's space; their geometries are disposed.
 */
function mergeMeshes(meshes, material, name) {
  const geometries = meshes.map((mesh) => {
    mesh.updateMatrix();
    const geometry = mesh.geometry.index ? mesh.geometry.toNonIndexed() : mesh.geometry.clone();
    geometry.applyMatrix4(mesh.matrix);
    return geometry;
  });
  const merged = new THREE.Mesh(mergeGeometries(geometries), material);
  merged.name = name;
  for (const geometry of geometries) geometry.dispose();
  for (const mesh of meshes) mesh.geometry.dispose();
  return merged;
}

function coloured(geometry, hex) {
  const colour = new THREE.Color(hex);
  const count = geometry.attributes.position.count;
  const values = new Float32Array(count * 3);
  for (let i = 0; i < count; i += 1) colour.toArray(values, i * 3);
  geometry.setAttribute('color', new THREE.BufferAttribute(values, 3));
  return geometry;
}

/**
 * Builds the default avatar.
 * @returns {import('./facade.js').AvatarRig}
 */
export function createProceduralAvatar() {
  // Lambert shading: soft and far cheaper per pixel than PBR, which matters under software WebGL.
  const std = (color, { roughness, ...extra } = {}) => new THREE.MeshLambertMaterial({ color, ...extra });
  const materials = {
    skin: std(PALETTE.skin, { roughness: 0.55 }), lid: std(PALETTE.skinShade, { roughness: 0.6 }),
    lidLower: std(PALETTE.skin, { roughness: 0.6 }), lips: std(PALETTE.lips, { roughness: 0.45, side: THREE.DoubleSide }),
    mouth: new THREE.MeshBasicMaterial({ color: PALETTE.mouth, side: THREE.DoubleSide }), teeth: std(PALETTE.teeth, { roughness: 0.3, side: THREE.DoubleSide }),
    hair: std(PALETTE.hair, { roughness: 0.75 }), brows: std(PALETTE.brows, { roughness: 0.8 }),
    white: std(PALETTE.white, { roughness: 0.25 }), irisPupil: new THREE.MeshBasicMaterial({ vertexColors: true }),
    blush: new THREE.MeshBasicMaterial({ color: PALETTE.blush, transparent: true, opacity: 0.22, depthWrite: false }),
    top: std(PALETTE.top, { roughness: 0.85 }), collar: std(PALETTE.collar, { roughness: 0.8 }),
  };
  const bindings = new MorphBindings();
  const disposables = [];

  const root = new THREE.Group();
  root.name = 'procedural-avatar';
  const torso = new THREE.Group();
  root.add(torso);
  const body = ellipsoid(0.7, 0.46, 0.36, materials.top);
  body.position.y = -1.1;
  const collar = new THREE.Mesh(new THREE.TorusGeometry(0.19, 0.045, 10, 32), materials.collar);
  collar.rotation.x = Math.PI / 2;
  collar.position.y = -0.74;
  const neck = new THREE.Mesh(new THREE.CylinderGeometry(0.15, 0.18, 0.42, 24), materials.skin);
  neck.position.y = -0.58;
  torso.add(body, collar, neck);

  const head = new THREE.Group();
  head.name = 'head';
  head.position.y = 0.02;
  const pivot = new THREE.Group(); // rotates about the neck, not the head's centre
  pivot.position.y = -0.45;
  head.position.y = 0.47;
  pivot.add(head);
  torso.add(pivot);

  const skull = ellipsoid(HEAD.a, HEAD.b, HEAD.c, materials.skin, 48);
  const nose = ellipsoid(0.05, 0.07, 0.05, materials.lid, 20);
  nose.position.set(0, -0.12, surfaceZ(0, -0.12) - 0.005);
  const earL = ellipsoid(0.06, 0.1, 0.04, materials.skin, 16);
  earL.position.set(0.49, -0.02, -0.02);
  const earR = earL.clone();
  earR.position.x = -0.49;
  const blushL = new THREE.Mesh(new THREE.CircleGeometry(0.065, 24), materials.blush);
  const blushR = new THREE.Mesh(blushL.geometry, materials.blush);
  for (const [mesh, side] of [[blushL, 1], [blushR, -1]]) {
    const x = side * 0.27; const y = -0.16;
    mesh.position.set(x, y, surfaceZ(x, y) + 0.004);
    mesh.lookAt(mesh.position.clone().multiply(new THREE.Vector3(1 / HEAD.a ** 2, 1 / HEAD.b ** 2, 1 / HEAD.c ** 2)).add(mesh.position));
  }
  // Hair: a cap that leaves the forehead free, fuller at the back and sides, with a side-swept fringe.
  const cap = new THREE.Mesh(new THREE.SphereGeometry(1, 48, 24, 0, Math.PI * 2, 0, Math.PI * 0.48), materials.hair);
  cap.scale.set(HEAD.a * 1.07, HEAD.b * 1.05, HEAD.c * 1.08);
  cap.rotation.x = -0.42;
  cap.position.set(0, 0.03, -0.02);
  const back = ellipsoid(HEAD.a * 1.06, HEAD.b * 0.85, HEAD.c * 0.8, materials.hair, 32);
  back.position.set(0, -0.05, -0.14);
  const sideL = ellipsoid(0.1, 0.3, 0.22, materials.hair, 20);
  sideL.position.set(0.45, -0.03, -0.05);
  sideL.rotation.z = 0.12;
  const sideR = sideL.clone();
  sideR.position.x = -0.45;
  sideR.rotation.z = -0.12;
  const fringe = ellipsoid(0.3, 0.1, 0.16, materials.hair, 24);
  fringe.position.set(0.1, 0.42, 0.3);
  fringe.rotation.set(0.5, 0, -0.35);
  const fringe2 = ellipsoid(0.22, 0.08, 0.14, materials.hair, 20);
  fringe2.position.set(-0.2, 0.45, 0.26);
  fringe2.rotation.set(0.5, 0, 0.45);

  const eyeL = buildEye(1, materials, bindings, disposables);
  const eyeR = buildEye(-1, materials, bindings, disposables);
  const browL = buildBrow(1, materials.brows, bindings);
  const browR = buildBrow(-1, materials.brows, bindings);
  const mouth = buildMouth(materials, bindings);
  const skin = mergeMeshes([skull, earL, earR], materials.skin, 'skin');
  const hair = mergeMeshes([cap, back, sideL, sideR, fringe, fringe2], materials.hair, 'hair');
  const blush = mergeMeshes([blushL, blushR], materials.blush, 'blush');
  head.add(skin, nose, blush, hair,
    eyeL.socket, eyeR.socket, browL, browR, mouth);

  const rest = { pivotY: pivot.position.y, bodyScaleY: 1 };
  return {
    kind: 'procedural',
    object: root,
    channels: bindings.channels,
    applyChannels(weights) {
      bindings.apply(weights);
      const smile = ((weights.mouthSmileLeft || 0) + (weights.mouthSmileRight || 0)) / 2;
      materials.blush.opacity = 0.2 + 0.25 * smile;
    },
    setHeadPose({ pitch, yaw, roll }) { pivot.rotation.set(pitch, yaw, roll); },
    setGaze(x, y) {
      for (const eye of [eyeL, eyeR]) eye.ball.rotation.set(-y, x, 0);
    },
    setBreath(breath, lean) {
      torso.scale.set(1 + 0.004 * breath, 1 + 0.01 * breath, 1);
      torso.position.y = 0.006 * breath;
      torso.position.z = lean;
      pivot.position.y = rest.pivotY;
    },
    dispose() {
      root.traverse((node) => { if (node.geometry) node.geometry.dispose(); });
      for (const g of disposables) g.dispose();
      for (const m of Object.values(materials)) m.dispose();
    },
  };
}
