"""Normalising and checking what customers and callers hand to a connector.

Look-up helpers return ``None`` for anything malformed (the caller then answers "not found"), so
junk input never reaches the database as a query. Helpers for data we are about to *store* raise
``ValueError`` with a message that says what is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

CUSTOMER_NUMBER_PATTERN = re.compile(r"C[0-9]{6}")
ORDER_NUMBER_PATTERN = re.compile(r"4[0-9]{7}")
# Deliberately loose: the database decides whether the address exists; this only rejects text that
# cannot be an address at all.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE_LAST4_PATTERN = re.compile(r"[0-9]{4}")

MAX_EMAIL_LENGTH = 254  # RFC 5321 limit for a forward path
MAX_ADDRESS_LENGTH = 300
MAX_BASE_URL_LENGTH = 2000
# Separators people type inside numbers ("4001 0002", "48-21").
_NUMBER_SEPARATORS = re.compile(r"[\s\-./]")
# Control, format (e.g. right-to-left overrides, zero-width), surrogate and private-use characters.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})


def has_control_characters(text: str, *, allow_line_breaks: bool = False) -> bool:
    for char in text:
        if allow_line_breaks and char in "\n\t":
            continue
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            return True
    return False


def normalize_customer_number(value: object) -> str | None:
    """``" c100001 "`` → ``"C100001"``; None when it is not a customer number."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    candidate = value.strip().upper()
    return candidate if CUSTOMER_NUMBER_PATTERN.fullmatch(candidate) else None


def normalize_email(value: object) -> str | None:
    """Trimmed and lower-cased e-mail address; None when it cannot be one."""
    if not isinstance(value, str) or len(value) > MAX_EMAIL_LENGTH + 64:
        return None
    candidate = value.strip().lower()
    if len(candidate) > MAX_EMAIL_LENGTH or has_control_characters(candidate):
        return None
    return candidate if EMAIL_PATTERN.fullmatch(candidate) else None


def normalize_order_number(value: object) -> str | None:
    """``"#4001 0002"`` → ``"40010002"``; None when it is not an order number."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    candidate = _NUMBER_SEPARATORS.sub("", value.strip().lstrip("#"))
    return candidate if ORDER_NUMBER_PATTERN.fullmatch(candidate) else None


def normalize_phone_last4(value: object) -> str | None:
    """Four ASCII digits as typed by the customer (``"48 21"`` → ``"4821"``); None otherwise."""
    if not isinstance(value, str) or len(value) > 32:
        return None
    candidate = _NUMBER_SEPARATORS.sub("", value.strip())
    return candidate if PHONE_LAST4_PATTERN.fullmatch(candidate) else None


def phone_last4(phone: str) -> str:
    """The last four digits of a stored phone number, ignoring spaces and punctuation."""
    digits = "".join(char for char in phone if char in "0123456789")
    return digits[-4:]


def validate_address(value: object) -> str:
    """A new delivery address, trimmed; ``ValueError`` saying what is wrong otherwise."""
    if not isinstance(value, str):
        raise ValueError("The delivery address must be text.")
    address = value.strip()
    if not address:
        raise ValueError("The delivery address is empty.")
    if len(address) > MAX_ADDRESS_LENGTH:
        raise ValueError(f"The delivery address is longer than {MAX_ADDRESS_LENGTH} characters.")
    if has_control_characters(address):
        raise ValueError(
            "The delivery address contains control characters or line breaks; "
            "write it on one line, parts separated by commas."
        )
    return address


def validate_base_url(value: object) -> str:
    """The address of the shop's reset page: an absolute http(s) URL without a fragment."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("The reset page URL is empty.")
    url = value.strip()
    if len(url) > MAX_BASE_URL_LENGTH or has_control_characters(url) or " " in url:
        raise ValueError("The reset page URL is too long or contains spaces or control characters.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("The reset page URL must be an absolute http:// or https:// address.")
    if parts.fragment:
        raise ValueError("The reset page URL must not contain a #fragment.")
    return url


def validate_text(value: object, field: str, *, max_length: int, multiline: bool = False) -> str:
    """Free text we are about to store (contact summaries, names of agents ...)."""
    if not isinstance(value, str):
        raise ValueError(f"{field} must be text.")
    text = value.strip()
    if not text:
        raise ValueError(f"{field} is empty.")
    if len(text) > max_length:
        raise ValueError(f"{field} is longer than {max_length} characters.")
    if has_control_characters(text, allow_line_breaks=multiline):
        raise ValueError(f"{field} contains control characters.")
    return text


def validate_choice(value: object, field: str, choices: tuple) -> str:
    if value not in choices:
        raise ValueError(f"{field} must be one of {', '.join(choices)}; got {value!r:.40}.")
    return value  # type: ignore[return-value]
