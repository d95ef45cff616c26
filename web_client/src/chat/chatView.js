/**
 * The chat panel: message list (customer, assistant and agent clearly apart), typing indicator,
 * quick replies, status banner, composer, CSAT. Text from the bot, agents or the customer is
 * always inserted with textContent.
 */
import { el } from './dom.js';
import { Emitter } from '../protocol/emitter.js';
import { LANGUAGES } from '../i18n/index.js';

export class ChatView extends Emitter {
  /**
   * @param {HTMLElement} root  where the panel goes
   * @param {(key: string, values?: object) => string} t  translate function
   * @param {{language: string, voice: boolean, heading?: 'h1'|'h2'}} initial  heading: h2 when embedded in someone else's page
   */
  constructor(root, t, { language, voice, heading = 'h2' }) {
    super();
    this.heading = heading;
    this.doc = root.ownerDocument;
    this.t = t;
    this.language = language;
    this.voice = voice;
    this.messages = new Map(); // id -> {node, status}
    this.labelled = []; // [node, key, attribute|null]
    this.build(root);
  }

  label(node, key, attribute = null) {
    this.labelled.push([node, key, attribute]);
    this.applyLabel(node, key, attribute);
    return node;
  }

  applyLabel(node, key, attribute) {
    if (attribute) node.setAttribute(attribute, this.t(key)); else node.textContent = this.t(key);
  }

