/**
 * Entry of dist/widget.js. Embed on any page with
 *   <script src="https://bridge.example/widget.js" defer></script>
 * It shows a launcher button that opens the assistant, which talks to the bridge it was loaded
 * from. The full page served at `/` loads the same script with data-mode="page" (no launcher,
 * always open). Optional attributes (docs/shop-integration.md): data-customer-token (the shop's
 * signed-in customer), data-accent, data-logo-url, data-greeting-en, data-greeting-de.
 * The name and the rest of the look come from the bridge's /widget-config.json.
 */
import stylesheet from './styles.css?inline';
import { mountAssistant, namedTranslator } from './app.js';
import { el } from './chat/dom.js';
import { applyLook, resolveLook } from './shell/look.js';
import { WidgetShell } from './shell/launcher.js';
import { mountFacePreview } from './preview/facePreview.js';
import { LANGUAGES, pickLanguage } from './i18n/index.js';

async function servedLook(bridgeOrigin) {
  try {
    const response = await fetch(new URL('/widget-config.json', bridgeOrigin), { credentials: 'omit' });
    if (response.ok) return await response.json();
    console.warn(`widget settings unavailable (${response.status}): using the defaults`);
  } catch (error) {
    console.warn('widget settings unavailable: using the defaults', error);
  }
  return null;
}

function storageOf(win) {
  try { return win.sessionStorage; } catch { return null; }
}

async function start(script) {
  const bridgeOrigin = new URL(script?.src || location.href, location.href).origin;
  const dataset = script?.dataset || {};
  const mode = dataset.mode === 'page' ? 'page' : 'widget';
  const customerToken = dataset.customerToken || null;
  const params = new URLSearchParams(location.search);
  const host = document.createElement('div');
  host.id = 'avatar-assistant';
  document.body.append(host);
  const shadow = host.attachShadow({ mode: 'open' });
  const look = resolveLook(await servedLook(bridgeOrigin), dataset, { bridgeOrigin, pageUrl: location.href });
  const container = el(document, 'div', { className: 'look' });
  applyLook(container, look);
  shadow.append(el(document, 'style', { text: stylesheet }), container);
  const mount = (target, shell = null) => mountAssistant(target, { bridgeOrigin, mode, customerToken, params, look, shell, window });
  if (mode === 'page' && params.get('preview') === 'face') {
    await mountFacePreview(container, { bridgeOrigin, params, window });
    return;
  }
  if (mode === 'page') {
    await mount(container);
    return;
  }
  const requested = params.get('lang');
  const language = LANGUAGES.includes(requested) ? requested : pickLanguage(navigator.languages || []);
  new WidgetShell(container, {
    t: namedTranslator(language, look.name),
    logoUrl: look.logoUrl,
    storage: storageOf(window),
    eager: !!customerToken,
    mount,
  });
}

// document.currentScript is only set while the script runs, so read it now.
const current = document.currentScript || document.querySelector('script[src$="widget.js"]');
const run = () => start(current).catch((error) => console.error('the assistant could not start', error));
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
else run();
