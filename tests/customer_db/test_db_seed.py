"""The demo data set: fixed demo customers, every status, consistent histories, deterministic, idempotent."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from customer_db.models import CustomerRow, InvoiceRow, OrderRow
from customer_db.records import DISPATCHED_STATUSES, ORDER_STATUSES
from customer_db.seed import build_demo_data, main, seed_database


def _all_customer_ids(connector):
    with Session(connector.engine) as session:
        return session.execute(select(CustomerRow.customer_id).order_by(CustomerRow.customer_id)).scalars().all()


def _all_orders(connector):
    return [order for cid in _all_customer_ids(connector) for order in connector.list_orders(cid)]


@pytest.mark.parametrize(
    "customer_id, name, email, last4, language",
    [
        ("C100001", "Anna Schmidt", "anna.schmidt@example.de", "4821", "de"),
        ("C100002", "James Carter", "james.carter@example.com", "7315", "en"),
        ("C100003", "Lena Vogel", "lena.vogel@example.de", "0596", "de"),
        ("C100004", "Priya Nair", "priya.nair@example.com", "2648", "en"),
        ("C100005", "Katrin Hoffmann", "katrin.hoffmann@example.de", "2317", "de"),
    ],
)
def test_fixed_demo_customers(db, customer_id, name, email, last4, language):
    customer = db.find_customer(email)
    assert (customer.customer_id, customer.display_name, customer.language) == (customer_id, name, language)
    assert re.sub(r"\D", "", customer.phone).endswith(last4)


@pytest.mark.parametrize(
    "customer_id, expected",
    [
        ("C100001", {"40010001": "in_transit", "40010011": "delivered"}),
        ("C100002", {"40010002": "in_transit", "40010012": "processing"}),
        ("C100004", {"40010004": "out_for_delivery", "40010024": "processing"}),
        ("C100005", {"40010005": "delivered"}),
    ],
)
def test_fixed_demo_orders(db, customer_id, expected):
    statuses = {order.order_number: order.status for order in db.list_orders(customer_id)}
    assert expected.items() <= statuses.items()


def test_about_forty_customers_on_reserved_domains(db):
    ids = _all_customer_ids(db)
    assert 35 <= len(ids) <= 50
    customers = [db.get_customer(cid) for cid in ids]
    assert all(re.fullmatch(r"C\d{6}", c.customer_id) for c in customers)
    assert all(c.email.split("@")[1] in ("example.com", "example.de", "example.org") for c in customers)
    assert len({c.email for c in customers}) == len(customers)
    assert {c.language for c in customers} == {"de", "en"}
    assert all(len(re.sub(r"\D", "", c.phone)) >= 10 for c in customers)


def test_every_status_and_several_delays(db):
    orders = _all_orders(db)
    assert {order.status for order in orders} == set(ORDER_STATUSES)
    assert sum(order.is_delayed for order in orders) >= 3
    numbers = [order.order_number for order in orders]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"4\d{7}", number) for number in numbers)


def test_histories_fit_the_status(db, now):
    for order in _all_orders(db):
        times = [event.at for event in order.events]
        assert times == sorted(times) and times[-1] <= now, order.order_number
        assert order.events[0].status == "processing"
        assert order.events[-1].status == order.status, order.order_number
        assert order.placed_at <= times[0]
        assert (order.tracking_number is None) == (order.status in ("processing", "cancelled"))
        assert (order.delivered_at is not None) == (order.status in ("delivered", "returned"))
        if order.status in DISPATCHED_STATUSES:
            assert order.estimated_delivery is not None and order.original_estimate is not None
        assert order.items and order.total == sum(item.line_total for item in order.items)


def test_invoices_are_paid_open_and_overdue_so_balances_vary(db, now):
    statuses, balances = set(), set()
    for cid in _all_customer_ids(db):
        statuses |= {invoice.status for invoice in db.list_invoices(cid, now=now)}
        balances.add(db.account_summary(cid, now=now).balance)
    assert statuses == {"paid", "open", "overdue"}
    assert len(balances) >= 3


def test_earlier_contacts_exist(db):
    assert sum(len(db.list_contacts(cid)) for cid in _all_customer_ids(db)) >= 5


def _snapshot(connector, now):
    return [
        (
            connector.get_customer(cid),
            connector.list_orders(cid),
            connector.list_invoices(cid, now=now),
            connector.list_contacts(cid),
            connector.list_payment_failures(cid),
            connector.list_returns(cid, now=now),
        )
        for cid in _all_customer_ids(connector)
    ]


def test_same_now_gives_the_same_data(make_connector, now):
    first = make_connector(seeded=False, name="first")
    second = make_connector(seeded=False, name="second")
    seed_database(first, now=now)
    seed_database(second, now=now)
    assert _snapshot(first, now) == _snapshot(second, now)


def test_dates_move_with_now(now):
    earlier, later = build_demo_data(now), build_demo_data(now + timedelta(days=10))
    assert [o.order_number for o in earlier.orders] == [o.order_number for o in later.orders]
    shifts = {b.placed_at - a.placed_at for a, b in zip(earlier.orders, later.orders, strict=True)}
    assert shifts == {timedelta(days=10)}


def test_seeding_twice_does_nothing(db, now):
    db.change_delivery_address("C100002", "40010012", "Changed Street 1, Bristol")
    report = seed_database(db, now=now + timedelta(days=3))
    assert not report.seeded
    assert db.get_order("40010012").delivery_address == "Changed Street 1, Bristol"
    with Session(db.engine) as session:
        assert session.execute(select(func.count()).select_from(OrderRow)).scalar_one() == len(_all_orders(db))


def test_reset_starts_over(db, now):
    db.change_delivery_address("C100002", "40010012", "Changed Street 1, Bristol")
    db.create_password_reset("C100002", "https://shop.example.com/reset")
    report = seed_database(db, now=now, reset=True)
    assert report.seeded and report.customers == len(_all_customer_ids(db))
    assert db.get_order("40010012").delivery_address != "Changed Street 1, Bristol"
    assert db.outbox() == []
    with Session(db.engine) as session:
        assert session.execute(select(func.count()).select_from(InvoiceRow)).scalar_one() == report.invoices


def test_command_line(tmp_path, capsys, now):
    url = f"sqlite:///{tmp_path / 'new-dir' / 'demo.sqlite3'}"
    assert main(["--url", url, "--now", "2025-03-12T10:30:00Z"]) == 0
    out = capsys.readouterr().out
    assert "Seeded 41 customers" in out and "2 payment failures" in out
    assert main(["--url", url]) == 0
    assert "nothing seeded" in capsys.readouterr().out
    assert main(["--url", url, "--reset"]) == 0
    assert "Seeded" in capsys.readouterr().out
