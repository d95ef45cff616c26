"""Customer data for the assistant: customers, orders, invoices, payment failures, returns, identity
checks, outbox, contacts.

The assistant talks to a ``CustomerConnector`` (``customer_db.connector``) and receives the frozen
records of ``customer_db.records``. ``SqlCustomerConnector`` (``customer_db.sql``) implements it on
any SQLAlchemy URL; ``python -m customer_db.seed --url URL`` fills a database with demo data.

Importing this package does no work: no engine, no connection, no environment variables.
"""

from .connector import (
    MAX_VERIFICATION_FAILURES,
    VERIFICATION_FAILURE_WINDOW,
    VERIFICATION_LOCKOUT,
    CustomerConnector,
)
from .errors import UnknownCustomerError
from .records import (
    ADDRESS_CHANGE_OUTCOMES,
    CONTACT_CHANNELS,
    CONTACT_OUTCOMES,
    INVOICE_STATUSES,
    ORDER_STATUSES,
    PAYMENT_FAILURE_REASONS,
    REFUND_STATUSES,
    AccountSummary,
    AddressChangeResult,
    ContactRecord,
    Customer,
    Invoice,
    Order,
    OrderItem,
    OutboxMessage,
    PaymentFailure,
    ProductReturn,
    ResetLink,
    ShipmentEvent,
    VerificationResult,
)
from .sql import SqlCustomerConnector

__all__ = [
    "ADDRESS_CHANGE_OUTCOMES",
    "CONTACT_CHANNELS",
    "CONTACT_OUTCOMES",
    "INVOICE_STATUSES",
    "MAX_VERIFICATION_FAILURES",
    "ORDER_STATUSES",
    "PAYMENT_FAILURE_REASONS",
    "REFUND_STATUSES",
    "VERIFICATION_FAILURE_WINDOW",
    "VERIFICATION_LOCKOUT",
    "AccountSummary",
    "AddressChangeResult",
    "ContactRecord",
    "Customer",
    "CustomerConnector",
    "Invoice",
    "Order",
    "OrderItem",
    "OutboxMessage",
    "PaymentFailure",
    "ProductReturn",
    "ResetLink",
    "ShipmentEvent",
    "SqlCustomerConnector",
    "UnknownCustomerError",
    "VerificationResult",
]
