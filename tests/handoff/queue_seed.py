"""Waiting conversations put straight into the handoff service's own queue store (QueueStore.enqueue,
the step intake ends with), many at once: no stream, no SQL outcome, no context building.

`seed_waiting` is a coroutine for the service's event loop (``client.portal.call``) or a thread of
its own (``asyncio.run``); `varied_cases(n)` gives n cases that differ in every listed field.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone

from redis.asyncio import Redis

from contracts.handoff_record import build_record, transcript_line
from handoff.core.config import HandoffSettings
from handoff.queue.entries import conversation_from_record
from handoff.queue.store import QueueStore

NAMES = ("Anna Berg", "James Carter", "Lena Vogel", "Omar Haddad", "Priya Nair", "Tom Fischer", "Zoe Martin")
REASONS = (
    ("billing_double_charge", "billing", "Charged twice for one order"),
    ("payment_failed", "billing", "A payment failed"),
    ("technical_problem", "technical", "The app does not load"),
    ("customer_request", "general", "Asked for a person"),
)
EMOTIONS = (("neutral", 0.1), ("frustrated", 0.7), ("anxious", 0.5), ("sad", 0.4), ("confused", 0.3))


@dataclass(frozen=True)
class Case:
    conversation_id: str
    name: str
    reason: str
    skill: str
    reason_text: str
    language: str
    emotion: str
    distress: float
    waited_seconds: float
    last_message: str


def varied_cases(count: int, prefix: str = "seed") -> list[Case]:
    cases = []
    for i in range(count):
        reason, skill, text = REASONS[i % len(REASONS)]
        emotion, distress = EMOTIONS[i % len(EMOTIONS)]
        cases.append(
            Case(
                conversation_id=f"{prefix}-{i:04d}",
                name=f"{NAMES[i % len(NAMES)]} {i}",
                reason=reason,
                skill=skill,
                reason_text=text,
                language="de" if i % 3 == 2 else "en",
                emotion=emotion,
                distress=distress,
                waited_seconds=30 + 7 * i,
                last_message=f"Message number {i} about order A{1000 + i}",
            )
        )
    return cases


def record_of(case: Case, now: float) -> dict:
    requested = now - case.waited_seconds
    return build_record(
        conversation_id=case.conversation_id,
        language=case.language,
        reasons=[{"code": case.reason, "text": case.reason_text}],
        skill=case.skill,
        priority="normal",
        emotion={"label": case.emotion, "intensity": case.distress, "distress_level": case.distress},
        transcript=[transcript_line("customer", case.last_message, requested - 5)],
        now=datetime.fromtimestamp(requested, tz=timezone.utc),
    )


async def seed_waiting(settings: HandoffSettings, cases: list[Case]) -> None:
    redis = Redis.from_url(settings.redis_url, decode_responses=True)
    try:
        store = QueueStore(redis, settings)
        now = time.time()
        for case in cases:
            package = {"customer": {"name": case.name}}
            await store.enqueue(conversation_from_record(record_of(case, now), package, now), package)
    finally:
        await redis.aclose()
