"""Plain, immutable records that callers of a customer connector receive.

Callers never see ORM objects: every connector (the SQL one here, or a company's own CRM adapter)
returns these frozen dataclasses, so the dialogue and handoff code does not depend on how or where
the data is stored.

Conventions shared by every record:
- Datetimes are timezone-aware and in UTC. Plain ``date`` fields (due dates, delivery estimates)
  are calendar days.
- Money is ``Decimal`` with two places, in the record's ``currency`` (ISO 4217 code).
- ``Order.events`` are in chronological order, oldest first.
- Statuses that depend on the calendar ("overdue", a "late" refund) are worked out as of the day the
  record was read, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

# Every status an order can have, in the order an order normally moves through them. A delay is not
# a status: it is ``Order.is_delayed`` on an order that is still on its way.
ORDER_STATUSES: tuple[str, ...] = (
    "processing",
    "packed",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "cancelled",
    "returned",
    "lost",
)
# Statuses reached once the parcel has left our warehouse: the delivery address is then fixed.
DISPATCHED_STATUSES: tuple[str, ...] = ("in_transit", "out_for_delivery", "delivered", "returned", "lost")
# Statuses after which nothing more will happen to an order.
CLOSED_STATUSES: tuple[str, ...] = ("delivered", "cancelled", "returned")
# Statuses in which the delivery address may still be changed.
ADDRESS_CHANGEABLE_STATUSES: tuple[str, ...] = ("processing", "packed")

# ``ShipmentEvent.status`` is an order status, or this marker for a changed delivery address.
EVENT_ADDRESS_CHANGED = "address_changed"
SHIPMENT_EVENT_STATUSES: tuple[str, ...] = ORDER_STATUSES + (EVENT_ADDRESS_CHANGED,)

# "overdue" is derived when the invoice is read: unpaid and past its due date.
INVOICE_STATUSES: tuple[str, ...] = ("open", "paid", "overdue")

ADDRESS_CHANGED = "changed"
ADDRESS_ALREADY_DISPATCHED = "already_dispatched"
# The order exists on the account but is cancelled, so there is no delivery to redirect.
ADDRESS_NOT_CHANGEABLE = "not_changeable"
ADDRESS_ORDER_NOT_FOUND = "not_found"
ADDRESS_CHANGE_OUTCOMES: tuple[str, ...] = (
    ADDRESS_CHANGED,
    ADDRESS_ALREADY_DISPATCHED,
    ADDRESS_NOT_CHANGEABLE,
    ADDRESS_ORDER_NOT_FOUND,
)

# Why a payment did not go through, as the payment provider reports it.
PAYMENT_FAILURE_REASONS: tuple[str, ...] = (
    "card_declined",
    "card_expired",
    "insufficient_funds",
    "authentication_failed",
)

# "late" is derived when the return is read: not refunded and past the day the refund was promised by.
REFUND_STATUSES: tuple[str, ...] = ("pending", "late", "refunded")

OUTBOX_CHANNELS: tuple[str, ...] = ("email",)

# How an earlier conversation reached us and how it ended (``ContactRecord``).
CONTACT_CHANNELS: tuple[str, ...] = ("chat", "voice", "email", "phone")
CONTACT_OUTCOMES: tuple[str, ...] = ("resolved", "handed_off", "unresolved")


@dataclass(frozen=True)
class Customer:
    customer_id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    language: str  # "de" or "en"
    street: str
    postcode: str
    city: str
    country: str  # ISO 3166-1 alpha-2, e.g. "DE", "GB"
    created_at: datetime

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def masked_email(self) -> str:
        """The e-mail with all but the first letter of the local part hidden: ``a***@example.de``.

        Safe to show to someone who has not (yet) proven who they are.
        """
        local, at, domain = self.email.partition("@")
        if not at:
            return "***"
        return f"{local[:1]}***@{domain}"


@dataclass(frozen=True)
class ShipmentEvent:
    at: datetime
    status: str  # one of SHIPMENT_EVENT_STATUSES
    location: str
    description: str


@dataclass(frozen=True)
class OrderItem:
    sku: str
    name: str
    quantity: int
    unit_price: Decimal

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Order:
    order_number: str
    customer_id: str
    placed_at: datetime
    status: str  # one of ORDER_STATUSES
    carrier: str
    tracking_number: str | None  # None until a parcel label exists
    estimated_delivery: date | None
    original_estimate: date | None
    delivered_at: datetime | None
    delivery_address: str
    items: tuple[OrderItem, ...]
    total: Decimal
    currency: str
    events: tuple[ShipmentEvent, ...]

    @property
    def is_open(self) -> bool:
        """Something may still happen to this order (lost parcels count: they need resolving)."""
        return self.status not in CLOSED_STATUSES

    @property
    def is_dispatched(self) -> bool:
        """The parcel has left the warehouse (or already came back)."""
        return self.status in DISPATCHED_STATUSES

    @property
    def is_delayed(self) -> bool:
        """The delivery estimate moved later than the one first promised and it has not arrived."""
        if self.delivered_at is not None or not self.is_open:
            return False
        if self.estimated_delivery is None or self.original_estimate is None:
            return False
        return self.estimated_delivery > self.original_estimate

    @property
    def delay_days(self) -> int:
        """How many days later than first promised; 0 when not delayed."""
        if not self.is_delayed:
            return 0
        return (self.estimated_delivery - self.original_estimate).days  # type: ignore[operator]


@dataclass(frozen=True)
class Invoice:
    invoice_number: str
    customer_id: str
    order_number: str | None
    issued_at: date
    due_date: date
    amount: Decimal
    amount_paid: Decimal
    currency: str
    status: str  # one of INVOICE_STATUSES, as of the day the invoice was read

    @property
    def amount_due(self) -> Decimal:
        return max(self.amount - self.amount_paid, Decimal("0.00"))


@dataclass(frozen=True)
class PaymentFailure:
    """A payment attempt for an order that did not go through; until resolved the order waits."""

    order_number: str
    customer_id: str
    failed_at: datetime
    reason: str  # one of PAYMENT_FAILURE_REASONS
    amount: Decimal
    currency: str
    resolved_at: datetime | None  # when a later payment went through (or the order was settled)

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


@dataclass(frozen=True)
class ProductReturn:
    """Items a customer sent back, and the refund we owe for them."""

    return_number: str
    customer_id: str
    order_number: str
    description: str  # what came back, e.g. "1 x Running jacket, reflective"
    received_on: date  # the day the parcel reached our warehouse
    refund_amount: Decimal
    currency: str
    refund_promised_by: date  # the day we told the customer the money would be back
    refund_expected_on: date | None  # a revised day once the refund slipped; None when not known
    refunded_at: datetime | None
    refund_status: str  # one of REFUND_STATUSES, as of the day the return was read

    @property
    def is_refund_late(self) -> bool:
        return self.refund_status == "late"


@dataclass(frozen=True)
class AccountSummary:
    customer_id: str
    balance: Decimal  # positive: the customer owes us; negative: we owe the customer (credit)
    currency: str
    open_invoices: tuple[Invoice, ...]  # status "open" or "overdue", earliest due first

    @property
    def overdue_invoices(self) -> tuple[Invoice, ...]:
        return tuple(invoice for invoice in self.open_invoices if invoice.status == "overdue")


@dataclass(frozen=True)
class VerificationResult:
    """Outcome of one identity check.

    ``customer`` is only set when ``verified`` is true. An unknown account and a wrong phone number
    look the same here (``verified=False, customer=None``, failures counted and locked alike), so
    that whoever is guessing cannot tell which accounts exist.
    """

    verified: bool
    customer: Customer | None
    failures: int
    locked: bool
    locked_until: datetime | None


@dataclass(frozen=True)
class ResetLink:
    """A freshly issued password-reset link.

    ``url`` contains the secret token: send it to the customer, never log it or show it in a chat.
    """

    customer_id: str
    email: str
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class AddressChangeResult:
    outcome: str  # one of ADDRESS_CHANGE_OUTCOMES
    order: Order | None  # the order after the attempt; None when not found


@dataclass(frozen=True)
class OutboxMessage:
    message_id: str
    customer_id: str
    channel: str  # one of OUTBOX_CHANNELS
    recipient: str
    subject: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class ContactRecord:
    """One earlier conversation with the customer (bot, agent, e-mail or phone)."""

    contact_id: str
    customer_id: str
    conversation_id: str
    started_at: datetime
    channel: str  # one of CONTACT_CHANNELS
    summary: str
    outcome: str  # one of CONTACT_OUTCOMES
    handled_by: str  # "bot", or the agent's name or id
