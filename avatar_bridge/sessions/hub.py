"""Live sessions of this process: their socket, their turn queue and their outgoing frames.

Every conversation frame goes through ``emit``: it takes the session's next sequence number,
is stored in the replay buffer, and is sent if a socket is attached. One lock per session
covers all three, so frames reach the client in sequence order and a resume never misses or
duplicates a frame. Turns of a session run one at a time, in arrival order, in one worker task.

Several bridge instances may share Redis (docs/deployment.md): a frame can be emitted by an
instance that does not hold the session's socket (an agent message it consumed, a turn still
running after the customer reconnected elsewhere). Numbering and storing a frame happen under a
per-session Redis lock, so stored frames appear in sequence order; each stored frame is announced
on a pub/sub channel, and the instance holding the socket sends every stored frame above the last
one it sent (``sent_seq``) -- so each frame reaches the socket once and in order.

A session has one socket at a time, whichever instance holds it: every attach takes the next
socket number of the session in Redis and announces it; an instance holding an older socket of
that session sends it ``session_taken_over`` and closes it with 4001 (``socket_taken_over``).
"""

import asyncio
import contextlib
import dataclasses
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from avatar_bridge.core.config import Settings
from avatar_bridge.protocol.codec import ProtocolCodec
from avatar_bridge.protocol.errors import CloseCode, ErrorCode
from avatar_bridge.protocol.messages import ErrorFrame, ServerFrame, UserMessage
from avatar_bridge.sessions.opening import OpeningTurn
from avatar_bridge.sessions.store import SessionRecord, SessionStore

logger = logging.getLogger(__name__)


class FrameSink(Protocol):
    """One client socket as the hub sees it."""

    async def send_text(self, payload: str) -> bool: ...

    async def close(self, code: int, reason: str) -> None: ...


# What the turn worker runs: a customer's message, or the opening turn (sessions/opening.py).
Turn = UserMessage | OpeningTurn


class SessionRuntime:
    def __init__(self, record: SessionRecord, settings: Settings) -> None:
        self.record = record
        self.sink: FrameSink | None = None
        self.queue: asyncio.Queue[Turn] = asyncio.Queue()
        self.pending: set[str] = set()  # message ids queued or running in this process
        self.worker: asyncio.Task | None = None
        self.emit_lock = asyncio.Lock()
        # The highest frame seq sent to `sink` (set when a socket attaches).
        self.sent_seq = 0
        # The session's socket number (SessionStore.next_socket_number) of `sink`.
        self.socket_number = 0
        # The customer's token as the client sent it with start/resume, passed on to Rasa with
        # every turn. Only in this process's memory (Redis keeps a hash); never logged.
        self.customer_token: str | None = None
        # Turns whose remaining speech the customer interrupted (barge_in); the turn stops sending it.
        self.speech_stopped: set[str] = set()

    @property
    def session_id(self) -> str:
        return self.record.session_id

    @property
    def idle(self) -> bool:
        return not self.pending


TurnHandler = Callable[[SessionRuntime, Turn], Awaitable[None]]
InlineAudio = Callable[[str], Awaitable[str | None]]