  build(root) {
    const d = this.doc;
    this.banner = el(d, 'div', { className: 'banner', role: 'status', 'aria-live': 'polite', hidden: true });
    this.list = el(d, 'ol', { className: 'messages', role: 'log', 'aria-live': 'polite', tabindex: '0' });
    this.label(this.list, 'messages', 'aria-label');
    this.typing = el(d, 'div', { className: 'typing', hidden: true }, [el(d, 'span', { className: 'dots', 'aria-hidden': 'true' }, ['•', '•', '•']), el(d, 'span', { className: 'typing-text' })]);
    this.label(this.typing.lastChild, 'typing');
    this.quick = el(d, 'div', { className: 'quick-replies', role: 'group', hidden: true });
    this.label(this.quick, 'quickReplies', 'aria-label');
    this.csat = el(d, 'form', { className: 'csat', hidden: true });
    this.input = el(d, 'textarea', { className: 'composer-input', rows: '1', maxlength: '2000', id: 'assistant-input' });
    this.label(this.input, 'inputPlaceholder', 'placeholder');
    const inputLabel = this.label(el(d, 'label', { className: 'visually-hidden', for: 'assistant-input' }), 'inputLabel');
    this.sendButton = this.label(el(d, 'button', { type: 'submit', className: 'send' }), 'send');
    this.composer = el(d, 'form', { className: 'composer' }, [inputLabel, this.input, this.sendButton]);
    this.languageSelect = el(d, 'select', { className: 'language', id: 'assistant-language' },
      LANGUAGES.map((code) => el(d, 'option', { value: code, text: code === 'en' ? 'English' : 'Deutsch' })));
    this.languageSelect.value = this.language;
    const languageLabel = this.label(el(d, 'label', { className: 'visually-hidden', for: 'assistant-language' }), 'language');
    this.voiceButton = el(d, 'button', { type: 'button', className: 'voice', 'aria-pressed': String(this.voice) });
    this.endButton = this.label(el(d, 'button', { type: 'button', className: 'end' }), 'endChat');
    this.title = this.label(el(d, this.heading, { className: 'title' }), 'title');
    const header = el(d, 'header', { className: 'chat-header' }, [this.title, el(d, 'div', { className: 'controls' }, [languageLabel, this.languageSelect, this.voiceButton, this.endButton])]);
    root.append(header, this.banner, this.list, this.typing, this.quick, this.csat, this.composer);
    this.updateVoiceButton();

    this.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); this.submit(); }
    });
    let typingTimer = null;
    this.input.addEventListener('input', () => {
      if (!typingTimer) this.emit('typing', true);
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => { typingTimer = null; this.emit('typing', false); }, 1500);
    });
    this.languageSelect.addEventListener('change', () => this.emit('language', this.languageSelect.value));
    this.voiceButton.addEventListener('click', () => { this.voice = !this.voice; this.updateVoiceButton(); this.emit('voice', this.voice); });
    this.endButton.addEventListener('click', () => this.emit('end'));
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.emit('send', text);
  }

  updateVoiceButton() {
    this.voiceButton.setAttribute('aria-pressed', String(this.voice));
    this.voiceButton.textContent = this.t(this.voice ? 'voiceOn' : 'voiceOff');
  }

  setTranslator(t, language) {
    this.t = t;
    this.language = language;
    this.languageSelect.value = language;
    for (const [node, key, attribute] of this.labelled) this.applyLabel(node, key, attribute);
    this.updateVoiceButton();
  }

  /** `authorRole` of an agent message: 'agent', or 'supervisor' when a supervisor barged in. */
  addMessage(id, role, text, { author = null, authorRole = 'agent', status = null } = {}) {
    if (id && this.messages.has(id)) return this.messages.get(id).node;
    const d = this.doc;
    const name = author ?? (role === 'customer' ? this.t('you') : this.t('assistantName'));
    const suffix = this.t(authorRole === 'supervisor' ? 'supervisorSuffix' : 'agentSuffix');
    const who = el(d, 'span', { className: 'author', text: role === 'agent' ? `${name} ${suffix}` : name });
    const body = el(d, 'p', { className: 'text', text });
    const state = el(d, 'span', { className: 'status' });
    const node = el(d, 'li', { className: `message message-${role}`, 'data-id': id || '', 'data-role': role }, [who, body, state]);
    this.list.append(node);
    if (id) this.messages.set(id, { node, state });
    if (status) this.setStatus(id, status);
    node.scrollIntoView?.({ block: 'end' });
    return node;
  }

  setStatus(id, status, reason = '') {
    const entry = this.messages.get(id);
    if (!entry) return;
    entry.node.dataset.status = status;
    entry.state.textContent = status === 'sending' ? this.t('sending') : status === 'failed' ? this.t('failed', { reason }) : '';
  }

  addNotice(text) {
    const node = el(this.doc, 'li', { className: 'message message-notice', 'data-role': 'notice', text });
    this.list.append(node);
    return node;
  }

  showTyping(active) { this.typing.hidden = !active; }

  setQuickReplies(buttons) {
    this.quick.replaceChildren();
    for (const { title, payload } of buttons || []) {
      const button = el(this.doc, 'button', { type: 'button', className: 'quick-reply', text: title });
      button.addEventListener('click', () => { this.setQuickReplies([]); this.emit('quick_reply', { title, payload }); });
      this.quick.append(button);
    }
    this.quick.hidden = !buttons || buttons.length === 0;
  }

  setBanner(text, kind = 'info') {
    this.banner.hidden = !text;
    this.banner.dataset.kind = kind;
    this.banner.textContent = text || '';
  }

  showCsat() {
    if (!this.csat.hidden || this.csatDone) return;
    const d = this.doc;
    this.csat.replaceChildren();
    const legend = el(d, 'p', { className: 'csat-question', id: 'csat-question', text: this.t('csatQuestion') });
    const scores = el(d, 'div', { className: 'csat-scores', role: 'radiogroup', 'aria-labelledby': 'csat-question' });
    let chosen = 0;
    for (let score = 1; score <= 5; score += 1) {
      const button = el(d, 'button', { type: 'button', className: 'csat-score', role: 'radio', 'aria-checked': 'false', 'aria-label': this.t('csatScore', { score }), text: '★' });
      button.addEventListener('click', () => {
        chosen = score;
        for (const [i, b] of [...scores.children].entries()) { b.setAttribute('aria-checked', String(i + 1 === score)); b.classList.toggle('on', i < score); }
      });
      scores.append(button);
    }
    const comment = el(d, 'textarea', { className: 'csat-comment', maxlength: '1000', rows: '2', 'aria-label': this.t('csatComment'), placeholder: this.t('csatComment') });
    const submit = el(d, 'button', { type: 'submit', className: 'csat-submit', text: this.t('csatSubmit') });
    this.csat.append(legend, scores, comment, submit);
    this.csat.onsubmit = (event) => {
      event.preventDefault();
      if (!chosen) return;
      this.csatDone = true;
      this.csat.hidden = true;
      this.emit('csat', { score: chosen, comment: comment.value.trim() });
    };
    this.csat.hidden = false;
  }
}
