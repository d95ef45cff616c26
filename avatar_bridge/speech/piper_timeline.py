"""Piper's output in the shape the timelines expect, and the expression's prosody as Piper settings.

Piper reports, for every phoneme it spoke, how many audio samples it lasted (the model's own
duration output, "alignments"). Summing them gives each phoneme's onset in this very audio, so
viseme changes sit where the sounds are, as they do for espeak-ng's events. Stress and length
marks get durations too but make no mouth shape of their own; a word gap (" ") keeps the mouth
moving between words; punctuation is a pause.

Word events: Piper separates words by " " phonemes. The k-th phoneme word is the k-th word of
the spoken text when both counts agree (the usual case: the normaliser already spelled out
numbers and symbols); otherwise the spoken words are spread over the phoneme words in order.

The model's durations put the edges of pauses a little off the sound (a word's quiet tail goes
to its last phoneme), so the edges are then moved to where the audio itself goes quiet or loud
again (pause_snap.py), and every event with them.
"""

import re
from dataclasses import replace

import numpy as np

from avatar_bridge.speech.pause_snap import Speech, moved, snap_knots
from avatar_bridge.speech.piper_client import PiperAudio, PiperRequest
from avatar_bridge.speech.timeline import SynthesisEvent

# Piper's markers: sentence start/end, and the marks that carry only timing.
_BOUNDARIES = {"^", "$", "_"}
_NO_SHAPE = set("ˈˌːˑ̩̯̃ʲ")
_PAUSES = set(",.;:!?…—–-()\"'")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\d+", re.UNICODE)

# Natural range of the voice: Piper voices sound unnatural beyond about ±20 % speed, and the
# generator noise (intonation liveliness) beyond roughly 0.45..0.85 (base 0.667).
LENGTH_SCALE_RANGE = (0.85, 1.25)
NOISE_SCALE_RANGE = (0.45, 0.85)
BASE_NOISE_SCALE = 0.667
BASE_NOISE_W_SCALE = 0.8


def piper_request(text: str, rate: float, pitch: int, volume: float) -> PiperRequest:
    """The expression's prosody within Piper's natural range.

    Piper has no pitch control: "lower" (a negative pitch offset, for apologies and bad news) is
    carried by a flatter intonation (less generator noise) on top of the slower pace the rate
    gives; "brighter" (a positive offset, good news) by livelier intonation."""
    length_scale = _clamp(1.0 / max(rate, 0.1), *LENGTH_SCALE_RANGE)
    noise_scale = _clamp(BASE_NOISE_SCALE * (1.0 + pitch / 30.0), *NOISE_SCALE_RANGE)
    return PiperRequest(
        text=text,
        length_scale=round(length_scale, 3),
        noise_scale=round(noise_scale, 3),
        noise_w_scale=BASE_NOISE_W_SCALE,
        volume=round(_clamp(volume, 0.0, 1.0), 3),
    )


def events_from_alignment(audio: PiperAudio, spoken: str) -> list[SynthesisEvent]:
    """Phoneme events at their onsets, and one word event per spoken word (see module docstring)."""
    events: list[SynthesisEvent] = []
    word_onsets: list[int] = []
    sample = 0
    in_word = False
    for phoneme, samples in audio.phonemes:
        t_ms = round(sample * 1000 / audio.sample_rate)
        if phoneme in _BOUNDARIES or phoneme in _PAUSES:
            events.append(SynthesisEvent("phoneme", t_ms, 0, 0, "", sample))
            in_word = False
        elif phoneme == " ":
            in_word = False
        elif phoneme not in _NO_SHAPE:
            if not in_word:
                word_onsets.append(sample)
                in_word = True
            events.append(SynthesisEvent("phoneme", t_ms, 0, 0, phoneme, sample))
        sample += samples
    words = list(_WORD.finditer(spoken))
    for index, match in enumerate(words):
        if not word_onsets:
            break
        onset = word_onsets[index * len(word_onsets) // len(words)]
        t_ms = round(onset * 1000 / audio.sample_rate)
        events.append(SynthesisEvent("word", t_ms, match.start() + 1, len(match.group(0)), "", onset))
    return _snapped_to_audio(events, audio)


def _snapped_to_audio(events: list[SynthesisEvent], audio: PiperAudio) -> list[SynthesisEvent]:
    """Every event moved with the pause edges found in the audio (words share their first
    phoneme's onset, so they move alike and never start inside the pause that follows)."""
    total = len(audio.pcm) // 2
    knots = snap_knots(
        np.frombuffer(audio.pcm[: total * 2], "<i2"), audio.sample_rate, _speech_stretches(events, total)
    )
    snapped = []
    for event in events:
        sample = min(moved(event.sample, knots), total) if event.sample <= total else event.sample
        snapped.append(replace(event, sample=sample, t_ms=round(sample * 1000 / audio.sample_rate)))
    return snapped


def _speech_stretches(events: list[SynthesisEvent], total: int) -> list[Speech]:
    """From each first sounding phoneme after a pause to the next pause (or the audio's end)."""
    stretches: list[Speech] = []
    start = None
    for event in events:
        if event.kind != "phoneme":
            continue
        if event.phoneme and start is None:
            start = event.sample
        elif not event.phoneme and start is not None:
            stretches.append(Speech(start, event.sample))
            start = None
    if start is not None:
        stretches.append(Speech(start, total))
    return stretches


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
