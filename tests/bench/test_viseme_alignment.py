"""The benchmark's viseme-alignment measurement (scripts/bench/viseme_alignment.py) finds phoneme
onsets in audio from another synthesis run, and reports a misaligned timeline as misaligned."""

import asyncio

import numpy as np
import pytest

from avatar_bridge.speech.espeak_client import EspeakWorkers, SynthesisResult, VoiceSettings
from avatar_bridge.speech.timeline import viseme_timeline
from avatar_bridge.speech.visemes import viseme_for
from scripts.bench.viseme_alignment import locate_onsets, map_onsets, measure

RATE = 22050
TEXT = (
    "I understand this is frustrating. Order four zero zero one zero zero zero two is running late, "
    "the new date is the twenty-fourth of December. Shall I connect you with a colleague?"
)
OTHER = "Hi! I can track orders, reset passwords, show invoices or put you in touch with a colleague."


def _run(texts: list[tuple[str, VoiceSettings]]) -> list[SynthesisResult]:
    """Synthesise in order in one fresh speech worker program, as the bridge's espeak-ng worker would."""

    async def run() -> list[SynthesisResult]:
        workers = EspeakWorkers(1, 30.0, warm_up_voices=())
        try:
            return [await workers.synthesise(text, voice) for text, voice in texts]
        finally:
            await workers.aclose()

    return asyncio.run(run())


def _pcm(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype=np.int16)


@pytest.fixture(scope="module")
def served_and_reference():
    voice = VoiceSettings("en", 150, 50, 0.9)
    # The "bridge" synthesises the reply after other replies; the "benchmark" synthesises it fresh.
    served = _run([(OTHER, VoiceSettings("en", 190, 40, 0.9)), (TEXT, voice)])[-1]
    reference = _run([(TEXT, voice)])[0]
    return served, reference


def _measure(served, reference, shift_ms: int = 0):
    visemes = viseme_timeline(served.events, served.duration_ms)
    shifted = [{"t_ms": entry["t_ms"] + shift_ms, "viseme": entry["viseme"]} for entry in visemes]
    phonemes = [e for e in reference.events if e.kind == "phoneme" and viseme_for(e.phoneme)]
    return measure(
        shifted,
        _pcm(served.pcm),
        _pcm(reference.pcm),
        served.sample_rate,
        [e.t_ms for e in phonemes],
        [e.t_ms for e in phonemes if not e.phoneme.strip()],
    )


def test_the_served_timeline_is_on_the_served_audios_phoneme_onsets(served_and_reference):
    served, reference = served_and_reference
    alignment = _measure(served, reference)
    assert alignment.located >= 0.75 * alignment.onsets
    assert np.percentile(alignment.offsets_ms, 95) <= 15
    assert np.median(alignment.offsets_ms) <= 2


def test_a_shifted_timeline_is_reported_as_off(served_and_reference):
    served, reference = served_and_reference
    alignment = _measure(served, reference, shift_ms=40)
    assert np.median(alignment.offsets_ms) > 30


def test_locate_follows_a_drift_inside_a_pause():
    rng = np.random.default_rng(7)
    sound = lambda ms: (rng.standard_normal(ms * RATE // 1000) * 3000).astype(np.int16)
    silence = lambda ms: np.zeros(ms * RATE // 1000, dtype=np.int16)
    first, second = sound(400), sound(400)
    reference = np.concatenate([first, silence(200), second])
    served = np.concatenate([first, silence(245), second])  # the pause came out 45 ms longer
    located = locate_onsets(reference, served, RATE, [100, 300, 700, 900])
    assert located == pytest.approx({100: 100, 300: 300, 700: 745, 900: 945}, abs=0.1)


def test_unlocated_onsets_take_the_drift_of_the_right_neighbour():
    located = {100: 100.0, 700: 745.0}
    # 300 follows 100 with no pause between: its drift (0); 650 comes after the pause at 400: 700's (45).
    assert map_onsets([100, 300, 400, 650, 700], located, pauses_ms=[400]) == [100, 300, 400, 695, 745.0]
    assert map_onsets([5], {}, []) == []
