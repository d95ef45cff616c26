"""The shop's customer token: the shop's signed word that a customer is signed in at the shop.

The shop mints it for its signed-in customer and hands it to the widget (docs/shop-integration.md);
the widget sends it with `start`/`resume`, the bridge passes it to Rasa as message metadata, and
the action server verifies it. Format (ASCII, at most MAX_TOKEN_CHARS)::

    v1.<payload>.<signature>
    payload   = base64url(JSON {"sub": "<customer id>", "exp": <unix seconds>}), no padding
    signature = base64url(HMAC-SHA256(secret, "v1." + payload)), no padding

The secret is shared between the shop and us (SHOP_TOKEN_SECRET). Tokens live at most
MAX_LIFETIME_S: Rasa keeps message metadata with the conversation, so a token must be stale soon.
Error messages never contain the token or any part of it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass
from typing import Optional

VERSION = "v1"
MAX_TOKEN_CHARS = 512  # as contracts/protocol/schemas/start.json allows
MAX_LIFETIME_S = 24 * 3600
# Clocks of the shop and of us may differ a little.
CLOCK_SKEW_S = 60
CUSTOMER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+$")


class ShopTokenError(ValueError):
    """A token that does not prove anything; `reason` is a short code safe to log."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"shop customer token refused: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class ShopCustomer:
    """Who the shop says is signed in, and until when the shop's word holds."""

    customer_id: str
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64_decode(text: str) -> bytes:
    if not _BASE64URL.match(text):
        raise ShopTokenError("malformed")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ShopTokenError("malformed") from None


def _signature(secret: str, signed: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), signed.encode("ascii"), hashlib.sha256).digest()


def _require_secret(secret: str) -> None:
    if not isinstance(secret, str) or not secret:
        raise ValueError("the shop token secret is empty")


def mint_shop_token(customer_id: str, secret: str, lifetime_s: int = 1800, now: Optional[float] = None) -> str:
    """A token for `customer_id`, valid for `lifetime_s` seconds (the shop's side; demo and tests)."""
    _require_secret(secret)
    if not isinstance(customer_id, str) or not CUSTOMER_ID.match(customer_id):
        raise ValueError("a customer id is 1-64 letters, digits, '-' or '_'")
    if not 0 < lifetime_s <= MAX_LIFETIME_S:
        raise ValueError(f"a token lives between 1 and {MAX_LIFETIME_S} seconds")
    expires = int(time.time() if now is None else now) + int(lifetime_s)
    payload = _b64(json.dumps({"sub": customer_id, "exp": expires}, separators=(",", ":")).encode("utf-8"))
    signed = f"{VERSION}.{payload}"
    return f"{signed}.{_b64(_signature(secret, signed))}"


def verify_shop_token(token: object, secret: str, now: Optional[float] = None) -> ShopCustomer:
    """The customer a valid, unexpired token names; ShopTokenError for anything else."""
    _require_secret(secret)
    if not isinstance(token, str) or not token:
        raise ShopTokenError("missing")
    if len(token) > MAX_TOKEN_CHARS:
        raise ShopTokenError("too long")
    parts = token.split(".")
    if len(parts) != 3:
        raise ShopTokenError("malformed")
    version, payload, signature = parts
    if version != VERSION:
        raise ShopTokenError("unsupported version")
    # The signature first: nothing of an unsigned payload is believed, or even parsed.
    if not hmac.compare_digest(_b64_decode(signature), _signature(secret, f"{version}.{payload}")):
        raise ShopTokenError("bad signature")
    try:
        claims = json.loads(_b64_decode(payload).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ShopTokenError("malformed") from None
    if not isinstance(claims, dict):
        raise ShopTokenError("malformed")
    customer_id, expires = claims.get("sub"), claims.get("exp")
    if not isinstance(customer_id, str) or not CUSTOMER_ID.match(customer_id):
        raise ShopTokenError("malformed")
    if not isinstance(expires, int) or isinstance(expires, bool):
        raise ShopTokenError("malformed")
    current = time.time() if now is None else now
    if expires <= current - CLOCK_SKEW_S:
        raise ShopTokenError("expired")
    if expires > current + MAX_LIFETIME_S + CLOCK_SKEW_S:
        raise ShopTokenError("lives too long")
    return ShopCustomer(customer_id=customer_id, expires_at=expires)
