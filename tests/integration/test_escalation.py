"""Escalation in the running system: the rules decide on every turn from the config in Redis, an
admin's change applies to the next turn without a restart, and the handoff record carries what
the customer said and felt all the way into the agent's context package."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
import redis

from customer_db.sql import SqlCustomerConnector
from handoff.context import InMemoryConversationHistory, build_context_package
from contracts.escalation.config import default_config
from contracts.redis_keys import HANDOFF_REQUESTS_STREAM
from admin.escalation.store import EscalationConfigStore
from tests.support.escalation import config_data_with

# The action server re-reads the config at most this often (bot/actions/escalation.py).
CONFIG_CACHE_SECONDS = 1.0
ANGRY = "THIS IS THE THIRD TIME I'M ASKING!!! Where is my damn parcel???"
ANGRIER = "I'M SO ANGRY, THIS IS RIDICULOUS, STILL NOTHING!!! Where is it???"


def handoffs_for(redis_client: redis.Redis, conversation_id: str) -> list[dict]:
    entries = redis_client.xrange(HANDOFF_REQUESTS_STREAM)
    payloads = [json.loads(fields["payload"]) for _id, fields in entries]
    return [p for p in payloads if p["conversation_id"] == conversation_id]


@pytest.fixture
def escalation_config(redis_client: redis.Redis) -> Iterator[callable]:
    """Change the running system's escalation config; the defaults are stored again afterwards."""
    store = EscalationConfigStore(redis_client)

    def change(**changes) -> dict:
        data = config_data_with(**changes)
        store.update(data, actor="integration-test", comment="test")
        time.sleep(CONFIG_CACHE_SECONDS + 0.1)
        return data

    yield change
    store.update(default_config().to_dict(), actor="integration-test", comment="back to the defaults")
    time.sleep(CONFIG_CACHE_SECONDS + 0.1)


def test_an_upset_customer_is_handed_over_with_reasons_and_emotions(conversation, redis_client) -> None:
    chat = conversation()
    chat.text("hi, where is my order?")
    chat.text(ANGRY)
    reply = chat.text(ANGRIER)

    [record] = handoffs_for(redis_client, chat.sender)
    assert record["schema"] == "handoff.v2"
    assert any(reason["code"] in ("emotion_frustrated", "distress_rising") for reason in record["reasons"])
    assert record["priority"] == "high"
    assert "I can hear how upsetting this is" in reply
    said = {line["text"]: line["emotion"] for line in record["transcript"] if line["role"] == "customer"}
    assert said[ANGRIER]["label"] == "frustrated"
    assert [point["label"] for point in record["emotion_timeline"]][-1] == "frustrated"
    # The verification form it interrupted is closed: the person takes over the whole request.
    assert chat.tracker()["active_loop"] in ({}, None) or not chat.tracker()["active_loop"].get("name")
    assert chat.slot("handoff_requested") is True


def test_a_threshold_changed_at_run_time_applies_to_the_next_turn(
    conversation, redis_client, escalation_config
) -> None:
    calm_enough = "Hm, my parcel still isn't here, that's annoying."
    before = conversation()
    before.text(calm_enough)
    assert handoffs_for(redis_client, before.sender) == []

    escalation_config(
        emotion__labels__frustrated={"min_intensity": 0.3, "consecutive_turns": 1},
        emotion__labels__sad={"min_intensity": 0.3, "consecutive_turns": 1},
        emotion__labels__anxious={"min_intensity": 0.3, "consecutive_turns": 1},
    )
    after = conversation()
    after.text(calm_enough)

    [record] = handoffs_for(redis_client, after.sender)
    assert record["reason"].startswith("emotion_")
    assert "last message was strongly" in record["reasons"][0]["text"]


def test_emotion_rules_switched_off_keep_the_bot_answering(conversation, redis_client, escalation_config) -> None:
    escalation_config(emotion__enabled=False)
    chat = conversation()
    chat.text("hi, where is my order?")
    chat.text(ANGRY)
    chat.text(ANGRIER)
    assert handoffs_for(redis_client, chat.sender) == []


def test_an_intent_added_at_run_time_always_goes_to_a_person(conversation, redis_client, escalation_config) -> None:
    escalation_config(always_escalate_intents__intents=[*default_config().always_escalate.intents, "change_address"])
    chat = conversation(language="de")
    chat.text("Ich möchte die Lieferadresse meiner Bestellung ändern")

    [record] = handoffs_for(redis_client, chat.sender)
    assert record["reason"] == "change_address"
    assert record["reasons"][0]["text"] == "The customer's request (change address) always goes to a person."
    assert record["language"] == "de"


def test_two_misunderstandings_offer_a_person_and_yes_hands_over(conversation, redis_client) -> None:
    chat = conversation()
    chat.text("hi")
    chat.text("🙈🙈🙈")
    offer = chat.text("qwrtz plmk zxcvb")
    assert "misunderstood you twice" in offer
    assert chat.slot("human_offered") is True
    chat.text("yes please")

    [record] = handoffs_for(redis_client, chat.sender)
    assert record["reason"] == "repeated_misunderstanding"
    assert record["skill"] == "general"


def test_the_context_package_of_a_real_conversation(
    conversation, redis_client, customer_db: SqlCustomerConnector
) -> None:
    chat = conversation()
    chat.text("Where is my order 40010002?")
    chat.text("james.carter@example.com")
    chat.text("7315")
    complaint = "And you charged me twice for it, this is unacceptable!"
    chat.text(complaint)

    [record] = handoffs_for(redis_client, chat.sender)
    history = InMemoryConversationHistory(
        [
            {
                "conversation_id": "earlier",
                "customer_id": "C100002",
                "started_at": "2026-11-01T10:00:00",
                "handoff_reason": "lost_parcel",
            }
        ]
    )
    package = build_context_package(record, customer_db, history)

    assert package["customer"]["name"] == "James Carter"
    assert "40010002" in [order["order_number"] for order in package["orders"]]
    said = [line for line in package["transcript"] if line["role"] == "customer"]
    assert said[-1]["text"] == complaint and said[-1]["emotion"]["label"] == "frustrated"
    assert "[answer to a security question, hidden]" in [line["text"] for line in said]
    assert "7315" not in json.dumps(package)
    assert package["summary"]["issue"] == "Double charge (order 40010002)."
    assert package["skill"] == "billing"
    assert package["earlier_conversations"][0]["handoff_reason"] == "lost_parcel"
    assert package["next_step"]["opening_line"].startswith("Hello James")
    assert any(attempt["action"] == "verify_form" for attempt in package["bot_attempts"])
