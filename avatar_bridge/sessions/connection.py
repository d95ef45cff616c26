"""One customer socket: read frames, answer bad ones with error frames, dispatch the rest.

Nothing a client sends can crash the connection: undecodable frames, unknown types, wrong
fields, floods and foreign session ids all become error frames and the socket stays open.
The socket is closed by the server only after ``end`` (1000) or when another connection takes
the session over (4001).
"""

import asyncio
import logging
import time

from redis.exceptions import RedisError
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from avatar_bridge.core.config import Settings
from avatar_bridge.protocol.codec import ProtocolCodec
from avatar_bridge.protocol.errors import CloseCode, ErrorCode, ProtocolError
from avatar_bridge.protocol.messages import (
    Ack,
    AudioChunk,
    AudioEnd,
    AudioStart,
    BargeIn,
    Capabilities,
    ClientMessage,
    CsatFeedback,
    EndSession,
    ErrorFrame,
    FeedbackReceived,
    Ping,
    Pong,
    ResumeSession,
    SessionEnded,
    SessionResumed,
    SessionStarted,
    StartSession,
    TurnComplete,
    TranscriptFrame,
    Typing,
    UpdateCapabilities,
    UserMessage,
)
from avatar_bridge.sessions import storage_outage
from avatar_bridge.sessions.hub import SessionHub, SessionRuntime
from avatar_bridge.sessions.opening import OpeningTurn, incident_for_everyone
from avatar_bridge.sessions.rate_limit import TokenBucket
from avatar_bridge.sessions.store import CAPABILITY_FIELDS, TURN_DONE, TURN_FAILED, apply_capabilities
from avatar_bridge.sessions.voice_input import VoiceInput
from avatar_bridge.speech_in.recogniser import SpeechRecogniser

logger = logging.getLogger(__name__)
# At most one "slow down" error per this many seconds, so a flood cannot make us flood back.
_FLOOD_NOTICE_INTERVAL_S = 1.0


class SocketSink:
    """The hub's view of a Starlette WebSocket: send text, report whether it arrived."""

    def __init__(self, websocket: WebSocket) -> None:
        self._websocket = websocket
        # The turn worker and the receive loop both send; one frame at a time on the wire.
        self._send_lock = asyncio.Lock()

    async def send_text(self, payload: str) -> bool:
        async with self._send_lock:
            if self._websocket.application_state != WebSocketState.CONNECTED:
                return False
            try:
                await self._websocket.send_text(payload)
            except (WebSocketDisconnect, RuntimeError, OSError):
                return False
            return True

    async def close(self, code: int, reason: str) -> None:
        if self._websocket.application_state == WebSocketState.CONNECTED:
            try:
                await self._websocket.close(code=code, reason=reason)
            except (RuntimeError, OSError):
                logger.debug("socket already closed")


