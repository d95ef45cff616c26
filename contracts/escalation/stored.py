"""The escalation configuration as stored in Redis, shared by its writer and its readers.

    raw = redis.get(ESCALATION_CONFIG_KEY)
    config, version = config_from_stored(raw)           # defaults (version 0) while nothing is stored
    redis.set(ESCALATION_CONFIG_KEY, stored_entry(config, version, actor, ts))
    redis.xadd(ESCALATION_AUDIT_STREAM, {"entry": audit_entry(...)})

The key `ESCALATION_CONFIG_KEY` holds JSON {version, config, actor, updated_at}; every change
appends {actor, ts, version, before, after, comment} to `ESCALATION_AUDIT_STREAM` as field `entry`.
Only the admin console writes (admin/escalation/store.py); the action server reads
(bot/actions/escalation_config.py). No Redis client here: each side brings its own.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, Optional, Tuple

from contracts.escalation.config import ConfigError, EscalationConfig, default_config, parse_config
from contracts.redis_keys import ESCALATION_AUDIT_STREAM, ESCALATION_CONFIG_KEY

logger = logging.getLogger(__name__)

__all__ = [
    "ESCALATION_AUDIT_STREAM",
    "ESCALATION_CONFIG_KEY",
    "AUDIT_FIELD",
    "audit_entry",
    "config_from_stored",
    "decode_json",
    "stored_entry",
    "stored_object",
]

AUDIT_FIELD = "entry"


def decode_json(raw: Any) -> Any:
    """A stored JSON value (bytes or str) as data; None when missing or not JSON (logged)."""
    if raw is None:
        return None
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(raw)
    except ValueError:
        logger.warning("escalation config: a stored value is not JSON; ignored")
        return None


def stored_object(raw: Any) -> Optional[Dict[str, Any]]:
    """The stored entry {version, config, ...}, or None when nothing usable is stored."""
    stored = decode_json(raw)
    if stored is not None and not isinstance(stored, dict):
        logger.warning("%s does not hold an object; using the defaults", ESCALATION_CONFIG_KEY)
        return None
    return stored


def config_from_stored(raw: Any) -> Tuple[EscalationConfig, int]:
    """The config in force and its version (0 = the shipped defaults).

    A stored config that no longer parses is logged and the defaults apply, so a bad entry cannot
    stop the dialogue.
    """
    stored = stored_object(raw)
    if stored is None:
        return default_config(), 0
    version = int(stored.get("version", 0))
    try:
        return parse_config(stored.get("config")), version
    except ConfigError as error:
        logger.warning("stored escalation config v%s is invalid, using defaults: %s", version, error)
        return default_config(), version


def stored_entry(config: EscalationConfig, version: int, actor: str, updated_at: str) -> str:
    return json.dumps({"version": version, "config": config.to_dict(), "actor": actor, "updated_at": updated_at})


def audit_entry(actor: str, ts: str, version: int, before: Dict[str, Any], after: Dict[str, Any], comment: str) -> str:
    return json.dumps(
        {"actor": actor, "ts": ts, "version": version, "before": before, "after": after, "comment": comment},
        ensure_ascii=False,
    )
