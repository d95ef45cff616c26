"""The handoff record (schema handoff.v1, docs/dialogue-contract.md), built from a tracker.

Pure functions: no Redis here, so the record can be tested and reused by the agent side.
"""

import uuid
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from bot.actions.base import tracker_language
from bot.actions.parsing import clean_text

SCHEMA = "handoff.v1"
HANDOFF_STREAM = "handoff:requests"

# Intents whose case always goes to a person; the reason is the intent name.
HANDOFF_INTENTS = (
    "billing_double_charge",
    "billing_wrong_amount",
    "billing_refund_dispute",
    "billing_failed_payment",
    "warranty_claim",
)

# What the agent reads first: the situation in one sentence, no jargon.
REASON_TEXTS = {
    "billing_double_charge": "The customer reports being charged twice for one order.",
    "billing_wrong_amount": "The customer reports being charged the wrong amount.",
    "billing_refund_dispute": "The customer disputes a refund (missing, too small or refused).",
    "billing_failed_payment": "A payment failed or was declined, or an order is blocked by payment.",
    "warranty_claim": "The customer reports a broken product and wants a warranty claim.",
    "customer_request": "The customer asked to speak to a person.",
    "verification_lockout": (
        "The customer could not verify their identity (three failed attempts or account "
        "locked). Verify them another way before discussing the account."
    ),
    "troubleshooting_failed": (
        "Guided troubleshooting did not solve the customer's sign-in or loading problem; "
        "see bot_actions and slots for the steps already tried."
    ),
    "repeated_misunderstanding": "The assistant failed to understand the customer twice.",
    "address_change_after_dispatch": (
        "The customer wants to change the delivery address of an order that has already been "
        "dispatched; the carrier may be able to redirect it."
    ),
    "lost_parcel": "The carrier lost the customer's parcel; arrange a replacement or refund.",
    "system_unavailable": "The customer database was unreachable while serving the customer.",
    "customer_distress": (
        "The customer is strongly upset or their distress keeps rising; take over with care."
    ),
}

# Answers to these questions are secrets: the transcript shows a placeholder instead.
SECRET_SLOTS = {"phone_last4"}
HIDDEN_ANSWER = "[answer to a security question, hidden]"
# Slots an agent must not see or does not need.
HIDDEN_SLOTS = {"phone_last4", "requested_slot", "session_started_metadata"}
# Actions that are bookkeeping, not something the bot tried for the customer.
UNINTERESTING_ACTIONS = {
    "action_listen", "action_session_start", "action_extract_slots", "action_handoff",
}
MAX_MESSAGE_CHARS = 2000


def resolve_reason(tracker: Tracker) -> str:
    """Why the conversation goes to a person, from the latest intent and any open offer."""
    intent = (tracker.latest_message or {}).get("intent", {}).get("name")
    if intent in HANDOFF_INTENTS:
        return intent
    offered_reason = tracker.get_slot("handoff_reason")
    if tracker.get_slot("human_offered") and offered_reason:
        return offered_reason
    return "customer_request"


def reason_text(reason: str) -> str:
    return REASON_TEXTS.get(reason, f"Handed over by the assistant (reason: {reason}).")


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
            intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
            text = clean_text(event.get("text") or "", MAX_MESSAGE_CHARS)
            lines.append({
                "role": "customer",
                "text": HIDDEN_ANSWER if requested_slot in SECRET_SLOTS else text,
                "intent": intent,
                "timestamp": event.get("timestamp"),
            })
        elif event.get("event") == "bot" and event.get("text"):
            lines.append({
                "role": "bot",
                "text": clean_text(event["text"], MAX_MESSAGE_CHARS),
                "intent": None,
                "timestamp": event.get("timestamp"),
            })
    return lines


def bot_actions(events: List[Dict[str, Any]]) -> List[str]:
    """Actions the bot already ran for the customer, each once, in first-run order."""
    names: List[str] = []
    for event in events:
        name = event.get("name") if event.get("event") == "action" else None
        if name and name not in UNINTERESTING_ACTIONS and name not in names:
            names.append(name)
    return names


def build_record(
    tracker: Tracker, reason: str, now: Optional[datetime] = None
) -> Dict[str, Any]:
    """The complete handoff record for the conversation in `tracker`."""
    verified = bool(tracker.get_slot("verified"))
    slots = {
        name: value for name, value in tracker.current_slot_values().items()
        if value is not None and name not in HIDDEN_SLOTS
    }
    slots["handoff_reason"] = reason
    return {
        "schema": SCHEMA,
        "handoff_id": str(uuid.uuid4()),
        "conversation_id": tracker.sender_id,
        "created_at": (now or datetime.now(timezone.utc)).isoformat(),
        "reason": reason,
        "reason_text": reason_text(reason),
        "language": tracker_language(tracker),
        "customer_id": tracker.get_slot("customer_id") if verified else None,
        "verified": verified,
        "slots": slots,
        "transcript": transcript(tracker.events),
        "bot_actions": bot_actions(tracker.events),
    }
