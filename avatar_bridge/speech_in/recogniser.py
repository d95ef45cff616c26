"""The bridge's side of speech recognition: a bounded pool of worker processes, loaded lazily.

Each worker process holds one copy of the model (about 360 MB resident) and recognises one
utterance at a time, so neither the event loop nor other sessions wait on the CPU work. At most
``queue_limit`` utterances are running or waiting at once across all sessions; the next one is
refused at once with ``RecogniserBusy`` (the customer is told to retry) instead of queueing
without end. The pool starts on first use, or earlier from ``warm_up()`` in a background task.
"""

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from avatar_bridge.speech_in import recognise as worker

logger = logging.getLogger(__name__)


class RecogniserBusy(RuntimeError):
    """Too many utterances are waiting; try again after ``retry_after_ms``."""

    def __init__(self, retry_after_ms: int) -> None:
        super().__init__("speech recogniser busy")
        self.retry_after_ms = retry_after_ms


class RecogniserUnavailable(RuntimeError):
    """The model could not be loaded or a worker died."""


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    confidence: float
    detected_language: str | None
    duration_s: float
    compute_s: float
    cpu_s: float


class SpeechRecogniser:
    def __init__(
        self,
        workers: int,
        queue_limit: int,
        cpu_threads: int,
        languages: tuple[str, ...],
        check_language: bool = True,
        timeout_s: float = 30.0,
    ) -> None:
        self._workers = workers
        self._queue_limit = queue_limit
        self._cpu_threads = cpu_threads
        self._languages = languages
        self._check_language = check_language
        self._timeout_s = timeout_s
        self._pool: ProcessPoolExecutor | None = None
        self._loading: asyncio.Future | None = None
        self._in_flight = 0

    @property
    def in_flight(self) -> int:
        return self._in_flight

    async def warm_up(self) -> None:
        """Start every worker and load the model into each (from a tracked background task)."""
        try:
            await self._ready()
        except RecogniserUnavailable:
            pass  # logged by _load; the first customer to speak is told speech input is unavailable

    async def recognise(self, pcm: bytes, language: str) -> Transcript:
        if self._in_flight >= self._queue_limit:
            raise RecogniserBusy(retry_after_ms=2000)
        self._in_flight += 1
        try:
            await self._ready()
            loop = asyncio.get_running_loop()
            call = loop.run_in_executor(
                self._pool, worker.recognise, pcm, language, self._languages, self._check_language
            )
            result = await asyncio.wait_for(call, self._timeout_s)
        except (BrokenProcessPool, TimeoutError) as error:
            logger.error("speech recogniser worker failed (%s); restarting the pool", type(error).__name__)
            await self._reset()
            raise RecogniserUnavailable(type(error).__name__) from None
        finally:
            self._in_flight -= 1
        return Transcript(
            text=result["text"],
            language=result["language"],
            confidence=result["confidence"],
            detected_language=result["detected_language"],
            duration_s=result["duration_s"],
            compute_s=result["compute_s"],
            cpu_s=result["cpu_s"],
        )

    async def _ready(self) -> None:
        if self._loading is None:
            self._loading = asyncio.ensure_future(self._load())
        await asyncio.shield(self._loading)

    async def _load(self) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=worker.init_worker,
            initargs=(self._cpu_threads,),
        )
        loop = asyncio.get_running_loop()
        try:
            # One call per worker makes the pool spawn them all; each loads and checks the model.
            await asyncio.gather(*(loop.run_in_executor(self._pool, worker.ready) for _ in range(self._workers)))
        except BrokenProcessPool:
            logger.error("the speech recogniser could not load its model (see the worker's error above)")
            await self._reset()
            raise RecogniserUnavailable("model not loaded") from None

    async def _reset(self) -> None:
        pool, self._pool, self._loading = self._pool, None, None
        if pool is None:
            return
        # A worker stuck on an utterance would hold shutdown up: end the pool's processes first
        # (the executor keeps them in a private mapping; they are ours, spawned above).
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    async def aclose(self) -> None:
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        await self._reset()
