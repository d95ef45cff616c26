"""How far the served viseme changes are from the phoneme onsets in the served audio.

The ground truth must come from the audio the bridge served, not from the bridge's own timeline
(that would be circular) and not from a second synthesis taken at face value: espeak-ng does not
reproduce its timing exactly (pauses and some phonemes come out tens of milliseconds longer or
shorter from run to run, depending on what the process synthesised before), so a re-synthesis's
phoneme onsets are not the served audio's.

Method: synthesise the same text with the same voice locally (a *reference* with its own phoneme
onsets), then find every reference onset in the served audio by waveform cross-correlation: the
40 ms of reference audio around the onset is searched for in the served audio, within ±60 ms of
where the previous onset was found (the two runs drift apart only at pauses, by a few ms to tens
of ms), or within ±300 ms when that fails. An onset counts as located when the normalised correlation
is at least 0.9 and the window
is not silence. Onsets that cannot be located (noise-like sounds such as s, f, h, and pause
markers) take the drift of a located neighbour (the one before, unless a pause lies between). Each served
viseme change is then compared with the nearest onset so placed in the served audio.

Uses numpy (installed in the services environment with onnx).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

WINDOW_MS = 40
SEARCH_MS = 60
MIN_CORRELATION = 0.9
# A window quieter than this share of the utterance's RMS is a pause: nothing to correlate.
MIN_LEVEL = 0.05


@dataclass
class Alignment:
    offsets_ms: list[float] = field(default_factory=list)  # per served viseme change
    located: int = 0  # reference onsets found in the served audio
    onsets: int = 0  # reference onsets tried


def locate_onsets(reference: np.ndarray, served: np.ndarray, rate: int, onsets_ms: list[int]) -> dict[int, float]:
    """{reference onset ms: its time (ms) in `served`} for the onsets that could be located."""
    half = WINDOW_MS * rate // 2000
    search = SEARCH_MS * rate // 1000
    level = float(np.sqrt(np.mean(reference.astype(np.float64) ** 2))) if reference.size else 0.0
    found: dict[int, float] = {}
    lag = 0  # served - reference, in samples; follows the drift between the two runs
    for onset_ms in sorted(set(onsets_ms)):
        centre = onset_ms * rate // 1000
        start, end = centre - half, centre + half
        if start < 0 or end > reference.size:
            continue
        window = reference[start:end].astype(np.float64)
        window_energy = float(np.sum(window**2))
        if window_energy <= 0 or np.sqrt(window_energy / window.size) < MIN_LEVEL * level:
            continue
        best = _best_lag(window, window_energy, served, start + lag - search, start + lag + search)
        if best is None or best[1] < MIN_CORRELATION:
            # Lost: a pause may have drifted further; look again in a wide range.
            wide = _best_lag(window, window_energy, served, start + lag - 5 * search, start + lag + 5 * search)
            best = wide if wide is not None and (best is None or wide[1] > best[1]) else best
        if best is None or best[1] < MIN_CORRELATION:
            continue
        lag = best[0] - start
        found[onset_ms] = (centre + lag) * 1000 / rate
    return found


def map_onsets(onsets_ms: list[int], located: dict[int, float], pauses_ms: Iterable[int] = ()) -> list[float]:
    """Every reference onset's time in the served audio: located ones as found; the others
    (noise-like sounds such as s, f, h; pause markers) shifted by a located neighbour's drift.

    The two runs drift apart inside pauses, so an onset takes the drift of the located onset
    before it, unless a pause starts in between: then that of the located onset after it.
    """
    if not located:
        return []
    known = sorted(located)
    pauses = sorted(set(pauses_ms))
    mapped = []
    for onset in sorted(set(onsets_ms)):
        if onset in located:
            mapped.append(located[onset])
            continue
        index = bisect.bisect_left(known, onset)
        before = known[index - 1] if index > 0 else None
        after = known[index] if index < len(known) else None
        pause_between = before is not None and any(before < pause < onset for pause in pauses)
        neighbour = after if (before is None or pause_between) and after is not None else before
        mapped.append(onset + located[neighbour] - neighbour)
    return mapped


def _best_lag(
    window: np.ndarray, window_energy: float, served: np.ndarray, first: int, last: int
) -> tuple[int, float] | None:
    """The start in `served` (between first and last) where `window` correlates best, and the
    normalised correlation there."""
    first, last = max(first, 0), min(last, served.size - window.size)
    if last < first:
        return None
    region = served[first : last + window.size].astype(np.float64)
    size = 1 << int(np.ceil(np.log2(region.size + window.size)))
    products = np.fft.irfft(np.fft.rfft(region, size) * np.conj(np.fft.rfft(window, size)), size)
    products = products[: last - first + 1]
    squares = np.concatenate(([0.0], np.cumsum(region**2)))
    energies = squares[window.size : window.size + products.size] - squares[: products.size]
    correlation = products / np.sqrt(np.maximum(energies * window_energy, 1e-9))
    index = int(np.argmax(correlation))
    return first + index, float(correlation[index])


def measure(
    served_visemes: list[dict],
    served: np.ndarray,
    reference: np.ndarray,
    rate: int,
    reference_onsets_ms: list[int],
    reference_pauses_ms: Iterable[int] = (),
) -> Alignment:
    """Distance of every served viseme change (not the leading/closing silence) to the nearest
    phoneme onset of the served audio (located, or placed by the interpolated drift)."""
    located = locate_onsets(reference, served, rate, reference_onsets_ms)
    alignment = Alignment(located=len(located), onsets=len(set(reference_onsets_ms)))
    mapped = map_onsets(reference_onsets_ms, located, reference_pauses_ms)
    if not mapped:
        return alignment
    points = np.asarray(mapped)
    for entry in served_visemes[1:-1]:
        alignment.offsets_ms.append(float(np.min(np.abs(points - entry["t_ms"]))))
    return alignment
