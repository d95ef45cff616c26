"""The widget's look and the assistant's name, as the deployment sets them (docs/shop-integration.md
"Name and look"): the value types the bridge's settings validate at start-up, and the JSON the page
and the embedded widget read from `/widget-config.json`.

The name is also what the bot calls itself: the NLG endpoint fills `{assistant_name}` in the
domain's responses from the same choice (Settings.assistant_name: WIDGET_NAME, else the name of the
avatar shown now), so the page and the bot never disagree.
"""

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, StringConstraints

DEFAULT_ACCENT = "#1f6f6a"

_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# A path on the bridge's own origin: one leading slash (two would name another host), no spaces,
# quotes, angle brackets or backslashes.
_SAME_ORIGIN_PATH = re.compile(r"^/(?![/\\])[^\s\"'<>\\]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _hex_colour(value: str) -> str:
    if not _HEX_COLOUR.match(value):
        raise ValueError(f"must be a hex colour such as #1f6f6a (got {value!r})")
    return value.lower()


def _logo_url(value: str) -> str:
    if _SAME_ORIGIN_PATH.match(value):
        return value
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname and not re.search(r"[\s\"'<>\\]", value):
        return value
    raise ValueError(f"must be a path on the bridge's own origin (/brand/logo.svg) or an https:// URL (got {value!r})")


def _plain_text(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must be one line of plain text (no control characters)")
    return value


HexColour = Annotated[str, AfterValidator(_hex_colour)]
LogoUrl = Annotated[str, AfterValidator(_logo_url)]
AssistantName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), AfterValidator(_plain_text)
]
Greeting = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), AfterValidator(_plain_text)
]


def logo_origin(logo_url: str | None) -> str | None:
    """The origin an https logo is loaded from (the page's CSP must allow it); None for none or a path."""
    if not logo_url or logo_url.startswith("/"):
        return None
    parts = urlsplit(logo_url)
    return f"{parts.scheme}://{parts.netloc}"


def widget_config(name: str, accent: str, logo_url: str | None, greetings: dict[str, str | None]) -> dict:
    """The public JSON document (no secrets: any page may read it). A missing greeting is null:
    the client then uses its own greeting in that language, with the name."""
    return {"v": 1, "name": name, "accent": accent, "logo_url": logo_url, "greeting": greetings}
