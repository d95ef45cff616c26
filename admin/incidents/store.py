"""Publishing, updating and closing incidents: every change audited.

    store = IncidentStore(redis_client)
    incident = store.create(data, actor="sam")          # IncidentError when invalid
    incident = store.update(incident.incident_id, data, actor="sam", comment="new timeline")
    incident = store.close(incident.incident_id, actor="sam")
    store.list(active_only=True); store.audit(incident_id=..., limit=20)

Each change raises the incident's version by one: readers that told a customer version 2 know
that version 3 is news. Changes to one incident that race are retried (WATCH), so none is lost.
"""

from __future__ import annotations

import json
import logging
import secrets
from datetime import datetime, timezone
from typing import Any

import redis

from contracts.incidents.model import Incident, IncidentError, parse_incident
from contracts.incidents.stored import (
    AUDIT_FIELD,
    INCIDENTS_AUDIT_STREAM,
    INCIDENTS_KEY,
    audit_entry,
    incident_from_stored,
    incidents_from_stored,
)

logger = logging.getLogger(__name__)

AUDIT_MAX_ENTRIES = 10_000
MAX_ACTOR_CHARS = 100
MAX_COMMENT_CHARS = 1000
MAX_INCIDENTS = 200  # active and closed; the oldest closed ones make room


class UnknownIncident(LookupError):
    pass


class IncidentStore:
    def __init__(self, redis_client: redis.Redis) -> None:
        self._redis = redis_client

    def list(self, active_only: bool = False) -> list[Incident]:
        incidents = incidents_from_stored(self._redis.hgetall(INCIDENTS_KEY))
        return [incident for incident in incidents if incident.active or not active_only]

    def get(self, incident_id: str) -> Incident:
        incident = incident_from_stored(self._redis.hget(INCIDENTS_KEY, incident_id) or b"null")
        if incident is None:
            raise UnknownIncident(incident_id)
        return incident

    def create(self, data: dict[str, Any], actor: str, comment: str = "") -> Incident:
        _check_actor(actor, comment)
        checked = parse_incident({"scope": data.get("scope"), "texts": data.get("texts")})
        now = _now()
        incident = Incident(
            incident_id=f"inc-{secrets.token_hex(6)}",
            version=1,
            status="active",
            scope=checked.scope,
            texts=checked.texts,
            created_at=now,
            updated_at=now,
            updated_by=actor.strip(),
        )
        self._make_room()
        with self._redis.pipeline() as pipe:
            pipe.hset(INCIDENTS_KEY, incident.incident_id, json.dumps(incident.to_dict(), ensure_ascii=False))
            self._audit(pipe, incident, "published", comment)
            pipe.execute()
        logger.info("incident %s published by %s", incident.incident_id, actor.strip())
        return incident

    def update(self, incident_id: str, data: dict[str, Any], actor: str, comment: str = "") -> Incident:
        _check_actor(actor, comment)
        checked = parse_incident({"scope": data.get("scope"), "texts": data.get("texts")})
        return self._change(incident_id, actor, comment, "updated", scope=checked.scope, texts=checked.texts)

    def close(self, incident_id: str, actor: str, comment: str = "") -> Incident:
        _check_actor(actor, comment)
        return self._change(incident_id, actor, comment, "closed", status="closed")

    def audit(self, incident_id: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """The latest changes, newest first (of one incident when given)."""
        limit = max(1, min(int(limit), 1000))
        result = []
        # An incident's entries are a few among everyone's: read further back when filtering.
        for entry_id, fields in self._redis.xrevrange(INCIDENTS_AUDIT_STREAM, count=limit if not incident_id else 5000):
            raw = fields.get(AUDIT_FIELD.encode(), fields.get(AUDIT_FIELD))
            try:
                item = json.loads(raw)
            except (TypeError, ValueError):
                continue
            if not isinstance(item, dict) or (incident_id and item.get("incident_id") != incident_id):
                continue
            item["id"] = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
            result.append(item)
            if len(result) >= limit:
                break
        return result

    def _change(self, incident_id: str, actor: str, comment: str, action: str, **changes: Any) -> Incident:
        with self._redis.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(INCIDENTS_KEY)
                    current = incident_from_stored(pipe.hget(INCIDENTS_KEY, incident_id) or b"null")
                    if current is None:
                        raise UnknownIncident(incident_id)
                    if not current.active:
                        raise IncidentError(["this incident is closed; publish a new one"])
                    incident = Incident(
                        incident_id=current.incident_id,
                        version=current.version + 1,
                        status=changes.get("status", current.status),
                        scope=changes.get("scope", current.scope),
                        texts=changes.get("texts", current.texts),
                        created_at=current.created_at,
                        updated_at=_now(),
                        updated_by=actor.strip(),
                    )
                    pipe.multi()
                    pipe.hset(INCIDENTS_KEY, incident_id, json.dumps(incident.to_dict(), ensure_ascii=False))
                    self._audit(pipe, incident, action, comment)
                    pipe.execute()
                    break
                except redis.WatchError:
                    continue
        logger.info("incident %s %s (v%s) by %s", incident_id, action, incident.version, actor.strip())
        return incident

    def _audit(self, pipe: Any, incident: Incident, action: str, comment: str) -> None:
        entry = audit_entry(
            incident.updated_by,
            incident.updated_at,
            action,
            incident.incident_id,
            incident.version,
            incident.to_dict(),
            comment,
        )
        pipe.xadd(INCIDENTS_AUDIT_STREAM, {AUDIT_FIELD: entry}, maxlen=AUDIT_MAX_ENTRIES, approximate=True)

    def _make_room(self) -> None:
        incidents = self.list()
        if len(incidents) < MAX_INCIDENTS:
            return
        closed = sorted((i for i in incidents if not i.active), key=lambda i: i.updated_at)
        if not closed:
            raise IncidentError([f"at most {MAX_INCIDENTS} incidents; close some first"])
        self._redis.hdel(INCIDENTS_KEY, *[i.incident_id for i in closed[: len(incidents) - MAX_INCIDENTS + 1]])


def _check_actor(actor: str, comment: str) -> None:
    problems = []
    if not isinstance(actor, str) or not actor.strip() or len(actor) > MAX_ACTOR_CHARS:
        problems.append(f"actor: must be a non-empty name of at most {MAX_ACTOR_CHARS} characters")
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT_CHARS:
        problems.append(f"comment: must be text of at most {MAX_COMMENT_CHARS} characters")
    if problems:
        raise IncidentError(problems)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
