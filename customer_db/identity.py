"""Finding customers, checking who they are, and password-reset tokens.

Functions here work inside a session the connector opened; the connector owns transactions.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from . import clock
from .connector import (
    MAX_RESET_TTL_MINUTES,
    MAX_VERIFICATION_FAILURES,
    VERIFICATION_FAILURE_WINDOW,
    VERIFICATION_LOCKOUT,
)
from .convert import customer_record
from .messages import password_reset_message
from .models import CustomerRow, OutboxRow, PasswordResetRow, VerificationStateRow
from .records import ResetLink, VerificationResult
from .validation import (
    normalize_customer_number,
    normalize_email,
    normalize_phone_last4,
    phone_last4,
    validate_base_url,
)

_ANONYMOUS_PREFIX = "anon:"
# token_urlsafe(32) gives 43 characters; anything much longer is not one of ours.
_MAX_TOKEN_LENGTH = 128
RESET_TOKEN_BYTES = 32


def lookup_customer_row(session: Session, identifier: object) -> CustomerRow | None:
    """The customer named by a customer number or an e-mail address, or None."""
    customer_number = normalize_customer_number(identifier)
    if customer_number is not None:
        return session.get(CustomerRow, customer_number)
    email = normalize_email(identifier)
    if email is not None:
        return session.execute(select(CustomerRow).where(CustomerRow.email == email)).scalar_one_or_none()
    return None


def _anonymous_subject(identifier: object) -> str | None:
    """Counter key for a well-formed identifier that matches no account (hashed: it may be an e-mail)."""
    normalized = normalize_customer_number(identifier) or normalize_email(identifier)
    if normalized is None:
        return None
    return _ANONYMOUS_PREFIX + hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def _forget_expired(state: VerificationStateRow, now: datetime) -> None:
    """Start counting afresh once a lock has run out or the last failure is old enough."""
    if state.locked_until is not None and state.locked_until <= now:
        state.failures, state.locked_until, state.last_failure_at = 0, None, None
    elif state.last_failure_at is not None and now - state.last_failure_at > VERIFICATION_FAILURE_WINDOW:
        state.failures, state.last_failure_at = 0, None


def _prune_anonymous_states(session: Session, now: datetime) -> None:
    """Counters for non-existent accounts are only needed while they can still lock."""
    session.execute(
        delete(VerificationStateRow)
        .where(
            VerificationStateRow.subject.like(_ANONYMOUS_PREFIX + "%"),
            VerificationStateRow.last_failure_at < now - VERIFICATION_FAILURE_WINDOW,
            or_(VerificationStateRow.locked_until.is_(None), VerificationStateRow.locked_until <= now),
        )
        .execution_options(synchronize_session=False)
    )


def verify(session: Session, identifier: object, typed_digits: object, now: datetime) -> VerificationResult:
    customer = lookup_customer_row(session, identifier)
    subject = customer.customer_id if customer is not None else _anonymous_subject(identifier)
    if subject is None:  # not even shaped like an e-mail or customer number
        return VerificationResult(verified=False, customer=None, failures=0, locked=False, locked_until=None)

    now_db = clock.to_db(now)
    state = session.get(VerificationStateRow, subject, with_for_update=True)
    if state is not None:
        _forget_expired(state, now_db)
        if state.locked_until is not None:
            return VerificationResult(
                verified=False,
                customer=None,
                failures=state.failures,
                locked=True,
                locked_until=clock.from_db(state.locked_until),
            )

    typed = normalize_phone_last4(typed_digits) or ""
    expected = phone_last4(customer.phone) if customer is not None else ""
    # Constant-time comparison; both sides are ASCII digits (or empty) by now.
    if customer is not None and len(expected) == 4 and hmac.compare_digest(typed.encode(), expected.encode()):
        if state is not None:
            state.failures, state.last_failure_at, state.locked_until = 0, None, None
        return VerificationResult(
            verified=True, customer=customer_record(customer), failures=0, locked=False, locked_until=None
        )

    if state is None:
        state = VerificationStateRow(subject=subject, failures=0)
        session.add(state)
    state.failures += 1
    state.last_failure_at = now_db
    if state.failures >= MAX_VERIFICATION_FAILURES:
        state.locked_until = now_db + VERIFICATION_LOCKOUT
    if customer is None:
        _prune_anonymous_states(session, now_db)
    return VerificationResult(
        verified=False,
        customer=None,
        failures=state.failures,
        locked=state.locked_until is not None,
        locked_until=clock.from_db(state.locked_until),
    )


def is_locked(session: Session, customer_id: object, now: datetime) -> bool:
    subject = normalize_customer_number(customer_id)
    if subject is None:
        return False
    state = session.get(VerificationStateRow, subject)
    return state is not None and state.locked_until is not None and state.locked_until > clock.to_db(now)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _link_with_token(base_url: str, token: str) -> str:
    parts = urlsplit(base_url)
    query = f"{parts.query}&token={token}" if parts.query else f"token={token}"
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _checked_ttl(ttl_minutes: object) -> int:
    if isinstance(ttl_minutes, bool) or not isinstance(ttl_minutes, int):
        raise ValueError("ttl_minutes must be a whole number of minutes.")
    if not 1 <= ttl_minutes <= MAX_RESET_TTL_MINUTES:
        raise ValueError(f"ttl_minutes must be between 1 and {MAX_RESET_TTL_MINUTES}.")
    return ttl_minutes


def create_reset(
    session: Session, customer: CustomerRow, base_url: object, ttl_minutes: object, now: datetime
) -> ResetLink:
    """Store a new reset token (hash only), retire older ones, and queue the e-mail with the link."""
    page = validate_base_url(base_url)
    ttl = _checked_ttl(ttl_minutes)
    now_db = clock.to_db(now)
    expires_at = now_db + timedelta(minutes=ttl)

    # Only the newest link works: earlier unused ones expire now.
    session.execute(
        update(PasswordResetRow)
        .where(
            PasswordResetRow.customer_id == customer.customer_id,
            PasswordResetRow.used_at.is_(None),
            PasswordResetRow.expires_at > now_db,
        )
        .values(expires_at=now_db)
        .execution_options(synchronize_session=False)
    )
    token = secrets.token_urlsafe(RESET_TOKEN_BYTES)
    session.add(
        PasswordResetRow(
            token_sha256=token_digest(token),
            customer_id=customer.customer_id,
            created_at=now_db,
            expires_at=expires_at,
        )
    )
    url = _link_with_token(page, token)
    text = password_reset_message(
        customer.language, first_name=customer.first_name, customer_id=customer.customer_id, url=url, ttl_minutes=ttl
    )
    session.add(
        OutboxRow(
            message_id=str(uuid.uuid4()),
            customer_id=customer.customer_id,
            channel="email",
            recipient=customer.email,
            subject=text.subject,
            body=text.body,
            created_at=now_db,
        )
    )
    return ResetLink(
        customer_id=customer.customer_id, email=customer.email, url=url, expires_at=clock.from_db(expires_at)
    )


def consume_reset(session: Session, token: object, now: datetime) -> str | None:
    if not isinstance(token, str):
        return None
    token = token.strip()
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    digest = token_digest(token)
    now_db = clock.to_db(now)
    # One conditional UPDATE: of two simultaneous uses of the same token only one matches.
    result = session.execute(
        update(PasswordResetRow)
        .where(
            PasswordResetRow.token_sha256 == digest,
            PasswordResetRow.used_at.is_(None),
            PasswordResetRow.expires_at > now_db,
        )
        .values(used_at=now_db)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    return session.execute(
        select(PasswordResetRow.customer_id).where(PasswordResetRow.token_sha256 == digest)
    ).scalar_one()
