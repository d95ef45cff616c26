/**
 * Viseme timelines from the bridge (`bot_speech.speech.visemes`: one entry per change, starting at
 * 0 and ending with `sil`) sampled at an audio-clock time. Pure functions: the caller owns the clock.
 */
import { VISEMES } from './vocabulary.js';

const KNOWN = new Set(VISEMES);

/**
 * Validates and sorts a viseme timeline.
 * @param {Array<{t_ms: number, viseme: string}>} visemes
 * @returns {Array<{t_ms: number, viseme: string}>}
 */
export function normaliseTrack(visemes) {
  if (!Array.isArray(visemes)) throw new TypeError('visemes must be an array of {t_ms, viseme}');
  const track = visemes.map((entry, index) => {
    if (!entry || !Number.isFinite(entry.t_ms) || entry.t_ms < 0 || !KNOWN.has(entry.viseme)) {
      throw new TypeError(`viseme entry ${index} is not {t_ms >= 0, viseme: one of ${VISEMES.join(' ')}}`);
    }
    return { t_ms: entry.t_ms, viseme: entry.viseme };
  });
  return track.sort((a, b) => a.t_ms - b.t_ms);
}

/** Index of the last entry at or before `tMs` (binary search), -1 before the first entry. */
export function indexAt(track, tMs) {
  let low = 0;
  let high = track.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (track[middle].t_ms <= tMs) { found = middle; low = middle + 1; } else { high = middle - 1; }
  }
  return found;
}

/** The viseme sounding at `tMs` ('sil' before the track starts). */
export function visemeAt(track, tMs) {
  const index = indexAt(track, tMs);
  return index < 0 ? 'sil' : track[index].viseme;
}

/**
 * Weights of the visemes at `tMs`: the current one fades in over `blendMs` while the previous one
 * fades out (co-articulation without anticipating the audio). 'sil' is the rest pose: no weight.
 * @returns {Record<string, number>}
 */
export function sampleVisemes(track, tMs, blendMs = 60) {
  const index = indexAt(track, tMs);
  if (index < 0) return {};
  const current = track[index].viseme;
  const fade = blendMs > 0 ? Math.min(1, (tMs - track[index].t_ms) / blendMs) : 1;
  const weights = {};
  if (current !== 'sil') weights[current] = fade;
  const previous = index > 0 ? track[index - 1].viseme : 'sil';
  if (previous !== 'sil' && fade < 1) weights[previous] = Math.max(weights[previous] || 0, 1 - fade);
  return weights;
}
