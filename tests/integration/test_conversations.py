"""Whole conversations over HTTP against the real system: Rasa with the trained model, the action
server, Redis and a seeded customer database. Assertions look at what a customer sees and at
what the system recorded (tracker slots, the database outbox, the handoff stream)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import redis

from customer_db.sql import SqlCustomerConnector
from launcher.system import System


def handoffs_for(redis_client: redis.Redis, conversation_id: str) -> list[dict]:
    entries = redis_client.xrange("handoff:requests")
    payloads = [json.loads(fields["payload"]) for _id, fields in entries]
    return [p for p in payloads if p["conversation_id"] == conversation_id]


def test_password_reset_verifies_then_sends_a_single_use_link(conversation, customer_db: SqlCustomerConnector) -> None:
    chat = conversation()
    before = len(customer_db.outbox("C100002"))

    assert chat.text("Hi, I forgot my password")
    assert chat.slot("verified") is not True
    assert chat.text("james.carter@example.com")
    # Nothing is sent before the second factor matches.
    assert len(customer_db.outbox("C100002")) == before
    reply = chat.text("the last four digits are 7315")

    assert chat.slot("verified") is True
    assert chat.slot("customer_id") == "C100002"
    assert "j***@example.com" in reply
    outbox = customer_db.outbox("C100002")
    assert len(outbox) == before + 1
    assert "reset-password" in outbox[0].body or "reset-password" in outbox[-1].body


def test_german_order_status_shows_own_order_and_never_someone_elses(
    conversation, customer_db: SqlCustomerConnector
) -> None:
    chat = conversation(language="de")
    own = customer_db.get_order("40010001")
    foreign = customer_db.get_order("40010002")

    chat.text("Hallo, wo ist meine Bestellung 40010001?")
    chat.text("anna.schmidt@example.de")
    reply = chat.text("4821")

    assert chat.slot("language") == "de"
    assert chat.slot("customer_id") == "C100001"
    assert own.carrier in reply
    assert own.tracking_number and own.tracking_number in reply

    reply = chat.text("Und wo ist die Bestellung 40010002?")
    assert reply
    assert foreign.tracking_number not in reply
    assert "James" not in reply and "Carter" not in reply


def test_delayed_order_gets_an_apology_with_the_new_date_first(conversation, customer_db: SqlCustomerConnector) -> None:
    chat = conversation()
    order = customer_db.get_order("40010002")
    assert order.is_delayed

    chat.text("where is my order 40010002??")
    chat.text("C100002")
    replies = [r.get("text", "") for r in chat.say("7315")]

    text = "\n".join(replies)
    assert "sorry" in text.lower()
    new_date = order.estimated_delivery
    assert str(new_date.day) in text and new_date.strftime("%b") in text


def test_billing_dispute_goes_to_a_person_with_the_conversation(conversation, redis_client: redis.Redis) -> None:
    chat = conversation()
    chat.text("hello")
    reply = chat.text("You charged me twice for the same order, I want my money back!")

    assert reply
    records = handoffs_for(redis_client, chat.sender)
    assert len(records) == 1
    record = records[0]
    assert record["reason"] == "billing_double_charge"
    assert record["reason_text"]
    said = [turn["text"] for turn in record["transcript"] if turn["role"] == "customer"]
    assert "You charged me twice for the same order, I want my money back!" in said
    assert chat.slot("handoff_requested") is True


def test_three_wrong_answers_lock_verification_and_offer_a_person(
    conversation, customer_db: SqlCustomerConnector
) -> None:
    chat = conversation()
    chat.text("what's my account balance?")
    for wrong in ("1111", "2222", "3333"):
        # After a mismatch the assistant asks for the account again, then for the digits.
        chat.text("priya.nair@example.com")
        reply = chat.text(wrong)
    assert chat.slot("verified") is not True
    assert customer_db.is_verification_locked("C100004")
    assert chat.slot("human_offered") is True
    # The right digits do not help while the lock lasts, in a new conversation too.
    other = conversation()
    other.text("what's my account balance?")
    other.text("priya.nair@example.com")
    other.text("2648")
    assert other.slot("verified") is not True
    assert reply


def test_a_conversation_survives_a_rasa_restart(conversation, system: System) -> None:
    chat = conversation()
    chat.text("I need to reset my password")
    chat.text("lena.vogel@example.de")
    events_before = len(chat.tracker()["events"])

    system["rasa"].kill()
    system["rasa"].start()
    system["rasa"].wait_ready()

    assert len(chat.tracker()["events"]) == events_before
    chat.text("0596")
    assert chat.slot("verified") is True
    assert chat.slot("customer_id") == "C100003"


def test_concurrent_customers_see_only_their_own_data(conversation) -> None:
    def verify(identifier: str, digits: str) -> tuple[str, str]:
        chat = conversation()
        chat.text("what do I owe you?")
        chat.text(identifier)
        reply = chat.text(digits)
        return chat.slot("customer_id"), reply

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(
                lambda args: verify(*args),
                [
                    ("anna.schmidt@example.de", "4821"),
                    ("james.carter@example.com", "7315"),
                    ("lena.vogel@example.de", "0596"),
                    ("C100001", "4821"),
                ],
            )
        )
    assert [customer for customer, _ in results] == ["C100001", "C100002", "C100003", "C100001"]


def test_hostile_and_odd_messages_get_replies_and_nothing_is_lost(conversation, system: System) -> None:
    chat = conversation()
    odd_messages = [
        "",
        "x" * 10_000,
        "\x00\x01\x07 hello \x1b[31m",
        "😡😡😡",
        "'; DROP TABLE customers; --",
        "<script>alert('x')</script>",
        "Hallo, my order ist nicht angekommen",
    ]
    for message in odd_messages:
        replies = chat.say(message)
        assert isinstance(replies, list)
    user_texts = [e.get("text") for e in chat.tracker()["events"] if e["event"] == "user"]
    for message in odd_messages[1:]:
        assert message in user_texts
    assert not system.failed()
    # The conversation still works afterwards.
    assert chat.text("hi")
