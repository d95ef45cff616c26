"""Understanding in the running system (Rasa, action server, bridge NLG, Redis): what a customer
meets when the request is not about the shop, when they are in a vulnerable situation, when they
are fed up in the middle of a flow, or when they send nothing but emoji."""

from __future__ import annotations

import json
import re

import pytest
import redis

from contracts.redis_keys import HANDOFF_REQUESTS_STREAM


def handoffs_for(redis_client: redis.Redis, conversation_id: str) -> list[dict]:
    entries = redis_client.xrange(HANDOFF_REQUESTS_STREAM)
    payloads = [json.loads(fields["payload"]) for _id, fields in entries]
    return [p for p in payloads if p["conversation_id"] == conversation_id]


def sentences(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[.!?…])\s+", text) if part.strip()]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "why does the moon look bigger near the horizon"),
        ("en", "at what age can a teenager open a bank account"),
        ("de", "Wie hoch ist eigentlich die Zugspitze?"),
    ],
)
def test_a_question_that_is_not_about_the_shop_gets_one_friendly_answer_and_starts_nothing(
    conversation, redis_client, language, message
) -> None:
    chat = conversation(language=language)
    reply = chat.text(message)
    tracker = chat.tracker()
    assert tracker["latest_message"]["intent"]["name"] == "out_of_scope"
    assert any(word in reply for word in ("orders", "Bestellungen")), reply
    assert not (tracker.get("active_loop") or {}).get("name")  # no verification, no form
    assert handoffs_for(redis_client, chat.sender) == []


@pytest.mark.parametrize(
    ("language", "message", "words"),
    [
        (
            "en",
            "I lost my job last month and I really can't pay this invoice, I'm desperate, what can I do",
            "payment plan",
        ),
        ("de", "Mein Mann ist letzte Woche gestorben und ich muss seine Bestellung stornieren", "Beileid"),
    ],
)
def test_a_vulnerable_customer_gets_time_and_a_person_with_priority(
    conversation, redis_client, language, message, words
) -> None:
    chat = conversation(language=language)
    reply = chat.text(message)
    assert words in reply
    assert "quick" not in reply.lower() and "schnell machen" not in reply.lower()
    assert chat.slot("human_offered") is True

    chat.text("yes please" if language == "en" else "ja bitte")
    [record] = handoffs_for(redis_client, chat.sender)
    assert record["priority"] == "high"
    assert [reason["code"] for reason in record["reasons"]] == ["vulnerable_customer"]


def test_a_customer_fed_up_in_the_middle_of_order_lookup_never_hears_the_same_sentence_twice(conversation) -> None:
    chat = conversation()
    said = sentences(chat.text("where is my order 40010002?"))
    reply = chat.text("this is ridiculous, it's been two weeks")
    assert reply
    repeated = [sentence for sentence in sentences(reply) if sentence in said]
    assert repeated == []
    # ... and the conversation goes on: the customer can still verify and get the answer.
    chat.text("C100002")
    assert "sorry" in chat.text("7315").lower()


def test_angry_emoji_alone_are_acknowledged_not_misunderstood(conversation) -> None:
    chat = conversation()
    reply = chat.text("😡😡😡🤬")
    assert "didn't catch that" not in reply
    assert "fed up" in reply


def test_a_complaint_goes_to_a_person(conversation, redis_client) -> None:
    chat = conversation()
    chat.text("I want to make a formal complaint about the way your driver treated me")
    [record] = handoffs_for(redis_client, chat.sender)
    assert record["reason"] == "complaint"
