"""The speech service the turn pipeline calls: text in, audio URL + visemes + words out.

Synthesis is CPU work and runs in a process pool (never on the event loop); results are cached
on disk by text and voice settings, and identical requests in flight share one synthesis.
"""

import asyncio
import base64
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass

from avatar_bridge.core.config import Settings
from avatar_bridge.speech import engine
from avatar_bridge.speech.cache import CachedSpeech, SpeechCache
from avatar_bridge.speech.normalise import Lexicon, Normaliser
from avatar_bridge.speech.timeline import viseme_timeline, word_timeline

logger = logging.getLogger(__name__)
# Bump when the normaliser or the timelines change, so old cache entries are not reused.
TIMELINE_VERSION = 2  # 2: onsets rounded from espeak-ng's sample index
LANGUAGES = ("en", "de")


@dataclass(frozen=True)
class Prosody:
    """Voice changes relative to the base voice; the expression table chooses them."""

    rate: float = 1.0  # multiplier of the base words-per-minute
    pitch: int = 0  # added to the base pitch (espeak-ng's 0..100 scale)
    volume: float = 0.9  # 0..1


@dataclass(frozen=True)
class SpeechResult:
    key: str
    url: str
    sample_rate: int
    duration_ms: int
    visemes: list[dict]
    words: list[dict]
    voice: dict


class SpeechService:
    def __init__(self, settings: Settings, cache: SpeechCache, make_pool: Callable[[], Executor]) -> None:
        self._settings = settings
        self._cache = cache
        self._make_pool = make_pool
        self._pool = make_pool()
        self._normalisers = {language: Normaliser(Lexicon.load(language)) for language in LANGUAGES}
        self._in_flight: dict[str, asyncio.Future] = {}

    @classmethod
    def create(cls, settings: Settings) -> "SpeechService":
        cache = SpeechCache(settings.speech_cache_dir, settings.speech_cache_max_entries, settings.audio_secret())
        cache.prepare()

        def make_pool() -> Executor:
            # "spawn": the bridge runs threads (uvicorn, Redis), and forking a threaded process is unsafe.
            return ProcessPoolExecutor(
                max_workers=settings.speech_workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=engine.initialise_worker,
            )

        return cls(settings, cache, make_pool)

    async def warm_up(self) -> None:
        """Start every worker and load the voices before the first customer waits for them."""
        loop = asyncio.get_running_loop()
        warmups = [
            loop.run_in_executor(self._pool, engine.synthesise, "ok", self.voice_settings(language, Prosody()))
            for language in LANGUAGES
            for _ in range(self._settings.speech_workers)
        ]
        await asyncio.gather(*warmups)

    def close(self) -> None:
        """Stop the worker processes (blocking; the app calls `aclose`)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    async def aclose(self) -> None:
        running = list(self._in_flight.values())
        for future in running:
            future.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        await asyncio.to_thread(self.close)

    def normaliser(self, language: str) -> Normaliser:
        return self._normalisers[language if language in self._normalisers else "en"]

    def voice_settings(self, language: str, prosody: Prosody) -> engine.VoiceSettings:
        settings = self._settings
        return engine.VoiceSettings(
            voice=settings.voice_de if language == "de" else settings.voice_en,
            rate_wpm=max(80, min(450, round(settings.base_rate_wpm * prosody.rate))),
            pitch=max(0, min(100, settings.base_pitch + prosody.pitch)),
            volume=max(0.0, min(1.0, prosody.volume)),
        )

    async def speak(self, text: str, language: str, prosody: Prosody) -> SpeechResult | None:
        """Speech for one bot message; None when there is nothing to say."""
        voice = self.voice_settings(language, prosody)
        key = self._cache.key(text=text, language=language, voice=asdict(voice), version=TIMELINE_VERSION)
        cached = await asyncio.to_thread(self._cache.get, key)
        if cached is None:
            running = self._in_flight.get(key)
            if running is None:
                running = asyncio.ensure_future(self._synthesise(key, text, language, voice))
                self._in_flight[key] = running
                running.add_done_callback(lambda _: self._in_flight.pop(key, None))
            cached = await asyncio.shield(running)
        if cached is None:
            return None
        timeline = cached.timeline
        return SpeechResult(
            key=key,
            url=f"/audio/{key}.wav",
            sample_rate=timeline["sample_rate"],
            duration_ms=timeline["duration_ms"],
            visemes=timeline["visemes"],
            words=timeline["words"],
            voice=timeline["voice"],
        )

    async def _synthesise(self, key: str, text: str, language: str, voice: engine.VoiceSettings) -> CachedSpeech | None:
        normalised = self.normaliser(language).normalise(text)
        if not normalised.spoken.strip():
            return None
        loop = asyncio.get_running_loop()
        pool = self._pool
        try:
            result = await loop.run_in_executor(pool, engine.synthesise, normalised.spoken, voice)
        except BrokenProcessPool:
            # A worker died (espeak-ng crashed, out of memory): this reply goes without speech,
            # the next ones get a fresh pool.
            logger.error("a speech worker died; starting new workers")
            if self._pool is pool:
                self._pool = self._make_pool()
                pool.shutdown(wait=False, cancel_futures=True)
            raise
        timeline = {
            "sample_rate": result.sample_rate,
            "duration_ms": result.duration_ms,
            "visemes": viseme_timeline(result.events, result.duration_ms),
            "words": word_timeline(result.events, normalised),
            "voice": {"name": voice.voice, "rate_wpm": voice.rate_wpm, "pitch": voice.pitch, "volume": voice.volume},
        }
        return await asyncio.to_thread(self._cache.put, key, result.wav, timeline)

    async def audio_base64(self, key: str) -> str | None:
        path = self._cache.wav_path(key)
        if path is None:
            return None
        try:
            data = await asyncio.to_thread(path.read_bytes)
        except OSError:
            return None
        return base64.b64encode(data).decode("ascii")

    def audio_path(self, key: str):
        cached = self._cache.get(key)
        return cached.wav_path if cached else None
