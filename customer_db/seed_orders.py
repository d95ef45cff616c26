"""Building demo orders whose shipment history, tracking number and dates fit their status.

Everything is drawn from the ``random.Random`` passed in, and all times are relative to ``now``
(naive UTC), so the same seed and ``now`` give the same orders.
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .models import CustomerRow, OrderItemRow, OrderRow, ShipmentEventRow
from .seed_data import COUNTRY_NAMES, HUBS_BY_COUNTRY, PRODUCTS, WAREHOUSE_BY_COUNTRY

_PRODUCTS_BY_SKU = {sku: (name, cents) for sku, name, cents in PRODUCTS}


@dataclass(frozen=True)
class OrderPlan:
    order_number: str
    status: str
    placed_days_ago: float
    carrier: str
    items: tuple[tuple[str, int], ...]
    original_estimate_in_days: int | None = None  # only for orders on their way
    delay_days: int = 0
    awaiting_payment: bool = False  # the payment failed: the order stays in processing


def format_address(customer: CustomerRow) -> str:
    country = COUNTRY_NAMES.get(customer.country, customer.country)
    if customer.country == "GB":
        return f"{customer.street}, {customer.city} {customer.postcode}, {country}"
    if customer.country == "IE":
        return f"{customer.street}, {customer.city}, {customer.postcode}, {country}"
    return f"{customer.street}, {customer.postcode} {customer.city}, {country}"


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def _upu_s10(rng: random.Random, prefix: str, suffix: str) -> str:
    """An international postal item number (two letters, 8 digits, check digit, country)."""
    serial = _digits(rng, 8)
    weighted = sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - weighted % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"{prefix}{serial}{check}{suffix}"


def tracking_number(rng: random.Random, carrier: str) -> str:
    if carrier == "DHL":
        return "00340434" + _digits(rng, 12)
    if carrier == "DPD":
        return "0" + _digits(rng, 13)
    if carrier == "Hermes":
        return "H10" + _digits(rng, 17)
    if carrier == "GLS":
        return _digits(rng, 11)
    if carrier == "UPS":
        shipper = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(6))
        return f"1Z{shipper}68{_digits(rng, 8)}"
    if carrier == "Royal Mail":
        return _upu_s10(rng, rng.choice(("RM", "TT", "JV")), "GB")
    if carrier == "An Post":
        return _upu_s10(rng, "CE", "IE")
    if carrier == "Evri":
        return "H0" + "".join(rng.choice(string.ascii_uppercase) for _ in range(3)) + _digits(rng, 11)
    raise ValueError(f"no tracking format for carrier {carrier!r}")


def random_items(rng: random.Random) -> tuple[tuple[str, int], ...]:
    skus = rng.sample([sku for sku, _, _ in PRODUCTS], k=rng.choice((1, 1, 2, 2, 3)))
    return tuple((sku, rng.choice((1, 1, 1, 2))) for sku in skus)


class _Timeline:
    """Shipment events in order, each strictly after the previous one and never after ``now``."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.events: list[ShipmentEventRow] = []
        self.last: datetime | None = None

    def add(self, at: datetime, status: str, location: str, description: str) -> datetime:
        if self.last is not None:
            at = max(at, self.last + timedelta(minutes=7))
        at = min(at, self.now - timedelta(minutes=1)).replace(microsecond=0)
        self.events.append(ShipmentEventRow(at=at, status=status, location=location, description=description))
        self.last = at
        return at


def _morning(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(7, 0)) + timedelta(minutes=rng.randint(0, 150))


