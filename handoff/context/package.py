"""The context package: everything an agent needs to take over without making the customer repeat
anything (schema `handoff-context.v1`, docs/handoff.md).

    package = build_context_package(record, customer_connector, history)

`record` is the handoff record from the stream `handoff:requests` (handoff.v2, or v1 from an older
action server); `customer_connector` a customer_db connector; `history` a ConversationHistory or a
list of outcome rows. Blocking (database reads): call it from a worker thread in async code.
The record comes from outside this service: every field is checked and copied, never trusted.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from contracts.emotion.taxonomy import load_taxonomy
from contracts.escalation.reasons import reason_text
from handoff.context import customer as customer_data
from handoff.context.history import ConversationHistory, earlier_rows
from handoff.context.opening import next_step
from handoff.context.summary import summarise

logger = logging.getLogger(__name__)

SCHEMA = "handoff-context.v1"
RECORD_SCHEMAS = (None, "handoff.v1", "handoff.v2")
MAX_TRANSCRIPT_LINES = 500
MAX_TEXT = 4000
# The taxonomy's labels (contracts/emotion/taxonomy.yml).
EMOTION_LABELS = frozenset(load_taxonomy().names)
# From this distress of the latest message on, the opening line acknowledges the feeling. 0.8 on the
# shared distress scale (contracts/emotion/distress.py) is the former 0.6 (weight x intensity)
# for a fully weighted label.
HIGH_DISTRESS = 0.8
EARLIER_FIELDS = (
    "conversation_id",
    "started_at",
    "ended_at",
    "resolved_by",
    "primary_intent",
    "handoff_reason",
    "outcome_code",
    "csat",
    "emotion_peak",
    "agent_username",
)


class InvalidRecord(ValueError):
    """The handoff record cannot be turned into a package (the message says why)."""


def build_context_package(
    record: Mapping[str, Any],
    customer_connector: Any,
    history: ConversationHistory | Sequence[Mapping[str, Any]] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    _check(record)
    warnings: list[str] = []
    verified = record.get("verified") is True
    customer_id = record.get("customer_id") if verified and isinstance(record.get("customer_id"), str) else None
    package: dict[str, Any] = {
        "schema": SCHEMA,
        "built_at": (now or datetime.now(timezone.utc)).isoformat(),
        "handoff_id": record["handoff_id"],
        "conversation_id": record["conversation_id"],
        "created_at": _text(record.get("created_at"), 64),
        "language": record.get("language") if record.get("language") in ("en", "de") else "en",
        "verified": verified,
        "customer_id": customer_id,
        "reasons": _reasons(record),
        "skill": record.get("skill") if record.get("skill") in ("billing", "technical", "general") else "general",
        "priority": record.get("priority") if record.get("priority") in ("normal", "high") else "normal",
        "transcript": _transcript(record.get("transcript")),
        "emotion_timeline": _timeline(record.get("emotion_timeline")),
        "bot_attempts": _attempts(record),
        "slots": _slots(record.get("slots")),
        "customer": None,
        "orders": [],
        "invoices": [],
        "payment_failures": [],
        "returns": [],
        "account": None,
        "earlier_contacts": [],
        "earlier_conversations": [],
    }
    if customer_id:
        _add_customer_data(package, customer_connector, customer_id, warnings)
    try:
        rows = earlier_rows(history, customer_id, record["conversation_id"])
        package["earlier_conversations"] = [{name: _plain(row.get(name)) for name in EARLIER_FIELDS} for row in rows]
    except Exception as error:  # noqa: BLE001 (the history is someone else's store: degrade)
        logger.warning("earlier conversations unavailable (%s)", type(error).__name__)
        warnings.append("Earlier conversations could not be loaded.")
    summary = summarise(package)
    package["summary"] = summary
    timeline = package["emotion_timeline"]
    distressed = bool(timeline) and (timeline[-1].get("distress") or 0.0) >= HIGH_DISTRESS
    package["next_step"] = next_step(
        package, summary["main_intent"], summary["feeling"].get("label"), distressed or package["priority"] == "high"
    )
    package["warnings"] = warnings
    return package


def _check(record: Any) -> None:
    if not isinstance(record, Mapping):
        raise InvalidRecord(f"the handoff record must be an object, not {type(record).__name__}")
    if record.get("schema") not in RECORD_SCHEMAS:
        raise InvalidRecord(f"unknown handoff record schema {str(record.get('schema'))[:40]!r}")
    for name in ("handoff_id", "conversation_id"):
        value = record.get(name)
        if not isinstance(value, str) or not value or len(value) > 128:
            raise InvalidRecord(f"{name} must be a non-empty string of at most 128 characters")


def _reasons(record: Mapping[str, Any]) -> list[dict[str, str]]:
    reasons = []
    for item in record.get("reasons") or []:
        if isinstance(item, Mapping) and isinstance(item.get("code"), str):
            code = item["code"][:64]
            text = item.get("text") if isinstance(item.get("text"), str) else reason_text(code)
            reasons.append({"code": code, "text": text[:500]})
    if not reasons and isinstance(record.get("reason"), str):
        code = record["reason"][:64]
        text = record.get("reason_text") if isinstance(record.get("reason_text"), str) else reason_text(code)
        reasons.append({"code": code, "text": text[:500]})
    return reasons


def _transcript(lines: Any) -> list[dict[str, Any]]:
    result = []
    for line in (lines if isinstance(lines, list) else [])[-MAX_TRANSCRIPT_LINES:]:
        if not isinstance(line, Mapping) or line.get("role") not in ("customer", "bot", "agent"):
            continue
        emotion = line.get("emotion")
        result.append(
            {
                "role": line["role"],
                "text": _text(line.get("text"), MAX_TEXT) or "",
                "intent": _text(line.get("intent"), 64),
                "timestamp": _timestamp(line.get("timestamp")),
                "emotion": {"label": emotion["label"], "intensity": _unit(emotion.get("intensity"))}
                if isinstance(emotion, Mapping) and emotion.get("label") in EMOTION_LABELS
                else None,
            }
        )
    return result


def _timeline(points: Any) -> list[dict[str, Any]]:
    result = []
    for point in points if isinstance(points, list) else []:
        if isinstance(point, Mapping) and point.get("label") in EMOTION_LABELS and isinstance(point.get("turn"), int):
            result.append(
                {
                    "turn": point["turn"],
                    "label": point["label"],
                    "intensity": _unit(point.get("intensity")),
                    "distress": _unit(point.get("distress")),
                    "timestamp": _timestamp(point.get("timestamp")),
                }
            )
    return result


def _attempts(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    attempts = record.get("bot_attempts")
    if isinstance(attempts, list):
        return [
            {
                "action": _text(item.get("action"), 64),
                "said": [_text(text, 300) for text in item.get("said") or [] if isinstance(text, str)][:3],
                "results": _slots(item.get("results")),
            }
            for item in attempts
            if isinstance(item, Mapping) and isinstance(item.get("action"), str)
        ][:50]
    # handoff.v1: only the action names
    return [
        {"action": name[:64], "said": [], "results": {}}
        for name in record.get("bot_actions") or []
        if isinstance(name, str)
    ][:50]


def _slots(slots: Any) -> dict[str, Any]:
    if not isinstance(slots, Mapping):
        return {}
    return {str(name)[:64]: _plain(value) for name, value in list(slots.items())[:100]}


def _add_customer_data(package: dict[str, Any], connector: Any, customer_id: str, warnings: list[str]) -> None:
    try:
        found = connector.get_customer(customer_id)
        if found is None:
            warnings.append(f"Customer {customer_id} was not found in the customer database.")
            return
        package["customer"] = customer_data.profile(found)
        package["orders"] = [
            customer_data.order(item)
            for item in sorted(connector.list_orders(customer_id), key=lambda o: o.placed_at, reverse=True)
        ][: customer_data.MAX_ORDERS]
        package["invoices"] = [customer_data.invoice(item) for item in connector.list_invoices(customer_id)]
        # What proactive care raises (bot/actions/proactive.py): the agent sees the same facts.
        package["payment_failures"] = [
            customer_data.payment_failure(item) for item in connector.list_payment_failures(customer_id)
        ][: customer_data.MAX_ORDERS]
        package["returns"] = [customer_data.product_return(item) for item in connector.list_returns(customer_id)][
            : customer_data.MAX_ORDERS
        ]
        summary = connector.account_summary(customer_id)
        package["account"] = {
            "balance": customer_data._money(summary.balance),
            "currency": summary.currency,
            "open_invoices": [item.invoice_number for item in summary.open_invoices],
        }
        contacts = connector.list_contacts(customer_id)[:10]
        package["earlier_contacts"] = [customer_data.contact(item) for item in contacts]
    except Exception as error:  # noqa: BLE001 (a database outage must not lose the handoff)
        logger.warning("customer data unavailable for the context package (%s)", type(error).__name__)
        warnings.append(
            "The customer database could not be reached; profile, orders, invoices, payments and returns are missing."
        )


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    return str(value)[:limit]


def _timestamp(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _unit(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return 0.0
    return round(min(max(float(value), 0.0), 1.0), 3)


def _plain(value: Any) -> Any:
    """JSON-safe copy of a slot or column value (datetimes as ISO text, long text cut)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(key)[:64]: _plain(item) for key, item in list(value.items())[:50]}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in list(value)[:50]]
    return str(value)[:MAX_TEXT]
