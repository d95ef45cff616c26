import { describe, expect, it } from 'vitest';
import { clampToCustomer, listeningFace, sentenceAt, sentencesOf, timeSentences } from '../src/avatar/expressionPlan.js';

const text = "I'm sorry, your order is running late. Good news: it ships today!";
const frame = {
  text, expression: { name: 'happy', intensity: 0.5, duration_ms: 2500 }, customer_emotion: { label: 'neutral', intensity: 0 },
  sentences: [
    { offset: 0, length: 38, reply_kind: 'apology', expression: { name: 'apologetic', intensity: 0.5, duration_ms: 3000 } },
    { offset: 39, length: 26, reply_kind: 'good_news', expression: { name: 'happy', intensity: 0.45, duration_ms: 2500 } },
  ],
};
const words = [{ t_ms: 0, offset: 0, length: 3 }, { t_ms: 900, offset: 25, length: 7 }, { t_ms: 1600, offset: 39, length: 4 }, { t_ms: 2100, offset: 57, length: 6 }];

describe('the expression plan of a turn', () => {
  it('holds each sentence\'s face exactly while it is spoken', () => {
    const timed = timeSentences(sentencesOf(frame), words, 3000);
    expect(timed.map((s) => [s.startMs, s.endMs, s.expression.name])).toEqual([[0, 1600, 'apologetic'], [1600, 3000, 'happy']]);
    expect(timed[0].text).toBe("I'm sorry, your order is running late.");
    expect(timed[sentenceAt(timed, 1599)].expression.name).toBe('apologetic');
    expect(timed[sentenceAt(timed, 1600)].expression.name).toBe('happy');
  });

  it.each(['frustrated', 'anxious', 'sad'])('never smiles at a %s customer', (label) => {
    const faces = sentencesOf({ ...frame, customer_emotion: { label, intensity: 0.9 } }).map((s) => s.expression.name);
    expect(faces).not.toContain('happy');
    expect(clampToCustomer({ name: 'joyful', intensity: 1 }, { label }).name).not.toMatch(/happy|joyful/);
  });

  it('falls back to the message expression without a sentence plan', () => {
    expect(sentencesOf({ text: 'Hi.', expression: { name: 'happy', intensity: 0.4 } })).toMatchObject([{ offset: 0, length: 3, expression: { name: 'happy' } }]);
  });

  it('listens with a face that reflects the customer', () => {
    expect(listeningFace({ label: 'frustrated', intensity: 0.8 }).name).toBe('concerned');
    expect(listeningFace({ label: 'sad', intensity: 0.2 }).name).toBe('sympathetic');
    expect(listeningFace(null)).toEqual({ name: 'attentive', intensity: 0.3 });
  });
});
