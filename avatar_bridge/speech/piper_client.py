"""The bridge's side of the Piper worker program (speech_worker/, a separate GPL program).

A small pool of child processes, each answering one JSON request at a time over its standard
input and output. A worker that dies or stops answering is replaced; the request that met it
fails (the speech service then falls back to espeak-ng for that sentence).
"""

import asyncio
import base64
import contextlib
import itertools
import json
import logging
import sys
from dataclasses import dataclass

from avatar_bridge.speech.manifest import PiperVoiceFiles

logger = logging.getLogger(__name__)
# A reply carries a whole sentence of audio as base64 (about 60 kB per second of speech).
_LINE_LIMIT = 64 * 1024 * 1024


class PiperFailed(RuntimeError):
    """The worker could not synthesise this request."""


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


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def ask(self, message: dict, timeout_s: float) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        await self.process.stdin.drain()
        line = await asyncio.wait_for(self.process.stdout.readline(), timeout_s)
        if not line:
            raise PiperFailed("the Piper worker exited")
        reply = json.loads(line)
        if reply.get("id") != message["id"]:
            raise PiperFailed("the Piper worker answered another request")
        return reply

    async def stop(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        await self.process.wait()


class PiperWorkers:
    def __init__(self, size: int, timeout_s: float, command: tuple[str, ...] | None = None) -> None:
        self._size = size
        self._timeout_s = timeout_s
        self._command = command or (sys.executable, "-m", "speech_worker")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._ids = itertools.count(1)

    async def start(self, voices: list[PiperVoiceFiles]) -> None:
        """Start every worker and load the voices into each (before a customer waits)."""
        self._idle = asyncio.Queue()
        for _ in range(self._size):
            worker = await self._spawn()
            for voice in voices:
                await self._ask(worker, {"model": str(voice.model), "config": str(voice.config)})
            self._idle.put_nowait(worker)

    async def synthesise(self, voice: PiperVoiceFiles, request: PiperRequest) -> PiperAudio:
        if self._idle is None:
            raise PiperFailed("the Piper workers are not started")
        worker = await self._idle.get()
        try:
            message = {"model": str(voice.model), "config": str(voice.config), **request.__dict__}
            reply = await self._ask(worker, message)
        except BaseException:
            # Whatever happened (timeout, crash, cancellation mid-reply), this worker's pipe may hold
            # half an answer: replace it rather than reuse it.
            self._all.discard(worker)
            await worker.stop()
            worker = await self._spawn()
            raise
        finally:
            self._idle.put_nowait(worker)
        return PiperAudio(
            pcm=base64.b64decode(reply["pcm_base64"]),
            sample_rate=int(reply["sample_rate"]),
            phonemes=[(str(item[0]), int(item[1])) for item in reply["phonemes"]],
        )

    async def _ask(self, worker: _Worker, message: dict) -> dict:
        reply = await worker.ask({"id": f"r{next(self._ids)}", **message}, self._timeout_s)
        if not reply.get("ok"):
            raise PiperFailed(f"Piper worker error: {reply.get('error')}")
        return reply

    async def _spawn(self) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            *self._command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=_LINE_LIMIT,
        )
        worker = _Worker(process)
        self._all.add(worker)
        return worker

    def pids(self) -> list[int]:
        return [worker.process.pid for worker in self._all]

    async def aclose(self) -> None:
        workers, self._all = list(self._all), set()
        for worker in workers:
            if worker.process.stdin is not None:
                worker.process.stdin.close()
        await asyncio.gather(*(worker.stop() for worker in workers), return_exceptions=True)
