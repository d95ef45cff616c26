"""ORM tables behind ``SqlCustomerConnector``.

Portable between SQLite and PostgreSQL, and between SQLAlchemy 1.4 and 2.x (classic ``Column``
declarations, no ``Mapped[]``). Storage choices:
- money as integer cents (exact, and SQLite has no decimal type);
- datetimes as naive UTC (see ``clock``);
- e-mail addresses lower-cased on the way in, so look-ups are plain equality on an indexed column;
- password-reset tokens only as their SHA-256 hex digest.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class CustomerRow(Base):
    __tablename__ = "customers"

    customer_id = Column(String(16), primary_key=True)
    first_name = Column(String(100), nullable=False)
    last_name = Column(String(100), nullable=False)
    email = Column(String(254), nullable=False, unique=True)
    phone = Column(String(32), nullable=False)
    language = Column(String(8), nullable=False)
    street = Column(String(200), nullable=False)
    postcode = Column(String(16), nullable=False)
    city = Column(String(100), nullable=False)
    country = Column(String(2), nullable=False)
    created_at = Column(DateTime, nullable=False)


class OrderRow(Base):
    __tablename__ = "orders"

    order_number = Column(String(16), primary_key=True)
    customer_id = Column(String(16), ForeignKey("customers.customer_id"), nullable=False, index=True)
    placed_at = Column(DateTime, nullable=False)
    status = Column(String(32), nullable=False)
    carrier = Column(String(40), nullable=False)
    tracking_number = Column(String(40), nullable=True)
    estimated_delivery = Column(Date, nullable=True)
    original_estimate = Column(Date, nullable=True)
    delivered_at = Column(DateTime, nullable=True)
    delivery_address = Column(String(300), nullable=False)
    total_cents = Column(Integer, nullable=False)
    currency = Column(String(3), nullable=False)

    items = relationship(
        "OrderItemRow", order_by=lambda: OrderItemRow.position, cascade="all, delete-orphan", lazy="selectin"
    )
    events = relationship(
        "ShipmentEventRow",
        order_by=lambda: [ShipmentEventRow.at, ShipmentEventRow.id],
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class OrderItemRow(Base):
    __tablename__ = "order_items"

    id = Column(Integer, primary_key=True, autoincrement=True)
    order_number = Column(String(16), ForeignKey("orders.order_number"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    sku = Column(String(40), nullable=False)
    name = Column(String(200), nullable=False)
    quantity = Column(Integer, nullable=False)
    unit_price_cents = Column(Integer, nullable=False)


class ShipmentEventRow(Base):
    __tablename__ = "shipment_events"

    id = Column(Integer, primary_key=True, autoincrement=True)
    order_number = Column(String(16), ForeignKey("orders.order_number"), nullable=False, index=True)
    at = Column(DateTime, nullable=False)
    status = Column(String(32), nullable=False)
    location = Column(String(200), nullable=False)
    description = Column(String(500), nullable=False)


class InvoiceRow(Base):
    __tablename__ = "invoices"

    invoice_number = Column(String(32), primary_key=True)
    customer_id = Column(String(16), ForeignKey("customers.customer_id"), nullable=False, index=True)
    order_number = Column(String(16), ForeignKey("orders.order_number"), nullable=True)
    issued_at = Column(Date, nullable=False)
    due_date = Column(Date, nullable=False)
    amount_cents = Column(Integer, nullable=False)
    amount_paid_cents = Column(Integer, nullable=False, default=0)
    currency = Column(String(3), nullable=False)


class PaymentFailureRow(Base):
    __tablename__ = "payment_failures"

    id = Column(Integer, primary_key=True, autoincrement=True)
    order_number = Column(String(16), ForeignKey("orders.order_number"), nullable=False, index=True)
    customer_id = Column(String(16), ForeignKey("customers.customer_id"), nullable=False, index=True)
    failed_at = Column(DateTime, nullable=False)
    reason = Column(String(32), nullable=False)
    amount_cents = Column(Integer, nullable=False)
    currency = Column(String(3), nullable=False)
    resolved_at = Column(DateTime, nullable=True)


class ReturnRow(Base):
    __tablename__ = "returns"

    return_number = Column(String(16), primary_key=True)
    customer_id = Column(String(16), ForeignKey("customers.customer_id"), nullable=False, index=True)
    order_number = Column(String(16), ForeignKey("orders.order_number"), nullable=False, index=True)
    description = Column(String(500), nullable=False)
    received_on = Column(Date, nullable=False)
    refund_cents = Column(Integer, nullable=False)
    currency = Column(String(3), nullable=False)
    refund_promised_by = Column(Date, nullable=False)
    refund_expected_on = Column(Date, nullable=True)
    refunded_at = Column(DateTime, nullable=True)


class VerificationStateRow(Base):
    """Failed identity checks per subject.

    The subject is a customer id, or ``anon:<sha256>`` of an identifier that matches no account:
    guesses at accounts that do not exist are counted and locked exactly like real ones, so the
    answers do not reveal which accounts exist.
    """

    __tablename__ = "verification_state"

    subject = Column(String(80), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    last_failure_at = Column(DateTime, nullable=True)
    locked_until = Column(DateTime, nullable=True)


class PasswordResetRow(Base):
    __tablename__ = "password_resets"

    id = Column(Integer, primary_key=True, autoincrement=True)
    token_sha256 = Column(String(64), nullable=False, unique=True)
    customer_id = Column(String(16), ForeignKey("customers.customer_id"), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    used_at = Column(DateTime, nullable=True)


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("message_id"),)

    # The integer keeps insertion order for messages created within the same clock tick.
    id = Column(Integer, primary_key=True, autoincrement=True)
    message_id = Column(String(36), nullable=False)
    customer_id = Column(String(16), ForeignKey("customers.customer_id"), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    recipient = Column(String(254), nullable=False)
    subject = Column(String(200), nullable=False)
    body = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)


class ContactRow(Base):
    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("contact_id"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    contact_id = Column(String(36), nullable=False)
    customer_id = Column(String(16), ForeignKey("customers.customer_id"), nullable=False, index=True)
    conversation_id = Column(String(200), nullable=False)
    started_at = Column(DateTime, nullable=False)
    channel = Column(String(16), nullable=False)
    summary = Column(Text, nullable=False)
    outcome = Column(String(32), nullable=False)
    handled_by = Column(String(100), nullable=False)
