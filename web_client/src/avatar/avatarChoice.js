/**
 * Which avatar the page shows. The bridge decides (an admin's choice in the console, else the
 * deployment's AVATAR_BRIDGE_AVATAR_MODEL, read from `GET /avatar.json`); page switches may pick another shipped model (`avatar=valid-man`),
 * the procedural head (`avatar=procedural`), or a model file from the bridge's or the page's own
 * origin (`avatar=glb|vrm&avatar_url=...`, ARKit-named GLBs or VRM). Under software WebGL (no GPU)
 * a realistic model loads slimmed (loaders/softwareProfile.js) and gives way to the procedural head
 * if it still runs below the frame-rate floor; `allow_software_webgl` keeps it regardless (tests and
 * the benchmark, which must measure the model itself).
 */

/**
 * A model URL from the query string, only from the bridge's or the page's own origin (a link must
 * not make the customer's browser fetch models from anywhere); null otherwise.
 */
export function trustedModelUrl(url, bridgeOrigin, location) {
  if (!url) return null;
  try {
    const resolved = new URL(url, location.href);
    return [bridgeOrigin, location.origin].includes(resolved.origin) ? resolved.href : null;
  } catch {
    return null;
  }
}

/** The bridge's avatar configuration, or null when it cannot be read (then: procedural head). */
export async function fetchAvatarConfig(bridgeOrigin, fetchImpl = globalThis.fetch) {
  try {
    const response = await fetchImpl(new URL('/avatar.json', bridgeOrigin).href, { credentials: 'omit' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.json();
  } catch (error) {
    console.warn('avatar configuration unavailable, using the procedural head', error);
    return null;
  }
}

/**
 * Avatar options (facade.js AvatarOptions, without motion switches) for the page switches and the
 * bridge's configuration.
 * @param {URLSearchParams} params
 * @param {object|null} config  from fetchAvatarConfig
 */
export function chooseAvatar(params, config, bridgeOrigin, location) {
  const requested = params.get('avatar');
  if (requested === 'glb' || requested === 'vrm') {
    const url = trustedModelUrl(params.get('avatar_url'), bridgeOrigin, location);
    if (url) return { kind: requested, url, family: 'arkit', allowSoftware: true };
    console.warn('avatar_url missing or from another origin: using the default avatar');
  }
  const models = config?.models || {};
  const id = requested && (requested === 'procedural' || models[requested]) ? requested : config?.model;
  const model = models[id];
  if (!model) return { kind: 'procedural' };
  const allowSoftware = params.has('allow_software_webgl');
  return { kind: 'glb', family: model.family, url: new URL(model.url, bridgeOrigin).href, maxBytes: config.max_bytes, allowSoftware };
}
