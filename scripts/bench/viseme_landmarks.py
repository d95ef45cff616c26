"""Viseme changes against acoustic landmarks of the served audio, for any engine.

The cross-correlation method (viseme_alignment.py) needs a second synthesis whose waveform
matches the served one; Piper's generator noise makes every run's waveform different, so for
Piper the ground truth comes from the served audio alone, at two kinds of landmark:

- Pause edges: after a silent viseme of at least 100 ms inside a reply, the first 5 ms frame
  whose level exceeds a tenth of the reply's RMS (speech starts), and before it the last such
  frame (speech stops), against the viseme changes into and out of the silence.
- Fricative to vowel (SS, CH or FF followed by aa, E, I, O or U): the share of energy above
  3 kHz falls steeply where the hiss of the fricative gives way to the voiced vowel. The
  steepest fall within ±40 ms of the viseme change is the landmark.

- Pause edges again, without a threshold (a check independent of the bridge's own edge finder,
  avatar_bridge/speech/pause_snap.py, which also works on the level): the steepest fall (stops)
  or rise (starts) of the log level of 5 ms frames, within 100 ms of the viseme change and on
  its side of the pause's middle. The log level is floored 40 dB below the reply's RMS, so the
  step into digital silence after a faded tail is no cliff.

The landmark finders have errors of their own; running them on espeak-ng's timeline, which
is exact to the sample (its events come with the served audio's sample index), shows how large.
A timeline shifted by 30 ms shows what a misalignment looks like.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

FRAME_MS = 5
MIN_PAUSE_MS = 100
SEARCH_MS = 40
STEEPEST_REACH_MS = 100
LEVEL_FLOOR = 0.01  # 40 dB below the reply's RMS
HIGH_BAND_HZ = 3000
FRICATIVES = {"SS", "CH", "FF"}
VOWELS = {"aa", "E", "I", "O", "U"}


@dataclass
class Landmarks:
    """Landmark time minus viseme change time (ms), per kind of landmark."""

    speech_starts: list[float] = field(default_factory=list)
    speech_stops: list[float] = field(default_factory=list)
    fricative_to_vowel: list[float] = field(default_factory=list)
    steepest_starts: list[float] = field(default_factory=list)
    steepest_stops: list[float] = field(default_factory=list)

    def extend(self, other: Landmarks) -> None:
        self.speech_starts += other.speech_starts
        self.speech_stops += other.speech_stops
        self.fricative_to_vowel += other.fricative_to_vowel
        self.steepest_starts += other.steepest_starts
        self.steepest_stops += other.steepest_stops


def measure(visemes: list[dict], audio: np.ndarray, rate: int) -> Landmarks:
    """Every landmark of one reply; `audio` is the served 16-bit PCM as numbers."""
    found = Landmarks()
    _pause_edges(visemes, audio.astype(np.float64), rate, found)
    found.fricative_to_vowel += _fricative_to_vowel(visemes, audio.astype(np.float64), rate)
    _steepest_pause_edges(visemes, audio.astype(np.float64), rate, found)
    return found


def shifted(visemes: list[dict], shift_ms: int) -> list[dict]:
    return [{**entry, "t_ms": entry["t_ms"] + shift_ms} for entry in visemes]


def _frames(audio: np.ndarray, rate: int) -> tuple[np.ndarray, float]:
    """5 ms frames (whole samples) and the true length of one in ms."""
    step = rate * FRAME_MS // 1000
    count = audio.size // step
    return audio[: count * step].reshape(count, step), step * 1000 / rate


def _pause_edges(visemes: list[dict], audio: np.ndarray, rate: int, found: Landmarks) -> None:
    if audio.size == 0:
        return
    frames, frame_ms = _frames(audio, rate)
    level = np.sqrt(np.mean(frames**2, axis=1))
    threshold = 0.1 * float(np.sqrt(np.mean(audio**2)))
    loud = np.flatnonzero(level > threshold)
    for pause, after in _pauses(visemes):
        middle = (pause["t_ms"] + after["t_ms"]) / 2 / frame_ms
        later, earlier = loud[loud >= middle], loud[loud < middle]
        if later.size:
            found.speech_starts.append(float(later[0] * frame_ms - after["t_ms"]))
        if earlier.size:
            found.speech_stops.append(float((earlier[-1] + 1) * frame_ms - pause["t_ms"]))


def _pauses(visemes: list[dict]) -> list[tuple[dict, dict]]:
    """Silent visemes of at least MIN_PAUSE_MS inside a reply, with the viseme after each."""
    return [
        (pause, after)
        for pause, after in zip(visemes, visemes[1:], strict=False)
        if pause["viseme"] == "sil" and pause["t_ms"] > 0 and after["t_ms"] - pause["t_ms"] >= MIN_PAUSE_MS
    ]


def _steepest_pause_edges(visemes: list[dict], audio: np.ndarray, rate: int, found: Landmarks) -> None:
    frames, frame_ms = _frames(audio, rate)
    floor = LEVEL_FLOOR * float(np.sqrt(np.mean(audio**2))) if audio.size else 0.0
    if frames.shape[0] < 3 or floor <= 0:
        return
    level = np.log(np.maximum(np.sqrt(np.mean(frames**2, axis=1)), floor))
    change = np.diff(np.convolve(level, np.ones(3) / 3, mode="same"))
    times = (np.arange(change.size) + 1) * frame_ms  # change[i] lies between frames i and i + 1
    for pause, after in _pauses(visemes):
        middle = (pause["t_ms"] + after["t_ms"]) / 2
        stop = (times >= pause["t_ms"] - STEEPEST_REACH_MS) & (times <= min(pause["t_ms"] + STEEPEST_REACH_MS, middle))
        start = (times >= max(after["t_ms"] - STEEPEST_REACH_MS, middle)) & (times <= after["t_ms"] + STEEPEST_REACH_MS)
        if stop.any():
            found.steepest_stops.append(float(times[stop][np.argmin(change[stop])] - pause["t_ms"]))
        if start.any():
            found.steepest_starts.append(float(times[start][np.argmax(change[start])] - after["t_ms"]))


def _fricative_to_vowel(visemes: list[dict], audio: np.ndarray, rate: int) -> list[float]:
    frames, frame_ms = _frames(audio, rate)
    if frames.shape[0] < 3:
        return []
    spectrum = np.abs(np.fft.rfft(frames * np.hanning(frames.shape[1]), axis=1)) ** 2
    frequencies = np.fft.rfftfreq(frames.shape[1], 1 / rate)
    share = spectrum[:, frequencies >= HIGH_BAND_HZ].sum(axis=1) / (spectrum.sum(axis=1) + 1e-9)
    curve = np.convolve(np.log(share + 1e-6), np.ones(3) / 3, mode="same")
    falls = np.diff(curve)  # falls[i]: from frame i to frame i + 1
    offsets = []
    for before, after in zip(visemes, visemes[1:], strict=False):
        if before["viseme"] not in FRICATIVES or after["viseme"] not in VOWELS:
            continue
        centre = round(after["t_ms"] / frame_ms)
        reach = round(SEARCH_MS / frame_ms)
        low, high = max(centre - reach, 0), min(centre + reach, falls.size)
        if high <= low:
            continue
        steepest = low + int(np.argmin(falls[low:high]))
        offsets.append(float((steepest + 1) * frame_ms - after["t_ms"]))
    return offsets
