"""What waiting customers are told about their place in the queue and their expected wait, and
the refresh of it after a claim or an end, off the request path.

A claim moves everyone behind it up one place, so refreshing inline made each claim tell every
waiting customer their new position before answering the agent: 20 agents claiming at once did
that 20 times over. Now a claim asks for a refresh and returns; one refresh runs at a time, and
however many requests come while it runs make one more run after it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from redis.exceptions import RedisError

from handoff.core.config import HandoffSettings
from handoff.queue.routing import AgentState, QueuedCase, queue_position, rank, serving_agents
from handoff.queue.rank_index import case_of, ranking_rows
from handoff.queue.store import QueueStore
from handoff.queue.wait_estimate import WaitEstimate, WaitPolicy, estimate_wait
from handoff.relay.deliveries import Deliveries

logger = logging.getLogger(__name__)

# The entry fields that hold what a waiting customer was last told (`_remember`).
TOLD_FIELDS = ("position", "wait_range")


class CoalescedRefresh:
    def __init__(self, refresh: Callable[[], Awaitable[None]]) -> None:
        self._refresh = refresh
        self._task: asyncio.Task | None = None
        self._again = False

    def request(self) -> None:
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.create_task(self._run(), name="refresh queue positions")

    async def _run(self) -> None:
        while True:
            self._again = False
            try:
                await self._refresh()
            except (RedisError, OSError) as error:
                # The housekeeping loop refreshes again within status_interval_seconds.
                logger.warning("queue positions not refreshed: %s", type(error).__name__)
            if not self._again:
                return

    async def wait(self) -> None:
        """Until the running refresh (and the one it owes) is done; for shutdown and tests."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)


class PositionNotices:
    """Each waiting customer's position and expected wait, stored on their entry and delivered."""

    def __init__(self, queue: QueueStore, settings: HandoffSettings, deliveries: Deliveries) -> None:
        self.queue = queue
        self.settings = settings
        self.deliveries = deliveries

    @property
    def wait_policy(self) -> WaitPolicy:
        return WaitPolicy(
            default_handle_seconds=self.settings.default_handle_seconds,
            min_samples=self.settings.handle_min_samples,
            long_wait_seconds=self.settings.long_wait_seconds,
        )

    async def _estimate(
        self, position: int, case: QueuedCase, agents: list[AgentState], samples: list[str] | None = None
    ) -> WaitEstimate:
        policy = self.wait_policy
        if samples is None:
            samples = await self.queue.handle_samples(case.skill, policy.min_samples)
        return estimate_wait(position, samples, serving_agents(agents, case), policy)

    def _remember(self, pipe, cid: str, estimate: WaitEstimate) -> None:  # noqa: ANN001
        pipe.hset(
            self.queue.conv_key(cid),
            mapping={
                "position": estimate.position,
                "estimated_wait_s": estimate.high_seconds or estimate.low_seconds,
                "wait_range": estimate.label,
            },
        )

    async def notify(self, cid: str, *, requeued: bool = False) -> None:
        row = await self.queue.get(cid)
        if not row or row.get("state") != "queued":
            return
        now = time.time()
        cases = await self.queue.queued_cases()
        case = case_of(row)
        position = queue_position(case, cases, self.queue.rules)
        estimate = await self._estimate(position, case, await self.queue.agent_states(now))
        async with self.queue.redis.pipeline(transaction=False) as pipe:
            self._remember(pipe, cid, estimate)
            await pipe.execute()
        await self.deliveries.queued(cid, row.get("language", "en"), estimate, requeued=requeued)

    async def refresh_all(self) -> None:
        """Sends each waiting customer their position and wait when either changed (one ranking
        per queue); the wait is a range, so the same position keeps the same words."""
        now = time.time()
        # What ranking needs and what each was told: HMGET, not the whole entries (every claim asks).
        found = await ranking_rows(self.queue.redis, self.settings, await self.queue.queued_ids(), TOLD_FIELDS)
        rows = [row for row in found.values() if row.get("state") == "queued"]
        if not rows:
            return
        agents = await self.queue.agent_states(now)
        groups: dict[tuple[str, str], list] = {}
        for row in rows:
            case = case_of(row)
            groups.setdefault((case.skill, case.language), []).append(case)
        told = {row["conversation_id"]: (row.get("position"), row.get("wait_range")) for row in rows}
        enough = self.wait_policy.min_samples
        samples = {skill: await self.queue.handle_samples(skill, enough) for skill, _language in groups}
        async with self.queue.redis.pipeline(transaction=False) as pipe:
            for (skill, _language), cases in groups.items():
                for position, case in enumerate(rank(cases, self.queue.rules), start=1):
                    estimate = await self._estimate(position, case, agents, samples[skill])
                    if (str(position), estimate.label) == told.get(case.conversation_id):
                        continue
                    self._remember(pipe, case.conversation_id, estimate)
                    payload = self.deliveries.queued_payload(case.conversation_id, case.language, estimate)
                    pipe.xadd(self.deliveries.stream, {"payload": payload}, maxlen=100_000, approximate=True)
            await pipe.execute()
