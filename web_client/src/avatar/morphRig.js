/**
 * Binds channel names (ARKit blend shapes, `viseme_*`) to morph targets of meshes. Shared by the
 * procedural avatar and the GLB loader: a channel can drive several meshes (a GLB has a head,
 * teeth and beard that all carry `jawOpen`).
 */
export class MorphBindings {
  constructor() {
    /** @type {Map<string, Array<{mesh: import('three').Mesh, index: number, scale: number}>>} */
    this.byChannel = new Map();
  }

  bind(channel, mesh, index, scale = 1) {
    if (!this.byChannel.has(channel)) this.byChannel.set(channel, []);
    this.byChannel.get(channel).push({ mesh, index, scale });
  }

  /** Binds every morph target of `mesh` whose name maps to a channel (`rename` may return null). */
  bindMesh(mesh, rename = (name) => name) {
    const dictionary = mesh.morphTargetDictionary || {};
    for (const [name, index] of Object.entries(dictionary)) {
      const channel = rename(name);
      if (channel) this.bind(channel, mesh, index);
    }
  }

  get channels() { return new Set(this.byChannel.keys()); }

  /** Sets every bound channel: the value from `weights`, 0 when absent (clamped to 0..1). */
  apply(weights) {
    for (const [channel, targets] of this.byChannel) {
      const value = Math.min(1, Math.max(0, weights[channel] || 0));
      for (const { mesh, index, scale } of targets) mesh.morphTargetInfluences[index] = value * scale;
    }
  }
}
