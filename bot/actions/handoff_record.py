"""The handoff record (schema handoff.v2, docs/handoff.md), read from a tracker.

Pure functions: no Redis here. The record's shape and schema are shared with the other writer
(the avatar bridge) in contracts/handoff_record; this module supplies what only the action server
knows: every customer line with its intent and emotion, the emotion timeline, the escalation
decision (reasons, skill, priority), what the bot tried and what came of it, the slots.
"""

from datetime import datetime
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from bot.actions.base import tracker_language
from bot.actions.parsing import clean_text
from contracts.escalation.config import EscalationConfig
from contracts.escalation.rules import Decision, turn_distress, turn_from_parse_data
from contracts.handoff_record import HIDDEN_ANSWER, MAX_LINE_CHARS, build_record as build_handoff_record
from contracts.handoff_record import timeline_point, transcript_line
from contracts.redis_keys import HANDOFF_REQUESTS_STREAM

HANDOFF_STREAM = HANDOFF_REQUESTS_STREAM

# Intents whose case always goes to a person when the escalation config is out of reach, and the
# rules in bot/data/rules/handoff.yml; the reason is the intent name.
HANDOFF_INTENTS = (
    "billing_double_charge",
    "billing_wrong_amount",
    "billing_refund_dispute",
    "billing_failed_payment",
    "warranty_claim",
)

__all__ = ["build_record", "resolve_reason", "transcript"]

# Answers to these questions are secrets: the transcript shows a placeholder instead.
SECRET_SLOTS = {"phone_last4"}
# Slots an agent must not see or does not need.
HIDDEN_SLOTS = {
    "phone_last4",
    "requested_slot",
    "session_started_metadata",
    "escalation",
    "handoff_reasons",
    "distress_history",
}
# Actions that are bookkeeping, not something the bot tried for the customer.
UNINTERESTING_ACTIONS = {
    "action_listen",
    "action_session_start",
    "action_extract_slots",
    "action_handoff",
    "action_observe_turn",
    "action_offer_human",
}
# Slots that are the dialogue's bookkeeping, not a result an agent needs to read.
BOOKKEEPING_SLOTS = {"requested_slot", "escalation", "handoff_reasons", "fallback_count", "session_started_metadata"}
MAX_ATTEMPT_LINES = 3


def resolve_reason(tracker: Tracker) -> str:
    """Why the conversation goes to a person, from the latest intent and any open offer."""
    intent = (tracker.latest_message or {}).get("intent", {}).get("name")
    if intent in HANDOFF_INTENTS:
        return intent
    offered_reason = tracker.get_slot("handoff_reason")
    if tracker.get_slot("human_offered") and offered_reason:
        return offered_reason
    return "customer_request"


def transcript(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The conversation in order, as customer and bot lines; answers to secret questions hidden."""
    lines = []
    requested_slot = None
    for event in events:
        if event.get("event") == "slot" and event.get("name") == "requested_slot":
            requested_slot = event.get("value")
        elif event.get("event") in ("session_started", "restart"):
            requested_slot = None
        elif event.get("event") == "user":
            parse_data = event.get("parse_data") or {}
            intent = (parse_data.get("intent") or {}).get("name")
            text = clean_text(event.get("text") or "", MAX_LINE_CHARS)
            turn = turn_from_parse_data(parse_data)
            emotion = {"label": turn.label, "intensity": round(turn.intensity, 3)} if turn.has_emotion else None
            lines.append(
                transcript_line(
                    "customer",
                    HIDDEN_ANSWER if requested_slot in SECRET_SLOTS else text,
                    event.get("timestamp"),
                    intent,
                    emotion,
                )
            )
        elif event.get("event") == "bot" and event.get("text"):
            lines.append(transcript_line("bot", clean_text(event["text"], MAX_LINE_CHARS), event.get("timestamp")))
    return lines


def bot_actions(events: List[Dict[str, Any]]) -> List[str]:
    """Actions the bot already ran for the customer, each once, in first-run order."""
    names: List[str] = []
    for event in events:
        name = event.get("name") if event.get("event") == "action" else None
        if name and name not in UNINTERESTING_ACTIONS and name not in names:
            names.append(name)
    return names


def emotion_timeline(events: List[Dict[str, Any]], config: EscalationConfig) -> List[Dict[str, Any]]:
    """How the customer felt, message by message (customer turns with emotion evidence only)."""
    timeline = []
    number = 0
    for event in events:
        if event.get("event") in ("session_started", "restart"):
            number = 0
        if event.get("event") != "user":
            continue
        number += 1
        turn = turn_from_parse_data(event.get("parse_data") or {})
        if turn.has_emotion:
            timeline.append(
                timeline_point(
                    number,
                    turn.label,
                    round(turn.intensity, 3),
                    round(turn_distress(config, turn), 3),
                    event.get("timestamp"),
                )
            )
    return timeline


def bot_attempts(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """What the bot tried, in order, and what came of it: what it said and which results it set."""
    attempts: List[Dict[str, Any]] = []
    current: Optional[Dict[str, Any]] = None
    for event in events:
        kind = event.get("event")
        if kind == "action":
            name = event.get("name")
            current = None
            if name and name not in UNINTERESTING_ACTIONS:
                current = {"action": name, "said": [], "results": {}}
                attempts.append(current)
        elif kind == "user":
            current = None
        elif current is not None and kind == "bot" and event.get("text"):
            if len(current["said"]) < MAX_ATTEMPT_LINES:
                current["said"].append(clean_text(event["text"], 300))
        elif current is not None and kind == "slot":
            name = event.get("name")
            if name and name not in BOOKKEEPING_SLOTS and name not in HIDDEN_SLOTS:
                current["results"][name] = event.get("value")
    return attempts


def build_record(
    tracker: Tracker,
    decision: Decision,
    config: EscalationConfig,
    now: Optional[datetime] = None,
) -> Dict[str, Any]:
    """The complete handoff record for the conversation in `tracker`, for `decision`."""
    verified = bool(tracker.get_slot("verified"))
    slots = {
        name: value
        for name, value in tracker.current_slot_values().items()
        if value is not None and name not in HIDDEN_SLOTS
    }
    return build_handoff_record(
        conversation_id=tracker.sender_id,
        language=tracker_language(tracker),
        reasons=[{"code": item.code, "text": item.text} for item in decision.reasons],
        skill=decision.skill,
        priority=decision.priority,
        customer_id=tracker.get_slot("customer_id"),
        verified=verified,
        emotion={
            "label": tracker.get_slot("emotion"),
            "intensity": tracker.get_slot("emotion_intensity"),
            "distress_level": tracker.get_slot("distress_level"),
            "distress_trend": tracker.get_slot("distress_trend"),
        },
        emotion_timeline=emotion_timeline(tracker.events, config),
        slots=slots,
        transcript=transcript(tracker.events),
        bot_actions=bot_actions(tracker.events),
        bot_attempts=bot_attempts(tracker.events),
        now=now,
    )
