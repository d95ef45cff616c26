/**
 * The embedded widget's shell: a launcher button in the shop's bottom-right corner that opens
 * and closes the chat panel, with a badge counting messages that arrived while it was closed.
 * The conversation is mounted on first open (a shop page view costs no session and no 3D scene)
 * or at once when this tab already has a conversation or the shop signed the customer in (the
 * bot may have something to tell them). Closing only hides the panel: the conversation goes on
 * and resumes after a page change (the session is in sessionStorage, protocol/connection.js).
 * When the conversation ends the panel collapses and the next open starts a new one.
 */
import { el } from '../chat/dom.js';

const STATE_KEY = 'avatar-assistant:widget';
const COLLAPSE_AFTER_END_MS = 1500; // long enough to read "thank you"

function chatIcon(doc) {
  const svg = doc.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'launcher-icon');
  const path = doc.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

export class WidgetShell {
  /**
   * @param {HTMLElement} container  inside the widget's shadow root
   * @param {{t: Function, logoUrl: string|null, storage: Storage|null, eager: boolean,
   *          mount: (panel: HTMLElement, hooks: import('../app.js').ShellHooks) => Promise<{dispose(): void, focus?(): void}>}} options
   *   eager: mount now even though the panel stays closed (a signed-in customer)
   */
  constructor(container, { t, logoUrl = null, storage = null, eager = false, mount }) {
    const doc = container.ownerDocument;
    Object.assign(this, { t, storage, mountInto: mount });
    this.handle = null;
    this.mounting = null;
    this.unread = 0;
    this.badge = el(doc, 'span', { className: 'unread-badge', 'aria-hidden': 'true', hidden: true });
    const face = logoUrl ? el(doc, 'img', { className: 'launcher-logo', src: logoUrl, alt: '' }) : chatIcon(doc);
    const closeGlyph = el(doc, 'span', { className: 'launcher-close', 'aria-hidden': 'true', text: '×' });
    this.launcher = el(doc, 'button', { type: 'button', className: 'launcher', 'aria-controls': 'assistant-panel', 'aria-expanded': 'false' }, [face, closeGlyph, this.badge]);
    this.panel = el(doc, 'div', { className: 'panel', id: 'assistant-panel', role: 'dialog', 'aria-labelledby': 'assistant-title', hidden: true });
    this.element = el(doc, 'div', { className: 'shell', 'data-open': 'false' }, [this.panel, this.launcher]);
    container.append(this.element);

    this.launcher.addEventListener('click', () => (this.isOpen ? this.close() : this.open()));
    this.panel.addEventListener('keydown', (event) => { if (event.key === 'Escape') { event.stopPropagation(); this.close(); } });
    const saved = this.load();
    this.active = saved.active;
    this.render();
    if (saved.open) this.open({ focus: false });
    else if (saved.active || eager) this.ensureMounted();
  }

  get isOpen() { return this.element.dataset.open === 'true'; }

  load() {
    try { return { open: false, active: false, ...JSON.parse(this.storage?.getItem(STATE_KEY) || '{}') }; } catch { return { open: false, active: false }; }
  }

  save() {
    try { this.storage?.setItem(STATE_KEY, JSON.stringify({ open: this.isOpen, active: this.active })); } catch { /* storage blocked: forgotten on reload */ }
  }

  ensureMounted() {
    if (this.handle) return Promise.resolve(this.handle);
    if (!this.mounting) {
      this.active = true;
      this.save();
      const hooks = {
        minimise: () => this.close(),
        incoming: () => { if (!this.isOpen) { this.unread += 1; this.render(); } },
        ended: () => this.ended(),
      };
      this.mounting = this.mountInto(this.panel, hooks).then((handle) => { this.handle = handle; return handle; })
        .finally(() => { this.mounting = null; });
    }
    return this.mounting;
  }

  async open({ focus = true } = {}) {
    this.element.dataset.open = 'true';
    this.panel.hidden = false;
    this.unread = 0;
    this.render();
    this.save();
    const handle = await this.ensureMounted();
    // On a phone the keyboard would cover half the sheet before the customer chose to type.
    const phone = this.panel.ownerDocument.defaultView?.matchMedia?.('(max-width: 480px)').matches;
    if (focus && this.isOpen && !phone) handle.focus?.();
  }

  close() {
    if (!this.isOpen) return;
    this.element.dataset.open = 'false';
    this.panel.hidden = true;
    this.render();
    this.save();
    this.launcher.focus();
  }

  /** The conversation ended: collapse, and let the next open start afresh. */
  ended() {
    this.active = false;
    this.save();
    setTimeout(() => {
      this.close();
      this.handle?.dispose();
      this.handle = null;
      this.panel.replaceChildren();
      this.unread = 0;
      this.render();
    }, COLLAPSE_AFTER_END_MS);
  }

  render() {
    const open = this.isOpen;
    this.launcher.setAttribute('aria-expanded', String(open));
    this.badge.hidden = open || this.unread === 0;
    this.badge.textContent = String(Math.min(this.unread, 9)) + (this.unread > 9 ? '+' : '');
    const label = open ? this.t('closeChat') : this.t('openChat');
    this.launcher.setAttribute('aria-label', this.unread && !open ? `${label} (${this.t('unread', { count: this.unread })})` : label);
  }
}
