"""The escalation configuration in Redis, as the admin console changes it: every change audited.

    store = EscalationConfigStore(redis_client)
    config, version = store.current()            # defaults (version 0) while nothing is stored
    version = store.update(data, actor="alice", comment="calmer threshold")   # ConfigError if invalid
    store.audit(limit=20)                        # newest first: actor, ts, version, before, after, comment

Keys and the stored form: contracts/escalation/stored.py (the action server reads the same key).
The version goes up by one per change; an update that races another is retried, so no change is
lost or numbered twice.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any

import redis

from contracts.escalation.config import ConfigError, EscalationConfig, default_config, parse_config
from contracts.escalation.stored import (
    AUDIT_FIELD,
    ESCALATION_AUDIT_STREAM,
    ESCALATION_CONFIG_KEY,
    audit_entry,
    config_from_stored,
    decode_json,
    stored_entry,
    stored_object,
)

logger = logging.getLogger(__name__)

AUDIT_MAX_ENTRIES = 10_000
MAX_ACTOR_CHARS = 100
MAX_COMMENT_CHARS = 1000
MAX_CONFIG_BYTES = 64 * 1024


class EscalationConfigStore:
    def __init__(self, redis_client: redis.Redis) -> None:
        self._redis = redis_client

    @property
    def redis(self) -> redis.Redis:
        return self._redis

    def current(self) -> tuple[EscalationConfig, int]:
        """The config in force and its version (0 = the shipped defaults); Redis errors propagate."""
        return config_from_stored(self._redis.get(ESCALATION_CONFIG_KEY))

    def update(self, data: dict[str, Any], actor: str, comment: str = "") -> int:
        """Validate and store `data` as the new config; returns its version. Raises ConfigError."""
        problems = []
        if not isinstance(actor, str) or not actor.strip() or len(actor) > MAX_ACTOR_CHARS:
            problems.append(f"actor: must be a non-empty name of at most {MAX_ACTOR_CHARS} characters")
        if not isinstance(comment, str) or len(comment) > MAX_COMMENT_CHARS:
            problems.append(f"comment: must be text of at most {MAX_COMMENT_CHARS} characters")
        try:
            config = parse_config(data)
        except ConfigError as error:
            problems.extend(error.problems)
        if problems:
            raise ConfigError(problems)
        after = config.to_dict()
        if len(json.dumps(after)) > MAX_CONFIG_BYTES:
            raise ConfigError([f"the configuration is larger than {MAX_CONFIG_BYTES // 1024} KB"])
        with self._redis.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(ESCALATION_CONFIG_KEY)
                    stored = stored_object(pipe.get(ESCALATION_CONFIG_KEY))
                    before = _before(stored)
                    version = int((stored or {}).get("version", 0)) + 1
                    ts = datetime.now(timezone.utc).isoformat()
                    pipe.multi()
                    pipe.set(ESCALATION_CONFIG_KEY, stored_entry(config, version, actor.strip(), ts))
                    pipe.xadd(
                        ESCALATION_AUDIT_STREAM,
                        {AUDIT_FIELD: audit_entry(actor.strip(), ts, version, before, after, comment)},
                        maxlen=AUDIT_MAX_ENTRIES,
                        approximate=True,
                    )
                    pipe.execute()
                    break
                except redis.WatchError:
                    continue
        logger.info("escalation config v%s stored by %s", version, actor.strip())
        return version

    def audit(self, limit: int = 50) -> list[dict[str, Any]]:
        """The latest changes, newest first."""
        limit = max(1, min(int(limit), 1000))
        entries = self._redis.xrevrange(ESCALATION_AUDIT_STREAM, count=limit)
        result = []
        for entry_id, fields in entries:
            item = decode_json(fields.get(AUDIT_FIELD.encode(), fields.get(AUDIT_FIELD)))
            if isinstance(item, dict):
                item["id"] = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
                result.append(item)
        return result


def _before(stored: dict[str, Any] | None) -> dict[str, Any]:
    if stored and isinstance(stored.get("config"), dict):
        return stored["config"]
    return default_config().to_dict()
