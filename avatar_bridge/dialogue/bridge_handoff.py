"""A handoff record (handoff.v2, docs/handoff.md) built by the bridge, for when Rasa cannot build one.

Normally Rasa's `action_handoff` writes the record from its tracker. When Rasa or the action
server is down, the bridge queues the handoff itself from what it knows: the session's frame log
in Redis (the customer's messages as acknowledged, the bot's and agents' messages, the customer's
emotion per turn as the text cues carried it) and the session's language. Fields only Rasa knows
(slots, intents, what the bot tried, the verified customer id) are left empty, never guessed.
Pure functions: the caller reads the frames and writes the stream. The record's shape, schema
and reason texts are shared with the action server (contracts/handoff_record, contracts/escalation).
"""

import json
import re
from collections.abc import Iterable
from datetime import datetime

from contracts.escalation.config import default_config
from contracts.escalation.reasons import reason_text
from contracts.handoff_record import HIDDEN_ANSWER, build_record, timeline_point, transcript_line

ASSISTANT_UNAVAILABLE = "assistant_unavailable"  # Rasa did not answer
LOOKUPS_UNAVAILABLE = "lookups_unavailable"  # the action server did not answer
SOURCE = "avatar_bridge"
# The only answer the bot's questions take that is a secret (the last four digits of the phone
# number); Rasa's record hides it the same way (bot/actions/handoff_record.py).
_SECURITY_ANSWER = re.compile(r"^\s*\d{4}\s*$")
# Button payloads ("/request_human") are clicks, not words for the agent to read.
_PAYLOAD = re.compile(r"^/[A-Za-z0-9_]+(\{.*\})?$")


def record_from_frames(
    conversation_id: str,
    language: str,
    reason: str,
    frames: Iterable[str],
    now: datetime | None = None,
) -> dict:
    """The record for `conversation_id`, from its stored frames (JSON, oldest first)."""
    transcript, timeline, latest_emotion = _conversation(frames)
    latest_emotion = latest_emotion or {}
    return build_record(
        conversation_id=conversation_id,
        language=language,
        reasons=[{"code": reason, "text": reason_text(reason)}],
        # The reasons the bridge queues (assistant or lookups down) go where the shared table says.
        skill=default_config().skill_for(reason),
        priority="normal",
        emotion={"label": latest_emotion.get("label"), "intensity": latest_emotion.get("intensity")},
        emotion_timeline=timeline,
        transcript=transcript,
        source=SOURCE,
        now=now,
    )


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
        if document.get("type") == "bot_message" and isinstance(emotion, dict) and emotion.get("label"):
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
            said = HIDDEN_ANSWER if _SECURITY_ANSWER.match(text) else text.strip()
            transcript.append(transcript_line("customer", said, ts, emotion=emotion))
            if emotion:
                # The bridge knows no distress: that needs the classifier's scores (Rasa's side).
                timeline.append(timeline_point(turn, emotion["label"], emotion["intensity"], None, ts))
        elif kind == "bot_message":
            transcript.append(transcript_line("bot", text.strip(), ts))
        elif kind == "agent_message":
            transcript.append(transcript_line("agent", text.strip(), ts))
    return transcript, timeline, latest_emotion


def _evidence(emotion: dict | None) -> dict | None:
    """A feeling the bridge saw; neutral is also what it reports when it knows nothing."""
    if not emotion or emotion.get("label") in (None, "neutral"):
        return None
    return {"label": emotion["label"], "intensity": emotion.get("intensity")}
