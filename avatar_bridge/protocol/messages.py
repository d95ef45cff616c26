"""Typed protocol messages, one dataclass per message type.

The wire format (JSON, field names, which fields may be null) lives in ``codec.py``; the
schemas in ``schemas/`` are the contract both sides check against.
"""

import time
from dataclasses import dataclass, field
from typing import ClassVar

PROTOCOL_VERSION = 1


# --- values carried inside messages ----------------------------------------------------------


@dataclass(frozen=True)
class Capabilities:
    audio: bool | None = None
    audio_delivery: str | None = None  # "url" | "inline"


@dataclass(frozen=True)
class Expression:
    name: str
    intensity: float
    duration_ms: int


@dataclass(frozen=True)
class Gesture:
    name: str
    intensity: float | None = None


@dataclass(frozen=True)
class Speech:
    audio: dict  # {"url": "..."} or {"base64": "..."}
    format: str
    sample_rate: int
    duration_ms: int
    visemes: list[dict]
    words: list[dict]
    voice: dict | None = None


# --- client -> server -------------------------------------------------------------------------


@dataclass(frozen=True)
class StartSession:
    TYPE: ClassVar[str] = "start"
    language: str
    customer_token: str | None = None
    capabilities: Capabilities | None = None


@dataclass(frozen=True)
class ResumeSession:
    TYPE: ClassVar[str] = "resume"
    session_id: str
    resume_token: str
    last_seq: int
    customer_token: str | None = None
    capabilities: Capabilities | None = None


@dataclass(frozen=True)
class UserMessage:
    TYPE: ClassVar[str] = "user_message"
    id: str
    text: str


@dataclass(frozen=True)
class Typing:
    TYPE: ClassVar[str] = "typing"
    active: bool


@dataclass(frozen=True)
class UpdateCapabilities:
    TYPE: ClassVar[str] = "capabilities"
    audio: bool | None = None
    audio_delivery: str | None = None


@dataclass(frozen=True)
class EndSession:
    TYPE: ClassVar[str] = "end"
    reason: str | None = None


@dataclass(frozen=True)
class CsatFeedback:
    TYPE: ClassVar[str] = "csat"
    score: int
    comment: str | None = None


@dataclass(frozen=True)
class Ping:
    TYPE: ClassVar[str] = "ping"


@dataclass(frozen=True)
class AudioStart:
    TYPE: ClassVar[str] = "audio_start"
    id: str  # the utterance; in hands-free mode also the user message it becomes
    sample_rate: int
    codec: str
    mode: str  # "push_to_talk" | "hands_free"


@dataclass(frozen=True)
class AudioChunk:
    TYPE: ClassVar[str] = "audio_chunk"
    id: str
    seq: int
    pcm: bytes  # decoded from the frame's base64 `data`


@dataclass(frozen=True)
class AudioEnd:
    TYPE: ClassVar[str] = "audio_end"
    id: str
    cancel: bool = False


@dataclass(frozen=True)
class BargeIn:
    TYPE: ClassVar[str] = "barge_in"
    reply_to: str | None = None


AudioMessage = AudioStart | AudioChunk | AudioEnd
ClientMessage = (
    StartSession
    | ResumeSession
    | UserMessage
    | Typing
    | UpdateCapabilities
    | EndSession
    | CsatFeedback
    | Ping
    | AudioStart
    | AudioChunk
    | AudioEnd
    | BargeIn
)
CLIENT_MESSAGE_CLASSES: tuple[type, ...] = (
    AudioStart,
    AudioChunk,
    AudioEnd,
    BargeIn,
    StartSession,
    ResumeSession,
    UserMessage,
    Typing,
    UpdateCapabilities,
    EndSession,
    CsatFeedback,
    Ping,
)


# --- server -> client -------------------------------------------------------------------------
# `seq` is set only on conversation frames (stored for replay); `ts` is stamped again when sent
# (the hub), and a frame is never without one: the schema promises server time, not 0.


@dataclass(frozen=True, kw_only=True)
class ServerFrame:
    TYPE: ClassVar[str] = ""
    # Fields that go on the wire as null instead of being left out.
    NULLABLE: ClassVar[frozenset[str]] = frozenset()
    seq: int | None = None
    ts: float = field(default_factory=time.time)


@dataclass(frozen=True, kw_only=True)
class SessionStarted(ServerFrame):
    TYPE: ClassVar[str] = "session_started"
    session_id: str
    resume_token: str
    language: str
    limits: dict


@dataclass(frozen=True, kw_only=True)
class SessionResumed(ServerFrame):
    TYPE: ClassVar[str] = "session_resumed"
    session_id: str
    language: str
    last_seq: int
    replayed: int
    gap: bool


@dataclass(frozen=True, kw_only=True)
class Ack(ServerFrame):
    TYPE: ClassVar[str] = "ack"
    reply_to: str
    text: str


@dataclass(frozen=True, kw_only=True)
class BotMessage(ServerFrame):
    TYPE: ClassVar[str] = "bot_message"
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"gesture"})
    reply_to: str
    message_id: str
    text: str
    language: str
    reply_kind: str
    expression: Expression
    gesture: Gesture | None
    speech_pending: bool
    buttons: list[dict] | None = None
    customer_emotion: dict | None = None
    # One expression per sentence (avatar_bridge/expression/sentences.py; docs/protocol.md §5).
    sentences: list[dict] | None = None


@dataclass(frozen=True, kw_only=True)
class BotSpeech(ServerFrame):
    TYPE: ClassVar[str] = "bot_speech"
    reply_to: str
    message_id: str
    speech: Speech
    # A message is spoken sentence by sentence: frame `part` (from 0) of `parts`, sent in order.
    part: int = 0
    parts: int = 1


@dataclass(frozen=True, kw_only=True)
class TurnComplete(ServerFrame):
    TYPE: ClassVar[str] = "turn_complete"
    reply_to: str
    messages: int
    routed_to: str = "bot"
    speech_failed: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class AgentMessage(ServerFrame):
    TYPE: ClassVar[str] = "agent_message"
    message_id: str
    agent: dict  # {"display_name": "...", "role": "agent" | "supervisor"}
    text: str


@dataclass(frozen=True, kw_only=True)
class Status(ServerFrame):
    TYPE: ClassVar[str] = "status"
    state: str
    queue_position: int | None = None
    estimated_wait_s: int | None = None
    estimated_wait_min_s: int | None = None
    contact_options: list[str] | None = None
    text: str | None = None


@dataclass(frozen=True, kw_only=True)
class ErrorFrame(ServerFrame):
    TYPE: ClassVar[str] = "error"
    code: str
    message: str
    reply_to: str | None = None
    retry_after_ms: int | None = None
    fatal: bool = False


@dataclass(frozen=True, kw_only=True)
class TranscriptFrame(ServerFrame):
    TYPE: ClassVar[str] = "transcript"
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"detected_language"})
    reply_to: str
    text: str
    language: str
    confidence: float
    detected_language: str | None
    # True when the server sent the text on as a user message (hands-free): its ack follows.
    sent: bool


@dataclass(frozen=True, kw_only=True)
class FeedbackReceived(ServerFrame):
    TYPE: ClassVar[str] = "feedback_received"
    score: int


@dataclass(frozen=True, kw_only=True)
class SessionEnded(ServerFrame):
    TYPE: ClassVar[str] = "session_ended"
    session_id: str


@dataclass(frozen=True, kw_only=True)
class Pong(ServerFrame):
    TYPE: ClassVar[str] = "pong"
