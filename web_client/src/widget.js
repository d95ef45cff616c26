/**
 * Entry of dist/widget.js. Embed on any page with
 *   <script src="https://bridge.example/widget.js" defer></script>
 * It mounts the assistant and talks to the bridge it was loaded from. The full page served at `/`
 * loads the same script with data-mode="page". A shop whose customer is signed in adds its
 * customer token (docs/shop-integration.md):
 *   <script src="https://bridge.example/widget.js" data-customer-token="v1.…" defer></script>
 */
import { mountAssistant } from './app.js';

function start(script) {
  const bridgeOrigin = new URL(script?.src || location.href, location.href).origin;
  const mode = script?.dataset.mode === 'page' ? 'page' : 'widget';
  const customerToken = script?.dataset.customerToken || null;
  const host = document.createElement('div');
  host.id = 'avatar-assistant';
  document.body.append(host);
  mountAssistant(host, { bridgeOrigin, mode, customerToken, params: new URLSearchParams(location.search), window }).catch((error) => {
    console.error('the assistant could not start', error);
  });
}

// document.currentScript is only set while the script runs, so read it now.
const current = document.currentScript || document.querySelector('script[src$="widget.js"]');
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => start(current));
else start(current);
