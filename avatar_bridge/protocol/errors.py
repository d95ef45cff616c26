"""Error codes and close codes of the protocol (the list is also in error.json and docs/protocol.md)."""

from enum import IntEnum, StrEnum


class ErrorCode(StrEnum):
    MALFORMED_JSON = "malformed_json"
    INVALID_UTF8 = "invalid_utf8"
    FRAME_TOO_LARGE = "frame_too_large"
    INVALID_MESSAGE = "invalid_message"
    UNKNOWN_TYPE = "unknown_type"
    UNSUPPORTED_VERSION = "unsupported_version"
    INVALID_FIELD = "invalid_field"
    TEXT_TOO_LONG = "text_too_long"
    RATE_LIMITED = "rate_limited"
    NO_SESSION = "no_session"
    SESSION_ALREADY_STARTED = "session_already_started"
    SESSION_FORBIDDEN = "session_forbidden"
    SESSION_ENDED = "session_ended"
    SESSION_TAKEN_OVER = "session_taken_over"
    DUPLICATE_MESSAGE = "duplicate_message"
    DIALOGUE_UNAVAILABLE = "dialogue_unavailable"
    TURN_INTERRUPTED = "turn_interrupted"
    TEMPORARILY_UNAVAILABLE = "temporarily_unavailable"
    INTERNAL_ERROR = "internal_error"
    # Speech in (docs/protocol.md "Speaking to the assistant"); the message is in the session's language.
    NO_SPEECH = "no_speech"
    AUDIO_TOO_LONG = "audio_too_long"
    AUDIO_INTERRUPTED = "audio_interrupted"
    UNSUPPORTED_AUDIO = "unsupported_audio"
    SPEECH_BUSY = "speech_busy"
    SPEECH_UNAVAILABLE = "speech_unavailable"


class CloseCode(IntEnum):
    """WebSocket close codes the bridge uses (4000-4999 are application codes)."""

    NORMAL = 1000
    POLICY_VIOLATION = 1008
    INTERNAL_ERROR = 1011
    TAKEN_OVER = 4001


class ProtocolError(Exception):
    """A client frame the server cannot act on; it becomes an error frame, not a crash."""

    def __init__(
        self, code: ErrorCode, message: str, reply_to: str | None = None, retry_after_ms: int | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.reply_to = reply_to
        self.retry_after_ms = retry_after_ms
