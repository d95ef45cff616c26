"""The customer's data an agent needs, from the customer database connector, as plain JSON data.

Only for a verified customer: before verification the agent gets nothing from the account. The
phone number is left out (its last digits are the verification secret).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

MAX_ORDERS = 10
MAX_EVENTS = 3


def profile(customer: Any) -> dict[str, Any]:
    return {
        "customer_id": customer.customer_id,
        "name": f"{customer.first_name} {customer.last_name}".strip(),
        "first_name": customer.first_name,
        "email": customer.email,
        "language": customer.language,
        "address": f"{customer.street}, {customer.postcode} {customer.city}, {customer.country}",
        "customer_since": _iso(customer.created_at),
    }


def order(item: Any) -> dict[str, Any]:
    delayed = bool(
        item.original_estimate
        and item.estimated_delivery
        and item.estimated_delivery > item.original_estimate
        and item.delivered_at is None
    )
    return {
        "order_number": item.order_number,
        "placed_at": _iso(item.placed_at),
        "status": item.status,
        "delayed": delayed,
        "carrier": item.carrier,
        "tracking_number": item.tracking_number,
        "estimated_delivery": _iso(item.estimated_delivery),
        "original_estimate": _iso(item.original_estimate),
        "delivered_at": _iso(item.delivered_at),
        "delivery_address": item.delivery_address,
        "items": [
            {"name": line.name, "quantity": line.quantity, "unit_price": _money(line.unit_price)} for line in item.items
        ],
        "total": _money(item.total),
        "currency": item.currency,
        "latest_events": [
            {"at": _iso(event.at), "status": event.status, "location": event.location, "description": event.description}
            for event in item.events[-MAX_EVENTS:]
        ],
    }


def invoice(item: Any) -> dict[str, Any]:
    return {
        "invoice_number": item.invoice_number,
        "order_number": item.order_number,
        "issued_at": _iso(item.issued_at),
        "due_date": _iso(item.due_date),
        "amount": _money(item.amount),
        "amount_paid": _money(item.amount_paid),
        "currency": item.currency,
        "status": item.status,
    }


def payment_failure(item: Any) -> dict[str, Any]:
    return {
        "order_number": item.order_number,
        "failed_at": _iso(item.failed_at),
        "reason": item.reason,
        "amount": _money(item.amount),
        "currency": item.currency,
        "resolved_at": _iso(item.resolved_at),
    }


def product_return(item: Any) -> dict[str, Any]:
    return {
        "return_number": item.return_number,
        "order_number": item.order_number,
        "description": item.description,
        "received_on": _iso(item.received_on),
        "refund_amount": _money(item.refund_amount),
        "currency": item.currency,
        "refund_promised_by": _iso(item.refund_promised_by),
        "refund_expected_on": _iso(item.refund_expected_on),
        "refunded_at": _iso(item.refunded_at),
        "refund_status": item.refund_status,
    }


def contact(item: Any) -> dict[str, Any]:
    return {
        "conversation_id": item.conversation_id,
        "started_at": _iso(item.started_at),
        "channel": item.channel,
        "summary": item.summary,
        "outcome": item.outcome,
        "handled_by": item.handled_by,
    }


def _iso(value: Any) -> str | None:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return None if value is None else str(value)


def _money(value: Any) -> str:
    return f"{Decimal(value):.2f}"
