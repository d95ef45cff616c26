"""One page of the agent's queue list: search, filters, sort order and a cursor (GET /api/queue).

Pure functions over the rows the queue view gives (handoff/queue/service.py `queue_view`). The
cursor is keyset, not an offset: it names the last row shown by its sort key, so a conversation
claimed by someone else while the agent pages does not make the next page skip one.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

# Longest wait first (the default), most distressed first, newest first.
SORTS = ("wait", "distress", "newest")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# The text fields `q` searches, case-insensitively.
SEARCHED = ("customer_name", "reason_text", "reason", "last_message", "conversation_id")


class CursorError(ValueError):
    """A cursor this API did not give out, or one for another sort order."""


@dataclass(frozen=True)
class ListQuery:
    q: str = ""
    skill: str | None = None
    language: str | None = None
    emotion: str | None = None
    reason: str | None = None
    sort: str = "wait"
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


def sort_key(item: dict, sort: str) -> tuple:
    """Ascending key of `item` in the `sort` order; the conversation id breaks ties."""
    requested = float(item.get("requested_at") or 0)
    cid = str(item.get("conversation_id", ""))
    if sort == "distress":
        return (-float(item.get("distress") or 0), requested, cid)
    if sort == "newest":
        return (-requested, cid)
    return (requested, cid)


def matches(item: dict, query: ListQuery, needle: str) -> bool:
    for field in ("skill", "language", "emotion", "reason"):
        wanted = getattr(query, field)
        if wanted and item.get(field) != wanted:
            return False
    if not needle:
        return True
    return any(needle in str(item.get(field) or "").casefold() for field in SEARCHED)


def encode_cursor(key: tuple, sort: str) -> str:
    raw = json.dumps({"s": sort, "k": list(key)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError) as error:
        raise CursorError("not a cursor this API gave out (use next_cursor of the previous page)") from error
    if not isinstance(data, dict) or not isinstance(data.get("k"), list):
        raise CursorError("not a cursor this API gave out (use next_cursor of the previous page)")
    if data.get("s") != sort:
        raise CursorError(f"this cursor belongs to the sort order {str(data.get('s'))[:20]!r}, not {sort!r}")
    key = data["k"]
    shape = len(sort_key({}, sort))
    valid = len(key) == shape and all(isinstance(v, (int, float)) for v in key[:-1]) and isinstance(key[-1], str)
    if not valid:
        raise CursorError("not a cursor this API gave out (use next_cursor of the previous page)")
    return tuple(key)


def page(items: list[dict], query: ListQuery) -> dict:
    """The page `query` asks for: ``items``, ``total`` (all matches), ``next_cursor`` (None at the end)."""
    needle = query.q.strip().casefold()
    found = sorted(
        (item for item in items if matches(item, query, needle)), key=lambda item: sort_key(item, query.sort)
    )
    start = 0
    if query.cursor:
        after = decode_cursor(query.cursor, query.sort)
        start = next((i for i, item in enumerate(found) if sort_key(item, query.sort) > after), len(found))
    shown = found[start : start + query.limit]
    more = start + query.limit < len(found)
    next_cursor = encode_cursor(sort_key(shown[-1], query.sort), query.sort) if more and shown else None
    return {"items": shown, "total": len(found), "next_cursor": next_cursor}
