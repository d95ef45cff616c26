"""The speech service: worker programs, cache, voice settings, recovery from a dead worker."""

import asyncio
import dataclasses
import itertools
import os
import signal
import time

import pytest

from avatar_bridge.core.config import Settings
from avatar_bridge.speech.service import TIMELINE_VERSION, Prosody, SpeechService
from avatar_bridge.speech.worker_pool import SpeechWorkerFailed


def _espeak_settings(tmp_path) -> Settings:
    """These tests are about espeak-ng's workers: the woman speaks English with it (the default
    avatar, the man, speaks English with Piper; speech/test_bridge_piper_speech.py)."""
    return Settings(speech_cache_dir=tmp_path, speech_workers=1, avatar_model="valid-woman")


def test_service_caches_by_text_and_voice_settings(tmp_path):
    async def scenario():
        service = SpeechService.create(_espeak_settings(tmp_path))
        try:
            normal = await service.speak("Your parcel arrives tomorrow.", "en", Prosody())
            again = await service.speak("Your parcel arrives tomorrow.", "en", Prosody())
            slower = await service.speak("Your parcel arrives tomorrow.", "en", Prosody(rate=0.7))
            return normal, again, slower
        finally:
            await service.aclose()

    normal, again, slower = asyncio.run(scenario())
    assert again == normal
    assert slower.key != normal.key
    assert slower.duration_ms > normal.duration_ms * 1.2
    assert slower.voice["rate_wpm"] < normal.voice["rate_wpm"]


def test_voice_settings_apply_to_every_message_in_a_row(tmp_path):
    """Regression: pyttsx3's end-of-loop cancel used to drop a rate change now and then."""

    async def scenario():
        service = SpeechService.create(_espeak_settings(tmp_path))
        try:
            durations = []
            for index in range(12):
                rate = (1.0, 0.7, 1.3)[index % 3]
                speech = await service.speak(f"Parcel number {index} arrives tomorrow.", "en", Prosody(rate=rate))
                durations.append((rate, speech.duration_ms))
            return durations
        finally:
            await service.aclose()

    durations = asyncio.run(scenario())
    for (rate_a, a), (rate_b, b) in itertools.pairwise(durations):
        assert (a > b) == (rate_a < rate_b), durations


def test_a_dead_speech_worker_costs_one_reply_not_the_service(tmp_path):
    async def scenario():
        service = SpeechService.create(_espeak_settings(tmp_path))
        try:
            assert await service.speak("Before the crash.", "en", Prosody())
            for pid in service._espeak.pids():  # the worker dies, as after a crash in espeak-ng
                os.kill(pid, signal.SIGKILL)
            await asyncio.sleep(0.2)
            with pytest.raises(SpeechWorkerFailed):
                await service.speak("During the crash.", "en", Prosody())
            return await service.speak("After the crash.", "en", Prosody())
        finally:
            await service.aclose()

    assert asyncio.run(scenario()).duration_ms > 500


def test_the_first_sentence_takes_the_free_worker_even_when_its_cache_lookup_is_slower(tmp_path):
    """Regression (seen in CI): a later sentence whose cache lookup finished first took the one idle
    worker, so the customer waited for it before the first sentence's audio."""
    text = "I am sorry about the delay. Your order left our warehouse on Monday and is with the courier now."

    async def scenario():
        service = SpeechService.create(_espeak_settings(tmp_path))
        lookup = service._cache.get

        def slow_for_the_first_sentence(key):  # fault injection: a slow disk for one file
            if key == first_key:
                time.sleep(0.3)
            return lookup(key)

        try:
            await service.warm_up()
            first_key = service._cache.key(
                text="I am sorry about the delay.",
                language="en",
                voice={"engine": "espeak", **dataclasses.asdict(service.voice_settings("en", Prosody()))},
                version=TIMELINE_VERSION,
            )
            service._cache.get = slow_for_the_first_sentence
            tasks = service.speak_sentences(text, "en", Prosody())
            finished = [await task for task in asyncio.as_completed(tasks)]
            return finished, [await task for task in tasks]
        finally:
            await service.aclose()

    finished, ordered = asyncio.run(scenario())
    assert len(ordered) == 2 and all(result is not None for result in ordered)
    assert finished[0] is ordered[0]
