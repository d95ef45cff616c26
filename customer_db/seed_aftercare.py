"""Demo payment failures and returns: the fixed ones of ``seed_data``, plus a refunded return for
every drawn order that came back.

Nothing here is random: every time follows from the orders built before (naive UTC, like them).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from .models import OrderRow, PaymentFailureRow, ReturnRow
from .seed_data import DEMO_PAYMENT_FAILURES, DEMO_RETURNS, PRODUCTS, REFUND_PROMISED_WITHIN_DAYS

FIRST_DRAWN_RETURN_NUMBER = 6000101  # the fixed demo returns are RT-60000xx
# A failed first attempt comes this long before the retry that worked; a failure that holds an
# order comes this long after the order was placed.
DECLINED_BEFORE_RETRY = timedelta(minutes=12)
FAILED_AFTER_PLACING = timedelta(minutes=3)
# Refunds of drawn returns are paid this long after the parcel arrived (well within the promise).
DRAWN_REFUND_AFTER = timedelta(days=2, hours=3)

_PRODUCTS_BY_SKU = {sku: (name, cents) for sku, name, cents in PRODUCTS}


def describe_items(items: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{quantity} x {_PRODUCTS_BY_SKU[sku][0]}" for sku, quantity in items)


def payment_failures(orders: dict[str, OrderRow]) -> list[PaymentFailureRow]:
    rows = []
    for demo in DEMO_PAYMENT_FAILURES:
        order = orders[demo.order_number]
        if demo.resolved:
            failed_at, resolved_at = order.placed_at - DECLINED_BEFORE_RETRY, order.placed_at
        else:
            failed_at, resolved_at = order.placed_at + FAILED_AFTER_PLACING, None
        rows.append(
            PaymentFailureRow(
                order_number=order.order_number,
                customer_id=order.customer_id,
                failed_at=failed_at,
                reason=demo.reason,
                amount_cents=order.total_cents,
                currency=order.currency,
                resolved_at=resolved_at,
            )
        )
    return rows


def demo_returns(orders: dict[str, OrderRow], now: datetime) -> list[ReturnRow]:
    today = now.date()
    rows = []
    for demo in DEMO_RETURNS:
        order = orders[demo.order_number]
        received = today - timedelta(days=demo.received_days_ago)
        promised = received + timedelta(days=REFUND_PROMISED_WITHIN_DAYS)
        expected = today + timedelta(days=demo.refund_expected_in_days) if demo.refund_expected_in_days else None
        rows.append(
            ReturnRow(
                return_number=demo.return_number,
                customer_id=order.customer_id,
                order_number=order.order_number,
                description=describe_items(demo.items),
                received_on=received,
                refund_cents=sum(_PRODUCTS_BY_SKU[sku][1] * quantity for sku, quantity in demo.items),
                currency=order.currency,
                refund_promised_by=promised,
                refund_expected_on=expected,
                refunded_at=None,
            )
        )
    return rows


def drawn_returns(orders: Iterable[OrderRow], now: datetime) -> list[ReturnRow]:
    """A refunded return for each order whose shipment history ends with it coming back."""
    returned = sorted(
        (
            (event.at, order)
            for order in orders
            if order.status == "returned"
            for event in order.events
            if event.status == "returned"
        ),
        key=lambda pair: (pair[0], pair[1].order_number),
    )
    rows = []
    for index, (arrived, order) in enumerate(returned):
        rows.append(
            ReturnRow(
                return_number=f"RT-{FIRST_DRAWN_RETURN_NUMBER + index}",
                customer_id=order.customer_id,
                order_number=order.order_number,
                description=describe_items((item.sku, item.quantity) for item in order.items),
                received_on=arrived.date(),
                refund_cents=order.total_cents,
                currency=order.currency,
                refund_promised_by=arrived.date() + timedelta(days=REFUND_PROMISED_WITHIN_DAYS),
                refund_expected_on=None,
                refunded_at=min(arrived + DRAWN_REFUND_AFTER, now - timedelta(hours=1)),
            )
        )
    return rows
