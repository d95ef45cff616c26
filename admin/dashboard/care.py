"""Proactive-care and incident figures from outcome records (definitions in docs/admin.md,
"Proactive care and incidents").

- proactive resolutions: conversations in which the assistant raised a known problem before the
  customer asked (``proactive_topics``) and which the assistant then resolved on its own;
- contacts avoided: conversations in which the customer was told of a problem first (a known
  problem or an incident) and resolved by the assistant, after which the same customer did not
  start another conversation within `REPEAT_WINDOW` (within the records looked at);
- contacts per incident: conversations in which each incident came up, told or asked about.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

Record = Mapping[str, Any]
REPEAT_WINDOW = timedelta(days=7)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _came_back(record: Record, starts_by_customer: Mapping[str, list[datetime]]) -> bool:
    ended = _aware(record.get("ended_at")) or _aware(record.get("started_at"))
    if ended is None:
        return False
    return any(ended < start <= ended + REPEAT_WINDOW for start in starts_by_customer.get(record["customer_id"], []))


def care(records: Iterable[Record]) -> dict:
    records = list(records)
    starts_by_customer: dict[str, list[datetime]] = defaultdict(list)
    for record in records:
        if record.get("customer_id") and record.get("started_at"):
            starts_by_customer[record["customer_id"]].append(_aware(record["started_at"]))
    raised = [r for r in records if r.get("proactive_topics")]
    resolved = [r for r in raised if r.get("resolved_by") == "bot"]
    told_first = [r for r in records if r.get("proactive") and r.get("resolved_by") == "bot"]
    avoided = [r for r in told_first if r.get("customer_id") and not _came_back(r, starts_by_customer)]
    topics = Counter(str(t).partition(":")[0] for r in raised for t in r["proactive_topics"])
    return {
        "raised": len(raised),
        "proactive_resolutions": len(resolved),
        "resolution_rate": round(len(resolved) / len(raised), 4) if raised else None,
        "contacts_avoided": len(avoided),
        "topics": dict(topics.most_common()),
    }


def contacts_per_incident(records: Iterable[Record], names: Mapping[str, str]) -> list[dict]:
    """Per incident: conversations it came up in, how many the assistant resolved, its name."""
    counts: Counter = Counter()
    by_bot: Counter = Counter()
    for record in records:
        for incident_id in set(record.get("incidents") or []):
            counts[incident_id] += 1
            by_bot[incident_id] += record.get("resolved_by") == "bot"
    return [
        {"incident_id": i, "name": names.get(i, i), "conversations": n, "resolved_by_bot": by_bot[i]}
        for i, n in counts.most_common()
    ]
