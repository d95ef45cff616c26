"""The opening turn through the real system (Rasa with a model trained on bot/data, the action
server, the bridge's NLG, the demo customer database): a customer signed in at the shop opens the
widget and hears about a known problem before typing; the shop's token verifies them."""

from __future__ import annotations

import os

from common.service_auth import DEVELOPMENT_SHOP_TOKEN_SECRET
from contracts.shop_token import mint_shop_token
from customer_db.sql import SqlCustomerConnector

OPENING = "/widget_opened"


def signed_in(conversation, customer_id: str, language: str = "en", token: str | None = None):  # noqa: ANN001
    chat = conversation(language=language)
    # As the action server picks it (bot/actions/settings.py): the environment's, else development's.
    secret = os.environ.get("SHOP_TOKEN_SECRET") or DEVELOPMENT_SHOP_TOKEN_SECRET
    chat.metadata = {"language": language, "customer_token": token or mint_shop_token(customer_id, secret)}
    return chat


def test_a_signed_in_customer_with_a_late_order_hears_about_it_first(conversation, customer_db: SqlCustomerConnector):
    order = customer_db.get_order("40010002")
    chat = signed_in(conversation, "C100002")
    reply = chat.text(OPENING)

    assert "40010002" in reply and f"{order.delay_days} days" in reply
    assert chat.slot("verified") is True and chat.slot("customer_id") == "C100002"
    assert chat.slot("proactive_topic") == "delayed_order:40010002"

    # Verified by the shop: the next request is answered without questions, and the note is not repeated.
    reply = chat.text("where is my order 40010012?")
    assert "40010012" in reply and "days late" not in reply and "behind schedule" not in reply


def test_in_german(conversation):
    chat = signed_in(conversation, "C100002", "de")
    reply = chat.text(OPENING)
    assert "40010002" in reply and "Tage" in reply


def test_without_a_known_problem_nothing_is_said(conversation):
    chat = signed_in(conversation, "C100001")
    assert chat.say(OPENING) == []
    assert chat.slot("verified") is True and chat.slot("proactive_topic") is None


def test_a_forged_token_is_ignored_and_the_customer_verifies_as_usual(conversation):
    forged = mint_shop_token("C100002", "not-the-shops-secret-at-all")
    chat = signed_in(conversation, "C100002", token=forged)
    assert chat.say(OPENING) == []
    assert chat.slot("verified") is not True
    reply = chat.text("Hi, I forgot my password")
    assert chat.slot("verified") is not True and reply  # asked who they are, as anyone is
