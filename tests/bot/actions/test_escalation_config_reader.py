"""The action server's reader of the escalation config: what the admin console stored, cached briefly."""

from __future__ import annotations

from bot.actions.escalation_config import EscalationConfigReader
from tests.support.escalation import config_data_with, store_config


def test_nothing_stored_means_the_defaults(redis_client):
    config, version = EscalationConfigReader(redis_client).current()
    assert version == 0 and config.fallbacks.max_fallbacks == 2


def test_a_short_cache_delays_a_change_by_at_most_its_lifetime(redis_client):
    now = [100.0]
    cached = EscalationConfigReader(redis_client, cache_seconds=1.0, clock=lambda: now[0])
    assert cached.current()[1] == 0
    store_config(redis_client, config_data_with(fallbacks__max_fallbacks=3))
    assert cached.current()[1] == 0
    now[0] += 1.01
    config, version = cached.current()
    assert version == 1 and config.fallbacks.max_fallbacks == 3
