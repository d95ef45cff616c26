"""Admin: outcome figures (overall, per day, per intent) and their CSV export."""

import asyncio
from datetime import datetime, timedelta, timezone
from typing import Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from contracts.display_names import display_names
from contracts.emotion.taxonomy import load_taxonomy
from admin.dashboard import care, export, figures
from admin.deps import Admin, AdminUser

router = APIRouter(prefix="/api/admin/dashboard", tags=["admin"])
MAX_DAYS = 366
COLUMNS: dict[str, tuple[str, ...]] = {
    "daily": (
        "key",
        "conversations",
        "containment_rate",
        "handoff_rate",
        "fcr_rate",
        "resolution_median_seconds",
        "wait_mean_seconds",
        "csat_mean",
        "csat_count",
        "started_in_distress",
        "left_distress",
    ),
}
COLUMNS["intents"] = COLUMNS["daily"]
COLUMNS["conversations"] = export.CONVERSATION_COLUMNS


def _range(days: int, until: datetime | None) -> tuple[datetime, datetime]:
    end = until or datetime.now(timezone.utc)
    if end.tzinfo is None:
        end = end.replace(tzinfo=timezone.utc)
    return end - timedelta(days=days), end


def _records(admin: Admin, since: datetime, until: datetime) -> tuple[list[dict], frozenset[str]]:
    with admin.session_factory() as session:
        records = [dict(record) for record in admin.host.outcome_records(session, since, until)]
    config, _ = admin.escalation.current()
    return records, frozenset(config.always_escalate.intents) | frozenset(config.explicit_request.intents)


async def _load(admin: Admin, days: int, until: datetime | None) -> tuple:
    since, end = _range(days, until)
    return since, end, *await asyncio.to_thread(_records, admin, since, end)


@router.get("")
async def dashboard(
    _user: AdminUser, admin: Admin, days: int = Query(30, ge=1, le=MAX_DAYS), until: datetime | None = None
) -> dict:
    since, end, records, person = await _load(admin, days, until)
    incidents = await asyncio.to_thread(admin.incidents.list)
    names = {i.incident_id: i.text("en").summary[:80] for i in incidents}
    overview = figures.overview(records, person)
    intents = figures.per_intent(records, person)
    return {
        "since": since.isoformat(),
        "until": end.isoformat(),
        "overview": overview,
        "daily": figures.per_day(records, person),
        "intents": intents,
        "emotion_by_turn": figures.emotion_by_turn(records),
        "care": care.care(records),
        "incidents": care.contacts_per_incident(records, names),
        # The console charts emotions in the taxonomy's order, from the one label list.
        "emotion_labels": load_taxonomy().names,
        # Readable names (contracts/display_names.yml) for the codes these figures mention.
        "labels": {
            "intents": display_names("intents", [row["key"] for row in intents]),
            "reasons": display_names("reasons", list(overview["handoffs"]["reasons"])),
        },
    }


@router.get(".csv")
async def dashboard_csv(
    _user: AdminUser,
    admin: Admin,
    table: Literal["daily", "intents", "conversations"] = "daily",
    days: int = Query(30, ge=1, le=MAX_DAYS),
    until: datetime | None = None,
) -> Response:
    _, _, records, person = await _load(admin, days, until)
    if table == "daily":
        rows = figures.per_day(records, person)
    elif table == "intents":
        rows = figures.per_intent(records, person)
    else:
        rows = records
    if len(rows) > 100_000:
        raise HTTPException(413, "too many rows; choose fewer days")
    return Response(
        export.to_csv(rows, COLUMNS[table]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="outcomes-{table}.csv"'},
    )
