"""The JSON Schemas are the contract: complete, valid, and in step with the code."""

import dataclasses
import json

import pytest
from jsonschema import Draft202012Validator

from avatar_bridge.protocol import messages
from avatar_bridge.protocol.codec import ProtocolCodec
from avatar_bridge.protocol.errors import ErrorCode
from avatar_bridge.protocol.schema_registry import SCHEMA_DIR, SchemaRegistry

SCHEMAS = SchemaRegistry.load()
CODEC = ProtocolCodec(SCHEMAS, max_frame_bytes=16 * 1024, max_text_chars=2000)
SERVER_FRAME_CLASSES = [
    cls
    for cls in vars(messages).values()
    if isinstance(cls, type) and issubclass(cls, messages.ServerFrame) and cls is not messages.ServerFrame
]


def test_every_schema_file_is_a_valid_2020_12_schema_with_an_id():
    for path in SCHEMA_DIR.glob("*.json"):
        document = json.loads(path.read_text("utf-8"))
        Draft202012Validator.check_schema(document)
        assert document["$id"].endswith(f"/{path.name}")


def test_there_is_one_schema_per_message_type_and_one_type_per_schema():
    client_types = {cls.TYPE for cls in messages.CLIENT_MESSAGE_CLASSES}
    server_types = {cls.TYPE for cls in SERVER_FRAME_CLASSES}
    assert SCHEMAS.types("client") == client_types
    assert SCHEMAS.types("server") == server_types
    for name, document in SCHEMAS.documents.items():
        if name != "common":
            assert document["properties"]["type"] == {"const": name}


def test_error_codes_in_code_and_schema_agree():
    assert set(SCHEMAS.documents["error"]["properties"]["code"]["enum"]) == {code.value for code in ErrorCode}


VALID_CLIENT_MESSAGES = [
    {"v": 1, "type": "start", "language": "de", "customer_token": "tok", "capabilities": {"audio": False}},
    {"v": 1, "type": "resume", "session_id": "abcdefghijklmnopqrstuvwx", "resume_token": "r" * 43, "last_seq": 7},
    {"v": 1, "type": "user_message", "id": "m-1", "text": "Where is my order?"},
    {"v": 1, "type": "typing", "active": True},
    {"v": 1, "type": "capabilities", "audio": True, "audio_delivery": "inline"},
    {"v": 1, "type": "end", "reason": "done"},
    {"v": 1, "type": "csat", "score": 5, "comment": "quick and kind"},
    {"v": 1, "type": "ping"},
]


@pytest.mark.parametrize("document", VALID_CLIENT_MESSAGES, ids=lambda d: d["type"])
def test_valid_client_messages_pass_the_schema_and_decode_to_their_type(document):
    SCHEMAS.validate(document["type"], document)
    decoded = CODEC.decode(json.dumps(document))
    assert document["type"] == decoded.TYPE


def _sample(cls):
    samples = {
        "expression": messages.Expression("calm", 0.5, 2000),
        "gesture": messages.Gesture("nod", 0.4),
        "speech": messages.Speech(
            {"url": "/audio/x.wav"},
            "wav",
            22050,
            1200,
            [{"t_ms": 0, "viseme": "sil"}, {"t_ms": 10, "viseme": "aa"}, {"t_ms": 1200, "viseme": "sil"}],
            [{"t_ms": 5, "word": "Hi", "offset": 0, "length": 2}],
        ),
        "limits": {
            "max_text_chars": 2000,
            "max_frame_bytes": 16384,
            "user_messages_per_second": 1.0,
            "user_message_burst": 5,
        },
        "agent": {"display_name": "Sam"},
        "state": "queued",
        "code": "rate_limited",
        "language": "en",
        "reply_kind": "question",
        "routed_to": "bot",
        "session_id": "abcdefghijklmnopqrstuvwx",
        "resume_token": "r" * 43,
        "gap": False,
        "speech_pending": True,
        "score": 4,
        "confidence": 0.9,
        "detected_language": "en",
        "sent": False,
        "text": "Where is my order?",
    }
    values = {}
    for field in dataclasses.fields(cls):
        if field.name in ("seq", "ts"):
            continue
        if field.name in samples:
            values[field.name] = samples[field.name]
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            values[field.name] = 3 if field.type in (int, "int") else "m-1"
    # Only conversation frames (their schema has `seq`) are numbered.
    seq = 1 if "seq" in SCHEMAS.documents[cls.TYPE]["properties"] else None
    return cls(seq=seq, ts=1.5, **values)


@pytest.mark.parametrize("cls", SERVER_FRAME_CLASSES, ids=lambda cls: cls.TYPE)
def test_every_server_frame_the_code_can_build_matches_its_schema(cls):
    document = json.loads(CODEC.encode(_sample(cls)))
    SCHEMAS.validate(cls.TYPE, document)


def test_bot_message_sends_a_missing_gesture_as_null():
    frame = dataclasses.replace(_sample(messages.BotMessage), gesture=None)
    assert json.loads(CODEC.encode(frame))["gesture"] is None


@pytest.mark.parametrize(
    "raw, code",
    [
        ("{not json", "malformed_json"),
        ('{"v": 1, "type": "ping", "x": NaN}', "malformed_json"),
        (b"\xff\xfe\x00", "invalid_utf8"),
        ('{"v": 1, "type": "user_message", "id": "a", "text": "\\ud800"}', "invalid_utf8"),
        ("[1, 2]", "invalid_message"),
        ('{"v": 1}', "invalid_message"),
        ('{"v": 1, "type": "teleport"}', "unknown_type"),
        ('{"v": 2, "type": "ping"}', "unsupported_version"),
        ('{"type": "ping"}', "invalid_field"),
        ('{"v": 1, "type": "user_message", "id": "a", "text": 42}', "invalid_field"),
        ('{"v": 1, "type": "user_message", "id": "a", "text": "   "}', "invalid_field"),
        ('{"v": 1, "type": "user_message", "id": "a b", "text": "hi"}', "invalid_field"),
        ('{"v": 1, "type": "csat", "score": 9}', "invalid_field"),
        ('{"v": 1, "type": "start", "language": "fr"}', "invalid_field"),
        ('{"v": 1, "type": "typing", "active": "yes"}', "invalid_field"),
        ('{"v": 1, "type": "ping", "extra": 1}', "invalid_field"),
        ('{"v": 1, "type": "user_message", "id": "a", "text": "' + "x" * 2001 + '"}', "text_too_long"),
        ('{"v": 1, "type": "ping", "pad": "' + "x" * 17000 + '"}', "frame_too_large"),
    ],
)
def test_bad_frames_become_protocol_errors_with_a_code(raw, code):
    with pytest.raises(Exception) as caught:
        CODEC.decode(raw)
    assert caught.value.code == code


def test_a_stricter_server_text_limit_is_applied_after_the_schema():
    strict = ProtocolCodec(SCHEMAS, max_frame_bytes=16 * 1024, max_text_chars=10)
    with pytest.raises(Exception) as caught:
        strict.decode('{"v": 1, "type": "user_message", "id": "a", "text": "eleven chars"}')
    assert caught.value.code == "text_too_long" and caught.value.reply_to == "a"
