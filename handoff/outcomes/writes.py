"""Outcome records written in a worker thread, one at a time in the order asked, so the event loop
never waits on the database and a later write never lands before an earlier one.

`write` waits for its record; `write_soon` does not (a claim answers the agent first, its record
follows): its failure is logged, and `wait` lets shutdown and tests see every write finish.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import sessionmaker

from handoff.outcomes.store import upsert_outcome

logger = logging.getLogger(__name__)


class OutcomeWrites:
    def __init__(self, session_factory: sessionmaker) -> None:
        self._sessions = session_factory
        self._last: asyncio.Task | None = None
        self._pending: set[asyncio.Task] = set()

    async def write(self, conversation_id: str, **fields: object) -> None:
        # Shielded: a request that goes away does not cancel a write the later ones wait behind.
        await asyncio.shield(self._submit(conversation_id, fields))

    def write_soon(self, conversation_id: str, **fields: object) -> None:
        self._submit(conversation_id, fields).add_done_callback(_log_failure)

    async def wait(self) -> None:
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    def _submit(self, conversation_id: str, fields: dict) -> asyncio.Task:
        task = asyncio.create_task(self._run(self._last, conversation_id, fields), name="write an outcome")
        self._last = task
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)
        return task

    async def _run(self, previous: asyncio.Task | None, conversation_id: str, fields: dict) -> None:
        if previous is not None:
            await asyncio.gather(previous, return_exceptions=True)

        def write() -> None:
            with self._sessions() as session:
                upsert_outcome(session, conversation_id, **fields)

        await asyncio.to_thread(write)


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.warning("outcome record not written: %s", type(task.exception()).__name__)
