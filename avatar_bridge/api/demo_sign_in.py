"""Development only: the page as a shop would embed it for a signed-in demo customer.

`/?signed_in=james` serves the web client page with a freshly minted shop customer token on its
script tag (docs/shop-integration.md), so `make run` can show the opening note without a shop. The
token is made here, in the page, never taken from or put into a URL. Production never mints: the
query is ignored there, and the page is served as it is.
"""

import html
import re

from avatar_bridge.core.config import Settings
from contracts.shop_token import mint_shop_token

# Demo customers (customer_db/seed_data.py): James Carter has a delayed order, Anna Schmidt none.
DEMO_CUSTOMERS = {"james": "C100002", "anna": "C100001"}
DEMO_TOKEN_LIFETIME_S = 30 * 60
_WIDGET_SCRIPT = re.compile(r'<script src="widget\.js"')


def demo_token(name: str, settings: Settings) -> str | None:
    """A shop token for the demo customer `name`; None in production or for an unknown name."""
    customer_id = DEMO_CUSTOMERS.get(name.lower())
    if settings.production or customer_id is None:
        return None
    return mint_shop_token(customer_id, settings.shop_token_secret.get_secret_value(), DEMO_TOKEN_LIFETIME_S)


def page_signed_in(page: str, token: str) -> str:
    """The page with `token` on the widget's script tag, as a shop's embed snippet carries it."""
    attribute = f' data-customer-token="{html.escape(token, quote=True)}"'
    return _WIDGET_SCRIPT.sub(lambda match: match.group(0) + attribute, page, count=1)
