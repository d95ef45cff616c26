"""A handoff record (handoff.v2, docs/handoff.md) built by the bridge, for when Rasa cannot build one.

Normally Rasa's `action_handoff` writes the record from its tracker. When Rasa or the action
server is down, the bridge queues the handoff itself from what it knows: the session's frame log
in Redis (the customer's messages as acknowledged, the bot's and agents' messages, the customer's
emotion per turn as the text cues carried it) and the session's language. Fields only Rasa knows
(slots, intents, what the bot tried, the verified customer id) are left empty, never guessed.
Pure functions: the caller reads the frames and writes the stream.
"""

import json
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from handoff.escalation.rules import reason_text

SCHEMA = "handoff.v2"
ASSISTANT_UNAVAILABLE = "assistant_unavailable"  # Rasa did not answer
LOOKUPS_UNAVAILABLE = "lookups_unavailable"  # the action server did not answer
MAX_LINE_CHARS = 2000
# The only answer the bot's questions take that is a secret (the last four digits of the phone
# number); Rasa's record hides it the same way (bot/actions/handoff_record.py).
HIDDEN_ANSWER = "[answer to a security question, hidden]"
_SECURITY_ANSWER = re.compile(r"^\s*\d{4}\s*$")
# Button payloads ("/request_human") are clicks, not words for the agent to read.
_PAYLOAD = re.compile(r"^/[A-Za-z0-9_]+(\{.*\})?$")


def handoff_record(
    conversation_id: str,
    language: str,
    reason: str,
    frames: Iterable[str],
    now: datetime | None = None,
) -> dict:
    """The record for `conversation_id`, from its stored frames (JSON, oldest first)."""
    transcript, timeline, latest_emotion = _conversation(frames)
    text = reason_text(reason)
    return {
        "schema": SCHEMA,
        "handoff_id": str(uuid.uuid4()),
        "conversation_id": conversation_id,
        "created_at": (now or datetime.now(UTC)).isoformat(),
        "reason": reason,
        "reason_text": text,
        "reasons": [{"code": reason, "text": text}],
        "skill": "general",
        "priority": "normal",
        "language": language if language in ("en", "de") else "en",
        "customer_id": None,
        "verified": False,
        "emotion": {
            "label": latest_emotion.get("label") if latest_emotion else None,
            "intensity": latest_emotion.get("intensity") if latest_emotion else None,
            "distress_level": None,
            "distress_trend": None,
        },
        "emotion_timeline": timeline,
        "slots": {"handoff_reason": reason},
        "transcript": transcript,
        "bot_actions": [],
        "bot_attempts": [],
        "source": "avatar_bridge",
    }


def _conversation(frames: Iterable[str]) -> tuple[list[dict], list[dict], dict | None]:
    documents = []
    for payload in frames:
        try:
            document = json.loads(payload)
        except ValueError:
            continue
        if isinstance(document, dict):
            documents.append(document)
    # The customer's emotion per message, as the text cues of its reply reported it.
    emotions: dict[str, dict] = {}
    latest_emotion = None
    for document in documents:
        emotion = document.get("customer_emotion")
        if (
            document.get("type") == "bot_message"
            and isinstance(emotion, dict)
            and emotion.get("label")
        ):
            emotions.setdefault(str(document.get("reply_to")), emotion)
            latest_emotion = emotion
    transcript: list[dict] = []
    timeline: list[dict] = []
    turn = 0
    for document in documents:
        kind, text, ts = document.get("type"), document.get("text"), document.get("ts")
        if not isinstance(text, str) or not text.strip():
            continue
        if kind == "ack":
            if _PAYLOAD.match(text.strip()):
                continue
            turn += 1
            emotion = _evidence(emotions.get(str(document.get("reply_to"))))
            transcript.append(
                _line(
                    "customer",
                    HIDDEN_ANSWER if _SECURITY_ANSWER.match(text) else text,
                    ts,
                    emotion,
                )
            )
            if emotion:
                timeline.append(
                    {"turn": turn, **emotion, "distress": None, "timestamp": ts}
                )
        elif kind == "bot_message":
            transcript.append(_line("bot", text, ts))
        elif kind == "agent_message":
            transcript.append(_line("agent", text, ts))
    return transcript, timeline, latest_emotion


def _evidence(emotion: dict | None) -> dict | None:
    """A feeling the bridge saw; neutral is also what it reports when it knows nothing."""
    if not emotion or emotion.get("label") in (None, "neutral"):
        return None
    return {"label": emotion["label"], "intensity": emotion.get("intensity")}


def _line(role: str, text: str, ts: object, emotion: dict | None = None) -> dict:
    line: dict[str, object] = {
        "role": role,
        "text": text.strip()[:MAX_LINE_CHARS],
        "intent": None,
        "timestamp": ts if isinstance(ts, (int, float)) else None,
    }
    if role == "customer":
        line["emotion"] = emotion
    return line
