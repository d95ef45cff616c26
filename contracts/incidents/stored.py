"""Incidents as stored in Redis, shared by their writer and their readers.

    raw = redis.hgetall(INCIDENTS_KEY)             # incident id -> JSON of Incident.to_dict()
    incidents = incidents_from_stored(raw)         # entries that do not parse are skipped (logged)
    redis.xadd(INCIDENTS_AUDIT_STREAM, {AUDIT_FIELD: audit_entry(...)})

Only the admin console writes (admin/incidents/store.py); the action server and the handoff
service read. Closed incidents stay in the hash (the dashboard names them); readers filter.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Mapping, Optional

from contracts.incidents.model import Incident, IncidentError, parse_incident
from contracts.redis_keys import INCIDENTS_AUDIT_STREAM, INCIDENTS_KEY

logger = logging.getLogger(__name__)

__all__ = ["INCIDENTS_AUDIT_STREAM", "INCIDENTS_KEY", "AUDIT_FIELD", "audit_entry", "incidents_from_stored"]

AUDIT_FIELD = "entry"


def _text(raw: Any) -> str:
    return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)


def incident_from_stored(raw: Any) -> Optional[Incident]:
    try:
        return parse_incident(json.loads(_text(raw)))
    except (ValueError, IncidentError) as error:
        logger.warning("a stored incident does not parse; skipped (%s)", str(error)[:200])
        return None


def incidents_from_stored(raw: Mapping[Any, Any]) -> List[Incident]:
    """Every stored incident that parses, newest change first."""
    incidents = [incident for value in (raw or {}).values() if (incident := incident_from_stored(value))]
    return sorted(incidents, key=lambda incident: incident.updated_at, reverse=True)


def audit_entry(
    actor: str, ts: str, action: str, incident_id: str, version: int, after: Dict[str, Any], comment: str = ""
) -> str:
    return json.dumps(
        {
            "actor": actor,
            "ts": ts,
            "action": action,
            "incident_id": incident_id,
            "version": version,
            "after": after,
            "comment": comment,
        },
        ensure_ascii=False,
    )
