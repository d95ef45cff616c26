"""Visemes and word timings against the audio the synthesiser actually produced."""

import asyncio
import io
import itertools
import math
import wave
from array import array

import httpx
import pytest
from bridge_support.client import BridgeClient, of_type

from avatar_bridge.speech.espeak_client import EspeakWorkers, VoiceSettings
from avatar_bridge.speech.normalise import Lexicon, Normaliser
from avatar_bridge.speech.timeline import viseme_timeline, word_timeline
from avatar_bridge.speech.visemes import VISEMES, viseme_for

SENTENCES = {
    "en": "I'm sorry: order 40010002 is running late. The new date is 24 Dec 2026, and the refund of €12.50 "
    "goes to anna.schmidt@example.de. Thank you for your patience with us, we'll fix this quickly.",
    "de": "Es tut mir leid: Bestellung 40010002 verspätet sich. Neuer Termin ist der 24.12.2026, die Erstattung "
    "von 12,50 € geht an lena.vogel@example.de. Schöne Grüße, wir kümmern uns sofort darum.",
}


@pytest.fixture(scope="module")
def synthesised():
    """Each sentence synthesised once, in the speech worker program as the bridge does it, with
    the synthesiser's events."""

    async def synthesise_all():
        workers = EspeakWorkers(1, 30.0)
        try:
            results = {}
            for language, text in SENTENCES.items():
                normalised = Normaliser(Lexicon.load(language)).normalise(text)
                voice = VoiceSettings(language, 170, 50, 0.9)
                results[language] = (normalised, await workers.synthesise(normalised.spoken, voice))
            return results
        finally:
            await workers.aclose()

    return asyncio.run(synthesise_all())


def _pcm(pcm: bytes) -> array:
    return array("h", pcm)


def _samples(wav: bytes) -> tuple[array, int]:
    with wave.open(io.BytesIO(wav)) as audio:
        return array("h", audio.readframes(audio.getnframes())), audio.getframerate()


def _rms(samples: array, rate: int, start_ms: int, end_ms: int) -> float:
    window = samples[start_ms * rate // 1000 : end_ms * rate // 1000]
    return math.sqrt(sum(s * s for s in window) / len(window)) if window else 0.0


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_long_reply_is_synthesised_to_the_end(synthesised, language):
    _, result = synthesised[language]
    # The synthesiser reports the end of the message at the end of the audio it produced.
    assert max(event.t_ms for event in result.events if event.kind == "end") == pytest.approx(result.duration_ms, abs=2)
    assert result.duration_ms > 15000


@pytest.mark.parametrize("language", ["en", "de"])
def test_duration_is_the_length_of_the_produced_audio(synthesised, language):
    _, result = synthesised[language]
    samples, rate = _pcm(result.pcm), result.sample_rate
    assert abs(result.duration_ms - len(samples) * 1000 / rate) <= 1
    assert result.duration_ms > 5000


@pytest.mark.parametrize("language", ["en", "de"])
def test_event_times_are_the_synthesisers_sample_positions_in_this_audio(synthesised, language):
    _, result = synthesised[language]
    samples, rate = _pcm(result.pcm), result.sample_rate
    assert rate == 22050  # espeak-ng's own rate
    for event in result.events:
        assert 0 <= event.sample <= len(samples)
        assert event.t_ms == round(event.sample * 1000 / rate)
    phonemes = [event.sample for event in result.events if event.kind == "phoneme"]
    assert phonemes == sorted(phonemes) and len(set(phonemes)) > 100


@pytest.mark.parametrize("language", ["en", "de"])
def test_viseme_timeline_is_well_formed_and_within_the_audio(synthesised, language):
    _, result = synthesised[language]
    visemes = viseme_timeline(result.events, result.duration_ms)
    times = [entry["t_ms"] for entry in visemes]
    assert times[0] == 0 and times == sorted(set(times))
    assert times[-1] <= result.duration_ms and visemes[-1]["viseme"] == "sil"
    assert all(entry["viseme"] in VISEMES for entry in visemes)
    assert all(a["viseme"] != b["viseme"] for a, b in itertools.pairwise(visemes))
    assert len({entry["viseme"] for entry in visemes}) >= 12  # the mouth really moves


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_viseme_change_sits_on_a_phoneme_onset_of_the_synthesiser(synthesised, language):
    _, result = synthesised[language]
    phonemes = [event for event in result.events if event.kind == "phoneme" and not event.phoneme.startswith("(")]
    assert all(viseme_for(event.phoneme) is not None for event in phonemes), "every phoneme has a viseme"
    onsets = {event.t_ms for event in phonemes}
    visemes = viseme_timeline(result.events, result.duration_ms)
    assert all(entry["t_ms"] in onsets for entry in visemes[1:-1])
    # And every phoneme that changes the mouth shape starts a viseme at its own time.
    starts = {entry["t_ms"] for entry in visemes}
    previous = None
    for event in phonemes:
        shape = viseme_for(event.phoneme)
        same_instant_as_next = any(other.t_ms == event.t_ms and other is not event for other in phonemes)
        if shape != previous and not same_instant_as_next:
            assert event.t_ms in starts
        previous = shape


@pytest.mark.parametrize("language", ["en", "de"])
def test_silent_visemes_line_up_with_quiet_audio(synthesised, language):
    _, result = synthesised[language]
    samples, rate = _pcm(result.pcm), result.sample_rate
    visemes = viseme_timeline(result.events, result.duration_ms)
    speech_level = _rms(samples, rate, 0, result.duration_ms)
    pauses = [
        (a["t_ms"], b["t_ms"])
        for a, b in itertools.pairwise(visemes)
        if a["viseme"] == "sil" and b["t_ms"] - a["t_ms"] >= 120 and a["t_ms"] > 0
    ]
    assert pauses, "the sentences have pauses at their commas and full stops"
    for start, end in pauses:
        # Skip 30 ms at each edge: the tail of the previous sound and the onset of the next.
        assert _rms(samples, rate, start + 30, end - 30) < 0.1 * speech_level


@pytest.mark.parametrize("language", ["en", "de"])
def test_word_timings_point_at_the_displayed_words_in_order(synthesised, language):
    normalised, result = synthesised[language]
    words = word_timeline(result.events, normalised)
    text = SENTENCES[language]
    assert [w["t_ms"] for w in words] == sorted(w["t_ms"] for w in words)
    assert all(text[w["offset"] : w["offset"] + w["length"]] == w["word"] for w in words)
    assert [w["offset"] for w in words] == sorted(w["offset"] for w in words)
    shown = [w["word"] for w in words]
    assert "40010002" in shown  # one caption word, however many spoken digits
    assert all(w["t_ms"] < result.duration_ms for w in words)


def test_speech_frames_over_the_socket_match_the_served_audio(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    speech = of_type(client.ask("it is late [emotion=frustrated:0.9]"), "bot_speech")[0]["speech"]
    client.close()
    audio = httpx.get(bridge.http_url + speech["audio"]["url"]).content
    samples, rate = _samples(audio)
    assert rate == speech["sample_rate"]
    assert abs(speech["duration_ms"] - len(samples) * 1000 / rate) <= 1
    assert speech["visemes"][-1]["t_ms"] <= speech["duration_ms"]
    # Frustrated customer: the calm, slower voice from the expression table.
    assert speech["voice"]["rate_wpm"] < bridge.settings.base_rate_wpm
