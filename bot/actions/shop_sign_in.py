"""The shop's sign-in counts as verification: a valid shop customer token in a turn's metadata.

The shop signs `customer_id` + expiry with a secret only it and we hold (contracts/shop_token.py),
and only after the customer signed in at the shop with their own password. That is a stronger
proof than the last four digits of a phone number, so a valid token sets the same slots a passed
verify_form does (verification.py). An invalid or expired token is ignored: the customer is asked
to verify as usual. The token itself is a credential: it is never logged or put into a slot.
"""

from __future__ import annotations

import logging
from typing import List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.actions.settings import get_settings
from contracts.shop_token import ShopTokenError, verify_shop_token

logger = logging.getLogger(__name__)

TOKEN_METADATA_KEY = "customer_token"


def metadata_token(tracker: Tracker) -> Optional[str]:
    """The customer token the bridge sent with this turn, if any (docs/dialogue-contract.md)."""
    metadata = (tracker.latest_message or {}).get("metadata")
    token = metadata.get(TOKEN_METADATA_KEY) if isinstance(metadata, dict) else None
    return token if isinstance(token, str) and token else None


def shop_signed_in_customer(tracker: Tracker) -> Optional[str]:
    """The customer id a valid shop token in this turn names; None without one or when refused."""
    token = metadata_token(tracker)
    if token is None:
        return None
    secret = get_settings().shop_secret
    if not secret:
        return None  # production without SHOP_TOKEN_SECRET: the shop's sign-in is off
    try:
        return verify_shop_token(token, secret).customer_id
    except ShopTokenError as error:
        logger.info("shop customer token ignored (%s); the customer verifies in the chat", error.reason)
        return None


def signed_in_events(customer_id: str) -> List[EventType]:
    """The slots a passed verification sets (verification.py `_outcome`)."""
    return [SlotSet("verified", True), SlotSet("customer_id", customer_id), SlotSet("verification_failures", 0.0)]


def track_shop_sign_in(tracker: Tracker) -> List[EventType]:
    """Observer (turn.py): a customer signed in at the shop is verified for this conversation."""
    if tracker.get_slot("verified"):
        return []  # verified already (by the form or an earlier token): keep who they are
    customer_id = shop_signed_in_customer(tracker)
    return signed_in_events(customer_id) if customer_id else []
