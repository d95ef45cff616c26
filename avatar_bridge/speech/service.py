"""The speech service the turn pipeline calls: text in, audio URL + visemes + words out.

Each language has a voice for each avatar (speech/voices.py); the avatar shown now (the admin's
choice, tone/avatar_choice.py) picks the set a new sentence is spoken with. Both GPL engines, Piper
and espeak-ng, run only in the separate speech worker program (speech_worker/, driven through
speech/worker_pool.py), one pool of workers per engine; the bridge process never loads either.
Synthesis never runs on the event loop; results are cached on disk by text and voice settings, and
identical requests in flight share one synthesis. A reply is spoken sentence by sentence
(`speak_sentences`), so the first sentence's audio can go out while the rest are synthesised. When
Piper fails at run time the sentence is spoken with espeak-ng instead (a warning, not an error).
"""

import asyncio
import base64
import dataclasses
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from avatar_bridge.core.config import Settings
from avatar_bridge.speech.cache import CachedSpeech, SpeechCache
from avatar_bridge.speech.espeak_client import EspeakWorkers, VoiceSettings
from avatar_bridge.speech.manifest import load_manifest
from avatar_bridge.speech.normalise import Lexicon, Normaliser
from avatar_bridge.speech.piper_client import PiperWorkers
from avatar_bridge.speech.piper_timeline import events_from_alignment, piper_request
from avatar_bridge.speech.sentences import split_sentences
from avatar_bridge.speech.timeline import viseme_timeline, word_timeline
from avatar_bridge.speech.voices import VoiceChoice, choose_voices
from avatar_bridge.speech.wav import wav_bytes
from avatar_bridge.speech.worker_pool import Priority, SpeechWorkerFailed, in_line
from contracts.avatars import avatar_ids

