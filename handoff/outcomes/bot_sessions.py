"""Outcome rows for conversations that never reached a person.

The bot publishes every conversation's events to its conversation log in Redis (Rasa's event
broker, bot/brokers/conversation_log.py; names in contracts/redis_keys.py): a list of events per
conversation and an index by last event time. A conversation whose last event is older than
``idle_end_seconds`` has ended: it gets a row with ``resolved_by = "bot"``, or
``"abandoned"`` when the customer's last message was not understood (an NLU fallback). A
conversation that was handed to a person and back gets its ``ended_at`` and ``resolved_by =
"agent"``. Each sweep looks at the conversations that fell idle since the previous one (a
watermark in Redis), so a conversation that carries on later is looked at again when it next
falls idle, and a sweep costs what changed, not the whole log.
"""

import asyncio
import logging
import time
from datetime import datetime, timezone

from redis.asyncio import Redis
from sqlalchemy.orm import sessionmaker

from contracts.redis_keys import CONVERSATION_EVENTS_PREFIX, CONVERSATIONS_BY_LAST_EVENT, decode_events
from handoff.outcomes.care import care_fields
from handoff.outcomes.model import ConversationOutcome
from handoff.outcomes.store import upsert_outcome

logger = logging.getLogger(__name__)
FALLBACK_INTENTS = {"nlu_fallback", "out_of_scope"}
FALLBACK_ACTIONS = {"action_default_fallback", "action_two_stage_fallback", "utter_default"}
MAX_LOG_BYTES = 5_000_000


def _emotion(parse_data: dict) -> tuple[str | None, float]:
    emotion = parse_data.get("emotion")
    if isinstance(emotion, dict):
        label = emotion.get("label")
        try:
            intensity = float(emotion.get("intensity") or 0.0)
        except (TypeError, ValueError):
            intensity = 0.0
        return (str(label)[:32] if label else None), intensity
    return None, 0.0


def summarise_tracker(events: list[dict]) -> dict | None:
    """Outcome fields of a bot-only conversation from its tracker events (None: nothing said)."""
    users = [e for e in events if isinstance(e, dict) and e.get("event") == "user"]
    if not users:
        return None
    stamps = [
        float(e["timestamp"]) for e in events if isinstance(e, dict) and isinstance(e.get("timestamp"), (int, float))
    ]
    intents, path = [], []
    for number, event in enumerate(users, start=1):
        parse_data = event.get("parse_data") or {}
        intent = (parse_data.get("intent") or {}).get("name")
        if intent:
            intents.append(str(intent)[:64])
        label, intensity = _emotion(parse_data)
        if label:
            path.append({"turn": number, "label": label, "intensity": round(intensity, 3)})
    language = None
    for event in events:
        if isinstance(event, dict) and event.get("event") == "slot" and event.get("name") == "language":
            language = event.get("value") if event.get("value") in ("en", "de") else language
    last_user = users[-1]
    after_last = events[events.index(last_user) + 1 :]
    not_understood = (
        intents[-1:]
        and intents[-1] in FALLBACK_INTENTS
        or any(
            e.get("event") == "action" and e.get("name") in FALLBACK_ACTIONS for e in after_last if isinstance(e, dict)
        )
    )
    meaningful = [i for i in intents if i not in ("greet", "goodbye", "affirm", "deny", "thank", *FALLBACK_INTENTS)]
    return {
        "started_at": datetime.fromtimestamp(min(stamps), tz=timezone.utc) if stamps else None,
        "ended_at": datetime.fromtimestamp(max(stamps), tz=timezone.utc) if stamps else None,
        "resolved_by": "abandoned" if not_understood else "bot",
        "intents": intents,
        "primary_intent": (meaningful or intents or [None])[0],
        "language": language,
        "emotion_path": path,
        "emotion_start": path[0]["label"] if path else None,
        "emotion_peak": max(path, key=lambda p: p["intensity"])["label"] if path else None,
        "emotion_end": path[-1]["label"] if path else None,
        **care_fields(events),
    }


def record_ended(session_factory: sessionmaker, conversation_id: str, summary: dict) -> str:
    with session_factory() as session:
        row = session.get(ConversationOutcome, conversation_id)
        if row is not None and row.handoff_reason:
            if row.ended_at is None:
                upsert_outcome(
                    session,
                    conversation_id,
                    ended_at=summary["ended_at"],
                    resolved_by=row.resolved_by or "agent",
                    proactive=summary["proactive"] or None,
                    proactive_topics=summary["proactive_topics"],
                    incidents=summary["incidents"],
                )
                return "handed-over conversation closed"
            return "unchanged"
        fields = {key: value for key, value in summary.items() if value is not None}
        if row is not None and row.resolved_by:
            fields.pop("resolved_by", None)  # a CSAT row said "bot" already; keep it
        upsert_outcome(session, conversation_id, **fields)
        return "bot conversation recorded"


async def record_from_log(redis: Redis, session_factory: sessionmaker, log_key: str, conversation_id: str) -> bool:
    """Writes the outcome of a conversation from its log in Redis; False when there is nothing to
    record (no customer message) or the log is too large to read."""
    raw = await redis.lrange(log_key, 0, -1)
    if sum(len(item) for item in raw) > MAX_LOG_BYTES:
        return False
    summary = summarise_tracker(decode_events(raw))
    if summary is None:
        return False
    await asyncio.to_thread(record_ended, session_factory, conversation_id, summary)
    return True


class BotSessionSweeper:
    def __init__(
        self,
        redis: Redis,
        session_factory: sessionmaker,
        idle_seconds: float,
        done_key: str,
        index_key: str = CONVERSATIONS_BY_LAST_EVENT,
        events_prefix: str = CONVERSATION_EVENTS_PREFIX,
    ) -> None:
        self._redis = redis
        self._sessions = session_factory
        self._idle = idle_seconds
        self._watermark = done_key  # the last-event time up to which conversations were swept
        self._index = index_key
        self._events_prefix = events_prefix

    async def sweep(self, now: float | None = None) -> list[str]:
        now = now or time.time()
        idle_before = now - self._idle
        swept_until = await self._redis.get(self._watermark)
        lower = f"({float(swept_until)}" if swept_until else "-inf"
        recorded = []
        for sender_id in await self._redis.zrangebyscore(self._index, lower, idle_before):
            conversation_id = str(sender_id)[:128]
            log_key = f"{self._events_prefix}{sender_id}"
            if await record_from_log(self._redis, self._sessions, log_key, conversation_id):
                recorded.append(conversation_id)
        await self._redis.set(self._watermark, repr(idle_before))
        return recorded
