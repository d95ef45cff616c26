"""How stored conversations would have been routed under other escalation values.

Conversations come from the bot's conversation log in Redis (bot/brokers/conversation_log.py:
every conversation the assistant had, with each message's intent and emotion), the same events
``facts_from_events`` reads in the bot.
Each conversation is replayed message by message: after every customer message the rules decide
on the conversation so far; the first message at which they escalate is where it would have been
handed over (or offered a person). The replay stops there, as the real conversation would have.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from contracts.escalation.config import EscalationConfig
from contracts.escalation.rules import decide, facts_from_events
from contracts.redis_keys import CONVERSATION_EVENTS_PREFIX, CONVERSATIONS_BY_LAST_EVENT, decode_events


def route(config: EscalationConfig, events: Sequence[Mapping[str, Any]]) -> dict:
    """Where the rules would have escalated this conversation, if at all."""
    turn = 0
    for position, event in enumerate(events):
        if not isinstance(event, Mapping) or event.get("event") != "user":
            continue
        turn += 1
        # Events the bot logged right after the message (its slots) belong to that turn only
        # once the next message arrives, so the decision sees the events up to this message.
        decision = decide(config, facts_from_events(events[: position + 1]))
        if decision.escalate:
            return {
                "route": decision.mode,
                "turn": turn,
                "reasons": [r.code for r in decision.reasons],
                "skill": decision.skill,
            }
    return {"route": "bot", "turn": None, "reasons": [], "skill": None}


def preview(
    current: EscalationConfig,
    proposed: EscalationConfig,
    conversations: Iterable[tuple[str, Sequence[Mapping[str, Any]]]],
) -> dict:
    rows: list[dict[str, Any]] = []
    for conversation_id, events in conversations:
        before, after = route(current, events), route(proposed, events)
        rows.append(
            {
                "conversation_id": conversation_id,
                "current": before,
                "proposed": after,
                "changed": (before["route"], before["turn"]) != (after["route"], after["turn"]),
            }
        )
    count_current = Counter(row["current"]["route"] for row in rows)
    count_proposed = Counter(row["proposed"]["route"] for row in rows)
    routes = ("bot", "offer", "handoff")
    return {
        "conversations": len(rows),
        "current": {route_name: count_current.get(route_name, 0) for route_name in routes},
        "proposed": {route_name: count_proposed.get(route_name, 0) for route_name in routes},
        "changed": sum(1 for row in rows if row["changed"]),
        "rows": rows,
    }


def load_conversations(
    redis_client: Any,
    limit: int,
    *,
    index_key: str = CONVERSATIONS_BY_LAST_EVENT,
    events_prefix: str = CONVERSATION_EVENTS_PREFIX,
    max_bytes: int = 2_000_000,
) -> list[tuple[str, list[dict]]]:
    """The ``limit`` most recent conversations of the log, newest first (sync Redis client)."""
    found = []
    for sender_id in redis_client.zrevrange(index_key, 0, limit - 1):
        raw = redis_client.lrange(f"{events_prefix}{sender_id}", 0, -1)
        if not raw or sum(len(item) for item in raw) > max_bytes:
            continue
        found.append((str(sender_id), decode_events(raw)))
    return found
