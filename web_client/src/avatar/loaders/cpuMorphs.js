/**
 * Morph targets blended on the CPU, for the software profile. three's vertex shader visits every
 * target of a mesh for every vertex each frame (a texture read each under SwiftShader, a third of
 * a software frame's vertex work); here only the targets in use are added, each only over the
 * vertices it moves, and the positions are uploaded when a weight changed.
 */
const EPSILON = 1e-5;

export class CpuMorphs {
  /**
   * Takes the geometry's position morph targets over: the geometry keeps none, the mesh keeps its
   * `morphTargetInfluences` and `morphTargetDictionary` (the rig writes the weights there).
   * @param {import('three').Mesh} mesh
   */
  constructor(mesh) {
    const geometry = mesh.geometry;
    const targets = geometry.morphAttributes.position || [];
    this.mesh = mesh;
    this.position = geometry.attributes.position;
    this.base = Float32Array.from({ length: this.position.count * 3 }, (_, i) => this.position.getComponent(Math.floor(i / 3), i % 3));
    this.targets = targets.map((target) => this.sparse(target, geometry.morphTargetsRelative));
    this.applied = new Float32Array(targets.length);
    this.influences = mesh.morphTargetInfluences || new Array(targets.length).fill(0);
    if (this.position.array.constructor !== Float32Array || this.position.normalized) {
      throw new TypeError('CpuMorphs needs float positions (the software profile writes them)');
    }
    delete geometry.morphAttributes.position;
    delete geometry.morphAttributes.normal;
    mesh.morphTargetInfluences = this.influences;
  }

  /** The vertices a target moves and by how much. */
  sparse(target, relative) {
    const vertices = [];
    const deltas = [];
    for (let i = 0; i < target.count; i += 1) {
      const d = [0, 1, 2].map((c) => target.getComponent(i, c) - (relative ? 0 : this.base[i * 3 + c]));
      if (Math.abs(d[0]) > EPSILON || Math.abs(d[1]) > EPSILON || Math.abs(d[2]) > EPSILON) {
        vertices.push(i);
        deltas.push(...d);
      }
    }
    return { vertices: Int32Array.from(vertices), deltas: Float32Array.from(deltas) };
  }

  /** Writes base + weighted targets into the positions if a weight changed since the last call. */
  apply() {
    const { influences, applied } = this;
    let changed = false;
    for (let t = 0; t < applied.length; t += 1) if (influences[t] !== applied[t]) changed = true;
    if (!changed) return false;
    const out = this.position.array;
    out.set(this.base);
    for (let t = 0; t < applied.length; t += 1) {
      const weight = influences[t];
      applied[t] = weight;
      if (!weight) continue;
      const { vertices, deltas } = this.targets[t];
      for (let k = 0; k < vertices.length; k += 1) {
        const at = vertices[k] * 3;
        out[at] += weight * deltas[k * 3];
        out[at + 1] += weight * deltas[k * 3 + 1];
        out[at + 2] += weight * deltas[k * 3 + 2];
      }
    }
    this.position.needsUpdate = true;
    return true;
  }
}
