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


def slot(name: str, value: object, ts: float) -> dict:
    return {"event": "slot", "name": name, "value": value, "timestamp": ts}


def test_what_the_assistant_raised_first_and_the_incidents_are_recorded() -> None:
    events = [
        user("reset my password", "reset_password", 101),
        action("action_continue_request", 102),
        slot("proactive_topic", "delayed_order:40010002", 102),
        user("is DHL late?", "ask_incident", 110),
        action("action_answer_incident", 111),
        slot("incidents_told", ["inc-00000000000d"], 111),
    ]
    summary = summarise_tracker(events)
    assert summary["proactive_topics"] == ["delayed_order:40010002"]
    assert summary["incidents"] == ["inc-00000000000d"]
    assert summary["proactive"] is True  # the delayed order was raised first


def test_an_incident_only_asked_about_is_not_proactive_but_one_told_after_a_request_is() -> None:
    asked = [
        user("any problems?", "ask_incident", 1),
        action("action_answer_incident", 2),
        slot("incidents_told", ["inc-0000000001"], 2),
    ]
    told = [
        user("reset", "reset_password", 1),
        action("action_continue_request", 2),
        slot("incidents_told", ["inc-0000000001"], 2),
    ]
    assert summarise_tracker(asked)["proactive"] is False and summarise_tracker(asked)["incidents"] == [
        "inc-0000000001"
    ]
    assert summarise_tracker(told)["proactive"] is True
    assert summarise_tracker([user("hi", "greet", 1), slot("incidents_told", "not a list", 2)])["incidents"] == []


def test_a_database_from_before_the_new_columns_gets_them(tmp_path) -> None:  # noqa: ANN001
    import sqlite3

    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    engine.dispose()
    with sqlite3.connect(path) as old:  # the table as the release before these columns made it
        old.execute("ALTER TABLE conversation_outcomes DROP COLUMN incidents")
        old.execute("ALTER TABLE conversation_outcomes DROP COLUMN proactive_topics")
        old.execute(
            "INSERT INTO conversation_outcomes (conversation_id, started_at, first_contact, proactive, emotion_path,"
            " intents) VALUES ('old-1', '2026-01-01 10:00:00', 1, 0, '[]', '[]')"
        )
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    with make_session_factory(engine)() as session:
        row = upsert_outcome(session, "old-1", incidents=["inc-0000000001"], proactive_topics=[])
        assert row.incidents == ["inc-0000000001"] and get_outcome(session, "old-1").started_at is not None
    engine.dispose()
