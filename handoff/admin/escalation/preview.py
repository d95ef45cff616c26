"""How stored conversations would have been routed under other escalation values.

Conversations come from Rasa's tracker store in Redis (every conversation the assistant had,
with each message's intent and emotion), the same events ``facts_from_events`` reads in the bot.
Each conversation is replayed message by message: after every customer message the rules decide
on the conversation so far; the first message at which they escalate is where it would have been
handed over (or offered a person). The replay stops there, as the real conversation would have.
"""

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from contracts.escalation.config import EscalationConfig
from contracts.escalation.rules import decide, facts_from_events
from contracts.redis_keys import RASA_TRACKER_KEY_PREFIX

TRACKER_KEY_PREFIX = RASA_TRACKER_KEY_PREFIX


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


def _last_timestamp(events: Sequence[Mapping[str, Any]]) -> float:
    stamps = [e.get("timestamp") for e in events if isinstance(e, Mapping)]
    numbers = [float(s) for s in stamps if isinstance(s, (int, float))]
    return max(numbers, default=0.0)


def load_conversations(
    redis_client: Any, limit: int, prefix: str = TRACKER_KEY_PREFIX, max_bytes: int = 2_000_000
) -> list[tuple[str, list[dict]]]:
    """The ``limit`` most recent conversations in the tracker store (sync Redis client)."""
    found = []
    for key in redis_client.scan_iter(match=f"{prefix}*", count=500):
        raw = redis_client.get(key)
        if raw is None or len(raw) > max_bytes:
            continue
        try:
            dialogue = json.loads(raw)
        except ValueError:
            continue
        events = dialogue.get("events") if isinstance(dialogue, dict) else None
        if not isinstance(events, list):
            continue
        name = key.decode() if isinstance(key, bytes) else str(key)
        found.append((name.removeprefix(prefix), events))
    found.sort(key=lambda item: _last_timestamp(item[1]), reverse=True)
    return found[:limit]
