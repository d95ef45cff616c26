import { describe, expect, it } from 'vitest';
import { failedTurnNotice, quickReplyMessage, rememberButtonTitles, shownCustomerText } from '../src/chat/turnReplies.js';

describe('quick replies', () => {
  it('send the payload but show the title', () => {
    expect(quickReplyMessage({ title: 'Talk to a person', payload: '/request_human' }))
      .toEqual({ send: '/request_human', show: 'Talk to a person' });
    expect(quickReplyMessage({ title: 'Noch einmal versuchen', payload: '/try_again' }))
      .toEqual({ send: '/try_again', show: 'Noch einmal versuchen' });
  });

  it('send the title when the payload is plain text or missing', () => {
    expect(quickReplyMessage({ title: 'Yes', payload: 'yes' })).toEqual({ send: 'Yes', show: 'Yes' });
    expect(quickReplyMessage({ title: 'Yes', payload: undefined })).toEqual({ send: 'Yes', show: 'Yes' });
    expect(quickReplyMessage({ title: null, payload: '/affirm' })).toEqual({ send: '/affirm', show: '/affirm' });
  });
});

describe('customer messages replayed after a reload', () => {
  it('show the title of the quick reply whose payload they are', () => {
    const titles = rememberButtonTitles(new Map(), [
      { title: 'Talk to a person', payload: '/request_human' }, { title: 'Try again', payload: '/try_again' },
    ]);
    expect(shownCustomerText('/request_human', titles)).toBe('Talk to a person');
    expect(shownCustomerText('/try_again', titles)).toBe('Try again');
  });

  it('show typed text as typed, also text that looks like a payload nobody offered', () => {
    const titles = rememberButtonTitles(new Map(), [{ title: 'Yes', payload: 'yes' }]);
    expect(titles.size).toBe(0);
    expect(shownCustomerText('yes', titles)).toBe('yes');
    expect(shownCustomerText('/restart', titles)).toBe('/restart');
    expect(rememberButtonTitles(new Map(), undefined).size).toBe(0);
  });
});

describe('failed turns', () => {
  it('need no notice when the bridge already explained them in a bot message (its offer)', () => {
    const answered = new Set(['m2']);
    expect(failedTurnNotice({ code: 'dialogue_unavailable', reply_to: 'm2' }, answered)).toBeNull();
  });

  it('get the generic notice when nothing explained them', () => {
    const answered = new Set(['m1']);
    expect(failedTurnNotice({ code: 'dialogue_unavailable', reply_to: 'm2' }, answered)).toBe('dialogueUnavailable');
    expect(failedTurnNotice({ code: 'dialogue_unavailable' }, answered)).toBe('dialogueUnavailable');
  });

  it('leave other errors to their own handling', () => {
    expect(failedTurnNotice({ code: 'internal_error', reply_to: 'm1' }, new Set(['m1']))).toBeNull();
    expect(failedTurnNotice({ code: 'turn_interrupted', reply_to: 'm1' }, new Set())).toBeNull();
  });
});
