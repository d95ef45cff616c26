"""Proactive care: after a verified request, the most important known problem, once (real
customer database with the demo data)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.actions.proactive import PROACTIVE_SLOT
from bot.actions.requests import ActionContinueRequest
from customer_db.models import OrderRow, PaymentFailureRow, ReturnRow
from tests.bot.actions.test_requests import VERIFIED, verified_tracker

DELAYED = "utter_proactive_delayed_order_dispatched"
CARD_EXPIRED = "utter_proactive_payment_failed_card_expired"
REFUND_LATE = "utter_proactive_refund_late"


def utc_today() -> date:
    return datetime.now(timezone.utc).date()  # the day the connector works out statuses for


def change_rows(customer_db, statement):
    with Session(customer_db.engine) as session, session.begin():
        session.execute(statement)


def add_rows(customer_db, *rows):
    with Session(customer_db.engine) as session, session.begin():
        session.add_all(rows)


def failed_payment(order_number, customer_id, reason="card_declined"):
    return PaymentFailureRow(
        order_number=order_number,
        customer_id=customer_id,
        failed_at=datetime.utcnow() - timedelta(hours=5),
        reason=reason,
        amount_cents=4990,
        currency="GBP",
    )


def late_return(order_number, customer_id, expected=None):
    today = utc_today()
    return ReturnRow(
        return_number="RT-6999999",
        customer_id=customer_id,
        order_number=order_number,
        description="1 x Noise-cancelling headphones",
        received_on=today - timedelta(days=12),
        refund_cents=17900,
        currency="GBP",
        refund_promised_by=today - timedelta(days=5),
        refund_expected_on=expected,
    )


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


# --- a failed payment that holds an order -------------------------------------------------------


def test_a_payment_that_holds_an_order_is_raised_with_what_the_customer_can_do(customer_db, make_tracker, act):
    (failure,) = [f for f in customer_db.list_payment_failures("C100004") if not f.is_resolved]
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100004", "password_reset"))

    assert outcome.responses == ["utter_password_reset_sent", CARD_EXPIRED]
    notice = outcome.message(CARD_EXPIRED)
    assert notice["order_number"] == "40010024" and notice["amount"] == f"£{failure.amount}"
    assert notice["failed_on"] == failure.failed_at.strftime("%-d %b %Y")
    assert outcome.slots[PROACTIVE_SLOT] == "payment_failed:40010024"


def test_german_amounts_and_dates_in_the_payment_notice(customer_db, make_tracker, act):
    (failure,) = [f for f in customer_db.list_payment_failures("C100004") if not f.is_resolved]
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100004", "password_reset", "de"))
    notice = outcome.message(CARD_EXPIRED)
    assert notice["amount"] == f"{failure.amount}".replace(".", ",") + " £"
    assert notice["failed_on"] == failure.failed_at.strftime("%d.%m.%Y")


def test_other_reasons_get_the_general_payment_notice(customer_db, make_tracker, act):
    change_rows(customer_db, update(PaymentFailureRow).values(reason="insufficient_funds"))
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100004", "password_reset"))
    assert outcome.responses[-1] == "utter_proactive_payment_failed"


@pytest.mark.parametrize(
    "settled",
    [
        update(PaymentFailureRow).values(resolved_at=datetime.utcnow()),
        update(OrderRow).where(OrderRow.order_number == "40010024").values(status="cancelled"),
    ],
    ids=["payment went through", "order cancelled"],
)
def test_a_payment_that_no_longer_holds_an_order_is_not_raised(customer_db, make_tracker, act, settled):
    change_rows(customer_db, settled)
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100004", "password_reset"))
    assert outcome.responses == ["utter_password_reset_sent"]


def test_the_status_of_the_held_order_is_followed_by_why_it_waits(customer_db, make_tracker, act):
    outcome = act(
        ActionContinueRequest(), verified_tracker(make_tracker, "C100004", "order_status", order_number="40010024")
    )
    assert outcome.responses == ["utter_order_status_processing_no_eta", CARD_EXPIRED]


def test_a_held_order_comes_before_a_late_one(customer_db, make_tracker, act):
    add_rows(customer_db, failed_payment("40010012", "C100002"))
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100002", "password_reset"))
    assert outcome.responses[-1] == "utter_proactive_payment_failed"
    assert outcome.slots[PROACTIVE_SLOT] == "payment_failed:40010012"


@pytest.mark.parametrize(
    ("customer_id", "question", "notice"),
    [("C100004", "billing_failed_payment", CARD_EXPIRED), ("C100005", "billing_refund_dispute", REFUND_LATE)],
)
def test_a_problem_the_customer_already_asked_about_is_not_raised(
    customer_db, make_tracker, ev, act, customer_id, question, notice
):
    slots = {**VERIFIED, "customer_id": customer_id, "pending_request": "password_reset", "language": "en"}
    asked = make_tracker("inform", "1234", slots=slots, history=[ev.user("what about my money?", question)])
    unasked = make_tracker("inform", "1234", slots=slots, history=[ev.user("hello", "greet")])

    assert act(ActionContinueRequest(), asked).responses == ["utter_password_reset_sent"]
    assert act(ActionContinueRequest(), unasked).responses == ["utter_password_reset_sent", notice]


# --- a refund past its promised date ------------------------------------------------------------


def test_a_late_refund_is_raised_with_the_new_date(customer_db, make_tracker, act):
    (returned,) = customer_db.list_returns("C100005")
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100005", "password_reset", "de"))

    assert outcome.responses == ["utter_password_reset_sent", REFUND_LATE]
    notice = outcome.message(REFUND_LATE)
    assert notice["order_number"] == "40010005" and notice["amount"] == "89,00 €"
    assert notice["promised_by"] == returned.refund_promised_by.strftime("%d.%m.%Y")
    assert notice["new_date"] == returned.refund_expected_on.strftime("%d.%m.%Y")
    assert outcome.slots[PROACTIVE_SLOT] == "refund_late:RT-6000001"


@pytest.mark.parametrize("expected", [None, utc_today() - timedelta(days=1)], ids=["no new date", "new date passed"])
def test_without_a_date_ahead_a_late_refund_offers_a_colleague(customer_db, make_tracker, act, expected):
    change_rows(customer_db, update(ReturnRow).values(refund_expected_on=expected))
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100005", "password_reset"))

    assert outcome.responses == ["utter_password_reset_sent", "utter_proactive_refund_late_no_date"]
    assert "new_date" not in outcome.message("utter_proactive_refund_late_no_date")


def test_a_refund_paid_or_still_within_its_promise_is_not_raised(customer_db, make_tracker, act):
    change_rows(customer_db, update(ReturnRow).values(refund_promised_by=utc_today()))
    on_time = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100005", "password_reset"))
    change_rows(
        customer_db, update(ReturnRow).values(refund_promised_by=date(2020, 1, 1), refunded_at=datetime.utcnow())
    )
    paid = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100005", "password_reset"))

    assert on_time.responses == paid.responses == ["utter_password_reset_sent"]


def test_a_late_order_comes_before_a_late_refund(customer_db, make_tracker, act):
    add_rows(customer_db, late_return("40010002", "C100002", expected=utc_today() + timedelta(days=3)))
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100002", "password_reset"))
    assert outcome.responses[-1] == DELAYED
    again = act(
        ActionContinueRequest(),
        verified_tracker(make_tracker, "C100002", "password_reset", **{PROACTIVE_SLOT: "delayed_order:40010002"}),
    )
    assert again.responses == ["utter_password_reset_sent"]  # still one topic per conversation
