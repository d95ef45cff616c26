"""Piper through the speech worker program (speech_worker/, a separate GPL program)."""

import base64
from dataclasses import asdict, dataclass

from avatar_bridge.speech.manifest import PiperVoiceFiles
from avatar_bridge.speech.worker_pool import WORKER_COMMAND, Priority, SpeechWorkerPool


@dataclass(frozen=True)
class PiperRequest:
    text: str
    length_scale: float
    noise_scale: float
    noise_w_scale: float
    volume: float


@dataclass(frozen=True)
class PiperAudio:
    pcm: bytes  # 16-bit mono little-endian
    sample_rate: int
    phonemes: list[tuple[str, int]]  # (phoneme, samples), in speaking order


class PiperWorkers:
    """Workers that hold every installed Piper voice (loaded when they start)."""

    def __init__(
        self,
        size: int,
        timeout_s: float,
        voices: list[PiperVoiceFiles],
        command: tuple[str, ...] = WORKER_COMMAND,
    ) -> None:
        warm_up = [{"engine": "piper", "model": str(v.model), "config": str(v.config)} for v in voices]
        self._pool = SpeechWorkerPool("Piper", size, timeout_s, warm_up, command)

    async def start(self) -> None:
        await self._pool.start()

    async def synthesise(
        self, voice: PiperVoiceFiles, request: PiperRequest, priority: Priority = Priority.FIRST_SENTENCE
    ) -> PiperAudio:
        reply = await self._pool.request(
            {"engine": "piper", "model": str(voice.model), "config": str(voice.config), **asdict(request)}, priority
        )
        return PiperAudio(
            pcm=base64.b64decode(reply["pcm_base64"]),
            sample_rate=int(reply["sample_rate"]),
            phonemes=[(str(item[0]), int(item[1])) for item in reply["phonemes"]],
        )

    def pids(self) -> list[int]:
        return self._pool.pids()

    async def aclose(self) -> None:
        await self._pool.aclose()
