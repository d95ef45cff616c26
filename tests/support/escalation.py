"""Escalation configurations for tests: the shipped defaults with a few values changed, and a way
to store one in Redis as the admin console would (for tests that have no handoff service)."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

from contracts.escalation.config import default_config, parse_config
from contracts.escalation.stored import ESCALATION_CONFIG_KEY, stored_entry, stored_object


def config_data_with(**changes) -> dict:
    """The default configuration as data, with `section__key=value` changes applied.

    `config_data_with(fallbacks__max_fallbacks=3)` sets `fallbacks.max_fallbacks` to 3.
    """
    data = copy.deepcopy(default_config().to_dict())
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    return data


def store_config(redis_client, data: dict, actor: str = "test") -> int:  # noqa: ANN001
    """Store `data` (validated) under the shared key with the next version, without an audit entry."""
    version = int((stored_object(redis_client.get(ESCALATION_CONFIG_KEY)) or {}).get("version", 0)) + 1
    ts = datetime.now(timezone.utc).isoformat()
    redis_client.set(ESCALATION_CONFIG_KEY, stored_entry(parse_config(data), version, actor, ts))
    return version
