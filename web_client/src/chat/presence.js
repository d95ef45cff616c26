/**
 * Who the customer is talking to, shown where they look: the assistant (its avatar) or the
 * person from the team who took over (their name and a neutral person icon, in the header and
 * in front of the avatar, which steps back: dimmed, silent, still). Driven by the handoff's
 * `status` frames (docs/protocol.md §9) and the agents' names on their messages.
 */
import { el } from './dom.js';
import { createPersonIcon } from './portrait.js';

// The handoff states in which a person, not the assistant, answers the customer.
const PERSON_STATES = new Set(['with_agent']);
const ASSISTANT_STATES = new Set(['bot', 'agent_left']);

export class Presence {
  /**
   * @param {{root: HTMLElement, stage: HTMLElement, header: import('./chatHeader.js').ChatHeader,
   *          view: import('./chatView.js').ChatView, t: Function, onPerson: () => void}} parts
   *   onPerson: called when a person takes over (app.js silences the avatar)
   */
  constructor({ root, stage, header, view, t, onPerson }) {
    Object.assign(this, { root, header, view, t, onPerson });
    const doc = root.ownerDocument;
    this.name = el(doc, 'p', { className: 'person-name' });
    this.role = el(doc, 'p', { className: 'person-role' });
    this.card = el(doc, 'div', { className: 'person-card', hidden: true, role: 'img' },
      [el(doc, 'span', { className: 'person-disc' }, [createPersonIcon(doc)]), this.name, this.role]);
    stage.append(this.card);
    this.person = null; // null: the assistant; else {name}
  }

  get withPerson() { return this.person !== null; }

  /** A `status` frame's state; `agentName` is the last agent who wrote (the frame names no one). */
  status(state, agentName) {
    if (PERSON_STATES.has(state)) this.showPerson(agentName);
    else if (ASSISTANT_STATES.has(state)) this.showAssistant();
  }

  /** An agent's message: the person is named (a barging supervisor replaces the name shown). */
  agentMessage(name) {
    this.showPerson(name || this.person?.name || null);
  }

  showPerson(name) {
    const first = !this.person;
    this.person = { name: name || null };
    this.root.dataset.speaker = 'person';
    this.header.setPerson(this.person.name);
    this.view.setTypingName(this.person.name || this.t('agentFallbackName'));
    this.render();
    this.card.hidden = false;
    if (first) this.onPerson();
  }

  showAssistant() {
    this.person = null;
    this.root.dataset.speaker = 'assistant';
    this.header.setPerson(null);
    this.view.setTypingName(null);
    this.card.hidden = true;
  }

  setTranslator(t) {
    this.t = t;
    if (this.person) this.showPerson(this.person.name);
  }

  render() {
    const name = this.person.name || this.t('agentFallbackName');
    this.name.textContent = name;
    this.role.textContent = this.t('personHelping');
    this.card.setAttribute('aria-label', this.t('personLabel', { person: name }));
  }
}
