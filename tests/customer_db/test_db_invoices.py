"""Balances and invoices, with overdue worked out from the day asked about."""

from datetime import timedelta
from decimal import Decimal

import pytest

from customer_db import UnknownCustomerError


def test_balance_due_with_one_overdue_invoice(db, now):
    summary = db.account_summary("C100003", now=now)
    assert summary.balance == Decimal("135.40") and summary.currency == "EUR"
    assert [(i.status, i.amount_due) for i in summary.open_invoices] == [
        ("overdue", Decimal("89.90")),
        ("open", Decimal("45.50")),
    ]
    assert len(summary.overdue_invoices) == 1
    overdue, current = summary.open_invoices
    assert overdue.due_date < now.date() <= current.due_date


def test_overdue_follows_the_calendar(db, now):
    summary = db.account_summary("C100003", now=now + timedelta(days=30))
    assert [invoice.status for invoice in summary.open_invoices] == ["overdue", "overdue"]


def test_one_open_invoice(db, now):
    summary = db.account_summary("c100004", now=now)
    assert summary.currency == "GBP"
    assert len(summary.open_invoices) == 1
    invoice = summary.open_invoices[0]
    assert invoice.status == "open" and invoice.order_number == "40010004"
    assert summary.balance == invoice.amount_due == invoice.amount > 0


@pytest.mark.parametrize("customer_id", ["C100001", "C100002"])
def test_settled_accounts(db, now, customer_id):
    summary = db.account_summary(customer_id, now=now)
    assert summary.balance == Decimal("0.00") and summary.open_invoices == ()
    invoices = db.list_invoices(customer_id, now=now)
    assert invoices and all(invoice.status == "paid" for invoice in invoices)
    assert [i.issued_at for i in invoices] == sorted((i.issued_at for i in invoices), reverse=True)


@pytest.mark.parametrize("customer_id", ["", "C999999", "' OR 1=1 --", "x" * 10_000])
def test_unknown_customer(db, customer_id):
    with pytest.raises(UnknownCustomerError):
        db.account_summary(customer_id)
    with pytest.raises(ValueError):  # callers may treat it as any bad input
        db.account_summary(customer_id)
    assert db.list_invoices(customer_id) == []
