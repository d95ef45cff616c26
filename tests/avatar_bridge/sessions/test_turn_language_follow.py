"""A turn in which the customer switched language stores the language only, never a stale routing."""

import asyncio
from types import SimpleNamespace

from avatar_bridge.sessions.store import SessionRecord
from avatar_bridge.sessions.turns import TurnRunner


class RecordingStore:
    def __init__(self) -> None:
        self.saved: list[tuple[SessionRecord, tuple[str, ...]]] = []

    async def save(self, record: SessionRecord, *only: str) -> None:
        self.saved.append((record, only))


def follow(record: SessionRecord, language: str) -> RecordingStore:
    store = RecordingStore()
    runner = SimpleNamespace(_hub=SimpleNamespace(store=store))
    planned = [SimpleNamespace(language=language)]
    asyncio.run(TurnRunner._follow_language(runner, SimpleNamespace(record=record), planned))  # type: ignore[arg-type]
    return store


def test_a_switch_writes_only_the_language() -> None:
    # This socket's copy still says "bot"; a handoff's "queued" status may have switched the stored
    # record to "agent" meanwhile, and that must stay.
    record = SessionRecord(session_id="s1", language="en", routing="bot")
    store = follow(record, "de")
    assert store.saved == [(record, ("language",))] and record.language == "de"


def test_no_switch_writes_nothing() -> None:
    assert follow(SessionRecord(session_id="s1", language="de"), "de").saved == []
