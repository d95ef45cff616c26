"""Proactive care through the real system (Rasa, the action server, the bridge's NLG, the demo
customer database): a verified customer hears about a known problem on their account after what
they asked is done, once."""

from __future__ import annotations

from customer_db.sql import SqlCustomerConnector


def verify_james(chat, language: str = "en") -> str:  # noqa: ANN001
    chat.text("Hi, I forgot my password" if language == "en" else "Hallo, ich habe mein Passwort vergessen")
    chat.text("james.carter@example.com")
    return chat.text("7315")


def test_a_password_reset_ends_with_the_notice_about_a_late_order_once(conversation, customer_db: SqlCustomerConnector):
    order = customer_db.get_order("40010002")
    chat = conversation()
    messages_before = len(chat.tracker()["events"])
    reply = verify_james(chat)

    assert chat.slot("verified") is True
    assert "j***@example.com" in reply  # what was asked comes first ...
    assert reply.index("j***@example.com") < reply.index("40010002")  # ... then the notice
    assert f"{order.delay_days} days late" in reply
    assert order.estimated_delivery.strftime("%-d %b %Y") in reply
    said = [e for e in chat.tracker()["events"][messages_before:] if e.get("event") == "bot"]
    buttons = [b["payload"] for e in said for b in (e.get("data") or {}).get("buttons") or []]
    assert '/order_status{"order_number": "40010002"}' in buttons and "/request_human" in buttons
    assert chat.slot("proactive_topic") == "delayed_order:40010002"

    # A second request in the same conversation: answered, and the problem is not raised again.
    reply = chat.text("where is my order 40010012?")
    assert "40010012" in reply and "days late" not in reply


def test_in_german_and_never_to_a_customer_without_problems(conversation):
    chat = conversation(language="de")
    reply = verify_james(chat, "de")
    assert "40010002" in reply and "später als geplant" not in reply and "verspätet sich leider" in reply

    anna = conversation(language="de")
    anna.text("Hallo, ich habe mein Passwort vergessen")
    anna.text("anna.schmidt@example.de")
    reply = anna.text("4821")
    assert anna.slot("verified") is True and anna.slot("proactive_topic") is None
    assert "verspät" not in reply
