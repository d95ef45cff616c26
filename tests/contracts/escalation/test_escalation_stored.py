"""The stored form of the escalation config (contracts/escalation/stored.py), shared by the admin
console's writer and the action server's reader."""

from __future__ import annotations

import copy
import json

from contracts.escalation.config import default_config, parse_config
from contracts.escalation.stored import audit_entry, config_from_stored, stored_entry


def test_nothing_stored_means_the_defaults_at_version_0():
    assert config_from_stored(None) == (default_config(), 0)


def test_a_stored_entry_reads_back_as_bytes_or_text():
    data = copy.deepcopy(default_config().to_dict())
    data["fallbacks"]["max_fallbacks"] = 3
    raw = stored_entry(parse_config(data), 5, "alice", "2026-01-01T00:00:00+00:00")
    for value in (raw, raw.encode()):
        config, version = config_from_stored(value)
        assert version == 5 and config.fallbacks.max_fallbacks == 3


def test_damaged_values_fall_back_to_the_defaults(caplog):
    assert config_from_stored(json.dumps({"version": 4, "config": {"emotion": "broken"}})) == (default_config(), 4)
    assert config_from_stored("not json") == (default_config(), 0)
    assert config_from_stored("[1, 2]") == (default_config(), 0)
    assert "invalid" in caplog.text and "not JSON" in caplog.text


def test_an_audit_entry_keeps_before_after_and_comment():
    entry = json.loads(audit_entry("alice", "ts", 2, {"a": 1}, {"a": 2}, "calmer – ruhiger"))
    assert entry == {
        "actor": "alice",
        "ts": "ts",
        "version": 2,
        "before": {"a": 1},
        "after": {"a": 2},
        "comment": "calmer – ruhiger",
    }
