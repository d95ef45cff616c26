/**
 * The assistant's name and the widget's look: the deployment's settings (the bridge's
 * /widget-config.json) with the embedding shop's overrides from the script tag's data-attributes
 * (docs/shop-integration.md "Name and look"). The name is the deployment's only: the bot
 * introduces itself with it too, so a page must not rename one half of the pair.
 *
 * @typedef {Object} Look
 * @property {string} name  what the assistant is called, on the page and by the bot
 * @property {string} accent  #rgb or #rrggbb
 * @property {string|null} logoUrl  absolute URL of the logo, or null for the name's initial
 * @property {{en: string|null, de: string|null}} greeting  null: the built-in greeting
 */

export const DEFAULT_LOOK = Object.freeze({ name: 'Mila', accent: '#1f6f6a', logoUrl: null, greeting: Object.freeze({ en: null, de: null }) });
const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const MAX_NAME = 40;
const MAX_GREETING = 300;

export function isHexColour(value) {
  return typeof value === 'string' && HEX_COLOUR.test(value);
}

/**
 * An absolute logo URL: https anywhere, or any URL on `sameOrigin` (the bridge for its own
 * setting, the shop page for a data-attribute); null for anything else.
 */
export function safeLogoUrl(value, base, sameOrigin) {
  if (typeof value !== 'string' || !value.trim()) return null;
  try {
    const url = new URL(value, base);
    if (url.protocol === 'https:' || url.origin === sameOrigin) return url.href;
  } catch { /* not a URL */ }
  return null;
}

function shortText(value, max) {
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/\s+/g, ' ');
  return text && text.length <= max ? text : null;
}

/** Keeps the valid fields of `candidate` over `look`; warns about the rest (degrade, never fail). */
function overlay(look, candidate, source) {
  const next = { ...look, greeting: { ...look.greeting } };
  const reject = (field) => console.warn(`widget ${field} from ${source} ignored: not valid (docs/shop-integration.md)`);
  if (candidate.name !== undefined) { const name = shortText(candidate.name, MAX_NAME); if (name) next.name = name; else reject('name'); }
  if (candidate.accent !== undefined) { if (isHexColour(candidate.accent)) next.accent = candidate.accent.toLowerCase(); else reject('accent'); }
  if (candidate.logoUrl !== undefined) { if (candidate.logoUrl) next.logoUrl = candidate.logoUrl; else reject('logo'); }
  for (const language of Object.keys(next.greeting)) {
    const value = candidate.greeting?.[language];
    if (value === undefined || value === null) continue;
    const text = shortText(value, MAX_GREETING);
    if (text) next.greeting[language] = text; else reject(`greeting (${language})`);
  }
  return next;
}

/**
 * @param {object|null} served  the bridge's /widget-config.json, or null when it could not be read
 * @param {DOMStringMap} dataset  the script tag's data-attributes
 * @param {{bridgeOrigin: string, pageUrl: string}} where
 * @returns {Look}
 */
export function resolveLook(served, dataset, { bridgeOrigin, pageUrl }) {
  let look = { ...DEFAULT_LOOK, greeting: { ...DEFAULT_LOOK.greeting } };
  if (served && typeof served === 'object') {
    look = overlay(look, {
      name: served.name ?? undefined,
      accent: served.accent ?? undefined,
      logoUrl: served.logo_url ? safeLogoUrl(served.logo_url, bridgeOrigin, bridgeOrigin) : undefined,
      greeting: served.greeting,
    }, 'the bridge');
  }
  const pageOrigin = new URL(pageUrl).origin;
  return overlay(look, {
    accent: dataset.accent,
    logoUrl: dataset.logoUrl !== undefined ? safeLogoUrl(dataset.logoUrl, pageUrl, pageOrigin) : undefined,
    greeting: { en: dataset.greetingEn, de: dataset.greetingDe },
  }, 'the page');
}

/** Text colour that stays readable on `accent` (WCAG relative luminance). */
export function inkOn(accent) {
  const hex = accent.length === 4 ? accent.replace(/[0-9a-f]/gi, (d) => d + d) : accent;
  const channel = (i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.4 ? '#1f2a30' : '#ffffff';
}

/** The look's colours as CSS custom properties on `node`. */
export function applyLook(node, look) {
  node.style.setProperty('--accent', look.accent);
  node.style.setProperty('--accent-ink', inkOn(look.accent));
}
