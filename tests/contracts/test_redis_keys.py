"""Shared Redis names match what the services configure elsewhere."""

from __future__ import annotations

from pathlib import Path

import yaml

from contracts import redis_keys

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_bot_publishes_its_conversation_log_with_the_contract_broker():
    endpoints = yaml.safe_load((REPO_ROOT / "bot/endpoints.yml").read_text(encoding="utf-8"))
    # Rasa's tracker store is Rasa's own; other services read the log the broker writes.
    assert endpoints["event_broker"]["type"] == "bot.brokers.conversation_log.ConversationLogBroker"
    assert redis_keys.conversation_events_key("abc") == redis_keys.CONVERSATION_EVENTS_PREFIX + "abc"
    assert not hasattr(redis_keys, "RASA_TRACKER_KEY_PREFIX")


def test_decoding_a_log_skips_what_is_not_an_event():
    raw = ['{"event": "user", "text": "hi"}', "{not json", "[1, 2]", None, b'{"event": "bot"}']
    assert redis_keys.decode_events(raw) == [{"event": "user", "text": "hi"}, {"event": "bot"}]


def test_keys_under_a_prefix():
    assert redis_keys.prefixed(redis_keys.BRIDGE_PREFIX, redis_keys.BRIDGE_CSAT) == "bridge:csat"
    assert redis_keys.ESCALATION_CONFIG_KEY.startswith(redis_keys.HANDOFF_PREFIX + ":")
    assert redis_keys.HANDOFF_REQUESTS_STREAM == redis_keys.prefixed(redis_keys.HANDOFF_PREFIX, "requests")
