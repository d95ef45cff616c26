"""Piper through the worker program: engine per language, sentence streaming, prosody, fallback.

One service (one Piper worker, voices loaded once) is shared by the module: `piper_speech` in
tests/avatar_bridge/conftest.py.
"""

import asyncio
import io
import os
import signal
import time
import wave

from avatar_bridge.core.config import Settings
from avatar_bridge.speech.service import Prosody, SpeechService

APOLOGY = Prosody(rate=0.86, pitch=-6, volume=0.8)  # expression table: frustrated + apology
GOOD_NEWS = Prosody(rate=1.02, pitch=3, volume=0.9)  # expression table: good_news


def test_english_is_piper_and_german_falls_back_to_espeak(piper_speech):
    service, loop = piper_speech
    english = loop.run_until_complete(service.speak("Your parcel arrives tomorrow.", "en", Prosody()))
    german = loop.run_until_complete(service.speak("Ihr Paket kommt morgen.", "de", Prosody()))
    assert english.voice["engine"] == "piper" and english.voice["name"] == "en_US-joe-medium"
    assert english.sample_rate == 22050
    assert german.voice["engine"] == "espeak" and german.voice["name"] == "de"


def test_sentences_stream_in_order_and_the_first_is_ready_first(piper_speech):
    service, loop = piper_speech
    text = (
        "I am sorry about the delay. Your order 40010002 left our warehouse on 6.12.2026 and is with the courier now. "
        "The refund of €49.90 goes to james.carter@example.com's account within three working days."
    )

    async def scenario():
        started = time.monotonic()
        tasks = service.speak_sentences(text, "en", APOLOGY)
        ready = []
        for task in asyncio.as_completed(tasks):
            result = await task
            ready.append((time.monotonic() - started, result))
        ordered = [await task for task in tasks]
        return ready, ordered

    ready, ordered = loop.run_until_complete(scenario())
    assert len(ordered) == 3
    assert ready[0][1] is ordered[0]  # the first sentence is ready before the rest
    for result in ordered:
        assert result.visemes[0] == {"t_ms": 0, "viseme": "sil"} and result.visemes[-1]["viseme"] == "sil"
        assert all(v["t_ms"] <= result.duration_ms for v in result.visemes)
        for word in result.words:  # word offsets point into the whole message
            assert text[word["offset"] : word["offset"] + word["length"]] == word["word"]
    assert [w["word"] for w in ordered[1].words][:3] == ["Your", "order", "40010002"]


def test_an_apology_is_slower_and_good_news_brighter(piper_speech):
    service, loop = piper_speech
    # Long enough that Piper's random phoneme-length noise averages out (about ±3 % here). Phoneme
    # lengths are whole 256-sample frames with a floor, so the audio lengthens less than the scale
    # (seen: 7-9 % for a 19 % longer scale).
    text = "We have refunded your payment today, and the money should be back on your card within three working days"
    apology = loop.run_until_complete(service.speak(text, "en", APOLOGY))
    good = loop.run_until_complete(service.speak(text, "en", GOOD_NEWS))
    assert apology.voice["length_scale"] > good.voice["length_scale"] * 1.15
    assert apology.duration_ms > good.duration_ms * 1.03
    assert apology.voice["noise_scale"] < good.voice["noise_scale"]


def test_a_dead_piper_worker_costs_one_sentence_its_voice_not_its_speech(piper_speech, caplog):
    service, loop = piper_speech
    for pid in service._piper.pids():
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.1)
    during = loop.run_until_complete(service.speak("The worker has just died.", "en", Prosody()))
    after = loop.run_until_complete(service.speak("A new worker answers now.", "en", Prosody()))
    assert during.voice["engine"] == "espeak" and "Piper failed" in caplog.text
    assert after.voice["engine"] == "piper"
    path = service.audio_path(after.key)
    with wave.open(io.BytesIO(path.read_bytes())) as audio:
        assert audio.getframerate() == 22050 and audio.getnframes() > 22050 // 2


def test_an_avatar_chosen_later_speaks_with_its_piper_voice(tmp_path):
    """Started for the woman (espeak-ng only, no Piper worker yet), switched to the man by an admin:
    his voice is loaded ahead (prepare_voices, as the bridge does on the change) and speaks."""
    shown = ["valid-woman"]
    settings = Settings(speech_cache_dir=tmp_path, speech_workers=1, piper_workers=1, avatar_model="valid-woman")
    service = SpeechService.create(settings, lambda: shown[0])

    async def scenario():
        try:
            await service.warm_up()
            before = await service.speak("Your parcel arrives tomorrow.", "en", Prosody())
            shown[0] = "valid-man"
            await service.prepare_voices()
            after = await service.speak("Your parcel arrives tomorrow.", "en", Prosody())
            return before, after
        finally:
            await service.aclose()

    before, after = asyncio.run(scenario())
    assert (before.voice["engine"], before.voice["name"]) == ("espeak", "en+f3")
    assert (after.voice["engine"], after.voice["name"]) == ("piper", "en_US-joe-medium")
