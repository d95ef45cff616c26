"""Builds handoff.v2 records: the shape lives here once, the writers supply the content."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

SCHEMA = "handoff.v2"
LANGUAGES = ("en", "de")
# A customer line that answered a security question shows this instead of the answer.
HIDDEN_ANSWER = "[answer to a security question, hidden]"
MAX_LINE_CHARS = 2000
EMOTION_FIELDS = ("label", "intensity", "distress_level", "distress_trend")


def transcript_line(
    role: str, text: str, timestamp: Any, intent: Optional[str] = None, emotion: Optional[Mapping[str, Any]] = None
) -> Dict[str, Any]:
    """One line of the transcript; customer lines carry the emotion the writer knew (or None)."""
    line: Dict[str, Any] = {
        "role": role,
        "text": text[:MAX_LINE_CHARS],
        "intent": intent,
        "timestamp": timestamp if isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool) else None,
    }
    if role == "customer":
        line["emotion"] = dict(emotion) if emotion else None
    return line


def timeline_point(
    turn: int, label: str, intensity: Optional[float], distress: Optional[float], timestamp: Any
) -> Dict[str, Any]:
    """How the customer felt at their `turn`-th message of the session (from 1)."""
    return {
        "turn": turn,
        "label": label,
        "intensity": intensity,
        "distress": distress,
        "timestamp": timestamp if isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool) else None,
    }


def build_record(
    *,
    conversation_id: str,
    language: str,
    reasons: Sequence[Mapping[str, str]],
    skill: str,
    priority: str,
    transcript: Iterable[Mapping[str, Any]] = (),
    emotion: Optional[Mapping[str, Any]] = None,
    emotion_timeline: Iterable[Mapping[str, Any]] = (),
    slots: Optional[Mapping[str, Any]] = None,
    customer_id: Optional[str] = None,
    verified: bool = False,
    bot_actions: Iterable[str] = (),
    bot_attempts: Iterable[Mapping[str, Any]] = (),
    source: Optional[str] = None,
    now: Optional[datetime] = None,
) -> Dict[str, Any]:
    """A complete handoff.v2 record. `reasons` ([{code, text}], most important first) must not be
    empty; the first is also `reason` / `reason_text` (v1 readers) and the slot `handoff_reason`.
    A customer id is kept only for a verified customer."""
    if not reasons:
        raise ValueError("a handoff record needs at least one reason")
    items: List[Dict[str, str]] = [{"code": str(item["code"]), "text": str(item["text"])} for item in reasons]
    emotion = emotion or {}
    record: Dict[str, Any] = {
        "schema": SCHEMA,
        "handoff_id": str(uuid.uuid4()),
        "conversation_id": conversation_id,
        "created_at": (now or datetime.now(timezone.utc)).isoformat(),
        "reason": items[0]["code"],
        "reason_text": items[0]["text"],
        "reasons": items,
        "skill": skill,
        "priority": priority,
        "language": language if language in LANGUAGES else "en",
        "customer_id": customer_id if verified else None,
        "verified": bool(verified),
        "emotion": {name: emotion.get(name) for name in EMOTION_FIELDS},
        "emotion_timeline": [dict(point) for point in emotion_timeline],
        "slots": {**(slots or {}), "handoff_reason": items[0]["code"]},
        "transcript": [dict(line) for line in transcript],
        "bot_actions": list(bot_actions),
        "bot_attempts": [dict(attempt) for attempt in bot_attempts],
    }
    if source is not None:
        record["source"] = source
    return record
