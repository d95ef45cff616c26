import { describe, expect, it } from 'vitest';
import { ChatView } from '../src/chat/chatView.js';
import { Captions, captionSegments, wordAt } from '../src/chat/captions.js';
import { LOCALES, pickLanguage, translator } from '../src/i18n/index.js';

function view(language = 'en') {
  document.body.replaceChildren();
  const root = document.createElement('div');
  document.body.append(root);
  return new ChatView(root, translator(language), { language });
}

describe('ChatView', () => {
  it('shows hostile text as text, never as markup', () => {
    const chat = view();
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    chat.addMessage('b1', 'bot', hostile);
    chat.addMessage('a1', 'agent', '<b>hi</b>', { author: '<i>Mia</i>' });
    expect(document.querySelectorAll('img, script, b, i')).toHaveLength(0);
    expect(document.querySelector('[data-id="b1"] .text').textContent).toBe(hostile);
    expect(document.querySelector('[data-id="a1"] .author').textContent).toBe('<i>Mia</i> (agent)');
  });

  it('tells customer, assistant and agent apart and adds a message only once', () => {
    const chat = view();
    chat.addMessage('m1', 'customer', 'hello');
    chat.addMessage('m1', 'customer', 'hello');
    chat.addMessage('m1.0', 'bot', 'Hi!');
    chat.addMessage('g1', 'agent', 'Mia here', { author: 'Mia' });
    const roles = [...document.querySelectorAll('.message')].map((n) => n.dataset.role);
    expect(roles).toEqual(['customer', 'bot', 'agent']);
    expect(document.querySelector('.message-agent .author').textContent).toBe('Mia (agent)');
  });

  it('emits send on Enter and clears the box; ignores blank input', () => {
    const chat = view();
    const sent = [];
    chat.on('send', (text) => sent.push(text));
    chat.input.value = '   ';
    chat.submit();
    chat.input.value = ' Where is my order? ';
    chat.input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(sent).toEqual(['Where is my order?']);
    expect(chat.input.value).toBe('');
  });

  it('renders quick replies as buttons that emit their payload once', () => {
    const chat = view();
    const picked = [];
    chat.on('quick_reply', (b) => picked.push(b.payload));
    chat.setQuickReplies([{ title: 'Yes <b>', payload: '/affirm' }, { title: 'No', payload: '/deny' }]);
    const buttons = document.querySelectorAll('.quick-reply');
    expect(buttons[0].textContent).toBe('Yes <b>');
    buttons[0].click();
    expect(picked).toEqual(['/affirm']);
    expect(document.querySelector('.quick-replies').hidden).toBe(true);
  });

  it('switches its labels to German', () => {
    const chat = view();
    chat.setTranslator(translator('de'), 'de');
    expect(chat.sendButton.textContent).toBe('Senden');
    expect(chat.list.getAttribute('aria-label')).toBe('Unterhaltung');
  });

  it('has live regions and labels for screen readers', () => {
    const chat = view();
    expect(chat.list.getAttribute('role')).toBe('log');
    expect(chat.banner.getAttribute('aria-live')).toBe('polite');
    expect(document.querySelector('label[for="assistant-input"]').textContent).toBe('Your message');
  });

  it('collects a CSAT score and comment', () => {
    const chat = view();
    const scores = [];
    chat.on('csat', (value) => scores.push(value));
    chat.showCsat();
    document.querySelectorAll('.csat-score')[3].click();
    document.querySelector('.csat-comment').value = 'quick help';
    chat.csat.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(scores).toEqual([{ score: 4, comment: 'quick help' }]);
  });
});

describe('captions', () => {
  const text = 'Order 40010002 is late.';
  const words = [{ t_ms: 0, word: 'Order', offset: 0, length: 5 }, { t_ms: 400, word: '40010002', offset: 6, length: 8 }, { t_ms: 1900, word: 'late', offset: 18, length: 4 }];

  it('splits the text at the word offsets', () => {
    expect(captionSegments(text, words).map((s) => s.text).join('')).toBe(text);
    expect(captionSegments(text, words).filter((s) => s.word >= 0).map((s) => s.text)).toEqual(['Order', '40010002', 'late']);
  });

  it('skips words that point outside the text or backwards', () => {
    const bad = [{ t_ms: 0, offset: 50, length: 3 }, { t_ms: 1, offset: 0, length: 5 }, { t_ms: 2, offset: 2, length: 2 }];
    expect(captionSegments(text, bad).map((s) => s.text).join('')).toBe(text);
  });

  it('highlights the spoken word', () => {
    const node = document.createElement('p');
    const captions = new Captions(node);
    captions.show(text, words);
    captions.highlight(wordAt(words, 500));
    expect(node.querySelector('.caption-current').textContent).toBe('40010002');
    expect(wordAt(words, -1)).toBe(-1);
  });
});

describe('i18n', () => {
  it('has the same keys in every language', () => {
    expect(Object.keys(LOCALES.de).sort()).toEqual(Object.keys(LOCALES.en).sort());
  });

  it('fills placeholders and rejects unknown languages', () => {
    expect(translator('de')('queuePosition', { position: 3 })).toContain('Nummer 3');
    expect(() => translator('fr')).toThrow(RangeError);
    expect(() => translator('en')('nope')).toThrow(RangeError);
  });

  it('picks a supported language from the browser preferences', () => {
    expect(pickLanguage(['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(pickLanguage(['fr'])).toBe('en');
  });
});
