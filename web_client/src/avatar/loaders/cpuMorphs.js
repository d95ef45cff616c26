/**
 * Morph targets blended on the CPU, for the software profile. three's vertex shader visits every
 * target of a mesh for every vertex each frame (a texture read each under SwiftShader, a third of
 * a software frame's vertex work); here only the targets in use are added, each only over the
 * vertices it moves, and positions and normals are uploaded when a weight changed.
 */
import * as THREE from 'three';

const EPSILON = 1e-5;

export class CpuMorphs {
  /**
   * Takes the geometry's morph targets (positions, and normals when it has them) over: the
   * geometry keeps none, the mesh keeps its `morphTargetInfluences` and `morphTargetDictionary`
   * (the rig writes the weights there).
   * @param {import('three').Mesh} mesh
   */
  constructor(mesh) {
    const geometry = mesh.geometry;
    const relative = geometry.morphTargetsRelative;
    this.blends = ['position', 'normal']
      .filter((name) => geometry.attributes[name] && geometry.morphAttributes[name])
      .map((name) => blendOf(geometry.attributes[name], geometry.morphAttributes[name], relative));
    this.targets = this.blends[0]?.targets ?? [];
    this.applied = new Float32Array(this.targets.length);
    this.influences = mesh.morphTargetInfluences || new Array(this.targets.length).fill(0);
    delete geometry.morphAttributes.position;
    delete geometry.morphAttributes.normal;
    mesh.morphTargetInfluences = this.influences;
  }

  /** Writes base + weighted targets into the attributes if a weight changed since the last call. */
  apply() {
    const { influences, applied } = this;
    let changed = false;
    for (let t = 0; t < applied.length; t += 1) if (influences[t] !== applied[t]) changed = true;
    if (!changed) return false;
    applied.set(influences.slice(0, applied.length));
    for (const blend of this.blends) blendInto(blend, applied);
    return true;
  }
}

/** An attribute's base values and its targets as sparse deltas (the vertices each one moves). */
function blendOf(attribute, targets, relative) {
  if (attribute.array.constructor !== Float32Array || attribute.normalized) {
    throw new TypeError(`CpuMorphs needs a float ${attribute.name || 'attribute'} (the software profile writes them)`);
  }
  const base = Float32Array.from(attribute.array);
  const sparse = targets.map((target) => {
    const vertices = [];
    const deltas = [];
    for (let i = 0; i < target.count; i += 1) {
      const d = [0, 1, 2].map((c) => target.getComponent(i, c) - (relative ? 0 : base[i * 3 + c]));
      if (Math.abs(d[0]) > EPSILON || Math.abs(d[1]) > EPSILON || Math.abs(d[2]) > EPSILON) {
        vertices.push(i);
        deltas.push(...d);
      }
    }
    return { vertices: Int32Array.from(vertices), deltas: Float32Array.from(deltas) };
  });
  attribute.setUsage(THREE.DynamicDrawUsage); // rewritten while the face moves
  return { attribute, base, targets: sparse };
}

function blendInto({ attribute, base, targets }, weights) {
  const out = attribute.array;
  out.set(base);
  for (let t = 0; t < targets.length; t += 1) {
    const weight = weights[t];
    if (!weight) continue;
    const { vertices, deltas } = targets[t];
    for (let k = 0; k < vertices.length; k += 1) {
      const at = vertices[k] * 3;
      out[at] += weight * deltas[k * 3];
      out[at + 1] += weight * deltas[k * 3 + 1];
      out[at + 2] += weight * deltas[k * 3 + 2];
    }
  }
  attribute.needsUpdate = true;
}
