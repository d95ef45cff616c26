"""action_handoff writes the complete handoff record to the Redis stream `handoff:requests`."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from rasa_sdk import Tracker

from bot.actions.handoff import ActionHandoff
from bot.actions.handoff_record import REASON_TEXTS

RECORDED = Path(__file__).with_name("recorded")


def recorded_tracker(name: str) -> Tracker:
    return Tracker.from_dict(json.loads((RECORDED / name).read_text(encoding="utf-8")))


def stream_payloads(redis_client):
    entries = redis_client.xrange("handoff:requests")
    return [json.loads(fields[b"payload"]) for _, fields in entries]


def test_an_accepted_offer_after_a_lockout_is_handed_over_with_that_reason(customer_db, redis_client, act):
    outcome = act(ActionHandoff(), recorded_tracker("handoff_after_lockout_en.json"))

    assert outcome.responses == ["utter_handoff_done"]
    assert outcome.slots == {"human_offered": False, "handoff_reason": "verification_lockout",
                             "handoff_requested": True}
    [record] = stream_payloads(redis_client)
    assert record["schema"] == "handoff.v1"
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
        "hi, I forgot my password", "priya.nair@example.com", "[answer to a security question, hidden]",
        "priya.nair@example.com", "[answer to a security question, hidden]", "C100004",
        "[answer to a security question, hidden]", "yes please",
    ]
    assert transcript[0]["intent"] == "reset_password" and transcript[-1]["intent"] == "affirm"
    assert any("connect you with a colleague" in line["text"] for line in transcript if line["role"] == "bot")
    timestamps = [line["timestamp"] for line in transcript]
    assert timestamps == sorted(timestamps)
    for secret in ("1111", "2222", "3333"):
        assert secret not in json.dumps(record)


def test_a_billing_case_of_a_verified_customer_carries_the_customer_and_the_slots(
    customer_db, redis_client, act
):
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
        "role": "customer", "text": "Außerdem wurde mir die Bestellung doppelt abgebucht!",
        "intent": "billing_double_charge", "timestamp": record["transcript"][-1]["timestamp"]}
    assert "action_continue_request" in record["bot_actions"]


@pytest.mark.parametrize(
    ("intent", "ack"),
    [("billing_wrong_amount", "utter_handoff_ack_billing_wrong_amount"),
     ("billing_refund_dispute", "utter_handoff_ack_billing_refund_dispute"),
     ("billing_failed_payment", "utter_handoff_ack_billing_failed_payment"),
     ("warranty_claim", "utter_handoff_ack_warranty_claim"),
     ("request_human", None)],
)
def test_each_handoff_intent_gets_its_reason(customer_db, redis_client, make_tracker, act, intent, ack):
    outcome = act(ActionHandoff(), make_tracker(intent, "I need help with this"))

    assert outcome.responses == ([ack] if ack else []) + ["utter_handoff_done"]
    [record] = stream_payloads(redis_client)
    expected_reason = "customer_request" if intent == "request_human" else intent
    assert record["reason"] == expected_reason
    assert record["reason_text"] == REASON_TEXTS[expected_reason]


def test_long_messages_and_control_characters_are_cleaned_in_the_record(customer_db, redis_client, ev,
                                                                         make_tracker, act):
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
    assert outcome.slots == {"human_offered": False, "handoff_reason": "billing_double_charge",
                             "handoff_requested": False}
