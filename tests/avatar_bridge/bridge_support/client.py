"""A protocol-speaking WebSocket client for tests; every frame it receives is checked
against the protocol's JSON Schemas."""

import itertools
import json

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from avatar_bridge.protocol.schema_registry import SchemaRegistry

SCHEMAS = SchemaRegistry.load()
TERMINAL_TYPES = ("turn_complete", "error")
_ids = itertools.count(1)


class BridgeClient:
    def __init__(self, url: str) -> None:
        self.url = url
        self.socket = connect(url, max_size=4 * 1024 * 1024, open_timeout=10, legacy=True)
        self.session_id: str | None = None
        self.resume_token: str | None = None
        self.last_seq = 0
        self.received: list[dict] = []

    def send(self, document: dict) -> None:
        self.socket.send(json.dumps(document))

    def send_raw(self, payload: str | bytes) -> None:
        self.socket.send(payload)

    def recv(self, timeout: float = 15.0) -> dict:
        frame = json.loads(self.socket.recv(timeout=timeout))
        SCHEMAS.validate(frame["type"], frame)
        if "seq" in frame:
            assert frame["seq"] > self.last_seq, f"seq went backwards: {frame['seq']} after {self.last_seq}"
            self.last_seq = frame["seq"]
        self.received.append(frame)
        return frame

    def start(self, language: str = "en", **extra) -> dict:
        self.send({"v": 1, "type": "start", "language": language, **extra})
        frame = self.recv()
        assert frame["type"] == "session_started", frame
        self.session_id, self.resume_token = frame["session_id"], frame["resume_token"]
        return frame

    def resume(self, old: "BridgeClient", last_seq: int | None = None, **extra) -> dict:
        """Resume `old`'s session on this socket (from `old.last_seq` unless given); the header frame."""
        last_seq = old.last_seq if last_seq is None else last_seq
        self.send(
            {
                "v": 1,
                "type": "resume",
                "session_id": old.session_id,
                "resume_token": old.resume_token,
                "last_seq": last_seq,
                **extra,
            }
        )
        self.session_id, self.resume_token, self.last_seq = old.session_id, old.resume_token, last_seq
        return self.recv()

    def say(self, text: str, message_id: str | None = None) -> str:
        message_id = message_id or f"m{next(_ids)}"
        self.send({"v": 1, "type": "user_message", "id": message_id, "text": text})
        return message_id

    def turn(self, message_id: str, timeout: float = 20.0) -> list[dict]:
        """Frames up to and including the terminal frame for `message_id`."""
        frames = []
        while True:
            frame = self.recv(timeout)
            frames.append(frame)
            if frame["type"] in TERMINAL_TYPES and frame.get("reply_to") == message_id:
                return frames

    def ask(self, text: str, timeout: float = 20.0) -> list[dict]:
        return self.turn(self.say(text), timeout)

    def close(self) -> None:
        self.socket.close()


def of_type(frames: list[dict], frame_type: str) -> list[dict]:
    return [frame for frame in frames if frame["type"] == frame_type]


def frame_types(frames: list[dict]) -> list[str]:
    """The frames' types, a message's sentence-by-sentence bot_speech frames counted once
    (only its first part, `part` 0, is listed)."""
    return [frame["type"] for frame in frames if frame["type"] != "bot_speech" or frame.get("part", 0) == 0]


def opening_frame(url: str, *, source: str = "127.0.0.1", forwarded_for: str | None = None) -> dict:
    """What a new socket from `source` (claiming `forwarded_for`) gets for `start`: its
    session_started, or the guard's refusal, which comes before any frame is read."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else None
    with connect(url, open_timeout=10, source_address=(source, 0), additional_headers=headers) as socket:
        try:
            socket.send(json.dumps({"v": 1, "type": "start", "language": "en"}))
        except ConnectionClosed:
            pass  # refused at once; the refusal frame is still there to read
        frame = json.loads(socket.recv(timeout=10))
    SCHEMAS.validate(frame["type"], frame)
    return frame
