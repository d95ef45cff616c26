"""Password reset: a single-use link, valid for 30 minutes, sent to the address on the account.

The link itself never appears in the chat; the database records it in its outbox (the stand-in
for the mail system) and the customer sees only the masked address it went to.
"""

from typing import List

from rasa_sdk.events import EventType

from bot.actions.base import RequestContext, mask_email
from bot.actions.settings import get_settings

RESET_LINK_VALID_MINUTES = 30


def send_password_reset(context: RequestContext) -> List[EventType]:
    """Issue a reset link for the verified customer and say where it went."""
    link = context.connector.create_password_reset(
        context.customer_id,
        str(get_settings().reset_link_base_url),
        ttl_minutes=RESET_LINK_VALID_MINUTES,
    )
    context.say(
        "utter_password_reset_sent",
        masked_email=mask_email(link.email),
        valid_minutes=RESET_LINK_VALID_MINUTES,
    )
    return []
