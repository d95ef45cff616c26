"""Queue entries from handoff records, and the fields of an entry the consoles show.

Pure functions (no Redis, no database), used by the queue service (handoff/queue/service.py) and
the console APIs.
"""

from datetime import datetime, timezone

from handoff.queue.routing import REASON_BONUS, clamp01, skill_for

# The escalation decision's priority (handoff.v2) on top of distress and waiting time.
PRIORITY_BONUS = {"high": 30.0}


def epoch_of(value: object) -> float | None:
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).timestamp()
    return None


def utc_datetime(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, tz=timezone.utc) if epoch else None


def conversation_from_record(record: dict, package: dict, now: float) -> dict:
    """The queue entry for a handoff record (schema handoff.v1 or handoff.v2)."""
    slots = record.get("slots") or {}
    emotion = record.get("emotion")
    if not isinstance(emotion, dict):  # handoff.v1: the emotion slots only
        emotion = {"label": emotion or slots.get("emotion"), "distress_level": slots.get("distress_level")}
    reason = str(record.get("reason") or "customer_request")[:64]
    profile = (package.get("customer") or {}) if isinstance(package, dict) else {}
    name = (profile.get("name") or profile.get("display_name") or "") if isinstance(profile, dict) else ""
    language = record.get("language") if record.get("language") in ("en", "de") else "en"
    transcript = record.get("transcript") or []
    said = [line for line in transcript if isinstance(line, dict) and line.get("role") == "customer"]
    last = said[-1] if said else {}
    bonus = REASON_BONUS.get(reason, 0.0) + PRIORITY_BONUS.get(str(record.get("priority")), 0.0)
    return {
        "conversation_id": str(record["conversation_id"])[:128],
        "handoff_id": str(record["handoff_id"])[:64],
        "reason": reason,
        "reason_text": str(record.get("reason_text") or reason)[:1000],
        "language": language,
        "skill": skill_for(reason, record.get("skill")),
        "distress": f"{clamp01(emotion.get('distress_level')):.3f}",
        "emotion": str(emotion.get("label") or "neutral")[:32],
        "bonus": str(bonus),
        # Never later than now: a clock ahead of ours must not rank a case below its wait.
        "requested_at": f"{min(epoch_of(record.get('created_at')) or now, now):.3f}",
        "customer_id": str(record.get("customer_id") or "")[:32],
        "customer_name": str(name)[:80],
        "last_message": str(last.get("text") or "")[:300],
        "last_message_at": f"{epoch_of(last.get('timestamp')) or now:.3f}" if last else "",
    }


def emotion_path(record: dict) -> list[dict]:
    """The customer's emotion per turn from the record's timeline (handoff.v2), if any."""
    path = []
    for item in record.get("emotion_timeline") or []:
        if isinstance(item, dict) and item.get("label"):
            path.append(
                {
                    "turn": item.get("turn"),
                    "label": str(item["label"])[:32],
                    "intensity": clamp01(item.get("intensity")),
                }
            )
    return path


def public_row(row: dict) -> dict:
    """The fields of a queue entry the consoles show."""
    keys = (
        "conversation_id",
        "state",
        "skill",
        "language",
        "reason",
        "reason_text",
        "emotion",
        "distress",
        "agent",
        "agent_display",
        "customer_id",
        "customer_name",
        "requested_at",
        "claimed_at",
        "position",
        "contact_request",
        "last_message",
        "last_message_at",
    )
    out = {key: row.get(key, "") for key in keys}
    out["distress"] = clamp01(row.get("distress"))
    out["requested_at"] = float(row.get("requested_at") or 0)
    out["last_message_at"] = float(row.get("last_message_at") or 0) or None
    return out
