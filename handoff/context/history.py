"""Earlier conversations and handoffs of a customer: the interface the context package reads.

The handoff service implements `ConversationHistory` over its outcome records; a plain list of
outcome rows (dicts with the `conversation_outcomes` columns) is accepted too.
`InMemoryConversationHistory` is a simple implementation for tests and demos, not a store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

MAX_EARLIER = 10


@runtime_checkable
class ConversationHistory(Protocol):
    def earlier_conversations(
        self, customer_id: str, *, exclude_conversation_id: str | None = None, limit: int = MAX_EARLIER
    ) -> list[Mapping[str, Any]]:
        """The customer's earlier conversations (outcome rows), newest first."""


class InMemoryConversationHistory:
    """Outcome rows kept in a list (tests and demos)."""

    def __init__(self, outcomes: Iterable[Mapping[str, Any]] = ()) -> None:
        self._outcomes = list(outcomes)

    def add(self, **outcome: Any) -> None:
        self._outcomes.append(outcome)

    def earlier_conversations(
        self, customer_id: str, *, exclude_conversation_id: str | None = None, limit: int = MAX_EARLIER
    ) -> list[Mapping[str, Any]]:
        rows = [
            row
            for row in self._outcomes
            if row.get("customer_id") == customer_id and row.get("conversation_id") != exclude_conversation_id
        ]
        return sorted(rows, key=_started, reverse=True)[:limit]


def earlier_rows(
    history: ConversationHistory | Sequence[Mapping[str, Any]] | None,
    customer_id: str | None,
    conversation_id: str | None,
    limit: int = MAX_EARLIER,
) -> list[Mapping[str, Any]]:
    """Normalise whatever history was given into outcome rows of this customer, newest first."""
    if not customer_id or history is None:
        return []
    if isinstance(history, ConversationHistory):
        rows = history.earlier_conversations(customer_id, exclude_conversation_id=conversation_id, limit=limit)
    else:
        rows = [
            row
            for row in history
            if isinstance(row, Mapping)
            and row.get("customer_id") in (None, customer_id)
            and row.get("conversation_id") != conversation_id
        ]
    return sorted((row for row in rows if isinstance(row, Mapping)), key=_started, reverse=True)[:limit]


def _started(row: Mapping[str, Any]) -> str:
    value = row.get("started_at")
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value or "")
