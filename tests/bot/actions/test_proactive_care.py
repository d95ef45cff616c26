"""Proactive care: after a verified request, the most important known problem, once (real
customer database with the demo data)."""

from __future__ import annotations

import pytest

from bot.actions.proactive import PROACTIVE_SLOT
from bot.actions.requests import ActionContinueRequest
from tests.bot.actions.test_requests import verified_tracker

DELAYED = "utter_proactive_delayed_order_dispatched"


def test_a_password_reset_of_a_customer_with_a_delayed_order_ends_with_the_notice(customer_db, make_tracker, act):
    order = customer_db.get_order_for_customer("C100002", "40010002")
    assert order.is_delayed
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100002", "password_reset"))

    assert outcome.responses == ["utter_password_reset_sent", DELAYED]  # what was asked comes first
    notice = outcome.message(DELAYED)
    assert notice["order_number"] == "40010002" and notice["days_late"] == order.delay_days > 0
    assert notice["new_date"] == order.estimated_delivery.strftime("%-d %b %Y")
    assert outcome.slots[PROACTIVE_SLOT] == "delayed_order:40010002"


def test_german_customers_get_german_dates_in_the_notice(customer_db, make_tracker, act):
    order = customer_db.get_order_for_customer("C100002", "40010002")
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100002", "password_reset", "de"))
    assert outcome.message(DELAYED)["new_date"] == order.estimated_delivery.strftime("%d.%m.%Y")


def test_a_customer_without_problems_gets_no_notice(customer_db, make_tracker, act):
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100001", "password_reset"))
    assert outcome.responses == ["utter_password_reset_sent"]
    assert PROACTIVE_SLOT not in outcome.slots


def test_one_topic_per_conversation(customer_db, make_tracker, act):
    tracker = verified_tracker(make_tracker, "C100002", "password_reset", **{PROACTIVE_SLOT: "delayed_order:40010002"})
    outcome = act(ActionContinueRequest(), tracker)
    assert outcome.responses == ["utter_password_reset_sent"]


@pytest.mark.parametrize(
    "heading_to_a_person",
    [
        {"human_offered": True},
        {"handoff_requested": True},
        {"escalation": {"escalate": True, "mode": "offer", "reasons": ["emotion"]}},
    ],
)
def test_none_when_the_conversation_goes_to_a_person(customer_db, make_tracker, act, heading_to_a_person):
    tracker = verified_tracker(make_tracker, "C100002", "password_reset", **heading_to_a_person)
    outcome = act(ActionContinueRequest(), tracker)
    assert outcome.responses == ["utter_password_reset_sent"]


def test_what_the_customer_just_asked_about_is_not_raised_again(customer_db, make_tracker, act):
    about_it = act(
        ActionContinueRequest(), verified_tracker(make_tracker, "C100002", "order_status", order_number="40010002")
    )
    assert about_it.responses == ["utter_order_delayed", "utter_order_status_in_transit"]
    about_another = act(
        ActionContinueRequest(), verified_tracker(make_tracker, "C100002", "order_status", order_number="40010012")
    )
    assert about_another.responses[-1] == DELAYED  # the other order is late: say so


def test_an_invoice_falling_due_is_raised_only_for_a_customer_who_showed_distress(customer_db, make_tracker, act):
    invoices = [i for i in customer_db.list_invoices("C100003") if i.amount_due > 0]
    assert invoices, "the demo data gives Lena open invoices"
    calm = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100003", "password_reset"))
    assert calm.responses == ["utter_password_reset_sent"]
    upset = act(
        ActionContinueRequest(),
        verified_tracker(make_tracker, "C100003", "password_reset", distress_level=0.6, distress_history=[0.2, 0.6]),
    )
    assert upset.responses[0] == "utter_password_reset_sent"
    assert upset.responses[1] in ("utter_proactive_invoice_due", "utter_proactive_invoice_overdue")
    notice = upset.messages[1]
    assert notice["invoice_number"] in {i.invoice_number for i in invoices}
    assert upset.slots[PROACTIVE_SLOT].startswith("invoice_due:")


def test_the_balance_answer_covers_the_invoices(customer_db, make_tracker, act):
    outcome = act(
        ActionContinueRequest(), verified_tracker(make_tracker, "C100003", "account_balance", distress_level=0.7)
    )
    assert not any(name.startswith("utter_proactive") for name in outcome.responses)
