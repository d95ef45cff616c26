"""Payment failures and returns: what proactive care reads, per customer, with the refund status
worked out from the day asked about."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from customer_db.models import Base, CustomerRow
from customer_db.records import PAYMENT_FAILURE_REASONS, REFUND_STATUSES

JUNK_CUSTOMER_IDS = ["", "C999999", "' OR 1=1 --", "C100004\x00", "x" * 10_000, "c100004' --"]
NEW_TABLES = ("payment_failures", "returns")


def _customer_ids(db):
    with Session(db.engine) as session:
        return session.execute(select(CustomerRow.customer_id)).scalars().all()


def test_a_failed_payment_holds_priyas_newest_order(db):
    blocking, settled = db.list_payment_failures("c100004")  # newest first
    order = db.get_order_for_customer("C100004", "40010024")

    assert (blocking.order_number, blocking.reason, blocking.is_resolved) == ("40010024", "card_expired", False)
    assert order.status == "processing" and blocking.failed_at >= order.placed_at
    assert (blocking.amount, blocking.currency) == (order.total, "GBP")
    assert order.events[0].description == "Order received; waiting for payment."
    # Nothing is invoiced before a payment goes through.
    assert "40010024" not in {invoice.order_number for invoice in db.list_invoices("C100004")}
    assert (settled.order_number, settled.is_resolved) == ("40010014", True)
    assert settled.failed_at < settled.resolved_at


def test_katrins_refund_is_late_and_has_a_new_date(db, now):
    (returned,) = db.list_returns("C100005", now=now)

    assert (returned.return_number, returned.order_number) == ("RT-6000001", "40010005")
    assert returned.description == "1 x Running jacket, reflective"
    assert (returned.refund_amount, returned.currency) == (Decimal("89.00"), "EUR")
    assert returned.received_on < returned.refund_promised_by < now.date() < returned.refund_expected_on
    assert returned.refunded_at is None and returned.is_refund_late


def test_a_refund_is_late_only_once_its_promised_day_has_passed(db, now):
    (returned,) = db.list_returns("C100005", now=now)
    on_the_day = datetime.combine(returned.refund_promised_by, now.timetz())

    assert db.list_returns("C100005", now=on_the_day)[0].refund_status == "pending"
    assert db.list_returns("C100005", now=on_the_day + timedelta(days=1))[0].refund_status == "late"


def test_each_known_problem_has_its_own_demo_customer(db, now):
    blocked = {f.customer_id for cid in _customer_ids(db) for f in db.list_payment_failures(cid) if not f.is_resolved}
    late = {r.customer_id for cid in _customer_ids(db) for r in db.list_returns(cid, now=now) if r.is_refund_late}
    assert blocked == {"C100004"} and late == {"C100005"}
    assert not db.list_payment_failures("C100001") and not db.list_returns("C100001", now=now)


def test_orders_that_came_back_have_a_paid_refund(db, now):
    returns = [r for cid in _customer_ids(db) for r in db.list_returns(cid, now=now) if r.customer_id != "C100005"]
    assert returns, "the demo data has returned orders"
    for returned in returns:
        order = db.get_order_for_customer(returned.customer_id, returned.order_number)
        assert order.status == "returned" and returned.refund_amount == order.total
        assert returned.refund_status == "refunded" and returned.refunded_at <= now
    statuses = {r.refund_status for cid in _customer_ids(db) for r in db.list_returns(cid, now=now)}
    assert statuses <= set(REFUND_STATUSES)


def test_reasons_are_known_codes(db):
    reasons = {f.reason for cid in _customer_ids(db) for f in db.list_payment_failures(cid)}
    assert reasons and reasons <= set(PAYMENT_FAILURE_REASONS)


@pytest.mark.parametrize("customer_id", JUNK_CUSTOMER_IDS)
def test_unknown_or_malformed_customers_have_nothing(db, customer_id):
    assert db.list_payment_failures(customer_id) == []
    assert db.list_returns(customer_id) == []


@pytest.mark.parametrize("customer_id", [None, 100004, b"C100004"])
def test_identifiers_of_the_wrong_type_have_nothing(db, customer_id):
    assert db.list_payment_failures(customer_id) == []
    assert db.list_returns(customer_id) == []


def test_a_database_from_before_these_tables_gets_them_empty(make_connector):
    old = make_connector(seeded=False, name="old")
    for name in NEW_TABLES:
        Base.metadata.tables[name].drop(old.engine)
    assert not set(NEW_TABLES) & set(inspect(old.engine).get_table_names())

    old.create_schema()  # what start-up and ``python -m customer_db.seed`` do

    assert set(NEW_TABLES) <= set(inspect(old.engine).get_table_names())
    assert old.list_payment_failures("C100004") == [] and old.list_returns("C100005") == []
