"""Placeholders a response text may carry besides slots, filled by the avatar bridge's NLG endpoint.

The admin console accepts exactly these in the responses it edits (any other curly brace would be
read as a slot placeholder); the bridge fills them when it writes the bot's replies."""

ASSISTANT_NAME = "assistant_name"  # the assistant's configured name (WIDGET_NAME)

RESPONSE_PLACEHOLDERS = frozenset({ASSISTANT_NAME})
