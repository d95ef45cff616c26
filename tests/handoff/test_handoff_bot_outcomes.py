"""Outcome rows for bot-only conversations, from Rasa's tracker store in Redis."""

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
    prefix = f"t{time.time_ns()}:tracker:"
    now = time.time()
    with sessions() as session:  # a handed-over conversation handed back to the bot
        upsert_outcome(session, "handed", handoff_reason="customer_request", outcome_code="handed_back_to_bot")

    async def scenario() -> tuple[list, list]:
        redis = async_redis(redis_server.url)
        old = {"events": [user("where is my order", "order_status", now - 4000), bot("Tomorrow.", now - 3999)]}
        await redis.set(f"{prefix}idle-1", json.dumps(old))
        await redis.set(f"{prefix}handed", json.dumps(old))
        await redis.set(f"{prefix}active-1", json.dumps({"events": [user("hi", "greet", now - 5)]}))
        await redis.set(f"{prefix}broken", "{not json")
        await redis.hset(f"{prefix}not-a-tracker", "x", "1")
        sweeper = BotSessionSweeper(redis, sessions, 1800, f"done-{prefix}", prefix=prefix)
        first, second = await sweeper.sweep(now), await sweeper.sweep(now)
        await redis.aclose()
        return first, second

    first, second = asyncio.run(scenario())
    assert sorted(first) == ["handed", "idle-1"] and second == []
    with sessions() as session:
        idle = get_outcome(session, "idle-1")
        assert idle.resolved_by == "bot" and idle.primary_intent == "order_status" and idle.handoff_reason is None
        assert get_outcome(session, "active-1") is None
        handed = get_outcome(session, "handed")
        assert handed.resolved_by == "agent" and handed.ended_at is not None
    engine.dispose()
