"""The acoustic landmark finders of scripts/bench/viseme_landmarks.py on audio with known edges:
a hiss that turns into a vowel, and a pause between two sounds."""

import numpy as np
import pytest

from scripts.bench.viseme_landmarks import measure, shifted

RATE = 22050


def _hiss(ms: int, rng) -> np.ndarray:
    noise = rng.standard_normal(ms * RATE // 1000)
    return np.diff(noise, prepend=0.0) * 3000  # differentiated noise: most energy high up, like /s/


def _vowel(ms: int) -> np.ndarray:
    t = np.arange(ms * RATE // 1000) / RATE
    return (np.sin(2 * np.pi * 150 * t) + 0.5 * np.sin(2 * np.pi * 450 * t)) * 8000


@pytest.fixture
def reply():
    """/s/ 0-200 ms, vowel 200-500, pause 500-700, /s/ 700-850, vowel 850-1100 (ms)."""
    rng = np.random.default_rng(3)
    silence = np.zeros(200 * RATE // 1000)
    audio = np.concatenate([_hiss(200, rng), _vowel(300), silence, _hiss(150, rng), _vowel(250)])
    visemes = [
        {"t_ms": 0, "viseme": "SS"},
        {"t_ms": 200, "viseme": "aa"},
        {"t_ms": 500, "viseme": "sil"},
        {"t_ms": 700, "viseme": "SS"},
        {"t_ms": 850, "viseme": "aa"},
        {"t_ms": 1100, "viseme": "sil"},
    ]
    return visemes, audio.astype(np.int16)


def test_an_aligned_timeline_sits_on_the_landmarks(reply):
    visemes, audio = reply
    found = measure(visemes, audio, RATE)
    assert found.fricative_to_vowel == pytest.approx([0, 0], abs=5)
    assert found.speech_starts == pytest.approx([0], abs=5)
    assert found.speech_stops == pytest.approx([0], abs=5)
    assert found.steepest_starts == pytest.approx([0], abs=5)
    assert found.steepest_stops == pytest.approx([0], abs=5)


def test_a_late_timeline_is_reported_late(reply):
    visemes, audio = reply
    found = measure(shifted(visemes, 25), audio, RATE)
    assert found.fricative_to_vowel == pytest.approx([-25, -25], abs=5)
    assert found.speech_starts == pytest.approx([-25], abs=5)
    assert found.speech_stops == pytest.approx([-25], abs=5)
    assert found.steepest_starts == pytest.approx([-25], abs=5)
    assert found.steepest_stops == pytest.approx([-25], abs=5)
