"""Outcome figures from conversation outcome records (pure functions; definitions in docs/admin.md).

Records are mappings with the fields of ``handoff.outcomes.model.ConversationOutcome``.

- containment: of the closed conversations about a routine intent (not one that always goes to a
  person), the share the bot resolved on its own (abandoned ones count as not contained);
- handoff rate: conversations with a handoff request / all conversations; reasons counted;
- first-contact resolution: of the resolved conversations (bot or agent), the share on first contact;
- time to resolution: ended_at − started_at of resolved conversations (mean, median), leaving out
  records without a measurable duration;
- handoff wait: wait_seconds of handed-over conversations (mean, median, 90th percentile);
- CSAT: mean of the given ratings and their distribution 1–5;
- emotion: labels at the start and at the end, the start → end transitions, and how many
  conversations that started in distress ended out of it (or the other way round).
"""

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from contracts.emotion.taxonomy import load_taxonomy

# Labels that count as distress: the taxonomy's `distress: true` (frustrated, anxious, sad).
DISTRESS_LABELS = frozenset(load_taxonomy().distress_names)
Record = Mapping[str, Any]


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds()


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share in 0..1)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _summary(values: list[float]) -> dict[str, float | int | None]:
    return {
        "count": len(values),
        "mean": round(statistics.fmean(values), 2) if values else None,
        "median": round(statistics.median(values), 2) if values else None,
        "p90": percentile(values, 0.9),
    }


def containment(records: Iterable[Record], person_intents: frozenset[str]) -> dict:
    routine = [r for r in records if r.get("resolved_by") and r.get("primary_intent") not in person_intents]
    contained = sum(1 for r in routine if r["resolved_by"] == "bot")
    return {"routine_closed": len(routine), "contained": contained, "rate": _ratio(contained, len(routine))}


def handoffs(records: Iterable[Record]) -> dict:
    records = list(records)
    handed = [r for r in records if r.get("handoff_requested_at") is not None or r.get("handoff_reason")]
    reasons = Counter(r.get("handoff_reason") or "unknown" for r in handed)
    return {
        "conversations": len(records),
        "handoffs": len(handed),
        "rate": _ratio(len(handed), len(records)),
        "reasons": dict(reasons.most_common()),
    }


def first_contact_resolution(records: Iterable[Record]) -> dict:
    resolved = [r for r in records if r.get("resolved_by") in ("bot", "agent")]
    first = sum(1 for r in resolved if r.get("first_contact", True))
    return {"resolved": len(resolved), "first_contact": first, "rate": _ratio(first, len(resolved))}


def time_to_resolution(records: Iterable[Record]) -> dict:
    values = [
        s
        for r in records
        if r.get("resolved_by") in ("bot", "agent")
        # 0 s is a record whose start was never known, not a conversation resolved in no time.
        if (s := _seconds(r.get("started_at"), r.get("ended_at"))) is not None and s > 0
    ]
    return _summary(values)


def handoff_wait(records: Iterable[Record]) -> dict:
    return _summary([float(r["wait_seconds"]) for r in records if r.get("wait_seconds") is not None])


def csat(records: Iterable[Record]) -> dict:
    ratings = [int(r["csat"]) for r in records if r.get("csat") is not None]
    distribution = Counter(ratings)
    return {
        "count": len(ratings),
        "mean": round(statistics.fmean(ratings), 2) if ratings else None,
        "distribution": {str(score): distribution.get(score, 0) for score in range(1, 6)},
    }


def emotions(records: Iterable[Record]) -> dict:
    records = list(records)
    start = Counter(r.get("emotion_start") for r in records if r.get("emotion_start"))
    end = Counter(r.get("emotion_end") for r in records if r.get("emotion_end"))
    transitions = Counter(
        f"{r['emotion_start']}→{r['emotion_end']}" for r in records if r.get("emotion_start") and r.get("emotion_end")
    )
    both = [r for r in records if r.get("emotion_start") and r.get("emotion_end")]
    relieved = sum(1 for r in both if r["emotion_start"] in DISTRESS_LABELS and r["emotion_end"] not in DISTRESS_LABELS)
    worsened = sum(1 for r in both if r["emotion_start"] not in DISTRESS_LABELS and r["emotion_end"] in DISTRESS_LABELS)
    started_distressed = sum(1 for r in both if r["emotion_start"] in DISTRESS_LABELS)
    return {
        "start": dict(start.most_common()),
        "end": dict(end.most_common()),
        "transitions": dict(transitions.most_common()),
        "started_in_distress": started_distressed,
        "left_distress": relieved,
        "went_into_distress": worsened,
        "relief_rate": _ratio(relieved, started_distressed),
    }


def overview(records: Iterable[Record], person_intents: frozenset[str]) -> dict:
    records = list(records)
    return {
        "conversations": len(records),
        "open": sum(1 for r in records if not r.get("resolved_by")),
        "resolved_by": dict(Counter(r.get("resolved_by") or "open" for r in records)),
        "proactive": sum(1 for r in records if r.get("proactive")),
        "containment": containment(records, person_intents),
        "handoffs": handoffs(records),
        "first_contact_resolution": first_contact_resolution(records),
        "time_to_resolution_seconds": time_to_resolution(records),
        "handoff_wait_seconds": handoff_wait(records),
        "csat": csat(records),
        "emotions": emotions(records),
    }


def _row(key: str, group: list[Record], person_intents: frozenset[str]) -> dict:
    figures = overview(group, person_intents)
    return {
        "key": key,
        "conversations": figures["conversations"],
        "containment_rate": figures["containment"]["rate"],
        "handoff_rate": figures["handoffs"]["rate"],
        "fcr_rate": figures["first_contact_resolution"]["rate"],
        "resolution_median_seconds": figures["time_to_resolution_seconds"]["median"],
        "wait_mean_seconds": figures["handoff_wait_seconds"]["mean"],
        "csat_mean": figures["csat"]["mean"],
        "csat_count": figures["csat"]["count"],
        "left_distress": figures["emotions"]["left_distress"],
        "started_in_distress": figures["emotions"]["started_in_distress"],
    }


def per_day(records: Iterable[Record], person_intents: frozenset[str]) -> list[dict]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        started = record.get("started_at")
        groups[started.date().isoformat() if started else "unknown"].append(record)
    return [_row(day, groups[day], person_intents) for day in sorted(groups)]


def per_intent(records: Iterable[Record], person_intents: frozenset[str]) -> list[dict]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[record.get("primary_intent") or "unknown"].append(record)
    rows = [_row(intent, groups[intent], person_intents) for intent in groups]
    return sorted(rows, key=lambda row: (-row["conversations"], row["key"]))


def emotion_by_turn(records: Iterable[Record], max_turns: int = 10) -> list[dict]:
    """Mean distress intensity and label mix per customer turn number, over all conversations."""
    by_turn: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for record in records:
        for position, step in enumerate(record.get("emotion_path") or []):
            turn = int(step.get("turn", position + 1)) if isinstance(step, Mapping) else position + 1
            if 1 <= turn <= max_turns and isinstance(step, Mapping):
                by_turn[turn].append(step)
    rows = []
    for turn in sorted(by_turn):
        steps = by_turn[turn]
        distress = [float(s.get("intensity") or 0) if s.get("label") in DISTRESS_LABELS else 0.0 for s in steps]
        rows.append(
            {
                "turn": turn,
                "count": len(steps),
                "mean_distress": round(statistics.fmean(distress), 3),
                "labels": dict(Counter(s.get("label") for s in steps if s.get("label")).most_common()),
            }
        )
    return rows
