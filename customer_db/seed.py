"""Demo data: about forty customers with orders in every status, invoices, payment failures, returns
and earlier contacts.

    python -m customer_db.seed --url sqlite:///var/customer.db [--reset] [--now 2025-03-01T09:00:00Z]

Deterministic: a fixed random seed, and every date relative to ``now`` (default: the current
time), so the same ``now`` always gives the same data, and the demo never goes stale. Seeding a
database that already holds customers does nothing unless ``--reset`` is given, which drops and
recreates this package's tables first. The fixed demo customers are defined in ``seed_data``.
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from . import clock
from .convert import currency_for_country
from .database import writer_sessions
from .models import ContactRow, CustomerRow, InvoiceRow, OrderRow, PaymentFailureRow, ReturnRow
from .seed_aftercare import demo_returns, drawn_returns, payment_failures
from .seed_data import (
    CARRIERS_BY_COUNTRY,
    DEMO_CUSTOMERS,
    DEMO_ORDERS,
)
from .seed_orders import PLACED_DAYS_AGO, OrderPlan, build_order, plan_statuses, random_items
from .seed_people import demo_customers, drawn_customers
from .sql import SqlCustomerConnector

DEMO_SEED = 20240917
DEFAULT_SQLITE_URL = "sqlite:///var/customer.db"
INVOICE_PAYMENT_DAYS = 14
FIRST_DRAWN_ORDER_NUMBER = 40020001  # the demo customers' orders are 4001xxxx
FIRST_INVOICE_NUMBER = 5000001
# Every plan status (incl. delayed parcels) appears at least this often among drawn orders.
MIN_ORDERS_PER_STATUS = 2

# (channel, summary, outcome, handled_by) of earlier contacts; {order} is one of their orders.
_CONTACT_TEMPLATES = (
    ("chat", "Asked for the status of order {order}; the assistant gave the tracking details.", "resolved", "bot"),
    ("email", "Wanted to return an item from order {order}; a return label was sent.", "resolved", "Maria (agent)"),
    ("phone", "Reported a damaged item in order {order}; a replacement was arranged.", "resolved", "Tom (agent)"),
    ("chat", "Could not sign in; the password reset link did not arrive, handed to an agent.", "handed_off", "bot"),
    (
        "voice",
        "Asked whether order {order} could still be sent to a neighbour; it had left already.",
        "unresolved",
        "bot",
    ),
)
_LATE_PARCEL_CONTACT = (
    "email",
    "Asked why order {order} is late; explained the carrier delay and the new delivery estimate.",
    "resolved",
    "Sarah (agent)",
)
_PAYMENT_REMINDER_CONTACT = (
    "phone",
    "Talked about the payment reminder for order {order}; the customer will pay by bank transfer.",
    "unresolved",
    "Jonas (agent)",
)


@dataclass
class DemoData:
    customers: list[CustomerRow] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)
    invoices: list[InvoiceRow] = field(default_factory=list)
    payment_failures: list[PaymentFailureRow] = field(default_factory=list)
    returns: list[ReturnRow] = field(default_factory=list)
    contacts: list[ContactRow] = field(default_factory=list)


@dataclass(frozen=True)
class SeedReport:
    seeded: bool
    customers: int = 0
    orders: int = 0
    invoices: int = 0
    contacts: int = 0
    payment_failures: int = 0
    returns: int = 0


def _drawn_order_plans(rng: random.Random, customers: Sequence[CustomerRow]) -> dict[str, list[OrderPlan]]:
    counts = {c.customer_id: rng.choices((0, 1, 2, 3, 4, 5), weights=(2, 6, 7, 6, 3, 2))[0] for c in customers}
    required = [status for status in PLACED_DAYS_AGO for _ in range(MIN_ORDERS_PER_STATUS)]
    statuses = iter(plan_statuses(rng, sum(counts.values()), required))
    plans: dict[str, list[OrderPlan]] = {}
    order_number = FIRST_DRAWN_ORDER_NUMBER
    for customer in customers:
        for _ in range(counts[customer.customer_id]):
            drawn = next(statuses)
            low, high = PLACED_DAYS_AGO[drawn]
            delayed = drawn == "in_transit_delayed"
            plans.setdefault(customer.customer_id, []).append(
                OrderPlan(
                    order_number=str(order_number),
                    status="in_transit" if delayed else drawn,
                    placed_days_ago=round(rng.uniform(low, high), 3),
                    carrier=rng.choice(CARRIERS_BY_COUNTRY[customer.country]),
                    items=random_items(rng),
                    delay_days=rng.randint(1, 5) if delayed else 0,
                )
            )
            order_number += rng.randint(1, 29)
    return plans


def _invoice(order: OrderRow, payment: str) -> InvoiceRow:
    issued = order.placed_at.date()
    paid = {"paid": order.total_cents, "open": 0, "unpaid": 0, "partial": order.total_cents // 2}[payment]
    return InvoiceRow(
        invoice_number="",
        customer_id=order.customer_id,
        order_number=order.order_number,
        issued_at=issued,
        due_date=issued + timedelta(days=INVOICE_PAYMENT_DAYS),
        amount_cents=order.total_cents,
        amount_paid_cents=paid,
        currency=order.currency,
    )


def _drawn_payment(rng: random.Random, order: OrderRow, today) -> str:
    """Most customers pay at checkout; some buy on account, and a few of those pay late."""
    if order.status in ("returned", "lost") or rng.random() > 0.3:
        return "paid"
    due = order.placed_at.date() + timedelta(days=INVOICE_PAYMENT_DAYS)
    if due >= today:
        return rng.choice(("open", "paid"))
    return rng.choices(("paid", "unpaid", "partial"), weights=(80, 15, 5))[0]


def _contact(
    rng: random.Random, customer: CustomerRow, template, started_at: datetime, order_number: str, now: datetime
) -> ContactRow:
    channel, summary, outcome, handled_by = template
    prefix = {"chat": "chat", "voice": "chat", "email": "mail", "phone": "call"}[channel]
    return ContactRow(
        contact_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        customer_id=customer.customer_id,
        conversation_id=f"{prefix}-{rng.getrandbits(48):012x}",
        started_at=min(started_at, now - timedelta(hours=1)).replace(microsecond=0),
        channel=channel,
        summary=summary.format(order=order_number),
        outcome=outcome,
        handled_by=handled_by,
    )


def build_demo_data(now: datetime | None = None, seed: int = DEMO_SEED) -> DemoData:
    """The full demo data set as unsaved rows; the same ``now`` and ``seed`` give the same rows."""
    moment = clock.to_db(clock.as_utc(now))
    today = moment.date()
    rng = random.Random(seed)
    data = DemoData(customers=demo_customers(moment))
    data.customers += drawn_customers(rng, moment, {c.email for c in data.customers})
    by_id = {customer.customer_id: customer for customer in data.customers}

    for demo in DEMO_ORDERS:
        plan = OrderPlan(
            demo.order_number,
            demo.status,
            demo.placed_days_ago,
            demo.carrier,
            demo.items,
            demo.original_estimate_in_days,
            demo.delay_days,
            awaiting_payment=demo.payment == "failed",
        )
        customer = by_id[demo.customer_id]
        order = build_order(rng, plan, customer, currency_for_country(customer.country), moment)
        data.orders.append(order)
        if demo.payment != "failed":  # invoiced once a payment goes through
            data.invoices.append(_invoice(order, demo.payment))

    for customer_id, plans in _drawn_order_plans(rng, data.customers[len(DEMO_CUSTOMERS) :]).items():
        customer = by_id[customer_id]
        for plan in plans:
            order = build_order(rng, plan, customer, currency_for_country(customer.country), moment)
            data.orders.append(order)
            if order.status != "cancelled":
                data.invoices.append(_invoice(order, _drawn_payment(rng, order, today)))

    # Invoice numbers follow the issue date, as an accounting system would assign them.
    data.invoices.sort(key=lambda invoice: (invoice.issued_at, invoice.order_number))
    for index, invoice in enumerate(data.invoices):
        invoice.invoice_number = f"INV-{FIRST_INVOICE_NUMBER + index}"

    orders_by_number = {order.order_number: order for order in data.orders}
    data.payment_failures = payment_failures(orders_by_number)
    data.returns = demo_returns(orders_by_number, moment) + drawn_returns(data.orders[len(DEMO_ORDERS) :], moment)

    data.contacts += [
        _contact(rng, by_id["C100001"], _CONTACT_TEMPLATES[0], moment - timedelta(days=19.6), "40010011", moment),
        _contact(rng, by_id["C100002"], _LATE_PARCEL_CONTACT, moment - timedelta(days=1.1), "40010002", moment),
        _contact(rng, by_id["C100003"], _PAYMENT_REMINDER_CONTACT, moment - timedelta(days=20.2), "40010003", moment),
    ]
    customers_with_orders = sorted({order.customer_id for order in data.orders[len(DEMO_ORDERS) :]})
    for customer_id in rng.sample(customers_with_orders, k=min(6, len(customers_with_orders))):
        order = rng.choice([o for o in data.orders if o.customer_id == customer_id])
        started_at = order.placed_at + timedelta(days=rng.uniform(0.5, 3))
        data.contacts.append(
            _contact(rng, by_id[customer_id], rng.choice(_CONTACT_TEMPLATES), started_at, order.order_number, moment)
        )
    return data


def seed_database(connector: SqlCustomerConnector, *, now: datetime | None = None, reset: bool = False) -> SeedReport:
    """Fill the connector's database with the demo data, unless it already holds customers."""
    if reset:
        connector.drop_schema()
    connector.create_schema()
    try:
        with writer_sessions(connector.engine).begin() as session:
            if session.execute(select(CustomerRow.customer_id).limit(1)).first() is not None:
                return SeedReport(seeded=False)
            data = build_demo_data(now)
            # Flushed table by table so foreign keys always point at rows that already exist.
            for rows in (
                data.customers,
                data.orders,
                data.invoices,
                data.payment_failures,
                data.returns,
                data.contacts,
            ):
                session.add_all(rows)
                session.flush()
    except IntegrityError:  # another process seeded the same database at the same moment
        return SeedReport(seeded=False)
    return SeedReport(
        True,
        len(data.customers),
        len(data.orders),
        len(data.invoices),
        len(data.contacts),
        payment_failures=len(data.payment_failures),
        returns=len(data.returns),
    )


def _parse_now(text: str) -> datetime:
    return clock.as_utc(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m customer_db.seed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=DEFAULT_SQLITE_URL, help=f"SQLAlchemy URL (default: {DEFAULT_SQLITE_URL})")
    parser.add_argument("--reset", action="store_true", help="drop and recreate the tables first (deletes all data)")
    parser.add_argument("--now", type=_parse_now, default=None, help="ISO-8601 moment the demo dates are relative to")
    args = parser.parse_args(argv)

    url = make_url(args.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    connector = SqlCustomerConnector(args.url)
    try:
        report = seed_database(connector, now=args.now, reset=args.reset)
    finally:
        connector.close()
    if report.seeded:
        print(
            f"Seeded {report.customers} customers, {report.orders} orders, {report.invoices} invoices, "
            f"{report.payment_failures} payment failures, {report.returns} returns "
            f"and {report.contacts} earlier contacts into {url!r}."
        )
    else:
        print(f"{url!r} already holds customers; nothing seeded (use --reset to start over).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
