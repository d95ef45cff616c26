"""The bridge's side of the speech worker program (speech_worker/, a separate GPL program).

A small pool of child processes, each answering one JSON request at a time over its standard
input and output. A worker that dies or stops answering is replaced; the request that met it
fails (for Piper the speech service then falls back to espeak-ng for that sentence).

Requests wait for a free worker by priority, then in order of arrival: a reply's first sentence
(what the customer waits for) before later sentences, and those before background work such as
prewarming (see `Priority`). Every worker takes any request: keeping one free for first sentences
was measured (docs/benchmarks.md, 2026-12-05) and left later sentences late, the reply stalling.

What a worker writes to its standard error (a library's warning, a crash's traceback) is passed
on to the bridge's log line by line, so it is masked like every other record (common.log_privacy).
"""

import asyncio
import contextlib
import contextvars
import heapq
import itertools
import json
import logging
import sys
from enum import IntEnum

logger = logging.getLogger(__name__)
# A reply carries a whole sentence of audio as base64 (about 60 kB per second of speech).
_LINE_LIMIT = 64 * 1024 * 1024
WORKER_COMMAND = (sys.executable, "-m", "speech_worker")


class SpeechWorkerFailed(RuntimeError):
    """The worker could not synthesise this request."""


class Priority(IntEnum):
    """Which waiting request a free worker takes first (lower first)."""

    FIRST_SENTENCE = 0  # a customer waits for the reply's first audio
    LATER_SENTENCE = 1  # plays after the first: there is time
    BACKGROUND = 2  # prewarming, loading voices ahead


# Set by the caller (speak_sentences) on a reply's first sentence: the pool sets the event once that
# request holds a worker or waits in line for one, so later sentences ask only after it.
in_line: contextvars.ContextVar[asyncio.Event | None] = contextvars.ContextVar("in_line", default=None)


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process, name: str) -> None:
        self.process = process
        assert process.stderr is not None
        self._relay = asyncio.ensure_future(_relay_stderr(process.stderr, name))

    async def ask(self, message: dict, timeout_s: float) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write((json.dumps(message) + "\n").encode())
            await self.process.stdin.drain()
        except ConnectionError as error:
            raise SpeechWorkerFailed("the speech worker exited") from error
        line = await asyncio.wait_for(self.process.stdout.readline(), timeout_s)
        if not line:
            raise SpeechWorkerFailed("the speech worker exited")
        reply = json.loads(line)
        if reply.get("id") != message["id"]:
            raise SpeechWorkerFailed("the speech worker answered another request")
        return reply

    async def stop(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        await self.process.wait()
        await self._relay  # ends at the end of the pipe


async def _relay_stderr(stream: asyncio.StreamReader, name: str) -> None:
    while line := await stream.readline():
        logger.warning("%s worker: %s", name, line.decode("utf-8", "replace").rstrip())


class SpeechWorkerPool:
    """`size` workers of one engine; `warm_up` messages are sent to each as it starts."""

    def __init__(
        self,
        name: str,
        size: int,
        timeout_s: float,
        warm_up: list[dict],
        command: tuple[str, ...] = WORKER_COMMAND,
    ) -> None:
        self._name = name
        self._size = size
        self._timeout_s = timeout_s
        self._warm_up = warm_up
        self._command = command
        self._idle: list[_Worker] = []
        # Requests waiting for a worker: (priority, arrival, future the worker is handed through).
        self._waiting: list[tuple[int, int, asyncio.Future]] = []
        self._arrivals = itertools.count()
        self._all: set[_Worker] = set()
        self._ids = itertools.count(1)
        self._started: asyncio.Future | None = None
        self._closed = False

    async def start(self) -> None:
        """Start every worker and warm it up, once for all callers; a failed start is tried again
        by the next caller."""
        if self._started is None or _failed(self._started):
            self._started = asyncio.ensure_future(self._start_all())
        await asyncio.shield(self._started)

    async def _start_all(self) -> None:
        started: list[_Worker] = []
        try:
            for _ in range(self._size):
                started.append(await self._spawn(warm_up=True))
        except BaseException:
            await asyncio.gather(*(self._retire(worker) for worker in started), return_exceptions=True)
            raise
        for worker in started:
            self._release(worker)

    async def request(self, message: dict, priority: Priority = Priority.FIRST_SENTENCE) -> dict:
        if self._closed:
            raise SpeechWorkerFailed("the speech workers are stopped")
        await self.start()
        worker = await self._acquire(priority)
        try:
            return await self._ask(worker, message)
        except BaseException:
            # Whatever happened (timeout, crash, cancellation mid-reply), this worker's pipe may hold
            # half an answer: replace it rather than reuse it. The new one loads its engine on its
            # first request, so the caller's fallback is not held up by a warm-up.
            await self._retire(worker)
            if not self._closed:
                worker = await self._spawn(warm_up=False)
            raise
        finally:
            self._release(worker)

    async def _acquire(self, priority: Priority) -> _Worker:
        signal = in_line.get()
        if self._idle:  # a worker is idle only while nobody waits (`_hand_over` hands it over first)
            if signal is not None:
                signal.set()
            return self._idle.pop()
        handed: asyncio.Future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (int(priority), next(self._arrivals), handed))
        if signal is not None:
            signal.set()
        try:
            return await handed
        except asyncio.CancelledError:
            # Cancelled after a worker was handed over: pass it on. Before: `_hand_over` skips it.
            if handed.done() and not handed.cancelled():
                self._release(handed.result())
            raise

    def _release(self, worker: _Worker) -> None:
        self._idle.append(worker)
        self._hand_over()

    def _hand_over(self) -> None:
        """Idle workers go to the waiting requests by priority."""
        while self._waiting and self._idle:
            _, _, handed = heapq.heappop(self._waiting)
            if not handed.done():  # not cancelled while waiting
                handed.set_result(self._idle.pop())

    async def _retire(self, worker: _Worker) -> None:
        self._all.discard(worker)
        await worker.stop()

    async def _ask(self, worker: _Worker, message: dict) -> dict:
        reply = await worker.ask({"id": f"r{next(self._ids)}", **message}, self._timeout_s)
        if not reply.get("ok"):
            raise SpeechWorkerFailed(f"worker error: {reply.get('error')}")
        return reply

    async def _spawn(self, warm_up: bool) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            *self._command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            limit=_LINE_LIMIT,
        )
        worker = _Worker(process, self._name)
        self._all.add(worker)
        if warm_up:
            try:
                for message in self._warm_up:
                    await self._ask(worker, message)
            except BaseException:
                await self._retire(worker)
                raise
        return worker

    def pids(self) -> list[int]:
        return [worker.process.pid for worker in self._all]

    async def aclose(self) -> None:
        self._closed = True
        workers, self._all = list(self._all), set()
        for worker in workers:
            if worker.process.stdin is not None:
                worker.process.stdin.close()
        await asyncio.gather(*(worker.stop() for worker in workers), return_exceptions=True)


def _failed(future: asyncio.Future) -> bool:
    return future.done() and (future.cancelled() or future.exception() is not None)
