"""Pause edges of a timeline moved to where the served audio actually goes quiet or loud again.

Piper's phoneme durations come in whole 256-sample frames, and the model gives the quiet tail of
a word to its last phoneme, so its pauses tend to start late (the mouth closes after the voice has
faded). Only the edges of pauses are refined here, from the audio's short-time level: a speech
end may move 150 ms earlier or 40 ms later, a speech start 40 ms earlier or 60 ms later, and
only where the level clearly changes (speech at least 20 dB above the pause). The edge is where
the level crosses 30 dB below the nearby speech, reached from a frame 20 dB below it (hysteresis,
so a breath or a click in the pause does not count).

Everything between the moved edges follows a monotonic piecewise-linear map of sample positions
(a knot at each edge and fixed knots 150 ms inside the speech), so events keep their order and
the phonemes next to a moved edge are stretched or compressed together.
"""

from dataclasses import dataclass

import numpy as np

WINDOW_MS = 10  # level measured over 10 ms ...
HOP_MS = 2.5  # ... every 2.5 ms
END_SEARCH_MS = (150, 40)  # how far a speech end may move earlier, later
START_SEARCH_MS = (40, 60)  # how far a speech start may move earlier, later
ANCHOR_MS = 150  # inside a stretch of speech, further than this from an edge nothing moves
REFERENCE_MS = 400  # nearby speech level: the loud part of this much speech next to the edge
LOUD_DB = -20.0  # a frame this far below the nearby speech is still certainly speech
QUIET_DB = -30.0  # below this the sound has ended
MIN_CONTRAST_DB = 20.0  # speech must be this much louder than the pause, or nothing moves
MIN_SPEECH_LEVEL = 30.0  # RMS in 16-bit units (about -60 dBFS): quieter than this is no speech


@dataclass(frozen=True)
class Speech:
    """One stretch of speech between pauses, in samples: [start, end)."""

    start: int
    end: int


def snap_knots(pcm: np.ndarray, rate: int, stretches: list[Speech]) -> tuple[list[int], list[int]]:
    """Knots (old positions, new positions) of the map that moves every pause edge to the audio.

    `pcm` is the served audio as 16-bit samples; `stretches` in order and not overlapping."""
    samples = np.asarray(pcm, dtype=np.float64).ravel()
    old: list[int] = [0]
    new: list[int] = [0]
    if samples.size == 0 or rate <= 0:
        return old, new
    levels, hop = _levels(samples, rate)
    ms = rate / 1000
    for index, speech in enumerate(stretches):
        if speech.end <= speech.start:
            continue
        pause_before = stretches[index - 1].end if index else 0
        pause_after = stretches[index + 1].start if index + 1 < len(stretches) else samples.size
        middle = (speech.start + speech.end) // 2
        start_window = (
            max(speech.start - round(START_SEARCH_MS[0] * ms), (pause_before + speech.start) // 2),
            min(speech.start + round(START_SEARCH_MS[1] * ms), middle),
        )
        end_window = (
            max(speech.end - round(END_SEARCH_MS[0] * ms), middle),
            min(speech.end + round(END_SEARCH_MS[1] * ms), (speech.end + pause_after) // 2),
        )
        reference = _speech_level(levels, hop, speech, round(REFERENCE_MS * ms))
        # The pause's level is judged from the middle of the pause, which may lie beyond the window.
        start = _edge(levels, hop, start_window, reference, (pause_before + speech.start) // 2, rising=True)
        end = _edge(levels, hop, end_window, reference, (speech.end + pause_after) // 2, rising=False)
        anchor = round(ANCHOR_MS * ms)
        knots = [(speech.start, speech.start if start is None else start)]
        if speech.start + anchor < speech.end - anchor:
            knots += [(speech.start + anchor,) * 2, (speech.end - anchor,) * 2]
        knots.append((speech.end, speech.end if end is None else end))
        for before, after in knots:
            if before > old[-1] and after >= new[-1]:
                old.append(before)
                new.append(after)
    if samples.size > old[-1] and samples.size >= new[-1]:
        old.append(samples.size)
        new.append(samples.size)
    return old, new


def moved(sample: int, knots: tuple[list[int], list[int]]) -> int:
    """Where a sample position lands under the map; beyond the last knot, as far as that knot moved."""
    old, new = knots
    if sample >= old[-1]:
        return sample + new[-1] - old[-1]
    return round(float(np.interp(sample, old, new)))


def _levels(samples: np.ndarray, rate: int) -> tuple[np.ndarray, int]:
    """RMS of 10 ms windows every 2.5 ms; window i covers [i * hop, i * hop + window)."""
    window = max(1, round(WINDOW_MS * rate / 1000))
    hop = max(1, round(HOP_MS * rate / 1000))
    if samples.size < window:
        return np.zeros(0), hop
    sums = np.concatenate(([0.0], np.cumsum(samples**2)))
    starts = np.arange(0, samples.size - window + 1, hop)
    return np.sqrt((sums[starts + window] - sums[starts]) / window), hop


def _speech_level(levels: np.ndarray, hop: int, speech: Speech, reach: int) -> float:
    """The loud part (90th percentile) of the speech near either edge: its own level, not the reply's."""
    first = speech.start // hop
    last = max(first + 1, speech.end // hop)
    part = (
        levels[first : min(last, first + reach // hop)].tolist()
        + levels[max(first, last - reach // hop) : last].tolist()
    )
    return float(np.percentile(part, 90)) if part else 0.0


def _edge(
    levels: np.ndarray, hop: int, window: tuple[int, int], reference: float, pause_middle: int, rising: bool
) -> int | None:
    """Where the sound starts (rising) or ends in the window, or None if the level shows no clear edge."""
    low, high = window[0] // hop, min(levels.size, -(-window[1] // hop))
    if high - low < 2 or reference < MIN_SPEECH_LEVEL:
        return None
    part = levels[low:high]
    pause = levels[pause_middle // hop : high] if rising else levels[low : pause_middle // hop + 1]
    if pause.size == 0 or float(pause.min()) > reference * 10 ** (-MIN_CONTRAST_DB / 20):
        return None  # no real pause in reach: the model's edge stays
    loud = np.flatnonzero(part > reference * 10 ** (LOUD_DB / 20))
    quiet = reference * 10 ** (QUIET_DB / 20)
    centre = round(WINDOW_MS / HOP_MS / 2) * hop  # a window's level belongs to its middle
    # Walk from the loud frame nearest the pause (or, for soft speech such as a voiced fricative
    # that never gets loud here, from the window's speech side) out into the pause while the
    # level stays above the quiet threshold.
    if rising:
        frame = int(loud[0]) if loud.size else part.size - 1
        if part[frame] <= quiet:
            return window[1]  # still quiet at the window's end: as far as the edge may move
        while frame > 0 and part[frame - 1] > quiet:
            frame -= 1
        return int(np.clip((low + frame) * hop + centre - hop / 2, *window))
    frame = int(loud[-1]) if loud.size else 0
    if part[frame] <= quiet:
        return window[0]  # already quiet where the window starts
    while frame + 1 < part.size and part[frame + 1] > quiet:
        frame += 1
    return int(np.clip((low + frame) * hop + centre + hop / 2, *window))