logger = logging.getLogger(__name__)
# Bump when the normaliser or the timelines change, so old cache entries are not reused.
TIMELINE_VERSION = 4  # 2: espeak-ng's sample index; 3: engines, sentences; 4: Piper pause edges from the audio
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
    def __init__(
        self,
        settings: Settings,
        cache: SpeechCache,
        voices: dict[str, VoiceChoice] | None = None,
        voices_by_avatar: dict[str, dict[str, VoiceChoice]] | None = None,
        avatar_now: Callable[[], str] | None = None,
    ) -> None:
        self._settings = settings
        self._cache = cache
        self._espeak = EspeakWorkers(settings.speech_workers, settings.espeak_timeout_s)
        default = voices or choose_voices(settings.model_copy(update={"speech_engine": "espeak"}), {})
        # Without a live avatar (tests, tools) the one set `voices` speaks for every avatar.
        self._voices_by_avatar = voices_by_avatar or {settings.avatar_model: default}
        self._avatar_now = avatar_now or (lambda: settings.avatar_model)
        self._default_voices = self._voices_by_avatar.get(settings.avatar_model, default)
        # Made when Piper is first needed, with the voices of the avatar shown then.
        self._piper: PiperWorkers | None = None
        self._uses_piper = any(
            choice.engine == "piper" for voices in self._voices_by_avatar.values() for choice in voices.values()
        )
        self._piper_started: asyncio.Future | None = None
        self._piper_loaded: set[str] = set()  # voice ids every worker has loaded
        self._normalisers = {language: Normaliser(Lexicon.load(language)) for language in LANGUAGES}
        self._in_flight: dict[str, asyncio.Future] = {}

    @classmethod
    def create(cls, settings: Settings, avatar_now: Callable[[], str] | None = None) -> "SpeechService":
        """Chooses and verifies the voices of every shipped avatar, so that an admin's later choice
        cannot meet a broken voice file (a file that fails its checksum stops the start)."""
        manifest = load_manifest(settings.voice_manifest)
        voices_by_avatar = {avatar: choose_voices(settings, manifest, avatar) for avatar in avatar_ids()}
        verified = set()
        for avatar, voices in voices_by_avatar.items():
            for choice in voices.values():
                if choice.piper is not None and choice.piper.voice_id not in verified:
                    choice.piper.verify()
                    verified.add(choice.piper.voice_id)
                logger.info(
                    "voice for %s with %s: %s %s (%s)",
                    choice.language,
                    avatar,
                    choice.engine,
                    choice.name,
                    choice.reason,
                )
        cache = SpeechCache(settings.speech_cache_dir, settings.speech_cache_max_entries, settings.audio_secret())
        cache.prepare()
        return cls(settings, cache, voices_by_avatar[settings.avatar_model], voices_by_avatar, avatar_now)

    @property
    def voices(self) -> dict[str, VoiceChoice]:
        """The voices of the avatar shown now (each language)."""
        return self._voices_by_avatar.get(self._avatar_now(), self._default_voices)

    async def warm_up(self) -> None:
        """Start every worker and load the voices before the first customer waits for them."""
        await asyncio.gather(self.prepare_voices(), self._espeak.start())

    async def prepare_voices(self) -> None:
        """Loads the Piper voices of the avatar shown now into every Piper worker (starting them if
        need be), so that the first reply after an admin's change does not wait for them (starting
        the workers and loading a voice takes seconds). Never raises: a sentence loads it otherwise."""
        wanted = {c.piper.voice_id: c.piper for c in self.voices.values() if c.piper is not None}
        if not wanted or not await self._start_piper():
            return
        assert self._piper is not None
        missing = [files for voice_id, files in wanted.items() if voice_id not in self._piper_loaded]
        request = piper_request("ok", 1.0, 0, 0.9)
        workers, later = self._settings.piper_workers, Priority.BACKGROUND  # customers' sentences first
        try:  # as many requests as workers: each idle worker takes one and loads the voice
            await asyncio.gather(*(self._piper.synthesise(f, request, later) for f in missing for _ in range(workers)))
        except (SpeechWorkerFailed, OSError, TimeoutError, ValueError) as error:
            logger.warning("voices not loaded ahead (%s); the first sentence loads them", type(error).__name__)
            return
        self._piper_loaded.update(files.voice_id for files in missing)

    async def aclose(self) -> None:
        """Stop the worker processes."""
        running = list(self._in_flight.values())
        for future in running:
            future.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        if self._piper is not None:
            await self._piper.aclose()
        await self._espeak.aclose()

    async def _start_piper(self) -> bool:
        """Once, shared by every caller; False when Piper is not used or did not start."""
        if not self._uses_piper:
            return False
        if self._piper_started is None:
            # The voices of the avatar shown now; another avatar's are loaded by prepare_voices.
            files = [choice.piper for choice in self.voices.values() if choice.piper is not None]
            self._piper = PiperWorkers(self._settings.piper_workers, self._settings.piper_timeout_s, files)
            self._piper_loaded.update(voice.voice_id for voice in files)
            self._piper_started = asyncio.ensure_future(self._piper.start())
        try:
            await asyncio.shield(self._piper_started)
        except (SpeechWorkerFailed, OSError, TimeoutError, ValueError):
            logger.exception("the Piper workers did not start; speaking with espeak-ng")
            return False
        return True

    def normaliser(self, language: str) -> Normaliser:
        return self._normalisers[language if language in self._normalisers else "en"]

    def voice_settings(self, language: str, prosody: Prosody, choice: VoiceChoice | None = None) -> VoiceSettings:
        settings = self._settings
        return VoiceSettings(
            voice=(choice or self.voice(language)).espeak_voice,
            rate_wpm=max(80, min(450, round(settings.base_rate_wpm * prosody.rate))),
            pitch=max(0, min(100, settings.base_pitch + prosody.pitch)),
            volume=max(0.0, min(1.0, prosody.volume)),
        )

    def voice(self, language: str) -> VoiceChoice:
        return self.voices.get(language) or self.voices["en"]

    def speak_sentences(self, text: str, language: str, prosody: Prosody, leading: bool = True) -> list[asyncio.Task]:
        """One task per sentence, all started now; each gives that sentence's speech (word offsets
        into the whole message) or None. Await them in order; cancel the rest when done.

        `leading`: this text is the first the customer hears (a turn's first reply), so its first
        sentence goes ahead of other work; a turn's later replies play after it and wait their turn."""

        first_in_line = asyncio.Event()

        async def part(offset: int, sentence: str, first: asyncio.Task | None) -> SpeechResult | None:
            if first is None:
                in_line.set(first_in_line)
                priority = Priority.FIRST_SENTENCE if leading else Priority.LATER_SENTENCE
                result = await self.speak(sentence, language, prosody, priority)
            else:
                # Ask for a worker only once the first sentence holds one or waits in line: a later
                # sentence whose cache lookup happens to finish first must not take the idle worker.
                signalled = asyncio.ensure_future(first_in_line.wait())
                try:
                    await asyncio.wait({signalled, first}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    signalled.cancel()
                result = await self.speak(sentence, language, prosody, Priority.LATER_SENTENCE)
            if result is None or not offset:
                return result
            words = [{**word, "offset": word["offset"] + offset} if "offset" in word else word for word in result.words]
            return dataclasses.replace(result, words=words)

        # The first sentence is what the customer waits for: its synthesis goes ahead of later ones.
        sentences = split_sentences(text)
        if not sentences:
            return []
        first = asyncio.create_task(part(sentences[0].offset, sentences[0].text, None))
        return [first, *(asyncio.create_task(part(s.offset, s.text, first)) for s in sentences[1:])]

    async def speak(
        self, text: str, language: str, prosody: Prosody, priority: Priority = Priority.FIRST_SENTENCE
    ) -> SpeechResult | None:
        """Speech for one piece of text with the language's voice; None when there is nothing to say."""
        choice = self.voice(language)  # read once: the avatar may change while this sentence is made
        if choice.engine == "piper" and await self._start_piper():
            assert choice.piper is not None
            request = piper_request("", prosody.rate, prosody.pitch, prosody.volume)
            voice_key: dict = {"engine": "piper", "voice": choice.piper.voice_id, **asdict(request)}
        else:
            voice_key = {"engine": "espeak", **asdict(self.voice_settings(language, prosody, choice))}
        key = self._cache.key(text=text, language=language, voice=voice_key, version=TIMELINE_VERSION)
        cached = await asyncio.to_thread(self._cache.get, key)
        if cached is None:
            running = self._in_flight.get(key)
            if running is None:
                running = asyncio.ensure_future(
                    self._synthesise(key, text, language, prosody, choice, voice_key["engine"], priority)
                )
                self._in_flight[key] = running
                running.add_done_callback(lambda _: self._in_flight.pop(key, None))
            cached = await asyncio.shield(running)
        if cached is None:
            return None
        timeline = cached.timeline
        return SpeechResult(
            key=cached.key,
            url=f"/audio/{cached.key}.wav",
            sample_rate=timeline["sample_rate"],
            duration_ms=timeline["duration_ms"],
            visemes=timeline["visemes"],
            words=timeline["words"],
            voice=timeline["voice"],
        )

    async def _synthesise(
        self,
        key: str,
        text: str,
        language: str,
        prosody: Prosody,
        choice: VoiceChoice,
        engine_name: str,
        priority: Priority = Priority.FIRST_SENTENCE,
    ) -> CachedSpeech | None:
        normalised = self.normaliser(language).normalise(text)
        if not normalised.spoken.strip():
            return None
        if engine_name == "piper":
            try:
                return await self._synthesise_piper(key, normalised, prosody, choice, priority)
            except (SpeechWorkerFailed, OSError, TimeoutError, ValueError, KeyError) as error:
                # Degrade, never fail: this sentence in espeak-ng's voice, cached under its own key.
                logger.warning("Piper failed (%s); this sentence is spoken with espeak-ng", type(error).__name__)
                return await self.speak_with_espeak(text, language, prosody, choice, priority)
        voice = self.voice_settings(language, prosody, choice)
        # A worker that dies (espeak-ng crashed, out of memory) fails this sentence, which then
        # goes without speech; the pool replaces the worker for the next ones.
        result = await self._espeak.synthesise(normalised.spoken, voice, priority)
        timeline = {
            "sample_rate": result.sample_rate,
            "duration_ms": result.duration_ms,
            "visemes": viseme_timeline(result.events, result.duration_ms),
            "words": word_timeline(result.events, normalised),
            "voice": {
                "name": voice.voice,
                "engine": "espeak",
                "rate_wpm": voice.rate_wpm,
                "pitch": voice.pitch,
                "volume": voice.volume,
            },
        }
        return await asyncio.to_thread(self._cache.put, key, wav_bytes(result.pcm, result.sample_rate), timeline)

    async def speak_with_espeak(
        self,
        text: str,
        language: str,
        prosody: Prosody,
        choice: VoiceChoice | None = None,
        priority: Priority = Priority.FIRST_SENTENCE,
    ) -> CachedSpeech | None:
        choice = choice or self.voice(language)
        voice = self.voice_settings(language, prosody, choice)
        voice_key = {"engine": "espeak", **asdict(voice)}
        key = self._cache.key(text=text, language=language, voice=voice_key, version=TIMELINE_VERSION)
        cached = await asyncio.to_thread(self._cache.get, key)
        return cached or await self._synthesise(key, text, language, prosody, choice, "espeak", priority)

    async def _synthesise_piper(
        self, key: str, normalised, prosody: Prosody, choice: VoiceChoice, priority: Priority
    ) -> CachedSpeech:
        assert self._piper is not None and choice.piper is not None
        request = piper_request(normalised.spoken, prosody.rate, prosody.pitch, prosody.volume)
        audio = await self._piper.synthesise(choice.piper, request, priority)
        events = events_from_alignment(audio, normalised.spoken)
        duration_ms = round(len(audio.pcm) // 2 * 1000 / audio.sample_rate)
        timeline = {
            "sample_rate": audio.sample_rate,
            "duration_ms": duration_ms,
            "visemes": viseme_timeline(events, duration_ms),
            "words": word_timeline(events, normalised),
            "voice": {
                "name": choice.piper.voice_id,
                "engine": "piper",
                "length_scale": request.length_scale,
                "noise_scale": request.noise_scale,
                "volume": request.volume,
            },
        }
        return await asyncio.to_thread(self._cache.put, key, wav_bytes(audio.pcm, audio.sample_rate), timeline)

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
