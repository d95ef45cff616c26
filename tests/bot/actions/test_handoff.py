"""action_handoff writes the complete handoff record (handoff.v2) to the Redis stream `handoff:requests`."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from rasa_sdk import Tracker

from bot.actions.handoff import ActionHandoff
from contracts.escalation.reasons import reason_codes
from contracts.handoff_record.schema import record_problems
from contracts.redis_keys import HANDOFF_REQUESTS_STREAM

REASON_TEXTS = {code: texts["en"] for code, texts in reason_codes().items()}

RECORDED = Path(__file__).with_name("recorded")


def recorded_tracker(name: str) -> Tracker:
    return Tracker.from_dict(json.loads((RECORDED / name).read_text(encoding="utf-8")))


def stream_payloads(redis_client):
    """The records action_handoff wrote; every one must match the shared schema (contracts)."""
    entries = redis_client.xrange(HANDOFF_REQUESTS_STREAM)
    records = [json.loads(fields[b"payload"]) for _, fields in entries]
    for record in records:
        assert record_problems(record) == []
    return records


def test_an_accepted_offer_after_a_lockout_is_handed_over_with_that_reason(customer_db, redis_client, act):
    outcome = act(ActionHandoff(), recorded_tracker("handoff_after_lockout_en.json"))

    assert outcome.responses == ["utter_handoff_done"]
    assert outcome.slots == {
        "human_offered": False,
        "handoff_reason": "verification_lockout",
        "handoff_requested": True,
        "escalation": None,
        "handoff_reasons": [{"code": "verification_lockout", "text": REASON_TEXTS["verification_lockout"]}],
    }
    [record] = stream_payloads(redis_client)
    assert record["schema"] == "handoff.v2"
    assert record["reasons"] == [{"code": "verification_lockout", "text": REASON_TEXTS["verification_lockout"]}]
    assert record["skill"] == "general" and record["priority"] == "normal"
    uuid.UUID(record["handoff_id"])
    assert datetime.fromisoformat(record["created_at"]).utcoffset().total_seconds() == 0
    assert record["conversation_id"] == "rec-lockout"
    assert record["reason"] == "verification_lockout"
    assert record["reason_text"] == REASON_TEXTS["verification_lockout"]
    assert record["language"] == "en"
    assert record["verified"] is False and record["customer_id"] is None
    assert record["bot_actions"] == ["action_start_request", "verify_form", "action_continue_request"]


def test_the_transcript_is_complete_in_order_and_hides_the_security_answers(customer_db, redis_client, act):
    act(ActionHandoff(), recorded_tracker("handoff_after_lockout_en.json"))

    [record] = stream_payloads(redis_client)
    transcript = record["transcript"]
    customer_lines = [line["text"] for line in transcript if line["role"] == "customer"]
    assert customer_lines == [
        "hi, I forgot my password",
        "priya.nair@example.com",
        "[answer to a security question, hidden]",
        "priya.nair@example.com",
        "[answer to a security question, hidden]",
        "C100004",
        "[answer to a security question, hidden]",
        "yes please",
    ]
    assert transcript[0]["intent"] == "reset_password" and transcript[-1]["intent"] == "affirm"
    assert any("connect you with a colleague" in line["text"] for line in transcript if line["role"] == "bot")
    timestamps = [line["timestamp"] for line in transcript]
    assert timestamps == sorted(timestamps)
    for secret in ("1111", "2222", "3333"):
        assert secret not in json.dumps(record)


def test_a_billing_case_of_a_verified_customer_carries_the_customer_and_the_slots(customer_db, redis_client, act):
    outcome = act(ActionHandoff(), recorded_tracker("double_charge_after_order_status_de.json"))

    assert outcome.responses == ["utter_handoff_ack_billing_double_charge", "utter_handoff_done"]
    [record] = stream_payloads(redis_client)
    assert record["reason"] == "billing_double_charge"
    assert record["reason_text"] == "The customer reports being charged twice for one order."
    assert record["language"] == "de"
    assert record["verified"] is True and record["customer_id"] == "C100001"
    assert record["slots"]["order_number"] == "40010001"
    assert record["slots"]["handoff_reason"] == "billing_double_charge"
    assert "phone_last4" not in record["slots"] and "requested_slot" not in record["slots"]
    assert record["transcript"][-1] == {
        "role": "customer",
        "text": "Außerdem wurde mir die Bestellung doppelt abgebucht!",
        "intent": "billing_double_charge",
        "timestamp": record["transcript"][-1]["timestamp"],
        "emotion": None,
    }
    assert "action_continue_request" in record["bot_actions"]
    assert record["skill"] == "billing"
    [status] = [attempt for attempt in record["bot_attempts"] if attempt["action"] == "action_continue_request"]
    assert "40010001" in status["said"][0]


@pytest.mark.parametrize(
    ("intent", "ack"),
    [
        ("billing_wrong_amount", "utter_handoff_ack_billing_wrong_amount"),
        ("billing_refund_dispute", "utter_handoff_ack_billing_refund_dispute"),
        ("billing_failed_payment", "utter_handoff_ack_billing_failed_payment"),
        ("warranty_claim", "utter_handoff_ack_warranty_claim"),
        ("request_human", None),
    ],
)
def test_each_handoff_intent_gets_its_reason(customer_db, redis_client, make_tracker, act, intent, ack):
    outcome = act(ActionHandoff(), make_tracker(intent, "I need help with this"))

    assert outcome.responses == ([ack] if ack else []) + ["utter_handoff_done"]
    [record] = stream_payloads(redis_client)
    expected_reason = "customer_request" if intent == "request_human" else intent
    assert record["reason"] == expected_reason
    assert record["reason_text"] == REASON_TEXTS[expected_reason]


def test_long_messages_and_control_characters_are_cleaned_in_the_record(
    customer_db, redis_client, ev, make_tracker, act
):
    wall = "\x00\x1b[31m" + "ä" * 10_000
    act(ActionHandoff(), make_tracker("request_human", "a person please", history=[ev.user(wall, "nlu_fallback")]))

    [record] = stream_payloads(redis_client)
    first = record["transcript"][0]["text"]
    assert len(first) == 2000 and "\x00" not in first and "\x1b" not in first


def test_an_unreachable_redis_is_explained_and_nothing_crashes(tmp_path, monkeypatch, make_tracker, act):
    from bot.actions.base import reset_clients

    monkeypatch.setenv("REDIS_URL", f"unix://{tmp_path}/no-redis-here.sock")
    reset_clients()
    try:
        outcome = act(ActionHandoff(), make_tracker("billing_double_charge", "charged twice!"))
    finally:
        reset_clients()

    assert outcome.responses == ["utter_handoff_unavailable"]
    assert outcome.slots["handoff_requested"] is False
    assert outcome.slots["handoff_reason"] == "billing_double_charge"


# --- handoff.v2: the escalation decision, emotions and what the bot tried ----------------------


def felt(ev, text, intent, label, intensity, timestamp):
    event = ev.user(text, intent, timestamp=timestamp)
    event["parse_data"]["emotion"] = {"label": label, "confidence": 0.9, "intensity": intensity, "scores": {label: 0.9}}
    return event


def test_an_emotional_escalation_carries_its_reasons_emotions_and_interrupts_the_form(
    customer_db, redis_client, ev, make_tracker, act
):
    decision = {
        "escalate": True,
        "mode": "handoff",
        "skill": "general",
        "priority": "high",
        "reasons": [
            {
                "code": "emotion_frustrated",
                "mode": "handoff",
                "text": "The customer has been strongly frustrated in their last 2 messages (intensity 0.90, 0.95).",
            }
        ],
    }
    history = [
        felt(ev, "where is my parcel", "order_status", "neutral", 0.2, 1700000000.0),
        ev.action("action_start_request"),
        ev.bot("Sure - which account?"),
        felt(ev, "THIS IS THE THIRD TIME I ASK!!!", "order_status", "frustrated", 0.9, 1700000010.0),
    ]
    tracker = make_tracker(
        "order_status",
        "WHERE IS MY PARCEL?!",
        history=history,
        slots={"escalation": decision, "emotion": "frustrated", "distress_level": 0.8},
        active_loop="verify_form",
    )
    tracker.latest_message["emotion"] = {"label": "frustrated", "confidence": 0.9, "intensity": 0.95}
    tracker.events[-1]["parse_data"]["emotion"] = tracker.latest_message["emotion"]
    tracker.active_loop = {"name": "verify_form"}

    outcome = act(ActionHandoff(), tracker)

    assert outcome.responses == ["utter_handoff_ack_upset", "utter_handoff_done"]
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in outcome.events if e["event"] == "active_loop"
    ]
    [record] = stream_payloads(redis_client)
    assert record["reason"] == "emotion_frustrated"
    assert record["reasons"] == [{"code": "emotion_frustrated", "text": decision["reasons"][0]["text"]}]
    assert record["priority"] == "high"
    assert [(point["turn"], point["label"]) for point in record["emotion_timeline"]] == [
        (1, "neutral"),
        (2, "frustrated"),
        (3, "frustrated"),
    ]
    # The shared distress formula: weight 1.0 x (0.5 + 0.5 x intensity 0.95).
    assert record["emotion_timeline"][-1]["distress"] == 0.975
    customer = [line for line in record["transcript"] if line["role"] == "customer"]
    assert customer[1] == {
        "role": "customer",
        "text": "THIS IS THE THIRD TIME I ASK!!!",
        "intent": "order_status",
        "timestamp": 1700000010.0,
        "emotion": {"label": "frustrated", "intensity": 0.9},
    }
    assert record["emotion"]["label"] == "frustrated" and record["emotion"]["distress_level"] == 0.8
    assert record["bot_attempts"] == [
        {"action": "action_start_request", "said": ["Sure - which account?"], "results": {}}
    ]
    assert "escalation" not in record["slots"]


def test_an_accepted_offer_keeps_the_reasons_it_was_made_for(customer_db, redis_client, make_tracker, act):
    reasons = [{"code": "conversation_loop", "text": "The customer asked for the same thing 3 times."}]
    tracker = make_tracker(
        "affirm",
        "yes",
        slots={"human_offered": True, "handoff_reason": "conversation_loop", "handoff_reasons": reasons},
    )
    act(ActionHandoff(), tracker)

    [record] = stream_payloads(redis_client)
    assert record["reasons"] == reasons and record["reason_text"] == reasons[0]["text"]


def test_stale_offer_reasons_are_not_reused_for_a_different_offer(customer_db, redis_client, make_tracker, act):
    stale = [{"code": "conversation_loop", "text": "old"}]
    tracker = make_tracker(
        "affirm", "yes", slots={"human_offered": True, "handoff_reason": "lost_parcel", "handoff_reasons": stale}
    )
    act(ActionHandoff(), tracker)

    [record] = stream_payloads(redis_client)
    assert record["reasons"] == [{"code": "lost_parcel", "text": REASON_TEXTS["lost_parcel"]}]


def test_skills_come_from_the_config_in_redis(customer_db, redis_client, make_tracker, act):
    from contracts.escalation.config import default_config
    from tests.support.escalation import store_config

    data = default_config().to_dict()
    data["skills"]["reasons"]["warranty_claim"] = "technical"
    store_config(redis_client, data)

    act(ActionHandoff(), make_tracker("warranty_claim", "my kettle broke"))

    [record] = stream_payloads(redis_client)
    assert record["skill"] == "technical"
