"""Behaviour of the records themselves, independent of any database."""

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from customer_db.records import Customer, Invoice, Order

MOMENT = datetime(2025, 1, 1, tzinfo=timezone.utc)


def _customer(email):
    return Customer("C1", "Ada", "Lovelace", email, "+44 1", "en", "1 Road", "X1 1XX", "Town", "GB", MOMENT)


@pytest.mark.parametrize(
    "email, masked",
    [("anna.schmidt@example.de", "a***@example.de"), ("x@example.org", "x***@example.org"), ("broken", "***")],
)
def test_masked_email(email, masked):
    assert _customer(email).masked_email == masked


def _order(status, estimated, original, delivered_at=None):
    return Order(
        "40000000",
        "C1",
        MOMENT,
        status,
        "DHL",
        "1",
        estimated,
        original,
        delivered_at,
        "addr",
        (),
        Decimal("1.00"),
        "EUR",
        (),
    )


@pytest.mark.parametrize(
    "status, estimated, original, delivered_at, delayed",
    [
        ("in_transit", date(2025, 1, 8), date(2025, 1, 5), None, True),
        ("out_for_delivery", date(2025, 1, 6), date(2025, 1, 5), None, True),
        ("in_transit", date(2025, 1, 5), date(2025, 1, 5), None, False),
        ("in_transit", date(2025, 1, 4), date(2025, 1, 5), None, False),
        ("delivered", date(2025, 1, 8), date(2025, 1, 5), MOMENT, False),
        ("cancelled", date(2025, 1, 8), date(2025, 1, 5), None, False),
        ("processing", None, None, None, False),
    ],
)
def test_is_delayed(status, estimated, original, delivered_at, delayed):
    assert _order(status, estimated, original, delivered_at).is_delayed is delayed


@pytest.mark.parametrize(
    "status, dispatched, open_",
    [
        ("processing", False, True),
        ("packed", False, True),
        ("in_transit", True, True),
        ("out_for_delivery", True, True),
        ("delivered", True, False),
        ("cancelled", False, False),
        ("returned", True, False),
        ("lost", True, True),
    ],
)
def test_dispatched_and_open(status, dispatched, open_):
    order = _order(status, None, None)
    assert (order.is_dispatched, order.is_open) == (dispatched, open_)


def test_amount_due_never_negative():
    overpaid = Invoice(
        "I", "C1", None, date(2025, 1, 1), date(2025, 1, 15), Decimal("10.00"), Decimal("12.00"), "EUR", "paid"
    )
    assert overpaid.amount_due == Decimal("0.00")
