"""The admin console's config store on a real Redis: defaults, versioned updates, audit trail, bad
input, races. (The action server's cached reader: tests/bot/actions/test_escalation_config.py.)"""

from __future__ import annotations

import copy
import json
import threading

import pytest

from contracts.escalation.config import ConfigError, default_config
from contracts.redis_keys import ESCALATION_AUDIT_STREAM as AUDIT_STREAM
from contracts.redis_keys import ESCALATION_CONFIG_KEY as CONFIG_KEY
from admin.escalation.store import EscalationConfigStore


def calmer() -> dict:
    data = copy.deepcopy(default_config().to_dict())
    data["emotion"]["labels"]["frustrated"]["min_intensity"] = 0.6
    return data


def test_nothing_stored_means_the_defaults_at_version_0(redis_client):
    assert EscalationConfigStore(redis_client).current() == (default_config(), 0)


def test_an_update_is_seen_by_the_next_read_of_another_store_and_audited(redis_client):
    writer, reader = EscalationConfigStore(redis_client), EscalationConfigStore(redis_client)
    assert reader.current()[1] == 0

    version = writer.update(calmer(), actor="alice", comment="calmer customers")

    config, seen = reader.current()
    assert seen == version == 1
    assert config.emotion.labels["frustrated"].min_intensity == 0.6
    [entry] = writer.audit()
    assert entry["actor"] == "alice" and entry["version"] == 1 and entry["comment"] == "calmer customers"
    assert entry["before"]["emotion"]["labels"]["frustrated"]["min_intensity"] == 0.85
    assert entry["after"]["emotion"]["labels"]["frustrated"]["min_intensity"] == 0.6


def test_versions_count_up_and_the_audit_lists_the_newest_first(redis_client):
    store = EscalationConfigStore(redis_client)
    store.update(calmer(), actor="alice")
    second = calmer()
    second["fallbacks"]["max_fallbacks"] = 3
    assert store.update(second, actor="bob") == 2

    audit = store.audit(limit=10)
    assert [entry["version"] for entry in audit] == [2, 1]
    assert audit[0]["before"] == audit[1]["after"]
    assert len(store.audit(limit=1)) == 1


def test_an_invalid_config_is_rejected_and_nothing_changes(redis_client):
    store = EscalationConfigStore(redis_client)
    bad = calmer()
    bad["emotion"]["labels"]["frustrated"]["min_intensity"] = 7
    with pytest.raises(ConfigError) as raised:
        store.update(bad, actor="mallory")
    assert "min_intensity: must be between 0.0 and 1.0 (got 7)" in str(raised.value)
    assert redis_client.get(CONFIG_KEY) is None and redis_client.xlen(AUDIT_STREAM) == 0


@pytest.mark.parametrize(("actor", "comment"), [("", ""), ("x" * 101, ""), ("alice", "y" * 1001), (None, "")])
def test_an_update_needs_an_actor_and_a_sane_comment(redis_client, actor, comment):
    with pytest.raises(ConfigError, match="actor|comment"):
        EscalationConfigStore(redis_client).update(calmer(), actor=actor, comment=comment)
    assert redis_client.get(CONFIG_KEY) is None


def test_a_damaged_stored_value_falls_back_to_the_defaults(redis_client, caplog):
    redis_client.set(CONFIG_KEY, json.dumps({"version": 4, "config": {"emotion": "broken"}}))
    assert EscalationConfigStore(redis_client).current() == (default_config(), 4)
    redis_client.set(CONFIG_KEY, "not json at all")
    assert EscalationConfigStore(redis_client).current() == (default_config(), 0)
    assert "invalid" in caplog.text or "not JSON" in caplog.text


def test_concurrent_updates_each_get_their_own_version(redis_client):
    store = EscalationConfigStore(redis_client)
    versions: list[int] = []

    def update(name: str) -> None:
        versions.append(store.update(calmer(), actor=name))

    threads = [threading.Thread(target=update, args=(f"admin{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(versions) == list(range(1, 9))
    assert store.current()[1] == 8 and redis_client.xlen(AUDIT_STREAM) == 8
