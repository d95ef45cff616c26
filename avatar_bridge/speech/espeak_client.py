"""espeak-ng through the speech worker program (speech_worker/, a separate GPL program).

The worker runs pyttsx3's espeak driver and reports espeak-ng's own word and phoneme events with
their sample positions in the audio of that very run (speech_worker/espeak_engine.py); here they
become the timeline's events.
"""

import base64
from dataclasses import dataclass

from avatar_bridge.speech.timeline import SynthesisEvent
from avatar_bridge.speech.worker_pool import WORKER_COMMAND, Priority, SpeechWorkerPool

_KINDS = {"word", "phoneme", "sentence", "end"}


@dataclass(frozen=True)
class VoiceSettings:
    voice: str  # espeak-ng voice, e.g. "en" or "de"
    rate_wpm: int
    pitch: int  # 0..100, espeak-ng's scale (50 is the voice's normal pitch)
    volume: float  # 0..1


@dataclass(frozen=True)
class SynthesisResult:
    pcm: bytes  # 16-bit mono little-endian
    sample_rate: int
    duration_ms: int
    events: tuple[SynthesisEvent, ...]


class EspeakWorkers:
    def __init__(
        self,
        size: int,
        timeout_s: float,
        warm_up_voices: tuple[str, ...] = ("en", "de"),
        command: tuple[str, ...] = WORKER_COMMAND,
    ) -> None:
        # Saying a word in each voice loads that voice's data before a customer waits for it.
        warm_up = [{"engine": "espeak"}] + [
            {"engine": "espeak", "text": "ok", "voice": voice, "rate_wpm": 170, "pitch": 50, "volume": 0.9}
            for voice in warm_up_voices
        ]
        self._pool = SpeechWorkerPool("espeak-ng", size, timeout_s, warm_up, command)

    async def start(self) -> None:
        await self._pool.start()

    async def synthesise(
        self, text: str, voice: VoiceSettings, priority: Priority = Priority.FIRST_SENTENCE
    ) -> SynthesisResult:
        reply = await self._pool.request(
            {
                "engine": "espeak",
                "text": text,
                "voice": voice.voice,
                "rate_wpm": voice.rate_wpm,
                "pitch": voice.pitch,
                "volume": voice.volume,
            },
            priority,
        )
        return result_from_reply(reply)

    def pids(self) -> list[int]:
        return self._pool.pids()

    async def aclose(self) -> None:
        await self._pool.aclose()


def result_from_reply(reply: dict) -> SynthesisResult:
    """The worker's reply as audio and timeline events (a malformed reply raises ValueError)."""
    pcm = base64.b64decode(reply["pcm_base64"])
    rate = int(reply["sample_rate"])
    if rate <= 0:
        raise ValueError("bad sample rate from the espeak-ng worker")
    events = []
    for kind, sample, text_position, length, phoneme in reply["events"]:
        if kind not in _KINDS:
            raise ValueError(f"unknown espeak-ng event kind {kind!r}")
        sample = int(sample)
        events.append(
            SynthesisEvent(
                kind=kind,
                t_ms=round(sample * 1000 / rate),
                text_position=int(text_position),
                length=int(length),
                phoneme=str(phoneme),
                sample=sample,
            )
        )
    duration_ms = round(len(pcm) // 2 * 1000 / rate)
    return SynthesisResult(pcm=pcm, sample_rate=rate, duration_ms=duration_ms, events=tuple(events))
