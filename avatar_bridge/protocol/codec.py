"""The wire format: raw WebSocket frames <-> typed messages.

Kept apart from the socket code so it can be tested (and replaced) on its own. Decoding never
raises anything but ``ProtocolError``: every bad frame becomes an error code.
"""

import base64
import binascii
import dataclasses
import json
from typing import Any

from jsonschema import ValidationError

from avatar_bridge.protocol.errors import ErrorCode, ProtocolError
from avatar_bridge.protocol.messages import (
    PROTOCOL_VERSION,
    AudioChunk,
    AudioEnd,
    AudioStart,
    BargeIn,
    Capabilities,
    ClientMessage,
    CsatFeedback,
    EndSession,
    Ping,
    ResumeSession,
    ServerFrame,
    StartSession,
    Typing,
    UpdateCapabilities,
    UserMessage,
)
from avatar_bridge.protocol.schema_registry import SchemaRegistry


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class ProtocolCodec:
    def __init__(self, schemas: SchemaRegistry, max_frame_bytes: int, max_text_chars: int) -> None:
        self._schemas = schemas
        self._client_types = schemas.types("client")
        self._max_frame_bytes = max_frame_bytes
        self._max_text_chars = max_text_chars

    # --- incoming --------------------------------------------------------------------------

    def decode(self, raw: str | bytes) -> ClientMessage:
        text = self._as_text(raw)
        try:
            document = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as error:
            raise ProtocolError(ErrorCode.MALFORMED_JSON, f"The frame is not valid JSON: {error}") from None
        if not isinstance(document, dict):
            raise ProtocolError(ErrorCode.INVALID_MESSAGE, "A message must be a JSON object.")
        reply_to = _plausible_id(document.get("id"))
        if not _is_valid_unicode(document):
            raise ProtocolError(
                ErrorCode.INVALID_UTF8, "The message contains invalid Unicode (lone surrogates).", reply_to
            )
        message_type = document.get("type")
        if not isinstance(message_type, str):
            raise ProtocolError(ErrorCode.INVALID_MESSAGE, "A message needs a string field 'type'.", reply_to)
        if message_type not in self._client_types:
            known = ", ".join(sorted(self._client_types))
            raise ProtocolError(
                ErrorCode.UNKNOWN_TYPE, f"Unknown message type {message_type!r}; known: {known}.", reply_to
            )
        if "v" in document and document["v"] != PROTOCOL_VERSION:
            raise ProtocolError(
                ErrorCode.UNSUPPORTED_VERSION,
                f"Protocol version {document['v']!r} is not supported; this server speaks v{PROTOCOL_VERSION}.",
                reply_to,
            )
        errors = self._schemas.errors(message_type, document)
        if errors:
            raise self._schema_error(errors[0], reply_to)
        if message_type == UserMessage.TYPE and len(document["text"]) > self._max_text_chars:
            raise self._text_too_long(reply_to)
        return _build(message_type, document)

    def _as_text(self, raw: str | bytes) -> str:
        size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
        if size > self._max_frame_bytes:
            raise ProtocolError(
                ErrorCode.FRAME_TOO_LARGE, f"The frame has {size} bytes; the limit is {self._max_frame_bytes}."
            )
        if isinstance(raw, str):
            return raw
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ProtocolError(ErrorCode.INVALID_UTF8, f"The frame is not valid UTF-8 ({error.reason}).") from None

    def _schema_error(self, error: ValidationError, reply_to: str | None) -> ProtocolError:
        path = "/".join(str(part) for part in error.absolute_path) or "(message)"
        if error.validator == "maxLength" and list(error.absolute_path) == ["text"]:
            return self._text_too_long(reply_to)
        if error.validator == "const" and list(error.absolute_path) == ["v"]:
            return ProtocolError(ErrorCode.UNSUPPORTED_VERSION, f"Field 'v' must be {PROTOCOL_VERSION}.", reply_to)
        if list(error.absolute_path) in (["sample_rate"], ["codec"]):
            return ProtocolError(ErrorCode.UNSUPPORTED_AUDIO, f"{path}: {error.message}", reply_to)
        return ProtocolError(ErrorCode.INVALID_FIELD, f"{path}: {error.message}", reply_to)

    def _text_too_long(self, reply_to: str | None) -> ProtocolError:
        return ProtocolError(
            ErrorCode.TEXT_TOO_LONG, f"The text is longer than {self._max_text_chars} characters.", reply_to
        )

    # --- outgoing --------------------------------------------------------------------------

    def to_document(self, frame: ServerFrame) -> dict:
        fields = dataclasses.asdict(frame, dict_factory=_drop_none)
        for name in frame.NULLABLE:
            fields.setdefault(name, None)
        if frame.seq is None:
            fields.pop("seq", None)
        return {"v": PROTOCOL_VERSION, "type": frame.TYPE, **fields}

    def encode(self, frame: ServerFrame, validate: bool = False) -> str:
        document = self.to_document(frame)
        if validate:
            self._schemas.validate(frame.TYPE, document)
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _drop_none(items: list[tuple[str, Any]]) -> dict:
    return {key: value for key, value in items if value is not None}


def _plausible_id(value: object) -> str | None:
    """The client's message id if it looks like one, so even a rejected frame can be answered."""
    if isinstance(value, str) and 0 < len(value) <= 64 and value.isascii() and value.isprintable():
        return value
    return None


def _is_valid_unicode(value: object) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_is_valid_unicode(key) and _is_valid_unicode(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_is_valid_unicode(item) for item in value)
    return True


def _capabilities(document: dict | None) -> Capabilities | None:
    if document is None:
        return None
    return Capabilities(audio=document.get("audio"), audio_delivery=document.get("audio_delivery"))


def _build(message_type: str, d: dict) -> ClientMessage:
    """A typed message from a document that already passed its schema."""
    if message_type == StartSession.TYPE:
        return StartSession(d["language"], d.get("customer_token"), _capabilities(d.get("capabilities")))
    if message_type == ResumeSession.TYPE:
        return ResumeSession(
            d["session_id"],
            d["resume_token"],
            d["last_seq"],
            d.get("customer_token"),
            _capabilities(d.get("capabilities")),
        )
    if message_type == UserMessage.TYPE:
        return UserMessage(d["id"], d["text"])
    if message_type == Typing.TYPE:
        return Typing(d["active"])
    if message_type == UpdateCapabilities.TYPE:
        return UpdateCapabilities(d.get("audio"), d.get("audio_delivery"))
    if message_type == EndSession.TYPE:
        return EndSession(d.get("reason"))
    if message_type == CsatFeedback.TYPE:
        return CsatFeedback(d["score"], d.get("comment"))
    if message_type == Ping.TYPE:
        return Ping()
    if message_type == AudioStart.TYPE:
        return AudioStart(d["id"], d["sample_rate"], d["codec"], d.get("mode", "push_to_talk"))
    if message_type == AudioChunk.TYPE:
        try:
            pcm = base64.b64decode(d["data"], validate=True)
        except (binascii.Error, ValueError):
            raise ProtocolError(ErrorCode.INVALID_FIELD, "data: not valid base64", d["id"]) from None
        return AudioChunk(d["id"], d["seq"], pcm)
    if message_type == AudioEnd.TYPE:
        return AudioEnd(d["id"], d.get("cancel", False))
    if message_type == BargeIn.TYPE:
        return BargeIn(d.get("reply_to"))
    raise ProtocolError(ErrorCode.UNKNOWN_TYPE, f"Unknown message type {message_type!r}.")
