"""GET /api/supervisor/overview: live figures, the roster and the conversations at risk, gathered
from the queue (Redis) and today's outcome records (SQL, read in a worker thread)."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from handoff.assist.lines import read_lines
from handoff.core.config import HandoffSettings
from handoff.outcomes.model import ConversationOutcome
from handoff.queue.entries import public_row
from handoff.queue.store import QueueStore
from handoff.supervision.risk import RiskInputs, rise_of, score, unanswered_since
from handoff.supervision.roster import RosterPolicy, roster_entry


def day_start(now: float) -> float:
    """Midnight UTC of `now`: "today" for CSAT, the same day for every instance."""
    moment = datetime.fromtimestamp(now, tz=timezone.utc)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def csat_since(session_factory: sessionmaker, since: float) -> dict:
    moment = datetime.fromtimestamp(since, tz=timezone.utc)
    when = func.coalesce(ConversationOutcome.ended_at, ConversationOutcome.started_at)
    query = select(func.avg(ConversationOutcome.csat), func.count(ConversationOutcome.csat)).where(
        ConversationOutcome.csat.is_not(None), when >= moment
    )
    with session_factory() as session:
        mean, count = session.execute(query).one()
    return {"mean": round(float(mean), 2) if count else None, "count": int(count or 0)}


async def build_overview(queue: QueueStore, session_factory: sessionmaker, settings: HandoffSettings) -> dict:
    now = time.time()
    rows = [r for r in await queue.many(await queue.live_ids()) if r.get("state") in ("queued", "assigned")]
    agents = await queue.agent_states(now)
    names = [a.username for a in agents]
    profiles = await queue.agent_profiles(names)
    histories = await queue.claim_history(names)
    policy = RosterPolicy(queue.rules, now - settings.shift_hours * 3600, settings.heavy_run_nudge)
    active = {name: sum(1 for r in rows if r.get("agent") == name and r.get("state") == "assigned") for name in names}
    roster = [
        roster_entry(a, profiles[a.username]["display_name"], histories[a.username], active[a.username], now, policy)
        for a in agents
        if profiles[a.username]["role"] in ("agent", "")
    ]
    struggling = {entry["username"] for entry in roster if entry["needs_pause"]}
    conversations = [await _at_risk(queue, row, now, struggling) for row in rows]
    conversations.sort(key=lambda c: (-c["risk"]["score"], -c["waited_seconds"], c["conversation_id"]))
    queued = [c for c in conversations if c["state"] == "queued"]
    csat = await asyncio.to_thread(csat_since, session_factory, day_start(now))
    return {
        "kpis": {
            "waiting": len(queued),
            "longest_wait_seconds": max((c["waited_seconds"] for c in queued), default=0),
            "in_progress": len(conversations) - len(queued),
            "csat_today": csat,
        },
        "agents": roster,
        "conversations": conversations,
        "risk_levels": {"high": 60, "medium": 35},
    }


async def _at_risk(queue: QueueStore, row: dict, now: float, struggling: set[str]) -> dict:
    lines = read_lines(await queue.messages(row["conversation_id"], include_private=False))
    queued = row.get("state") == "queued"
    if queued:
        waited = now - float(row.get("requested_at") or now)
    else:
        since = unanswered_since(lines)
        waited = now - since if since else 0.0
    public = public_row(row)
    inputs = RiskInputs(
        distress=public["distress"],
        rise=rise_of(lines),
        waited_s=max(0.0, waited),
        queued=queued,
        agent_struggling=row.get("agent") in struggling,
    )
    risk = score(inputs)
    return {
        **public,
        "waited_seconds": int(inputs.waited_s),
        "risk": {"score": risk.score, "level": risk.level, "reasons": risk.reasons},
    }
