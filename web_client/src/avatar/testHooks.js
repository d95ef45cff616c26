/**
 * `window.__avatarTest`, only when the bridge says test hooks are on (development, not production:
 * GET /avatar.json `test_hooks`). The page's CSP forbids eval, so tests call these through
 * Playwright's page.evaluate. `record()` samples every frame on the speech clock: which sentence is
 * spoken, the expression aimed at and the model's own morph target values.
 */
export function installTestHooks(win, getAvatar, performer) {
  let samples = [];
  let recording = 0;
  const sample = () => {
    const avatar = getAvatar();
    const state = performer.state();
    const morphs = {};
    for (const [name, value] of Object.entries(avatar?.rig.morphValues?.() || {})) if (value > 0.001) morphs[name] = Math.round(value * 1000) / 1000;
    return { ...state, expression: avatar ? avatar.expressions.activeName(avatar.now) : null, weights: avatar?.snapshot().weights ?? {}, morphs };
  };
  const step = () => {
    if (performer.speaking) samples.push(sample());
    recording = requestAnimationFrame(step);
  };
  const hooks = Object.freeze({
    sample,
    record() { samples = []; cancelAnimationFrame(recording); recording = requestAnimationFrame(step); },
    stop() { cancelAnimationFrame(recording); recording = 0; return samples; },
    samples: () => samples,
    /** Frame timing with requestAnimationFrame over `ms` (the benchmark, CSP-compatible). */
    async rafIntervals(ms = 3000) {
      const times = [];
      await new Promise((resolve) => {
        const start = performance.now();
        const tick = (now) => { times.push(now); if (now - start < ms) requestAnimationFrame(tick); else resolve(); };
        requestAnimationFrame(tick);
      });
      return times.slice(1).map((t, i) => t - times[i]);
    },
  });
  Object.defineProperty(win, '__avatarTest', { value: hooks, configurable: true });
}
