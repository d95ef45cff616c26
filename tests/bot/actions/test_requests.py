"""action_start_request / action_continue_request: verified requests, performed for real."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.actions.requests import ActionContinueRequest, ActionStartRequest

VERIFIED = {"verified": True, "verification_failures": 0.0}


def verified_tracker(make_tracker, customer_id, pending, language="en", **slots):
    return make_tracker(
        "inform",
        "1234",
        slots={
            **VERIFIED,
            "customer_id": customer_id,
            "pending_request": pending,
            "language": language,
            **slots,
        },
    )


# --- action_start_request ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "pending"),
    [
        ("reset_password", "password_reset"),
        ("order_status", "order_status"),
        ("account_balance", "account_balance"),
        ("change_address", "change_address"),
    ],
)
def test_a_request_is_remembered_and_introduced_before_verification(make_tracker, act, intent, pending):
    outcome = act(ActionStartRequest(), make_tracker(intent, "..."))

    assert outcome.slots == {"pending_request": pending}
    assert outcome.responses == [f"utter_request_intro_{pending}"]


def test_a_verified_customer_gets_no_introduction(make_tracker, act):
    outcome = act(ActionStartRequest(), make_tracker("account_balance", "and my balance?", slots=VERIFIED))

    assert outcome.slots == {"pending_request": "account_balance"}
    assert outcome.messages == []


def test_a_bare_order_number_asks_for_its_status(make_tracker, ev, act):
    text = "40010002"
    outcome = act(
        ActionStartRequest(),
        make_tracker("inform", text, entities=[ev.entity("order_number", text, text)], slots={"order_number": text}),
    )

    assert outcome.slots == {"pending_request": "order_status"}


def test_values_of_an_earlier_request_are_forgotten(make_tracker, act):
    tracker = make_tracker(
        "order_status",
        "where are my orders?",
        slots={
            "order_number": "40010002",
            "new_address": "1 Old Street, 12345 Berlin",
            "human_offered": True,
            "troubleshoot_active": True,
        },
    )

    outcome = act(ActionStartRequest(), tracker)

    assert outcome.slots == {
        "pending_request": "order_status",
        "order_number": None,
        "new_address": None,
        "human_offered": False,
        "troubleshoot_active": False,
    }


def test_an_order_number_in_the_same_message_is_kept(make_tracker, ev, act):
    text = "where is 40010002"
    outcome = act(
        ActionStartRequest(),
        make_tracker(
            "order_status",
            text,
            entities=[ev.entity("order_number", "40010002", text)],
            slots={"order_number": "40010002"},
        ),
    )

    assert "order_number" not in outcome.slots


# --- action_continue_request: password reset ---------------------------------------------------


def test_password_reset_sends_a_single_use_link_and_shows_only_the_masked_address(customer_db, make_tracker, act):
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100001", "password_reset", "de"))

    assert outcome.responses == ["utter_password_reset_sent"]
    sent = outcome.message("utter_password_reset_sent")
    assert sent["masked_email"] == "a***@example.de"
    assert sent["valid_minutes"] == 30
    assert outcome.slots == {"pending_request": None}

    mails = customer_db.outbox("C100001")
    assert len(mails) == 1 and mails[0].recipient == "anna.schmidt@example.de"
    link = re.search(r"https://shop\.example/reset-password\S+", mails[0].body).group(0)
    token = link.split("token=")[-1] if "token=" in link else link.rsplit("/", 1)[-1]
    assert link not in str(outcome.messages)  # the secret link never appears in the chat
    assert customer_db.consume_password_reset(token) == "C100001"
    assert customer_db.consume_password_reset(token) is None  # single use


# --- action_continue_request: order status -----------------------------------------------------


def test_a_delayed_order_opens_with_an_apology_and_the_new_date(customer_db, make_tracker, act):
    order = customer_db.get_order_for_customer("C100002", "40010002")
    outcome = act(
        ActionContinueRequest(), verified_tracker(make_tracker, "C100002", "order_status", order_number="40010002")
    )

    assert outcome.responses == ["utter_order_delayed", "utter_order_status_in_transit"]
    delay = outcome.message("utter_order_delayed")
    assert delay["new_date"] == order.estimated_delivery.strftime("%-d %b %Y")
    assert delay["original_date"] == order.original_estimate.strftime("%-d %b %Y")
    status = outcome.message("utter_order_status_in_transit")
    assert status["carrier"] == "Royal Mail"
    assert status["tracking_number"] == order.tracking_number
    assert outcome.slots == {"pending_request": None}


def test_german_customers_get_german_dates(customer_db, make_tracker, act):
    order = customer_db.get_order_for_customer("C100001", "40010001")
    outcome = act(
        ActionContinueRequest(),
        verified_tracker(make_tracker, "C100001", "order_status", "de", order_number="40010001"),
    )

    assert outcome.responses == ["utter_order_status_in_transit"]
    assert outcome.message("utter_order_status_in_transit")["eta"] == order.estimated_delivery.strftime("%d.%m.%Y")


def test_without_an_order_number_every_open_order_is_described_delayed_first(customer_db, make_tracker, act):
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100002", "order_status"))

    assert outcome.responses == [
        "utter_several_orders_intro",
        "utter_order_delayed",
        "utter_order_status_in_transit",
        "utter_order_status_processing_no_eta",
    ]
    assert outcome.message("utter_several_orders_intro")["count"] == 2
    assert outcome.message("utter_order_status_processing_no_eta")["order_number"] == "40010012"


def test_an_order_out_for_delivery(customer_db, make_tracker, act):
    outcome = act(
        ActionContinueRequest(), verified_tracker(make_tracker, "C100004", "order_status", order_number="40010004")
    )

    # Priya's newer order waits for a payment: proactive care raises it afterwards.
    assert outcome.responses == ["utter_order_status_out_for_delivery", "utter_proactive_payment_failed_card_expired"]
    assert outcome.message("utter_order_status_out_for_delivery")["carrier"] == "DPD"


def test_another_customers_order_is_not_found_and_nothing_of_it_leaks(customer_db, make_tracker, act):
    annas_order = customer_db.get_order("40010001")
    outcome = act(
        ActionContinueRequest(), verified_tracker(make_tracker, "C100002", "order_status", order_number="40010001")
    )

    # James's own late order is raised afterwards (proactive care); nothing of Anna's order leaks.
    assert outcome.responses == ["utter_order_not_found", "utter_proactive_delayed_order_dispatched"]
    assert outcome.message("utter_order_not_found")["order_number"] == "40010001"
    said = str(outcome.messages)
    assert annas_order.tracking_number not in said and annas_order.carrier not in said


def test_a_customer_without_open_orders_is_told_so(customer_db, make_tracker, act):
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100003", "order_status"))

    assert outcome.responses == ["utter_no_open_orders"]


# --- action_continue_request: balance ----------------------------------------------------------


def test_balance_and_open_invoices_with_due_dates(customer_db, make_tracker, act):
    summary = customer_db.account_summary("C100003")
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100003", "account_balance", "de"))

    invoices = sorted(summary.open_invoices, key=lambda invoice: invoice.due_date)
    expected_lines = [
        "utter_overdue_invoice" if invoice.due_date < date.today() else "utter_open_invoice" for invoice in invoices
    ]
    assert outcome.responses == (
        ["utter_balance_due", "utter_open_invoices_intro"] + expected_lines + ["utter_payment_hint"]
    )
    balance = outcome.message("utter_balance_due")["balance"]
    assert balance.endswith(" €") and "," in balance  # German: 12,50 €
    assert "utter_overdue_invoice" in outcome.responses  # Lena's older invoice is past due
    first_line = outcome.messages[2]
    assert first_line["invoice_number"] == invoices[0].invoice_number
    assert first_line["due_date"] == invoices[0].due_date.strftime("%d.%m.%Y")


def test_a_settled_account(customer_db, make_tracker, act):
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100001", "account_balance"))

    assert outcome.responses == ["utter_balance_settled"]


# --- action_continue_request: without verification ---------------------------------------------


def test_after_a_lockout_a_person_is_offered(make_tracker, act):
    tracker = make_tracker(
        "inform",
        "3333",
        slots={
            "verified": False,
            "verification_failures": 3.0,
            "pending_request": "password_reset",
            "handoff_reason": "verification_lockout",
        },
    )

    outcome = act(ActionContinueRequest(), tracker)

    assert outcome.responses == ["utter_offer_human"]
    assert outcome.slots == {"human_offered": True, "handoff_reason": "verification_lockout", "pending_request": None}


def test_a_stopped_verification_shows_nothing(make_tracker, act):
    tracker = make_tracker("deny", "no", slots={"pending_request": "account_balance"})

    outcome = act(ActionContinueRequest(), tracker)

    assert outcome.responses == ["utter_anything_else"]
    assert outcome.slots == {"pending_request": None}


def test_an_unreachable_database_gets_a_plain_apology_and_a_person(broken_customer_db, make_tracker, act):
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100001", "account_balance"))

    assert outcome.responses == ["utter_system_unavailable", "utter_offer_human"]
    assert outcome.slots == {"human_offered": True, "handoff_reason": "system_unavailable"}
