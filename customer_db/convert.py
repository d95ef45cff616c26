"""Turning ORM rows into the immutable records callers receive, and money into cents and back."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import clock
from .models import ContactRow, CustomerRow, InvoiceRow, OrderRow, OutboxRow, PaymentFailureRow, ReturnRow
from .records import (
    ContactRecord,
    Customer,
    Invoice,
    Order,
    OrderItem,
    OutboxMessage,
    PaymentFailure,
    ProductReturn,
    ShipmentEvent,
)

_CENT = Decimal("0.01")
# Currency of an account without invoices, by the customer's country; everything else is in euros.
CURRENCY_BY_COUNTRY = {"GB": "GBP", "US": "USD", "CH": "CHF"}
DEFAULT_CURRENCY = "EUR"


def currency_for_country(country: str) -> str:
    return CURRENCY_BY_COUNTRY.get(country, DEFAULT_CURRENCY)


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(_CENT)


def decimal_to_cents(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def customer_record(row: CustomerRow) -> Customer:
    return Customer(
        customer_id=row.customer_id,
        first_name=row.first_name,
        last_name=row.last_name,
        email=row.email,
        phone=row.phone,
        language=row.language,
        street=row.street,
        postcode=row.postcode,
        city=row.city,
        country=row.country,
        created_at=clock.from_db(row.created_at),
    )


def order_record(row: OrderRow) -> Order:
    items = tuple(
        OrderItem(
            sku=item.sku,
            name=item.name,
            quantity=item.quantity,
            unit_price=cents_to_decimal(item.unit_price_cents),
        )
        for item in row.items
    )
    events = tuple(
        ShipmentEvent(
            at=clock.from_db(event.at),
            status=event.status,
            location=event.location,
            description=event.description,
        )
        for event in row.events
    )
    return Order(
        order_number=row.order_number,
        customer_id=row.customer_id,
        placed_at=clock.from_db(row.placed_at),
        status=row.status,
        carrier=row.carrier,
        tracking_number=row.tracking_number,
        estimated_delivery=row.estimated_delivery,
        original_estimate=row.original_estimate,
        delivered_at=clock.from_db(row.delivered_at),
        delivery_address=row.delivery_address,
        items=items,
        total=cents_to_decimal(row.total_cents),
        currency=row.currency,
        events=events,
    )


def invoice_status(row: InvoiceRow, today: date) -> str:
    if row.amount_paid_cents >= row.amount_cents:
        return "paid"
    return "overdue" if row.due_date < today else "open"


def invoice_record(row: InvoiceRow, today: date) -> Invoice:
    return Invoice(
        invoice_number=row.invoice_number,
        customer_id=row.customer_id,
        order_number=row.order_number,
        issued_at=row.issued_at,
        due_date=row.due_date,
        amount=cents_to_decimal(row.amount_cents),
        amount_paid=cents_to_decimal(row.amount_paid_cents),
        currency=row.currency,
        status=invoice_status(row, today),
    )


def payment_failure_record(row: PaymentFailureRow) -> PaymentFailure:
    return PaymentFailure(
        order_number=row.order_number,
        customer_id=row.customer_id,
        failed_at=clock.from_db(row.failed_at),
        reason=row.reason,
        amount=cents_to_decimal(row.amount_cents),
        currency=row.currency,
        resolved_at=clock.from_db(row.resolved_at),
    )


def refund_status(row: ReturnRow, today: date) -> str:
    if row.refunded_at is not None:
        return "refunded"
    return "late" if row.refund_promised_by < today else "pending"


def return_record(row: ReturnRow, today: date) -> ProductReturn:
    return ProductReturn(
        return_number=row.return_number,
        customer_id=row.customer_id,
        order_number=row.order_number,
        description=row.description,
        received_on=row.received_on,
        refund_amount=cents_to_decimal(row.refund_cents),
        currency=row.currency,
        refund_promised_by=row.refund_promised_by,
        refund_expected_on=row.refund_expected_on,
        refunded_at=clock.from_db(row.refunded_at),
        refund_status=refund_status(row, today),
    )


def outbox_record(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(
        message_id=row.message_id,
        customer_id=row.customer_id,
        channel=row.channel,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
        created_at=clock.from_db(row.created_at),
    )


def contact_record(row: ContactRow) -> ContactRecord:
    return ContactRecord(
        contact_id=row.contact_id,
        customer_id=row.customer_id,
        conversation_id=row.conversation_id,
        started_at=clock.from_db(row.started_at),
        channel=row.channel,
        summary=row.summary,
        outcome=row.outcome,
        handled_by=row.handled_by,
    )
