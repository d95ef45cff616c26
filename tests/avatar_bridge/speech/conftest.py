"""A speech service with the man's Piper voice (one Piper worker, voices loaded once), shared by a
test module: loading Piper is the slow part."""

import asyncio

import pytest

from avatar_bridge.core.config import Settings
from avatar_bridge.speech.service import SpeechService


@pytest.fixture(scope="module")
def piper_speech(tmp_path_factory):
    """(service, event loop) for the man, whose English voice is Piper's."""
    loop = asyncio.new_event_loop()
    settings = Settings(
        speech_cache_dir=tmp_path_factory.mktemp("speech"),
        speech_workers=1,
        piper_workers=1,
        avatar_model="valid-man",
    )
    service = SpeechService.create(settings)
    loop.run_until_complete(service.warm_up())
    yield service, loop
    loop.run_until_complete(service.aclose())
    loop.close()
