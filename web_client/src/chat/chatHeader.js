/**
 * The widget's header: who the customer is talking to (the assistant's logo and name, or the
 * person who took over), End chat and, when embedded, Minimise. The language and voice switches
 * are built here too but placed by app.js in a corner of the avatar's stage.
 * Events: 'language' (code), 'voice' (on), 'end', 'minimise'.
 */
import { el } from './dom.js';
import { Labels } from './labels.js';
import { createPersonIcon } from './portrait.js';
import { Emitter } from '../protocol/emitter.js';
import { LANGUAGES } from '../i18n/index.js';

// Short codes keep the switches small in the corner of the stage (clear of the face); each
// option's label is the language's own name for assistive technology.
const LANGUAGE_NAMES = { en: 'English', de: 'Deutsch' };

const SVG = 'http://www.w3.org/2000/svg';
const SPEAKER = 'M3 9v6h4l5 4V5L7 9H3z';
const SOUND_WAVES = 'M15.5 8.5a5 5 0 0 1 0 7M18 6a8.5 8.5 0 0 1 0 12';
const MUTED = 'M16 9l6 6M22 9l-6 6';

function speakerIcon(doc, on) {
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'speaker-icon');
  const body = doc.createElementNS(SVG, 'path');
  body.setAttribute('d', SPEAKER);
  body.setAttribute('fill', 'currentColor');
  const marks = doc.createElementNS(SVG, 'path');
  marks.setAttribute('d', on ? SOUND_WAVES : MUTED);
  for (const [name, value] of [['fill', 'none'], ['stroke', 'currentColor'], ['stroke-width', '2'], ['stroke-linecap', 'round']]) marks.setAttribute(name, value);
  svg.append(body, marks);
  return svg;
}

export class ChatHeader extends Emitter {
  /**
   * @param {Document} doc
   * @param {(key: string, values?: object) => string} t
   * @param {{language: string, voice: boolean, name: string, logoUrl: string|null, heading?: 'h1'|'h2', minimisable?: boolean}} options
   */
  constructor(doc, t, { language, voice, name, logoUrl, heading = 'h2', minimisable = false }) {
    super();
    this.doc = doc;
    this.labels = new Labels(t);
    this.voice = voice;
    this.assistant = { name, logoUrl };
    this.person = null; // the agent's name while a person has taken over

    this.badge = el(doc, 'span', { className: 'identity-badge', 'aria-hidden': 'true' });
    this.title = el(doc, heading, { className: 'title', id: 'assistant-title' });
    this.subtitle = el(doc, 'p', { className: 'subtitle' });
    const identity = el(doc, 'div', { className: 'identity' }, [this.badge, el(doc, 'div', { className: 'identity-text' }, [this.title, this.subtitle])]);
    this.endButton = this.labels.add(el(doc, 'button', { type: 'button', className: 'end' }), 'endChat');
    this.minimiseButton = minimisable ? el(doc, 'button', { type: 'button', className: 'minimise icon-button' }, [
      el(doc, 'span', { className: 'icon-minimise', 'aria-hidden': 'true', text: '⌄' }), el(doc, 'span', { className: 'icon-close', 'aria-hidden': 'true', text: '×' })]) : null;
    if (this.minimiseButton) this.labels.add(this.minimiseButton, 'minimise', 'aria-label');
    this.element = el(doc, 'header', { className: 'chat-header' }, [identity, el(doc, 'div', { className: 'controls' }, [this.endButton, this.minimiseButton])]);

    this.languageSelect = el(doc, 'select', { className: 'language', id: 'assistant-language' },
      LANGUAGES.map((code) => el(doc, 'option', { value: code, label: code.toUpperCase(), 'aria-label': LANGUAGE_NAMES[code] || code, text: code.toUpperCase() })));
    this.languageSelect.value = language;
    const languageLabel = this.labels.add(el(doc, 'label', { className: 'visually-hidden', for: 'assistant-language' }), 'language');
    this.voiceIcon = el(doc, 'span', { className: 'voice-icon', 'aria-hidden': 'true' });
    this.voiceButton = el(doc, 'button', { type: 'button', className: 'voice', 'aria-pressed': String(voice) }, [this.voiceIcon]);
    this.tools = el(doc, 'div', { className: 'stage-tools' }, [languageLabel, this.languageSelect, this.voiceButton]);

    this.languageSelect.addEventListener('change', () => this.emit('language', this.languageSelect.value));
    this.voiceButton.addEventListener('click', () => { this.voice = !this.voice; this.render(); this.emit('voice', this.voice); });
    this.endButton.addEventListener('click', () => this.emit('end'));
    this.minimiseButton?.addEventListener('click', () => this.emit('minimise'));
    this.render();
  }

  get t() { return this.labels.t; }

  setTranslator(t, language) {
    this.labels.setTranslator(t);
    this.languageSelect.value = language;
    this.render();
  }

  /** A person has taken over (`name` may be null until their first message), or null: the assistant again. */
  setPerson(name) {
    this.person = name === null ? null : { name };
    this.render();
  }

  render() {
    const { doc, t } = this;
    this.voiceButton.setAttribute('aria-pressed', String(this.voice));
    // Pressed = the assistant speaks; the label says the state, the icon shows it.
    this.voiceButton.setAttribute('aria-label', t('voice'));
    this.voiceButton.title = t(this.voice ? 'voiceOn' : 'voiceOff');
    this.voiceIcon.replaceChildren(speakerIcon(doc, this.voice));
    this.badge.replaceChildren();
    if (this.person) {
      this.badge.dataset.kind = 'person';
      this.badge.append(createPersonIcon(doc));
      this.title.textContent = this.person.name || t('agentFallbackName');
      this.subtitle.textContent = t('personRole');
    } else {
      this.badge.dataset.kind = this.assistant.logoUrl ? 'logo' : 'initial';
      this.badge.append(this.assistant.logoUrl
        ? el(doc, 'img', { className: 'logo', src: this.assistant.logoUrl, alt: '' })
        : el(doc, 'span', { text: this.assistant.name.slice(0, 1).toUpperCase() }));
      this.title.textContent = this.assistant.name;
      this.subtitle.textContent = t('assistantRole');
    }
  }
}
