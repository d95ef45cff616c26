"""The bot's conversation log: Rasa's event broker writes every event to Redis (real Redis)."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.brokers.conversation_log import ConversationLogBroker
from contracts.redis_keys import (
    CONVERSATION_EVENTS_MAX,
    CONVERSATIONS_BY_LAST_EVENT,
    conversation_events_key,
    decode_events,
)
from tests.support.redis_server import RedisServer, redis_server  # noqa: F401


@pytest.fixture
def broker(redis_server: RedisServer):  # noqa: F811
    host, port = redis_server.url.removeprefix("redis://").split("/")[0].split(":")
    config = EndpointConfig(
        url=host, port=port, db="0", password="", retention_s="3600", type="bot.brokers.conversation_log"
    )
    made = asyncio.run(ConversationLogBroker.from_endpoint_config(config))
    yield made
    asyncio.run(made.close())


def test_events_are_logged_in_order_with_the_index_and_retention(broker, redis_server: RedisServer) -> None:  # noqa: F811
    sender = f"log-{time.time_ns()}"
    now = time.time()
    broker.publish({"sender_id": sender, "event": "user", "text": "where is my order", "timestamp": now})
    broker.publish({"sender_id": sender, "event": "bot", "text": "Let me look.", "timestamp": now + 1})
    client = redis_server.client()
    key = conversation_events_key(sender)
    events = decode_events(client.lrange(key, 0, -1))
    assert [e["event"] for e in events] == ["user", "bot"]
    assert events[0]["text"] == "where is my order"
    assert 3500 < client.ttl(key) <= 3600
    assert client.zscore(CONVERSATIONS_BY_LAST_EVENT, sender) == pytest.approx(now + 1)
    assert broker.is_ready()


def test_a_long_conversation_keeps_its_latest_events(broker, redis_server: RedisServer) -> None:  # noqa: F811
    sender = f"long-{time.time_ns()}"
    for number in range(CONVERSATION_EVENTS_MAX + 5):
        broker.publish({"sender_id": sender, "event": "slot", "value": number, "timestamp": float(number)})
    events = decode_events(redis_server.client().lrange(conversation_events_key(sender), 0, -1))
    assert len(events) == CONVERSATION_EVENTS_MAX
    assert events[0]["value"] == 5 and events[-1]["value"] == CONVERSATION_EVENTS_MAX + 4


def test_oversized_or_anonymous_events_are_not_logged(broker, redis_server: RedisServer) -> None:  # noqa: F811
    sender = f"odd-{time.time_ns()}"
    broker.publish({"event": "user", "text": "no sender"})
    broker.publish({"sender_id": sender, "event": "user", "text": "x" * 300_000, "timestamp": 1.0})
    broker.publish({"sender_id": sender, "event": "user", "text": "fine", "timestamp": 2.0})
    raw = redis_server.client().lrange(conversation_events_key(sender), 0, -1)
    assert [json.loads(item)["text"] for item in raw] == ["fine"]


def test_redis_away_never_fails_the_turn(redis_server: RedisServer) -> None:  # noqa: F811
    config = EndpointConfig(url="127.0.0.1", port="1", retention_s="60")  # nothing listens on port 1
    broker = asyncio.run(ConversationLogBroker.from_endpoint_config(config))
    broker.publish({"sender_id": "x", "event": "user", "text": "hello", "timestamp": 1.0})  # logged, not raised
    assert broker.is_ready() is False
