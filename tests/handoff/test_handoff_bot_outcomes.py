"""Outcome rows for bot-only conversations, from the bot's conversation log in Redis."""

import asyncio
import json
import time

from handoff.core.db import create_schema, make_engine, make_session_factory
from handoff.core.redis import async_redis
from handoff.outcomes.bot_sessions import BotSessionSweeper, summarise_tracker
from handoff.outcomes.store import get_outcome, upsert_outcome


def user(text: str, intent: str, ts: float, label: str = "neutral", intensity: float = 0.1) -> dict:
    return {
        "event": "user",
        "text": text,
        "timestamp": ts,
        "parse_data": {"intent": {"name": intent}, "emotion": {"label": label, "intensity": intensity}},
    }


def bot(text: str, ts: float) -> dict:
    return {"event": "bot", "text": text, "timestamp": ts}


def action(name: str, ts: float) -> dict:
    return {"event": "action", "name": name, "timestamp": ts}


def test_summary_of_a_resolved_conversation() -> None:
    events = [
        action("action_session_start", 100),
        {"event": "slot", "name": "language", "value": "de", "timestamp": 100},
        user("hallo", "greet", 101),
        user("wo ist meine Bestellung", "order_status", 105, "anxious", 0.7),
        bot("Sie kommt morgen.", 106),
        user("danke", "thank", 110, "happy", 0.4),
    ]
    summary = summarise_tracker(events)
    assert summary["resolved_by"] == "bot" and summary["primary_intent"] == "order_status"
    assert summary["language"] == "de" and summary["intents"] == ["greet", "order_status", "thank"]
    assert (summary["emotion_start"], summary["emotion_peak"], summary["emotion_end"]) == (
        "neutral",
        "anxious",
        "happy",
    )
    assert summary["ended_at"].timestamp() == 110


def test_not_understood_last_message_is_abandoned_and_silence_is_nothing() -> None:
    events = [user("asdf qwer", "nlu_fallback", 1), action("action_default_fallback", 2)]
    assert summarise_tracker(events)["resolved_by"] == "abandoned"
    assert summarise_tracker([action("action_session_start", 1)]) is None


def test_sweeper_records_idle_bot_conversations_once(redis_server, tmp_path) -> None:  # noqa: ANN001
    engine = make_engine(f"sqlite:///{tmp_path / 'h.db'}")
    create_schema(engine)
    sessions = make_session_factory(engine)
    run = f"t{time.time_ns()}"
    index, events_prefix = f"{run}:conversations", f"{run}:conversation:"
    now = time.time()
    with sessions() as session:  # a handed-over conversation handed back to the bot
        upsert_outcome(session, "handed", handoff_reason="customer_request", outcome_code="handed_back_to_bot")

    async def log(redis, sender: str, events: list) -> None:  # noqa: ANN001 - what the bot's broker writes
        await redis.rpush(f"{events_prefix}{sender}", *[e if isinstance(e, str) else json.dumps(e) for e in events])
        decoded = [json.loads(e) if isinstance(e, str) and e.startswith("{") and e.endswith("}") else e for e in events]
        last = max((e["timestamp"] for e in decoded if isinstance(e, dict)), default=now)
        await redis.zadd(index, {sender: last})

    async def scenario() -> tuple[list, list, list]:
        redis = async_redis(redis_server.url)
        old = [user("where is my order", "order_status", now - 4000), bot("Tomorrow.", now - 3999)]
        await log(redis, "idle-1", old)
        await log(redis, "handed", old)
        await log(redis, "active-1", [user("hi", "greet", now - 5)])
        await log(redis, "broken", ["{not json", "[1, 2]", json.dumps(user("hello", "greet", now - 3000))])
        sweeper = BotSessionSweeper(redis, sessions, 1800, f"{run}:swept_until", index, events_prefix)
        first, second = await sweeper.sweep(now), await sweeper.sweep(now)
        # The customer comes back to a swept conversation; it is looked at again once idle.
        await log(redis, "idle-1", [user("and my refund?", "refund_status", now + 10)])
        third = await sweeper.sweep(now + 10 + 1801)
        await redis.aclose()
        return first, second, third

    first, second, third = asyncio.run(scenario())
    assert sorted(first) == ["broken", "handed", "idle-1"] and second == []
    assert sorted(third) == ["active-1", "idle-1"]
    with sessions() as session:
        idle = get_outcome(session, "idle-1")
        assert idle.resolved_by == "bot" and idle.handoff_reason is None
        assert idle.intents == ["order_status", "refund_status"]
        assert get_outcome(session, "broken").primary_intent == "greet"
        handed = get_outcome(session, "handed")
        assert handed.resolved_by == "agent" and handed.ended_at is not None
    engine.dispose()
