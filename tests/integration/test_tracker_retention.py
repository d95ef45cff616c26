"""Rasa's trackers expire RASA_TRACKER_RETENTION_S after a conversation's last message
(bot/endpoints.yml), so Redis does not grow for ever; every new message starts the period again."""

from __future__ import annotations

import time

import redis

from contracts.redis_keys import CONVERSATIONS_BY_LAST_EVENT, conversation_events_key, decode_events
from launcher.settings import LauncherSettings


def test_a_conversations_tracker_expires_after_the_retention_period(
    conversation, redis_client: redis.Redis, settings: LauncherSettings
) -> None:
    customer = conversation("en")
    customer.say("hello")
    key = f"tracker:tracker:{customer.sender}"
    first = redis_client.ttl(key)
    assert 0 < first <= settings.tracker_retention_s, first  # -1 would mean: kept for ever

    redis_client.expire(key, 60)  # as if most of the period had passed
    time.sleep(1)
    customer.say("where is my order?")
    renewed = redis_client.ttl(key)
    assert settings.tracker_retention_s - 120 < renewed <= settings.tracker_retention_s, renewed


def test_the_bot_logs_each_conversation_for_the_other_services(
    conversation, redis_client: redis.Redis, settings: LauncherSettings
) -> None:
    """Rasa's event broker (bot/brokers/conversation_log.py) writes the log the handoff service and
    the admin console read, with the same retention as the tracker."""
    customer = conversation("en")
    customer.say("where is my order?")
    key = conversation_events_key(customer.sender)
    events = decode_events(redis_client.lrange(key, 0, -1))
    said = [e for e in events if e.get("event") == "user"]
    assert [e["text"] for e in said] == ["where is my order?"]
    assert said[0]["parse_data"]["intent"]["name"] == "order_status"
    assert "label" in said[0]["parse_data"]["emotion"]
    assert any(e.get("event") == "bot" for e in events)
    assert 0 < redis_client.ttl(key) <= settings.tracker_retention_s
    last = redis_client.zscore(CONVERSATIONS_BY_LAST_EVENT, customer.sender)
    assert last is not None and abs(last - max(e["timestamp"] for e in events)) < 1
