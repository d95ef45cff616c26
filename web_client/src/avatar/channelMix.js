/**
 * Mixes the vocabulary's channel weights into an avatar's own targets (morph targets or VRM
 * expressions) as a mapping file says: each target is the clamped sum of its channels' weighted
 * contributions; "follow" targets (teeth) copy a weighted share of another target afterwards.
 * Everything is flattened once, so a frame allocates nothing.
 */
export class ChannelMixer {
  /**
   * @param {Record<string, Record<string, number>>} channels  channel -> {target: weight}
   * @param {Record<string, Record<string, number>>} [follow]  source target -> {target: weight}
   */
  constructor(channels, follow = {}) {
    this.targets = [];
    const indexOf = new Map();
    const index = (name) => {
      if (!indexOf.has(name)) { indexOf.set(name, this.targets.length); this.targets.push(name); }
      return indexOf.get(name);
    };
    this.terms = [];
    for (const [channel, targets] of Object.entries(channels)) {
      for (const [target, weight] of Object.entries(targets)) this.terms.push({ channel, target: index(target), weight });
    }
    this.follow = [];
    for (const [source, targets] of Object.entries(follow)) {
      for (const [target, weight] of Object.entries(targets)) this.follow.push({ source: index(source), target: index(target), weight });
    }
    this.values = new Float32Array(this.targets.length);
  }

  /** @param {Record<string, number>} weights channel weights; returns values in `targets` order (reused). */
  mix(weights) {
    const values = this.values;
    values.fill(0);
    for (const { channel, target, weight } of this.terms) values[target] += (weights[channel] || 0) * weight;
    for (let i = 0; i < values.length; i += 1) values[i] = Math.min(1, Math.max(0, values[i]));
    for (const { source, target, weight } of this.follow) values[target] = Math.min(1, values[target] + values[source] * weight);
    return values;
  }

  /** The targets as a name -> value object (tests, diagnostics). */
  mixNamed(weights) {
    const values = this.mix(weights);
    return Object.fromEntries(this.targets.map((name, i) => [name, values[i]]));
  }
}
