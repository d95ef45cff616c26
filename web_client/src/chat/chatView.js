/**
 * The chat panel: message list (customer, assistant and agent clearly apart, each with its time),
 * typing indicator, quick replies, status banner, composer, CSAT. Text from the bot, agents or the
 * customer is always inserted with textContent. The header (who is talking, End chat) is
 * chat/chatHeader.js.
 */
import { el } from './dom.js';
import { Labels } from './labels.js';
import { messageTime } from './time.js';
import { stickToBottom } from './stickToBottom.js';
import { Emitter } from '../protocol/emitter.js';

export class ChatView extends Emitter {
  /**
   * @param {HTMLElement} root  where the panel goes
   * @param {(key: string, values?: object) => string} t  translate function
   * @param {{language: string}} initial
   */
  constructor(root, t, { language }) {
    super();
    this.doc = root.ownerDocument;
    this.labels = new Labels(t);
    this.language = language;
    this.messages = new Map(); // id -> {node, state, time, when}
    this.typingName = null; // who is typing: the assistant (null) or the person who took over
    this.build(root);
  }

  get t() { return this.labels.t; }

  build(root) {
    const d = this.doc;
    const label = (node, key, attribute) => this.labels.add(node, key, attribute);
    // Banners sit above the list in the layout (never over it); the list keeps its end in view.
    this.banner = el(d, 'div', { className: 'banner', role: 'status', 'aria-live': 'polite', hidden: true });
    this.list = el(d, 'ol', { className: 'messages', role: 'log', 'aria-live': 'polite', tabindex: '0' });
    label(this.list, 'messages', 'aria-label');
    this.scroller = stickToBottom(this.list);
    this.typingText = el(d, 'span', { className: 'typing-text' });
    this.typing = el(d, 'div', { className: 'typing', hidden: true }, [el(d, 'span', { className: 'dots', 'aria-hidden': 'true' }, ['•', '•', '•']), this.typingText]);
    this.quick = el(d, 'div', { className: 'quick-replies', role: 'group', hidden: true });
    label(this.quick, 'quickReplies', 'aria-label');
    this.csat = el(d, 'form', { className: 'csat', hidden: true });
    this.input = el(d, 'textarea', { className: 'composer-input', rows: '1', maxlength: '2000', id: 'assistant-input' });
    label(this.input, 'inputPlaceholder', 'placeholder');
    const inputLabel = label(el(d, 'label', { className: 'visually-hidden', for: 'assistant-input' }), 'inputLabel');
    this.sendButton = label(el(d, 'button', { type: 'submit', className: 'send' }), 'send');
    this.composer = el(d, 'form', { className: 'composer' }, [inputLabel, this.input, this.sendButton]);
    root.append(this.banner, this.list, this.typing, this.quick, this.csat, this.composer);
    this.renderTyping();

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
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.scroller.jump();
    this.emit('send', text);
  }

  setTranslator(t, language) {
    this.labels.setTranslator(t);
    this.language = language;
    this.renderTyping();
    for (const { time, when } of this.messages.values()) time.textContent = messageTime(when, language);
  }

  /** Who the typing line names: a person's name, or null for the assistant. */
  setTypingName(name) {
    this.typingName = name;
    this.renderTyping();
  }

  renderTyping() {
    this.typingText.textContent = this.typingName ? this.t('personTyping', { person: this.typingName }) : this.t('typing');
  }

  /**
   * `authorRole` of an agent message: 'agent', or 'supervisor' when a supervisor barged in.
   * `when`: the time the message was sent (the frame's), shown small under it.
   */
  addMessage(id, role, text, { author = null, authorRole = 'agent', status = null, when = new Date() } = {}) {
    if (id && this.messages.has(id)) return this.messages.get(id).node;
    const d = this.doc;
    const name = author ?? (role === 'customer' ? this.t('you') : this.t('assistantName'));
    const suffix = this.t(authorRole === 'supervisor' ? 'supervisorSuffix' : 'agentSuffix');
    const who = el(d, 'span', { className: 'author', text: role === 'agent' ? `${name} ${suffix}` : name });
    const body = el(d, 'p', { className: 'text', text });
    const time = el(d, 'time', { className: 'time', datetime: when.toISOString(), text: messageTime(when, this.language) });
    const state = el(d, 'span', { className: 'status' });
    const node = el(d, 'li', { className: `message message-${role}`, 'data-id': id || '', 'data-role': role }, [who, body, el(d, 'span', { className: 'meta' }, [time, state])]);
    this.list.append(node);
    if (id) this.messages.set(id, { node, state, time, when });
    if (status) this.setStatus(id, status);
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

  /** The rating form; `skippable` (the customer chose End chat) adds "Skip", which emits 'csat_skip'. */
  showCsat({ skippable = false } = {}) {
    if (this.csatDone) return;
    if (!this.csat.hidden) { this.csat.querySelector('.csat-skip')?.toggleAttribute('hidden', !skippable); return; }
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
    const skip = el(d, 'button', { type: 'button', className: 'csat-skip', text: this.t('csatSkip'), hidden: !skippable });
    skip.addEventListener('click', () => { this.csatDone = true; this.csat.hidden = true; this.emit('csat_skip'); });
    this.csat.append(legend, scores, comment, el(d, 'div', { className: 'csat-actions' }, [submit, skip]));
    this.csat.onsubmit = (event) => {
      event.preventDefault();
      if (!chosen) return;
      this.csatDone = true;
      this.csat.hidden = true;
      this.emit('csat', { score: chosen, comment: comment.value.trim() });
    };
    this.csat.hidden = false;
  }

  dispose() { this.scroller.dispose(); }
}
