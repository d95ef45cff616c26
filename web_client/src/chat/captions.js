/**
 * Captions with the spoken word highlighted. `words` come from `bot_speech.speech.words`
 * (`t_ms`, `offset`, `length` into the displayed text); the text is split into plain-text spans.
 */
import { el } from './dom.js';

/** Splits `text` into [{text, word}] segments; `word` is the index into `words` or -1. */
export function captionSegments(text, words) {
  const segments = [];
  let cursor = 0;
  words.forEach((word, index) => {
    if (!Number.isInteger(word.offset) || !Number.isInteger(word.length)) return;
    if (word.offset < cursor || word.offset + word.length > text.length) return;
    if (word.offset > cursor) segments.push({ text: text.slice(cursor, word.offset), word: -1 });
    segments.push({ text: text.slice(word.offset, word.offset + word.length), word: index });
    cursor = word.offset + word.length;
  });
  if (cursor < text.length) segments.push({ text: text.slice(cursor), word: -1 });
  return segments;
}

/** Index of the word being spoken at `tMs` (-1 before the first). */
export function wordAt(words, tMs) {
  let found = -1;
  for (let i = 0; i < words.length; i += 1) if (words[i].t_ms <= tMs) found = i;
  return found;
}

export class Captions {
  constructor(container) {
    this.container = container;
    this.spans = new Map();
    this.active = -1;
  }

  show(text, words = []) {
    const doc = this.container.ownerDocument;
    this.container.replaceChildren();
    this.spans.clear();
    this.active = -1;
    for (const segment of captionSegments(text, words)) {
      const span = el(doc, 'span', { text: segment.text });
      if (segment.word >= 0) { span.className = 'caption-word'; this.spans.set(segment.word, span); }
      this.container.append(span);
    }
    this.container.hidden = false;
  }

  highlight(index) {
    if (index === this.active) return;
    this.spans.get(this.active)?.classList.remove('caption-current');
    this.spans.get(index)?.classList.add('caption-current');
    this.active = index;
  }

  clear() {
    this.container.replaceChildren();
    this.spans.clear();
    this.active = -1;
    this.container.hidden = true;
  }
}
