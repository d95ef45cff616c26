import { describe, expect, it } from 'vitest';
import { statusEffect } from '../src/chat/handoffStatus.js';
import { ChatView } from '../src/chat/chatView.js';
import { translator } from '../src/i18n/index.js';

const en = translator('en');
const de = translator('de');

describe('status frames from the handoff', () => {
  it('hand-back: a notice in the transcript, a banner that the assistant answers again, no rating', () => {
    const text = "You're back with the assistant; Mia has handed you back to me.";
    expect(statusEffect({ state: 'bot', text }, en)).toEqual({
      banner: { text: en('backWithAssistant'), kind: 'bot' }, notice: text, askRating: false,
    });
    // Without the service's text the widget says it itself, in the customer's language.
    expect(statusEffect({ state: 'bot' }, de).notice).toBe(de('handedBack'));
    expect(de('handedBack')).not.toBe(en('handedBack'));
  });

  it('the agent ended the conversation: a notice and the rating form', () => {
    const effect = statusEffect({ state: 'agent_left', text: 'Mia has finished the conversation.' }, en);
    expect(effect).toEqual({ banner: { text: en('backWithAssistant'), kind: 'bot' },
      notice: 'Mia has finished the conversation.', askRating: true });
  });

  it('queued and with an agent: the banner only', () => {
    expect(statusEffect({ state: 'queued', queue_position: 2, estimated_wait_s: 120 }, en))
      .toEqual({ banner: { text: `${en('queuePosition', { position: 2 })} ${en('estimatedWait', { minutes: 2 })}`, kind: 'agent' }, notice: null, askRating: false });
    expect(statusEffect({ state: 'with_agent' }, en, 'Mia').banner).toEqual({ text: en('withAgent', { name: 'Mia' }), kind: 'agent' });
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
