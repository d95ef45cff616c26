import { describe, expect, it } from 'vitest';
import { contactChosenNotice, contactOffers, statusEffect } from '../src/chat/handoffStatus.js';
import { ChatView } from '../src/chat/chatView.js';
import { translator } from '../src/i18n/index.js';

const en = translator('en');
const de = translator('de');

describe('status frames from the handoff', () => {
  it('hand-back: a notice in the transcript, a banner that the assistant answers again, no rating', () => {
    const text = "You're back with the assistant; Mia has handed you back to me.";
    expect(statusEffect({ state: 'bot', text }, en)).toEqual({
      banner: { text: en('backWithAssistant'), kind: 'bot' }, notice: text, askRating: false, offers: [],
    });
    // Without the service's text the widget says it itself, in the customer's language.
    expect(statusEffect({ state: 'bot' }, de).notice).toBe(de('handedBack'));
    expect(de('handedBack')).not.toBe(en('handedBack'));
  });

  it('the agent ended the conversation: a notice and the rating form', () => {
    const effect = statusEffect({ state: 'agent_left', text: 'Mia has finished the conversation.' }, en);
    expect(effect).toEqual({ banner: { text: en('backWithAssistant'), kind: 'bot' },
      notice: 'Mia has finished the conversation.', askRating: true, offers: [] });
  });

  it('queued and with an agent: the banner only', () => {
    expect(statusEffect({ state: 'queued', queue_position: 2, estimated_wait_s: 120 }, en))
      .toEqual({ banner: { text: `${en('queuePosition', { position: 2 })} ${en('estimatedWait', { minutes: 2 })}`, kind: 'agent' }, notice: null, askRating: false, offers: [] });
    expect(statusEffect({ state: 'with_agent' }, en, 'Mia').banner).toEqual({ text: en('withAgent', { name: 'Mia' }), kind: 'agent' });
  });
});

describe('a long wait', () => {
  const frame = { state: 'queued', queue_position: 9, estimated_wait_s: 7200, estimated_wait_min_s: 7200,
    contact_options: ['callback', 'email'], text: 'You are number 9 ... call you back or answer by e-mail instead.' };

  it('offers a call back and an e-mail reply as quick replies in the customer\'s language', () => {
    const effect = statusEffect(frame, de);
    expect(effect.banner).toEqual({ text: frame.text, kind: 'agent' });
    expect(effect.offers).toEqual([
      { title: de('contactCallback'), payload: '/contact_request{"via":"callback"}' },
      { title: de('contactEmail'), payload: '/contact_request{"via":"email"}' },
    ]);
    expect(de('contactCallback')).not.toBe(en('contactCallback'));
  });

  it('offers nothing for a short wait, for other states, or for options it does not know', () => {
    expect(statusEffect({ ...frame, contact_options: undefined }, en).offers).toEqual([]);
    expect(statusEffect({ state: 'with_agent', contact_options: ['callback'] }, en).offers).toEqual([]);
    expect(contactOffers(['fax', 'email', 42], en).map((offer) => offer.payload)).toEqual(['/contact_request{"via":"email"}']);
    expect(contactOffers('callback', en)).toEqual([]);
  });

  it('confirms the choice with the matching notice, and nothing for other messages', () => {
    expect(contactChosenNotice('/contact_request{"via":"callback"}')).toBe('contactChosenCallback');
    expect(contactChosenNotice('/contact_request{"via":"email"}')).toBe('contactChosenEmail');
    expect(contactChosenNotice('/contact_request{"via":"fax"}')).toBeNull();
    expect(contactChosenNotice('/request_human')).toBeNull();
    expect(contactChosenNotice(undefined)).toBeNull();
  });
});

describe('agent messages', () => {
  it("name a supervisor who barged in as supervisor, not as agent", () => {
    document.body.replaceChildren();
    const root = document.createElement('div');
    document.body.append(root);
    const chat = new ChatView(root, en, { language: 'en', voice: false });
    chat.addMessage('a1', 'agent', 'Hello', { author: 'Mia' });
    chat.addMessage('a2', 'agent', 'Sam here', { author: 'Sam', authorRole: 'supervisor' });
    chat.addMessage('a2', 'agent', 'Sam here', { author: 'Sam', authorRole: 'supervisor' });
    const authors = [...document.querySelectorAll('.message .author')].map((node) => node.textContent);
    expect(authors).toEqual(['Mia (agent)', 'Sam (supervisor)']);
  });
});
