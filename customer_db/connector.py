"""The operations the assistant needs from a company's CRM and shop.

``SqlCustomerConnector`` (``customer_db.sql``) implements this against its own tables. A company
that keeps customers in another system writes a class with these methods that calls its own APIs and
returns the records from ``customer_db.records``; the assistant does not care which one it gets.

Rules every implementation keeps:
- Look-ups never raise on malformed input (empty, huge, SQL fragments, control characters): they
  return ``None`` or an empty list. Writes reject bad data with ``ValueError`` naming the problem.
- Nothing about an account is returned before identity is verified, and a customer's view never
  contains another customer's data (``get_order_for_customer`` returns ``None`` for their orders).
- ``now`` parameters exist so tests can travel in time; ``None`` means the current time. Naive
  datetimes are taken as UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from .records import (
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

# Verification policy: after this many wrong answers in a row the account's verification is locked,
MAX_VERIFICATION_FAILURES = 3
# for this long; a locked account fails even with the right digits until the lock expires.
VERIFICATION_LOCKOUT = timedelta(minutes=30)
# Failures older than this (counted from the latest one) are forgotten, so a single typo a week
# ago does not bring a customer closer to a lockout today.
VERIFICATION_FAILURE_WINDOW = timedelta(hours=24)

DEFAULT_RESET_TTL_MINUTES = 30
MAX_RESET_TTL_MINUTES = 24 * 60


@runtime_checkable
class CustomerConnector(Protocol):
    # --- customers and identity -------------------------------------------------------------
    def find_customer(self, identifier: str) -> Customer | None:
        """The customer with this e-mail (trimmed, any case) or customer number (``C100001``, any case)."""

    def get_customer(self, customer_id: str) -> Customer | None:
        """The customer with this customer number, or None."""

    def verify_customer(self, identifier: str, phone_last4: str, now: datetime | None = None) -> VerificationResult:
        """Check the second factor: the last four digits of the phone number on the account.

        Counts failures per account in the database; ``MAX_VERIFICATION_FAILURES`` failures lock
        verification for ``VERIFICATION_LOCKOUT``. While locked every attempt fails, even with the
        right digits. Success resets the count. An unknown identifier gives
        ``verified=False, customer=None`` and is counted like a wrong answer, so the caller can
        answer both the same way and nobody can find out which accounts exist.
        """

    def is_verification_locked(self, customer_id: str, now: datetime | None = None) -> bool:
        """Whether verification of this account is locked at ``now``."""

    # --- orders -----------------------------------------------------------------------------
    def list_orders(self, customer_id: str) -> list[Order]:
        """The customer's orders, newest first."""

    def get_order_for_customer(self, customer_id: str, order_number: str) -> Order | None:
        """The order if it belongs to this customer; None otherwise (never another customer's order)."""

    def get_order(self, order_number: str) -> Order | None:
        """Any order by number, for agents and internal use only: not for customer-facing answers."""

    def change_delivery_address(self, customer_id: str, order_number: str, new_address: str) -> AddressChangeResult:
        """Redirect an order that has not been dispatched yet.

        Raises ``ValueError`` for an unusable address (empty, over 300 characters, control
        characters or line breaks) before looking at the order. Outcomes: ``changed`` (an
        ``address_changed`` shipment event is recorded), ``already_dispatched``,
        ``not_changeable`` (the order is cancelled), ``not_found`` (no such order on this account).
        """

    # --- money ------------------------------------------------------------------------------
    def account_summary(self, customer_id: str, now: datetime | None = None) -> AccountSummary:
        """Balance and unpaid invoices. Raises ``UnknownCustomerError`` for an unknown customer."""

    def list_invoices(self, customer_id: str, now: datetime | None = None) -> list[Invoice]:
        """All the customer's invoices, newest first; ``status`` as of ``now``."""

    def list_payment_failures(self, customer_id: str) -> list[PaymentFailure]:
        """Payments for the customer's orders that did not go through, resolved or not, newest first."""

    def list_returns(self, customer_id: str, now: datetime | None = None) -> list[ProductReturn]:
        """The customer's returns, latest received first; ``refund_status`` as of ``now``."""

    # --- password reset ---------------------------------------------------------------------
    def create_password_reset(
        self,
        customer_id: str,
        base_url: str,
        ttl_minutes: int = DEFAULT_RESET_TTL_MINUTES,
        now: datetime | None = None,
    ) -> ResetLink:
        """Issue a single-use reset link and put the e-mail carrying it into the outbox.

        Only a hash of the token is stored. Issuing a new link invalidates the customer's earlier
        unused ones. Raises ``UnknownCustomerError`` / ``ValueError`` for bad arguments.
        """

    def consume_password_reset(self, token: str, now: datetime | None = None) -> str | None:
        """The customer id for a valid token, exactly once; None if unknown, used or expired."""

    # --- messages and history ---------------------------------------------------------------
    def outbox(self, customer_id: str | None = None) -> list[OutboxMessage]:
        """Messages sent to customers (all, or one customer's), oldest first."""

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
        """Remember a conversation (``channel`` in ``CONTACT_CHANNELS``, ``outcome`` in
        ``CONTACT_OUTCOMES``). Raises ``UnknownCustomerError`` / ``ValueError`` for bad arguments."""

    def list_contacts(self, customer_id: str) -> list[ContactRecord]:
        """Earlier contacts with the customer, newest first."""