class CustomerConnection:
    def __init__(
        self,
        websocket: WebSocket,
        hub: SessionHub,
        codec: ProtocolCodec,
        settings: Settings,
        recogniser: SpeechRecogniser | None = None,
    ) -> None:
        self._websocket = websocket
        self._sink = SocketSink(websocket)
        self._hub = hub
        self._codec = codec
        self._settings = settings
        self._frames = TokenBucket(settings.frames_per_second, settings.frame_burst)
        self._last_flood_notice = 0.0
        self._runtime: SessionRuntime | None = None
        self._closing = False
        self._recogniser = recogniser
        self._voice = VoiceInput(recogniser, settings, self._error, self._transcript, self._spoken_message)

    async def run(self) -> None:
        try:
            while not self._closing:
                event = await self._websocket.receive()
                if event["type"] == "websocket.disconnect":
                    break
                raw = event.get("text") if event.get("text") is not None else event.get("bytes")
                if raw is not None:
                    await self._handle_frame(raw)
        finally:
            await self._voice.aclose()  # a stream cut mid-utterance: nothing of it is kept
            if self._runtime is not None:
                self._hub.detach(self._runtime, self._sink)

    async def _handle_frame(self, raw: str | bytes) -> None:
        wait_s = self._frames.take()
        if wait_s:
            await self._refuse_during_flood(raw, wait_s)
            return
        message: ClientMessage | None = None
        try:
            message = self._codec.decode(raw)
            await self._dispatch(message)
        except ProtocolError as error:
            await self._error(error.code, error.message, error.reply_to, error.retry_after_ms)
        except RedisError as error:
            # Redis (sessions, turns) is away, e.g. restarting: the frame was not taken, so the
            # client may simply send it again (docs/operations.md, "Fault behaviour").
            logger.warning("could not handle a client frame: Redis unavailable (%s)", type(error).__name__)
            language = self._runtime.record.language if self._runtime is not None else "en"
            await self._error(
                ErrorCode.TEMPORARILY_UNAVAILABLE,
                storage_outage.message_not_taken(language),
                message.id if isinstance(message, UserMessage) else None,
                retry_after_ms=storage_outage.RETRY_AFTER_MS,
            )
        except Exception:
            logger.exception("could not handle a client frame")
            await self._error(ErrorCode.INTERNAL_ERROR, "Something went wrong on our side; please try again.")

    async def _dispatch(self, message: ClientMessage) -> None:
        if isinstance(message, Ping):
            await self._hub.send_transient(self._sink, Pong(), self._runtime)
        elif isinstance(message, StartSession):
            await self._start(message)
        elif isinstance(message, ResumeSession):
            await self._resume(message)
        else:
            runtime = self._runtime
            if runtime is None:
                reply_to = message.id if isinstance(message, UserMessage) else None
                raise ProtocolError(ErrorCode.NO_SESSION, "Send start or resume first.", reply_to)
            await self._in_session(runtime, message)

    async def _in_session(self, runtime: SessionRuntime, message: ClientMessage) -> None:
        store = self._hub.store
        if isinstance(message, UserMessage):
            await self._user_message(runtime, message)
        elif isinstance(message, Typing):
            pass  # the avatar's listening cues are client-side; nothing to answer
        elif isinstance(message, AudioStart | AudioChunk | AudioEnd):
            await self._voice.handle(runtime, message)
        elif isinstance(message, BargeIn):
            self._hub.stop_speech(runtime, message.reply_to)
        elif isinstance(message, UpdateCapabilities):
            apply_capabilities(runtime.record, Capabilities(message.audio, message.audio_delivery))
            await store.save(runtime.record, *CAPABILITY_FIELDS)
        elif isinstance(message, CsatFeedback):
            await store.record_csat(runtime.record, message.score, message.comment)
            await self._hub.send_transient(self._sink, FeedbackReceived(score=message.score), runtime)
        elif isinstance(message, EndSession):
            runtime.record.ended = True
            await store.save(runtime.record, "ended")
            await store.record_session_end(runtime.record)
            await self._hub.send_transient(self._sink, SessionEnded(session_id=runtime.session_id), runtime)
            self._closing = True
            await self._sink.close(CloseCode.NORMAL, "session ended")

    async def _start(self, message: StartSession) -> None:
        if self._runtime is not None:
            raise ProtocolError(ErrorCode.SESSION_ALREADY_STARTED, "This socket already carries a session.")
        record, resume_token = await self._hub.store.create(
            message.language, message.customer_token, message.capabilities
        )
        runtime = self._hub.runtime(record)
        runtime.customer_token = message.customer_token
        limits = {
            "max_text_chars": self._settings.max_text_chars,
            "max_frame_bytes": self._settings.max_frame_bytes,
            "user_messages_per_second": self._settings.user_messages_per_second,
            "user_message_burst": self._settings.user_message_burst,
        }
        if self._recogniser is not None:
            limits["speech_in"] = {
                "sample_rate": 16000,
                "codec": "pcm_s16le",
                "max_utterance_s": self._settings.speech_in_max_utterance_s,
                "max_chunk_bytes": 8192,
            }
        await self._hub.attach(
            runtime,
            self._sink,
            None,
            lambda replayed, gap, last_seq: SessionStarted(
                session_id=record.session_id,
                resume_token=resume_token,
                language=record.language,
                limits=limits,
            ),
        )
        self._runtime = runtime
        if runtime.customer_token or await incident_for_everyone(self._hub.store.redis):
            # A signed-in customer may hear about a known problem before typing, and everyone about
            # an outage (sessions/opening.py).
            self._hub.submit(runtime, OpeningTurn())

    async def _resume(self, message: ResumeSession) -> None:
        if self._runtime is not None:
            raise ProtocolError(ErrorCode.SESSION_ALREADY_STARTED, "This socket already carries a session.")
        store = self._hub.store
        record = await store.load(message.session_id)
        # Unknown, expired and someone else's sessions get the same answer: no session enumeration.
        if record is None or not store.may_resume(record, message.resume_token, message.customer_token):
            raise ProtocolError(ErrorCode.SESSION_FORBIDDEN, "No session with this id and token belongs to you.")
        if record.ended:
            raise ProtocolError(ErrorCode.SESSION_ENDED, "This session has ended; start a new one.")
        apply_capabilities(record, message.capabilities)
        await store.save(record, *CAPABILITY_FIELDS)
        await store.touch(record.session_id)
        runtime = self._hub.runtime(record)
        # Only a token the session is bound to (checked by may_resume) goes on to Rasa.
        runtime.customer_token = message.customer_token if record.customer_token_hash else None
        await self._interrupt_orphaned_turns(runtime)
        await self._hub.attach(
            runtime,
            self._sink,
            message.last_seq,
            lambda replayed, gap, last_seq: SessionResumed(
                session_id=record.session_id,
                language=record.language,
                last_seq=last_seq,
                replayed=replayed,
                gap=gap,
            ),
        )
        self._runtime = runtime

    async def _interrupt_orphaned_turns(self, runtime: SessionRuntime) -> None:
        """Turns accepted by a bridge process that is gone will never finish: say so. One that had
        already reached the agent only lacks its terminal frame: asking for it again would show the
        agent the same message twice."""
        for turn in await self._hub.store.unfinished_turns(runtime.session_id):
            if self._hub.is_pending(runtime, turn.message_id):
                continue
            if turn.forwarded:
                await self._hub.emit(runtime, TurnComplete(reply_to=turn.message_id, messages=0, routed_to="agent"))
                await self._hub.store.finish_turn(runtime.session_id, turn.message_id, TURN_DONE)
                continue
            await self._hub.emit(
                runtime,
                ErrorFrame(
                    code=ErrorCode.TURN_INTERRUPTED,
                    reply_to=turn.message_id,
                    retry_after_ms=0,
                    message="The assistant restarted while answering this message; please send it again.",
                ),
            )
            await self._hub.store.finish_turn(runtime.session_id, turn.message_id, TURN_FAILED)

    async def _user_message(self, runtime: SessionRuntime, message: UserMessage) -> None:
        wait_s = await self._hub.store.take_message_token(runtime.session_id)
        if wait_s:
            limit = f"{self._settings.user_messages_per_second:g}/s, bursts of {self._settings.user_message_burst}"
            await self._error(
                ErrorCode.RATE_LIMITED,
                f"Too many messages ({limit}); this one was not processed.",
                message.id,
                retry_after_ms=int(wait_s * 1000) + 1,
            )
            return
        # Reserve the id in this process before anything awaits, so that a resume racing with
        # this message sees the turn as running here and not as orphaned.
        if not self._hub.reserve(runtime, message.id):
            raise self._duplicate(message.id)
        try:
            claimed = await self._hub.store.claim_turn(runtime.session_id, message.id)
            if not claimed:
                raise self._duplicate(message.id)
            await self._hub.emit(runtime, Ack(reply_to=message.id, text=message.text))
        except BaseException:
            self._hub.release(runtime, message.id)
            raise
        self._hub.submit(runtime, message)

    async def _transcript(self, frame: TranscriptFrame) -> None:
        await self._hub.send_transient(self._sink, frame, self._runtime)

    async def _spoken_message(self, runtime: SessionRuntime, message_id: str, text: str) -> None:
        """Hands-free: the transcript goes on as if typed (same limits, same ack and turn)."""
        try:
            await self._user_message(runtime, UserMessage(message_id, text))
        except ProtocolError as error:
            await self._error(error.code, error.message, error.reply_to, error.retry_after_ms)

    @staticmethod
    def _duplicate(message_id: str) -> ProtocolError:
        return ProtocolError(
            ErrorCode.DUPLICATE_MESSAGE,
            "A message with this id was already received; resume with last_seq to get its replies.",
            message_id,
        )

    async def _refuse_during_flood(self, raw: str | bytes, wait_s: float) -> None:
        """A dropped user message is always answered (never silence); other frames get at most
        one notice per second, so a flood cannot make us flood back."""
        try:
            message = self._codec.decode(raw)
        except ProtocolError:
            message = None
        if isinstance(message, UserMessage):
            limit = f"{self._settings.frames_per_second:g} frames/s, bursts of {self._settings.frame_burst}"
            await self._error(
                ErrorCode.RATE_LIMITED,
                f"Too many frames ({limit}); this message was not processed.",
                message.id,
                retry_after_ms=int(wait_s * 1000) + 1,
            )
            return
        await self._flood_notice(wait_s)

    async def _flood_notice(self, wait_s: float) -> None:
        now = time.monotonic()
        if now - self._last_flood_notice < _FLOOD_NOTICE_INTERVAL_S:
            return
        self._last_flood_notice = now
        limit = f"{self._settings.frames_per_second:g} frames/s, bursts of {self._settings.frame_burst}"
        await self._error(
            ErrorCode.RATE_LIMITED,
            f"Too many frames ({limit}); frames are being dropped.",
            retry_after_ms=int(wait_s * 1000) + 1,
        )

    async def _error(
        self, code: ErrorCode, text: str, reply_to: str | None = None, retry_after_ms: int | None = None
    ) -> None:
        frame = ErrorFrame(code=code, message=text, reply_to=reply_to, retry_after_ms=retry_after_ms)
        await self._hub.send_transient(self._sink, frame, self._runtime)
