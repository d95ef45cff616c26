"""``CustomerConnector`` on a SQL database (SQLite file by default, PostgreSQL in docker-compose).

Usage::

    connector = SqlCustomerConnector("sqlite:///var/customers.db")
    connector.create_schema()              # once, at start-up (creates missing tables only)
    connector.find_customer("anna.schmidt@example.de")

Every method opens its own short session, so one connector can be shared by many threads. Calls
block: async code should run them in a worker thread.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from . import clock, identity
from .connector import DEFAULT_RESET_TTL_MINUTES
from .convert import (
    contact_record,
    currency_for_country,
    customer_record,
    invoice_record,
    order_record,
    outbox_record,
    payment_failure_record,
    return_record,
)
from .database import create_engine_for, reader_sessions, writer_sessions
from .errors import UnknownCustomerError
from .models import (
    Base,
    ContactRow,
    CustomerRow,
    InvoiceRow,
    OrderRow,
    OutboxRow,
    PaymentFailureRow,
    ReturnRow,
    ShipmentEventRow,
)
from .records import (
    ADDRESS_ALREADY_DISPATCHED,
    ADDRESS_CHANGEABLE_STATUSES,
    ADDRESS_CHANGED,
    ADDRESS_NOT_CHANGEABLE,
    ADDRESS_ORDER_NOT_FOUND,
    CONTACT_CHANNELS,
    CONTACT_OUTCOMES,
    EVENT_ADDRESS_CHANGED,
    AccountSummary,
    AddressChangeResult,
    ContactRecord,
    Customer,
    Invoice,
    Order,
    OutboxMessage,
    PaymentFailure,
    ProductReturn,
    ResetLink,
    VerificationResult,
)
from .validation import (
    normalize_customer_number,
    normalize_order_number,
    validate_address,
    validate_choice,
    validate_text,
)

ADDRESS_CHANGE_LOCATION = "Customer service"
ADDRESS_CHANGE_DESCRIPTION = "Delivery address changed at the customer's request."


class SqlCustomerConnector:
    """The reference ``CustomerConnector``. ``url`` is any SQLAlchemy URL; nothing connects yet."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self._engine = create_engine_for(url, echo=echo)
        self._read = reader_sessions(self._engine)
        self._write = writer_sessions(self._engine)

    def __repr__(self) -> str:
        return f"SqlCustomerConnector({self._engine.url!r})"  # URL repr hides the password

    @property
    def engine(self) -> Engine:
        return self._engine

    def create_schema(self) -> None:
        """Create the tables that do not exist yet; existing data is left alone."""
        Base.metadata.create_all(self._engine)

    def drop_schema(self) -> None:
        """Drop every table of this package, with all data in them."""
        Base.metadata.drop_all(self._engine)

    def close(self) -> None:
        self._engine.dispose()

    # --- customers and identity -------------------------------------------------------------
    def find_customer(self, identifier: str) -> Customer | None:
        with self._read() as session:
            row = identity.lookup_customer_row(session, identifier)
            return customer_record(row) if row is not None else None

    def get_customer(self, customer_id: str) -> Customer | None:
        customer_number = normalize_customer_number(customer_id)
        if customer_number is None:
            return None
        with self._read() as session:
            row = session.get(CustomerRow, customer_number)
            return customer_record(row) if row is not None else None

    def verify_customer(self, identifier: str, phone_last4: str, now: datetime | None = None) -> VerificationResult:
        moment = clock.as_utc(now)
        try:
            with self._write.begin() as session:
                return identity.verify(session, identifier, phone_last4, moment)
        except IntegrityError:
            # Another attempt created the same counter row at the same moment: count on top of it.
            with self._write.begin() as session:
                return identity.verify(session, identifier, phone_last4, moment)

    def is_verification_locked(self, customer_id: str, now: datetime | None = None) -> bool:
        with self._read() as session:
            return identity.is_locked(session, customer_id, clock.as_utc(now))

    # --- orders -----------------------------------------------------------------------------
    def list_orders(self, customer_id: str) -> list[Order]:
        customer_number = normalize_customer_number(customer_id)
        if customer_number is None:
            return []
        query = (
            select(OrderRow)
            .where(OrderRow.customer_id == customer_number)
            .order_by(OrderRow.placed_at.desc(), OrderRow.order_number.desc())
        )
        with self._read() as session:
            return [order_record(row) for row in session.execute(query).scalars()]

    def get_order_for_customer(self, customer_id: str, order_number: str) -> Order | None:
        customer_number = normalize_customer_number(customer_id)
        number = normalize_order_number(order_number)
        if customer_number is None or number is None:
            return None
        query = select(OrderRow).where(OrderRow.order_number == number, OrderRow.customer_id == customer_number)
        with self._read() as session:
            row = session.execute(query).scalar_one_or_none()
            return order_record(row) if row is not None else None

    def get_order(self, order_number: str) -> Order | None:
        number = normalize_order_number(order_number)
        if number is None:
            return None
        with self._read() as session:
            row = session.get(OrderRow, number)
            return order_record(row) if row is not None else None

    def change_delivery_address(
        self, customer_id: str, order_number: str, new_address: str, now: datetime | None = None
    ) -> AddressChangeResult:
        address = validate_address(new_address)
        customer_number = normalize_customer_number(customer_id)
        number = normalize_order_number(order_number)
        if customer_number is None or number is None:
            return AddressChangeResult(outcome=ADDRESS_ORDER_NOT_FOUND, order=None)
        query = (
            select(OrderRow)
            .where(OrderRow.order_number == number, OrderRow.customer_id == customer_number)
            .with_for_update()
        )
        with self._write.begin() as session:
            row = session.execute(query).scalar_one_or_none()
            if row is None:
                return AddressChangeResult(outcome=ADDRESS_ORDER_NOT_FOUND, order=None)
            if row.status not in ADDRESS_CHANGEABLE_STATUSES:
                outcome = ADDRESS_NOT_CHANGEABLE if row.status == "cancelled" else ADDRESS_ALREADY_DISPATCHED
                return AddressChangeResult(outcome=outcome, order=order_record(row))
            row.delivery_address = address
            row.events.append(
                ShipmentEventRow(
                    at=clock.to_db(clock.as_utc(now)),
                    status=EVENT_ADDRESS_CHANGED,
                    location=ADDRESS_CHANGE_LOCATION,
                    description=ADDRESS_CHANGE_DESCRIPTION,
                )
            )
            session.flush()
            return AddressChangeResult(outcome=ADDRESS_CHANGED, order=order_record(row))

    # --- money ------------------------------------------------------------------------------
    def _invoices(self, customer_number: str, now: datetime | None) -> list[Invoice]:
        today = clock.as_utc(now).date()
        query = (
            select(InvoiceRow)
            .where(InvoiceRow.customer_id == customer_number)
            .order_by(InvoiceRow.issued_at.desc(), InvoiceRow.invoice_number.desc())
        )
        with self._read() as session:
            return [invoice_record(row, today) for row in session.execute(query).scalars()]

    def account_summary(self, customer_id: str, now: datetime | None = None) -> AccountSummary:
        customer = self.get_customer(customer_id)
        if customer is None:
            raise UnknownCustomerError("No customer with this customer number.")
        invoices = self._invoices(customer.customer_id, now)
        balance = sum((invoice.amount - invoice.amount_paid for invoice in invoices), Decimal("0.00"))
        unpaid = sorted(
            (invoice for invoice in invoices if invoice.status != "paid"),
            key=lambda invoice: (invoice.due_date, invoice.invoice_number),
        )
        return AccountSummary(
            customer_id=customer.customer_id,
            balance=balance,
            currency=invoices[0].currency if invoices else currency_for_country(customer.country),
            open_invoices=tuple(unpaid),
        )

    def list_invoices(self, customer_id: str, now: datetime | None = None) -> list[Invoice]:
        customer_number = normalize_customer_number(customer_id)
        return self._invoices(customer_number, now) if customer_number is not None else []

    def list_payment_failures(self, customer_id: str) -> list[PaymentFailure]:
        customer_number = normalize_customer_number(customer_id)
        if customer_number is None:
            return []
        query = (
            select(PaymentFailureRow)
            .where(PaymentFailureRow.customer_id == customer_number)
            .order_by(PaymentFailureRow.failed_at.desc(), PaymentFailureRow.id.desc())
        )
        with self._read() as session:
            return [payment_failure_record(row) for row in session.execute(query).scalars()]

    def list_returns(self, customer_id: str, now: datetime | None = None) -> list[ProductReturn]:
        customer_number = normalize_customer_number(customer_id)
        if customer_number is None:
            return []
        today = clock.as_utc(now).date()
        query = (
            select(ReturnRow)
            .where(ReturnRow.customer_id == customer_number)
            .order_by(ReturnRow.received_on.desc(), ReturnRow.return_number.desc())
        )
        with self._read() as session:
            return [return_record(row, today) for row in session.execute(query).scalars()]

    # --- password reset ---------------------------------------------------------------------
    def create_password_reset(
        self,
        customer_id: str,
        base_url: str,
        ttl_minutes: int = DEFAULT_RESET_TTL_MINUTES,
        now: datetime | None = None,
    ) -> ResetLink:
        customer_number = normalize_customer_number(customer_id)
        with self._write.begin() as session:
            row = session.get(CustomerRow, customer_number) if customer_number is not None else None
            if row is None:
                raise UnknownCustomerError("No customer with this customer number.")
            return identity.create_reset(session, row, base_url, ttl_minutes, clock.as_utc(now))

    def consume_password_reset(self, token: str, now: datetime | None = None) -> str | None:
        with self._write.begin() as session:
            return identity.consume_reset(session, token, clock.as_utc(now))

    # --- messages and history ---------------------------------------------------------------
    def outbox(self, customer_id: str | None = None) -> list[OutboxMessage]:
        query = select(OutboxRow).order_by(OutboxRow.id)
        if customer_id is not None:
            customer_number = normalize_customer_number(customer_id)
            if customer_number is None:
                return []
            query = query.where(OutboxRow.customer_id == customer_number)
        with self._read() as session:
            return [outbox_record(row) for row in session.execute(query).scalars()]

    def record_contact(
        self,
        customer_id: str,
        *,
        conversation_id: str,
        channel: str,
        summary: str,
        outcome: str,
        handled_by: str,
        started_at: datetime | None = None,
    ) -> ContactRecord:
        row = ContactRow(
            contact_id=str(uuid.uuid4()),
            conversation_id=validate_text(conversation_id, "conversation_id", max_length=200),
            channel=validate_choice(channel, "channel", CONTACT_CHANNELS),
            summary=validate_text(summary, "summary", max_length=4000, multiline=True),
            outcome=validate_choice(outcome, "outcome", CONTACT_OUTCOMES),
            handled_by=validate_text(handled_by, "handled_by", max_length=100),
            started_at=clock.to_db(clock.as_utc(started_at)),
        )
        customer_number = normalize_customer_number(customer_id)
        with self._write.begin() as session:
            if customer_number is None or session.get(CustomerRow, customer_number) is None:
                raise UnknownCustomerError("No customer with this customer number.")
            row.customer_id = customer_number
            session.add(row)
            session.flush()
            return contact_record(row)

    def list_contacts(self, customer_id: str) -> list[ContactRecord]:
        customer_number = normalize_customer_number(customer_id)
        if customer_number is None:
            return []
        query = (
            select(ContactRow)
            .where(ContactRow.customer_id == customer_number)
            .order_by(ContactRow.started_at.desc(), ContactRow.id.desc())
        )
        with self._read() as session:
            return [contact_record(row) for row in session.execute(query).scalars()]
