"""CSV export of the dashboard tables (plain values; cells that look like formulas are quoted)."""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

CONVERSATION_COLUMNS = (
    "conversation_id",
    "language",
    "started_at",
    "ended_at",
    "resolved_by",
    "primary_intent",
    "handoff_reason",
    "wait_seconds",
    "handle_seconds",
    "csat",
    "outcome_code",
    "first_contact",
    "proactive",
    "emotion_start",
    "emotion_peak",
    "emotion_end",
    "agent_username",
)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    # A spreadsheet would run a cell starting with = + - @ as a formula.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return buffer.getvalue()