class SessionHub:
    def __init__(
        self, store: SessionStore, codec: ProtocolCodec, settings: Settings, inline_audio: InlineAudio
    ) -> None:
        self._store = store
        self._codec = codec
        self._settings = settings
        self._inline_audio = inline_audio
        self._runtimes: dict[str, SessionRuntime] = {}
        self._turn_handler: TurnHandler | None = None

    def set_turn_handler(self, handler: TurnHandler) -> None:
        self._turn_handler = handler

    @property
    def store(self) -> SessionStore:
        return self._store

    def runtime(self, record: SessionRecord) -> SessionRuntime:
        """This process's runtime of a session, created on first use."""
        runtime = self._runtimes.get(record.session_id)
        if runtime is None:
            runtime = SessionRuntime(record, self._settings)
            self._runtimes[record.session_id] = runtime
        else:
            runtime.record = record
        return runtime

    # --- sockets ------------------------------------------------------------------------------

    async def attach(
        self,
        runtime: SessionRuntime,
        sink: FrameSink,
        replay_after: int | None,
        header: Callable[[int, bool, int], ServerFrame],
    ) -> None:
        """Make `sink` the session's socket: header frame, then missed frames, then live frames.

        header(replayed, gap, last_seq) builds session_started / session_resumed.
        """
        async with runtime.emit_lock:
            previous = runtime.sink
            if previous is not None and previous is not sink:
                await self._close_taken_over(runtime, previous)
            socket_number = await self._store.next_socket_number(runtime.session_id)
            frames: list[str] = []
            gap = False
            # Under the frame lock every numbered frame is stored: none is missed in between.
            async with self._store.frame_lock(runtime.session_id):
                if replay_after is not None:
                    frames, gap = await self._store.frames_after(runtime.session_id, replay_after)
                last_seq = await self._store.last_seq(runtime.session_id)
            opening = dataclasses.replace(header(len(frames), gap, last_seq), ts=time.time())
            await self._send(sink, runtime, self._codec.encode(opening))
            for payload in frames:
                await self._send(sink, runtime, payload)
            runtime.sink = sink
            runtime.sent_seq = last_seq
            runtime.socket_number = socket_number
        if socket_number > 1:  # an earlier socket may be open on another instance
            await self._store.announce_takeover(runtime.session_id, socket_number)

    async def socket_taken_over(self, session_id: str, socket_number: int) -> None:
        """Some instance attached socket `socket_number`: close this process's older socket, if any."""
        runtime = self._runtimes.get(session_id)
        if runtime is None or runtime.sink is None or runtime.socket_number >= socket_number:
            return
        async with runtime.emit_lock:
            sink = runtime.sink
            if sink is None or runtime.socket_number >= socket_number:
                return
            await self._close_taken_over(runtime, sink)
            runtime.sink = None
        self._retire_if_unused(runtime)

    async def close_taken_over_sockets(self) -> None:
        """Close sockets taken over while takeover announcements could not arrive (Redis was away)."""
        for runtime in list(self._runtimes.values()):
            if runtime.sink is not None:
                current = await self._store.current_socket_number(runtime.session_id)
                await self.socket_taken_over(runtime.session_id, current)

    async def _close_taken_over(self, runtime: SessionRuntime, sink: FrameSink) -> None:
        error = ErrorFrame(
            code=ErrorCode.SESSION_TAKEN_OVER,
            ts=time.time(),
            fatal=True,
            message="This session was resumed on another connection.",
        )
        await self._send(sink, runtime, self._codec.encode(error))
        await sink.close(CloseCode.TAKEN_OVER, "session taken over")

    def detach(self, runtime: SessionRuntime, sink: FrameSink) -> None:
        if runtime.sink is sink:
            runtime.sink = None
        self._retire_if_unused(runtime)

    def _retire_if_unused(self, runtime: SessionRuntime) -> None:
        if runtime.sink is None and runtime.idle and self._runtimes.get(runtime.session_id) is runtime:
            del self._runtimes[runtime.session_id]
            # A worker retiring its own runtime simply returns; any other is stopped here.
            if runtime.worker is not None and runtime.worker is not asyncio.current_task():
                runtime.worker.cancel()

    # --- frames ---------------------------------------------------------------------------------

    async def emit(self, runtime: SessionRuntime, frame: ServerFrame) -> ServerFrame:
        """Send a conversation frame: numbered, kept for replay, delivered if a socket listens."""
        async with runtime.emit_lock:
            async with self._store.frame_lock(runtime.session_id):
                seq = await self._store.next_seq(runtime.session_id)
                frame = dataclasses.replace(frame, seq=seq, ts=time.time())
                payload = self._codec.encode(frame, validate=self._settings.validate_outgoing)
                await self._store.store_frame(runtime.session_id, seq, payload)
            if runtime.sink is not None:
                if seq == runtime.sent_seq + 1:
                    await self._send(runtime.sink, runtime, payload)
                    runtime.sent_seq = seq
                else:  # another instance stored frames in between: send them in order first
                    await self._flush(runtime)
        # Another instance may hold the socket (or take it over right now).
        await self._store.announce_frame(runtime.session_id, seq)
        return frame

    async def frame_stored(self, session_id: str, seq: int) -> None:
        """A frame was stored by some instance: send it if this process holds the session's socket."""
        runtime = self._runtimes.get(session_id)
        if runtime is None or runtime.sink is None or seq <= runtime.sent_seq:
            return
        async with runtime.emit_lock:
            await self._flush(runtime)

    async def flush_all(self) -> None:
        """Send whatever was stored while frame announcements could not arrive (Redis was away)."""
        for runtime in list(self._runtimes.values()):
            if runtime.sink is not None:
                async with runtime.emit_lock:
                    await self._flush(runtime)

    async def _flush(self, runtime: SessionRuntime) -> None:
        """Send stored frames above `sent_seq` in order (caller holds the emit lock)."""
        for seq, payload in await self._store.numbered_frames_after(runtime.session_id, runtime.sent_seq):
            sink = runtime.sink
            if sink is None:
                return
            await self._send(sink, runtime, payload)
            runtime.sent_seq = seq

    async def emit_to_session(self, record: SessionRecord, frame: ServerFrame) -> ServerFrame:
        """For frames from other services (agent messages, status), whether or not the session is live here."""
        runtime = self.runtime(record)
        try:
            return await self.emit(runtime, frame)
        finally:
            self._retire_if_unused(runtime)

    async def send_transient(self, sink: FrameSink, frame: ServerFrame, runtime: SessionRuntime | None = None) -> None:
        """Connection frames (errors about a frame, pong, ...): not numbered, not replayed."""
        frame = dataclasses.replace(frame, ts=time.time())
        await self._send(sink, runtime, self._codec.encode(frame, validate=self._settings.validate_outgoing))

    async def _send(self, sink: FrameSink, runtime: SessionRuntime | None, payload: str) -> None:
        if runtime is not None and runtime.record.audio_delivery == "inline" and '"type":"bot_speech"' in payload:
            payload = await self._with_inline_audio(payload)
        if not await sink.send_text(payload) and runtime is not None and runtime.sink is sink:
            runtime.sink = None  # the socket is gone; the frame waits in the replay buffer

    async def _with_inline_audio(self, payload: str) -> str:
        document = json.loads(payload)
        url = document["speech"]["audio"].get("url", "")
        audio = await self._inline_audio(url.rsplit("/", 1)[-1].removesuffix(".wav"))
        if audio is None:
            return payload
        document["speech"]["audio"] = {"base64": audio}
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))

    # --- turns ----------------------------------------------------------------------------------

    def reserve(self, runtime: SessionRuntime, message_id: str) -> bool:
        """Mark a message id as being handled in this process; False if it already is."""
        if message_id in runtime.pending:
            return False
        runtime.pending.add(message_id)
        return True

    def stop_speech(self, runtime: SessionRuntime, message_id: str | None) -> None:
        """barge_in: no more speech frames for that running turn (or for every running one)."""
        running = runtime.pending if message_id is None else runtime.pending & {message_id}
        # Only running turns are kept: a turn that ended without speaking leaves no id behind.
        runtime.speech_stopped = (runtime.speech_stopped & runtime.pending) | running

    def release(self, runtime: SessionRuntime, message_id: str) -> None:
        runtime.pending.discard(message_id)
        self._retire_if_unused(runtime)

    def submit(self, runtime: SessionRuntime, message: Turn) -> None:
        """Queue a reserved message (or the opening turn) for the session's turn worker."""
        runtime.pending.add(message.id)
        runtime.queue.put_nowait(message)
        if runtime.worker is None or runtime.worker.done():
            runtime.worker = asyncio.create_task(self._work(runtime), name=f"turns-{runtime.session_id}")

    async def _work(self, runtime: SessionRuntime) -> None:
        assert self._turn_handler is not None, "the app wires a turn handler at start-up"
        while True:
            message = await runtime.queue.get()
            try:
                await self._turn_handler(runtime, message)
            except Exception:  # the handler reports its own errors; this only keeps the worker alive
                logger.exception("turn handler failed")
            finally:
                runtime.pending.discard(message.id)
                runtime.queue.task_done()
            if runtime.queue.empty():
                self._retire_if_unused(runtime)
                if self._runtimes.get(runtime.session_id) is not runtime:
                    return

    async def drain(self, timeout_s: float) -> None:
        """Let running turns finish (shutdown), then stop every worker."""
        workers = [r.worker for r in self._runtimes.values() if r.worker is not None and not r.worker.done()]
        busy = [r.queue.join() for r in self._runtimes.values() if not r.idle]
        if busy:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.gather(*busy), timeout_s)
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        self._runtimes.clear()

    def is_pending(self, runtime: SessionRuntime, message_id: str) -> bool:
        return message_id in runtime.pending
