"""The escalation configuration in Redis: read on every turn, changed by admins, every change audited.

    store = EscalationConfigStore(redis_client)
    config, version = store.current()            # defaults (version 0) while nothing is stored
    version = store.update(data, actor="alice", comment="calmer threshold")   # ConfigError if invalid
    store.audit(limit=20)                        # newest first: actor, ts, version, before, after, comment

Keys: `handoff:escalation:config` (JSON: version, config, actor, updated_at) and the stream
`handoff:escalation:audit`. The version goes up by one per change; an update that races another
is retried, so no change is lost or numbered twice. Readers see a change on their next call
(`cache_seconds` > 0 trades that for fewer Redis reads).
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Tuple

import redis

from handoff.escalation.config import ConfigError, EscalationConfig, default_config, parse_config

logger = logging.getLogger(__name__)

CONFIG_KEY = "handoff:escalation:config"
AUDIT_STREAM = "handoff:escalation:audit"
AUDIT_MAX_ENTRIES = 10_000
MAX_ACTOR_CHARS = 100
MAX_COMMENT_CHARS = 1000
MAX_CONFIG_BYTES = 64 * 1024


class EscalationConfigStore:
    def __init__(
        self,
        redis_client: redis.Redis,
        cache_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis_client
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cached: Optional[Tuple[float, EscalationConfig, int]] = None

    @property
    def redis(self) -> redis.Redis:
        return self._redis

    def current(self) -> Tuple[EscalationConfig, int]:
        """The config in force and its version (0 = the shipped defaults).

        Redis errors propagate (callers decide how to degrade); a stored config that no longer
        parses is logged and the defaults apply, so a bad entry cannot stop the dialogue.
        """
        now = self._clock()
        if self._cached and now - self._cached[0] < self._cache_seconds:
            return self._cached[1], self._cached[2]
        stored = self._load()
        if stored is None:
            config, version = default_config(), 0
        else:
            version = int(stored.get("version", 0))
            try:
                config = parse_config(stored.get("config"))
            except ConfigError as error:
                logger.warning("stored escalation config v%s is invalid, using defaults: %s", version, error)
                config = default_config()
        self._cached = (now, config, version)
        return config, version

    def update(self, data: Dict[str, Any], actor: str, comment: str = "") -> int:
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
                    pipe.watch(CONFIG_KEY)
                    stored = _decode_json(pipe.get(CONFIG_KEY))
                    before = self._before(stored)
                    version = int((stored or {}).get("version", 0)) + 1
                    ts = datetime.now(timezone.utc).isoformat()
                    entry = {"version": version, "config": after, "actor": actor.strip(), "updated_at": ts}
                    audit = {"actor": actor.strip(), "ts": ts, "version": version, "before": before,
                             "after": after, "comment": comment}
                    pipe.multi()
                    pipe.set(CONFIG_KEY, json.dumps(entry))
                    pipe.xadd(AUDIT_STREAM, {"entry": json.dumps(audit, ensure_ascii=False)},
                              maxlen=AUDIT_MAX_ENTRIES, approximate=True)
                    pipe.execute()
                    break
                except redis.WatchError:
                    continue
        self._cached = None
        logger.info("escalation config v%s stored by %s", version, actor.strip())
        return version

    def audit(self, limit: int = 50) -> List[Dict[str, Any]]:
        """The latest changes, newest first."""
        limit = max(1, min(int(limit), 1000))
        entries = self._redis.xrevrange(AUDIT_STREAM, count=limit)
        result = []
        for entry_id, fields in entries:
            raw = fields.get(b"entry", fields.get("entry"))
            item = _decode_json(raw)
            if isinstance(item, dict):
                item["id"] = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
                result.append(item)
        return result

    def _load(self) -> Optional[Dict[str, Any]]:
        stored = _decode_json(self._redis.get(CONFIG_KEY))
        if stored is not None and not isinstance(stored, dict):
            logger.warning("%s does not hold an object; using the defaults", CONFIG_KEY)
            return None
        return stored

    @staticmethod
    def _before(stored: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        if stored and isinstance(stored.get("config"), dict):
            return stored["config"]
        return default_config().to_dict()


def _decode_json(raw: Any) -> Any:
    if raw is None:
        return None
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(raw)
    except ValueError:
        logger.warning("escalation store: a value is not JSON; ignored")
        return None
