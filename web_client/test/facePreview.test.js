import { describe, expect, it } from 'vitest';
import { previewRequest } from '../src/preview/facePreview.js';

describe('face preview messages', () => {
  it('takes a known expression with an intensity from 0 to 1', () => {
    expect(previewRequest({ type: 'avatar-preview', expression: 'concerned', intensity: 0.7 })).toEqual({ expression: 'concerned', intensity: 0.7 });
    expect(previewRequest({ type: 'avatar-preview', expression: 'happy', intensity: 0 })).toEqual({ expression: 'happy', intensity: 0 });
  });

  it('ignores anything else', () => {
    for (const data of [
      null, 'happy', { type: 'other', expression: 'happy', intensity: 1 },
      { type: 'avatar-preview', expression: 'toString', intensity: 1 },
      { type: 'avatar-preview', expression: 'evil', intensity: 1 },
      { type: 'avatar-preview', expression: 'happy', intensity: 1.5 },
      { type: 'avatar-preview', expression: 'happy', intensity: '1' },
      { type: 'avatar-preview', expression: 'happy', intensity: Number.NaN },
    ]) expect(previewRequest(data)).toBeNull();
  });
});