def build_order(rng: random.Random, plan: OrderPlan, customer: CustomerRow, currency: str, now: datetime) -> OrderRow:
    placed_at = (now - timedelta(days=plan.placed_days_ago)).replace(microsecond=0)
    today = now.date()
    warehouse = WAREHOUSE_BY_COUNTRY.get(customer.country, "Kassel")
    hub = rng.choice(HUBS_BY_COUNTRY.get(customer.country, ("Hannover",)))
    carrier = plan.carrier
    line = _Timeline(now)
    received = (
        "Order received; waiting for payment." if plan.awaiting_payment else "Order received and payment confirmed."
    )
    line.add(placed_at, "processing", "Online shop", received)

    original: date | None = None
    estimated: date | None = None
    delivered_at: datetime | None = None
    tracking: str | None = None

    if plan.status == "cancelled":
        line.add(
            placed_at + timedelta(hours=rng.uniform(1, 5)),
            "cancelled",
            "Customer service",
            "Order cancelled at the customer's request; payment refunded.",
        )
    elif plan.status != "processing":
        tracking = tracking_number(rng, carrier)
        packed_at = line.add(
            placed_at + timedelta(hours=rng.uniform(6, 18)),
            "packed",
            f"Warehouse {warehouse}",
            "Parcel packed and shipping label created.",
        )
        if plan.status != "packed":
            handed = line.add(
                packed_at + timedelta(hours=rng.uniform(2, 8)),
                "in_transit",
                f"Warehouse {warehouse}",
                f"Parcel handed over to {carrier}.",
            )
            at_hub = line.add(
                handed + timedelta(hours=rng.uniform(8, 16)),
                "in_transit",
                f"{carrier} parcel centre {hub}",
                "Parcel sorted at the parcel centre.",
            )
            original, estimated = _estimates(rng, plan, placed_at, today)
            if plan.delay_days:
                line.add(
                    at_hub + timedelta(hours=rng.uniform(8, 14)),
                    "in_transit",
                    f"{carrier} parcel centre {hub}",
                    f"Delay in the {carrier} network; new delivery estimate {estimated.isoformat()}.",
                )
            if plan.status == "lost":
                line.add(
                    at_hub + timedelta(days=rng.uniform(4, 6)),
                    "lost",
                    f"{carrier} parcel centre {hub}",
                    "The carrier reports the parcel as lost; an investigation is open.",
                )
            elif plan.status in ("out_for_delivery", "delivered", "returned"):
                out_at = (
                    now - timedelta(hours=rng.uniform(0.5, 2.5))
                    if plan.status == "out_for_delivery"
                    else _morning(estimated, rng)
                )
                out_at = line.add(out_at, "out_for_delivery", f"{carrier} depot {customer.city}", "Out for delivery.")
                if plan.status != "out_for_delivery":
                    delivered_at = line.add(
                        out_at + timedelta(hours=rng.uniform(1.5, 6)),
                        "delivered",
                        customer.city,
                        "Delivered to the recipient.",
                    )
                if plan.status == "returned":
                    line.add(
                        delivered_at + timedelta(days=rng.uniform(5, 12)),
                        "returned",
                        f"Warehouse {warehouse}",
                        "Return received at our warehouse; refund issued.",
                    )

    items = [
        OrderItemRow(
            position=position,
            sku=sku,
            name=_PRODUCTS_BY_SKU[sku][0],
            quantity=quantity,
            unit_price_cents=_PRODUCTS_BY_SKU[sku][1],
        )
        for position, (sku, quantity) in enumerate(plan.items, start=1)
    ]
    return OrderRow(
        order_number=plan.order_number,
        customer_id=customer.customer_id,
        placed_at=placed_at,
        status=plan.status,
        carrier=carrier,
        tracking_number=tracking,
        estimated_delivery=estimated,
        original_estimate=original,
        delivered_at=delivered_at,
        delivery_address=format_address(customer),
        total_cents=sum(item.quantity * item.unit_price_cents for item in items),
        currency=currency,
        items=items,
        events=line.events,
    )


def _estimates(rng: random.Random, plan: OrderPlan, placed_at: datetime, today: date) -> tuple[date, date]:
    """(first promised day, current estimate)."""
    if plan.status == "out_for_delivery":
        return today, today
    if plan.status == "in_transit":
        offset = plan.original_estimate_in_days
        if offset is None:
            offset = rng.randint(-1, 0) if plan.delay_days else rng.randint(0, 2)
        original = today + timedelta(days=offset)
    else:  # delivered, returned or lost: promised a few days after the order
        original = placed_at.date() + timedelta(days=rng.randint(2, 4))
    return original, original + timedelta(days=plan.delay_days)


def plan_statuses(rng: random.Random, count: int, required: Sequence[str]) -> list[str]:
    """``count`` statuses: every one in ``required`` first, then drawn with realistic weights."""
    weighted = (
        ("delivered", 46),
        ("in_transit", 12),
        ("processing", 6),
        ("packed", 5),
        ("out_for_delivery", 5),
        ("cancelled", 6),
        ("returned", 6),
        ("lost", 2),
        ("in_transit_delayed", 5),
    )
    names = [name for name, _ in weighted]
    weights = [weight for _, weight in weighted]
    statuses = list(required)[:count]
    statuses += rng.choices(names, weights=weights, k=count - len(statuses))
    rng.shuffle(statuses)
    return statuses


PLACED_DAYS_AGO = {
    "processing": (0.05, 0.8),
    "packed": (1.0, 1.6),
    "in_transit": (2.0, 4.0),
    "in_transit_delayed": (3.0, 6.0),
    "out_for_delivery": (2.0, 4.0),
    "delivered": (6.0, 150.0),
    "returned": (20.0, 120.0),
    "cancelled": (3.0, 90.0),
    "lost": (14.0, 30.0),
}
