"""Shared Redis names match what the services configure elsewhere."""

from __future__ import annotations

from pathlib import Path

import yaml

from contracts import redis_keys

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_tracker_key_prefix_is_rasas_tracker_store_prefix():
    endpoints = yaml.safe_load((REPO_ROOT / "bot/endpoints.yml").read_text(encoding="utf-8"))
    prefix = endpoints["tracker_store"]["key_prefix"]
    # Rasa's RedisTrackerStore keys a conversation "<key_prefix>:tracker:<sender id>".
    assert redis_keys.RASA_TRACKER_KEY_PREFIX == f"{prefix}:tracker:"


def test_keys_under_a_prefix():
    assert redis_keys.prefixed(redis_keys.BRIDGE_PREFIX, redis_keys.BRIDGE_CSAT) == "bridge:csat"
    assert redis_keys.ESCALATION_CONFIG_KEY.startswith(redis_keys.HANDOFF_PREFIX + ":")
    assert redis_keys.HANDOFF_REQUESTS_STREAM == redis_keys.prefixed(redis_keys.HANDOFF_PREFIX, "requests")
