"""The customer's answer to the call-back / e-mail offer made with a long wait.

The widget sends it as an ordinary message while the customer waits for a person, so it reaches
this service through the bridge's agent inbox like any other line: the text is exactly
``/contact_request{"via": "callback"}`` or ``.../{"via": "email"}`` (docs/protocol.md §9).
Anything else, including a customer typing something similar, is an ordinary message.
"""

import json
import re

from handoff.queue.wait_estimate import CONTACT_OPTIONS

PREFIX = "/contact_request"
_PAYLOAD = re.compile(r"^/contact_request(\{.{1,60}\})$")

# What the agent reads in the chat (the consoles are in English).
LINES = {
    "callback": "The customer would rather be called back than wait: call the number on file.",
    "email": "The customer would rather get an e-mail reply than wait: answer to the address on file.",
}


def contact_request_from(text: str) -> str | None:
    """``callback`` or ``email`` when `text` is the widget's request, else None."""
    match = _PAYLOAD.match(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    try:
        via = json.loads(match.group(1)).get("via")
    except (ValueError, AttributeError):
        return None
    return via if via in CONTACT_OPTIONS else None


def contact_request_line(via: str) -> str:
    return LINES[via]
