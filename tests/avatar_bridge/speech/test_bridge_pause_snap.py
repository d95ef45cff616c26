"""Pause edges moved to the audio: synthetic sounds with known edges, edges the audio cannot
decide, bad input, and Piper's events moved with their edges."""

import numpy as np
import pytest

from avatar_bridge.speech.pause_snap import END_SEARCH_MS, START_SEARCH_MS, Speech, moved, snap_knots
from avatar_bridge.speech.piper_client import PiperAudio
from avatar_bridge.speech.piper_timeline import events_from_alignment
from avatar_bridge.speech.timeline import viseme_timeline

RATE = 22050


def _at(ms: float) -> int:
    return round(ms * RATE / 1000)


def _tone(ms: float, amplitude: float = 8000.0) -> np.ndarray:
    t = np.arange(_at(ms)) / RATE
    return amplitude * (np.sin(2 * np.pi * 140 * t) + 0.4 * np.sin(2 * np.pi * 420 * t)) / 1.4


def _silence(ms: float) -> np.ndarray:
    return np.zeros(_at(ms))


def _pcm(*parts: np.ndarray) -> np.ndarray:
    return np.clip(np.concatenate(parts), -32768, 32767).astype(np.int16)


def _snap(pcm: np.ndarray, *stretches_ms: tuple[float, float]) -> tuple[list[Speech], tuple]:
    stretches = [Speech(_at(start), _at(end)) for start, end in stretches_ms]
    return stretches, snap_knots(pcm, RATE, stretches)


def _ms(sample: int) -> float:
    return sample * 1000 / RATE


def test_a_late_pause_start_and_an_early_speech_start_land_on_the_sound():
    # Sound 100-500 ms and 800-1200 ms; the model says speech until 560 ms and again from 770 ms.
    pcm = _pcm(_silence(100), _tone(400), _silence(300), _tone(400), _silence(100))
    stretches, knots = _snap(pcm, (100, 560), (770, 1200))
    assert _ms(moved(stretches[0].end, knots)) == pytest.approx(500, abs=6)
    assert _ms(moved(stretches[1].start, knots)) == pytest.approx(800, abs=6)


def test_an_early_pause_start_and_a_late_speech_start_land_on_the_sound():
    pcm = _pcm(_silence(100), _tone(400), _silence(300), _tone(400), _silence(100))
    stretches, knots = _snap(pcm, (130, 475), (830, 1200))
    assert _ms(moved(stretches[0].start, knots)) == pytest.approx(100, abs=6)
    assert _ms(moved(stretches[0].end, knots)) == pytest.approx(500, abs=6)
    assert _ms(moved(stretches[1].start, knots)) == pytest.approx(800, abs=6)


def test_a_fading_tail_ends_where_it_is_30_db_below_the_speech():
    # Steady 100-380 ms, then 120 ms fading evenly from 0 to -60 dB: 30 dB down at 440 ms.
    fade = _tone(120) * 10 ** (-np.linspace(0, 60, _at(120)) / 20)
    pcm = _pcm(_silence(100), _tone(280), fade, _silence(300), _tone(300))
    stretches, knots = _snap(pcm, (100, 530), (800, 1100))
    assert _ms(moved(stretches[0].end, knots)) == pytest.approx(440, abs=6)


def test_no_clear_pause_in_the_audio_leaves_the_models_edges():
    # One steady sound where the model puts a pause; and a dip of only 10 dB.
    steady = _pcm(_tone(1000))
    dip = _pcm(_tone(400), _tone(200, 8000 / 10**0.5), _tone(400))
    for pcm in (steady, dip):
        stretches, knots = _snap(pcm, (0, 450), (550, 1000))
        assert [moved(s.start, knots) for s in stretches] == [s.start for s in stretches]
        assert [moved(s.end, knots) for s in stretches] == [s.end for s in stretches]


def test_edges_move_no_further_than_their_search_window():
    # The model is 300 ms off in both directions: the edges move as far as allowed, not further.
    pcm = _pcm(_silence(100), _tone(200), _silence(700), _tone(300))
    stretches, knots = _snap(pcm, (100, 600), (700, 1300))
    assert _ms(moved(stretches[0].end, knots)) == pytest.approx(600 - END_SEARCH_MS[0], abs=1)
    assert _ms(moved(stretches[1].start, knots)) == pytest.approx(700 + START_SEARCH_MS[1], abs=1)


@pytest.mark.parametrize(
    "pcm",
    [
        np.zeros(0, dtype=np.int16),  # empty
        np.zeros(_at(1000), dtype=np.int16),  # all silence
        np.where(np.arange(_at(1000)) % 80 < 40, 32767, -32768).astype(np.int16),  # clipped throughout
        _pcm(_tone(5)),  # shorter than one level window
    ],
    ids=["empty", "silence", "clipping", "tiny"],
)
def test_bad_audio_moves_nothing(pcm):
    stretches, knots = _snap(pcm, (50, 400), (600, 900))
    for position in [0, *[s.start for s in stretches], *[s.end for s in stretches]]:
        assert moved(position, knots) == position


def test_odd_stretches_raise_nothing_and_the_map_keeps_order():
    rng = np.random.default_rng(7)
    pcm = _pcm(_silence(100), rng.standard_normal(_at(300)) * 3000, _silence(100), _tone(300), _silence(50))
    stretches = [Speech(_at(900), _at(800)), Speech(_at(100), _at(410)), Speech(_at(500), _at(5000))]
    knots = snap_knots(pcm, RATE, stretches)
    positions = [moved(sample, knots) for sample in range(0, pcm.size + 500, 37)]
    assert positions == sorted(positions)


def test_pipers_events_follow_the_edges_and_words_stay_before_the_pause():
    # "hi, bob" at 1000 Hz (1 sample = 1 ms); the sound of "hi" ends at 190 ms, not at the comma (230).
    rate = 1000
    phonemes = [("^", 50), ("h", 60), ("a", 80), ("ɪ", 40), (",", 100), (" ", 20), ("b", 30), ("ˈ", 10), ("ɑ", 90)]
    phonemes += [("b", 40), ("$", 80)]
    t = np.arange(600) / rate
    voice = (np.sin(2 * np.pi * 90 * t) * 8000).astype(np.int16)
    voice[:50] = 0
    voice[190:350] = 0
    voice[520:] = 0
    events = events_from_alignment(PiperAudio(voice.astype("<i2").tobytes(), rate, phonemes), "hi, bob")
    visemes = viseme_timeline(events, 600)
    pause = next(v["t_ms"] for v in visemes if v["viseme"] == "sil" and v["t_ms"] > 0)
    assert pause == pytest.approx(190, abs=6)
    assert [v["t_ms"] for v in visemes] == sorted(v["t_ms"] for v in visemes)
    assert [v["viseme"] for v in visemes] == ["sil", "kk", "aa", "I", "sil", "PP", "aa", "PP", "sil"]
    words = [e.t_ms for e in events if e.kind == "word"]
    assert words[0] < pause and words[1] >= pause
