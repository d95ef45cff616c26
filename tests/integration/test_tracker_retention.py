"""Rasa's trackers expire RASA_TRACKER_RETENTION_S after a conversation's last message
(bot/endpoints.yml), so Redis does not grow for ever; every new message starts the period again."""

from __future__ import annotations

import time

import redis

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
