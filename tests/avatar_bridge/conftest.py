"""Fixtures for the avatar bridge tests: a real redis-server, FakeRasa and the real bridge app
served by uvicorn on loopback ports."""

import asyncio
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# The helpers live next to this file; make them importable whatever pytest's import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bridge_support.fake_rasa import FakeRasa
from bridge_support.servers import RedisServer, ThreadedServer, free_port

from avatar_bridge.__main__ import uvicorn_options
from avatar_bridge.app import create_app
from avatar_bridge.core.config import Settings
from avatar_bridge.speech.service import SpeechService

FIXTURE_DOMAIN = Path(__file__).resolve().parent / "fixtures" / "domain"
_prefixes = itertools.count(1)


@pytest.fixture(scope="session", autouse=True)
def _bridge_settings_only_from_the_tests():
    """`make test` exports the local system's AVATAR_BRIDGE_* values; these tests set their own."""
    import os

    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith("AVATAR_BRIDGE_")]:
            patch.delenv(name)
        yield


@dataclass
class BridgeStack:
    settings: Settings
    fake_rasa: FakeRasa
    server: ThreadedServer

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.server.port}/ws/v1"

    def restart_bridge(self, **overrides) -> None:
        """Stop this bridge process's app and serve a brand-new app instance on the same port."""
        self.server.stop()
        self.settings = self.settings.model_copy(update=overrides)
        self.server = serve(self.settings)
        self.server.start()

    def stop(self) -> None:
        self.server.stop()
        self.fake_rasa.stop()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.wait_ready()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def speech_cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("speech-cache")


def bridge_settings(redis_url: str, rasa_url: str, port: int, cache_dir: Path, **overrides) -> Settings:
    prefix = f"bridgetest{next(_prefixes)}"
    values = dict(
        production=False,
        port=port,
        rasa_url=rasa_url,
        redis_url=redis_url,
        redis_key_prefix=prefix,
        # Never the repository's var/: an avatar chosen in a local run must not change these tests.
        avatar_choice_path=cache_dir.with_name(f"{cache_dir.name}-avatar") / f"{prefix}.yml",
        # The woman, who speaks with espeak-ng (fast, the same on every machine), and is called Mila;
        # the default avatar, the man, would speak English with Piper. Tests about him ask for him.
        avatar_model="valid-woman",
        speech_workers=1,
        speech_cache_dir=cache_dir,
        response_paths=[FIXTURE_DOMAIN],
        validate_outgoing=True,
        rasa_timeout_s=10.0,
        action_server_url=None,  # no action server here: never probe a default port
        speech_in_warm_up=False,  # the recogniser loads only where a test speaks (tests/avatar_bridge/speech_in)
        speech_prewarm_sentences=0,  # on only where a test checks it (speech/test_bridge_speech_prewarm.py)
        speech_prewarm_openers=0,
    )
    values.update(overrides)
    return Settings(**values)


def start_stack(redis_url: str, cache_dir: Path, **overrides) -> BridgeStack:
    bridge_port, rasa_port = free_port(), free_port()
    fake = FakeRasa(rasa_port, nlg_url=f"http://127.0.0.1:{bridge_port}/nlg").start()
    settings = bridge_settings(redis_url, fake.url, bridge_port, cache_dir, **overrides)
    server = serve(settings)
    server.start()
    return BridgeStack(settings, fake, server)


def serve(settings: Settings) -> ThreadedServer:
    """The bridge app as `python -m avatar_bridge` serves it (trusted proxies included)."""
    return ThreadedServer(create_app(settings), settings.port, uvicorn_options(settings))


@pytest.fixture(scope="session")
def bridge(redis_server, speech_cache_dir):
    """The bridge most tests share (sessions are independent, so sharing is safe)."""
    stack = start_stack(redis_server.url, speech_cache_dir)
    yield stack
    stack.stop()


@pytest.fixture
def own_bridge(redis_server, speech_cache_dir):
    """A bridge of the test's own, for tests that restart it or change its settings."""
    stacks: list[BridgeStack] = []

    def make(**overrides) -> BridgeStack:
        stack = start_stack(redis_server.url, speech_cache_dir, **overrides)
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.stop()


@pytest.fixture(scope="module")
def piper_speech(tmp_path_factory):
    """(speech service, event loop) for the man, whose English voice is Piper's: one Piper worker,
    voices loaded once per test module (loading is the slow part)."""
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
