"""What an agent sees of the queue at one moment: the waiting rows, ranked, each with whether this
agent may take it now. Read by the queue list (GET /api/queue) and by claim next."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from handoff.auth.tokens import AuthUser
from handoff.queue.entries import public_row
from handoff.queue.routing import AgentState, QueuedCase, offer_refusal, rank
from handoff.queue.store import QueueStore, case_of


@dataclass
class QueueSnapshot:
    me: AgentState
    agents: list[AgentState]
    rows: dict[str, dict]
    ranked: list[QueuedCase]


async def snapshot(queue: QueueStore, user: AuthUser, now: float) -> QueueSnapshot:
    """The waiting conversations best first, the agents, and this agent (registered on first sight)
    with the skills and languages of their sign-in."""
    me, agents = await _agents(queue, user, now)
    rows = {row["conversation_id"]: row for row in await queue.many(await queue.queued_ids())}
    return QueueSnapshot(me, agents, rows, _ranked(rows, now, queue))


async def _agents(queue: QueueStore, user: AuthUser, now: float) -> tuple[AgentState, list[AgentState]]:
    agents = await queue.agent_states(now)
    me = next((a for a in agents if a.username == user.username), None)
    if me is None:
        await queue.register_agent(user)
        me = await queue.agent_state(user.username, now)
    me.skills, me.languages = list(user.skills), list(user.languages)
    return me, agents


def _ranked(rows: dict[str, dict], now: float, queue: QueueStore) -> list[QueuedCase]:
    return rank([case_of(row) for row in rows.values() if row.get("state") == "queued"], now, queue.rules)


class SharedRanking:
    """Claim next's view of the queue: the waiting conversations ranked, with only the fields
    ranking reads, and one read shared by every claim that asks while it is under way.

    Reading and parsing every waiting entry is most of a claim's work; 20 agents claiming at once
    did it 20 times over on the one event loop. A candidate taken since the read is skipped by the
    atomic claim (store.CLAIM_FIRST), so a shared read never gives a conversation twice. The order
    does not depend on the time (every waiting case gains the same per minute), so one ranking
    serves all the requests that share it.
    """

    def __init__(self, queue: QueueStore) -> None:
        self.queue = queue
        self._read: asyncio.Task | None = None

    async def view(self, user: AuthUser, now: float) -> QueueSnapshot:
        me, agents = await _agents(self.queue, user, now)
        if self._read is None or self._read.done():
            self._read = asyncio.create_task(self._load(now), name="read the queue for claim next")
        # Shielded: a request that goes away does not cancel the read the others wait for.
        rows, ranked = await asyncio.shield(self._read)
        return QueueSnapshot(me, agents, rows, ranked)

    async def _load(self, now: float) -> tuple[dict[str, dict], list[QueuedCase]]:
        rows = {row["conversation_id"]: row for row in await self.queue.queued_for_ranking()}
        return rows, _ranked(rows, now, self.queue)


def claimable(view: QueueSnapshot, now: float, queue: QueueStore) -> list[str]:
    """The ids this agent may take now, best first: claim next's candidates."""
    return [
        case.conversation_id
        for case in view.ranked
        if offer_refusal(view.me, case, now, queue.rules, view.agents) is None
    ]


def visible_rows(view: QueueSnapshot, user: AuthUser, now: float, queue: QueueStore) -> list[dict]:
    """The rows this user may see (their skills and languages; supervisors all), best first."""
    shown = []
    for case in view.ranked:
        if case.skill not in view.me.skills or case.language not in view.me.languages:
            if not user.has_role("supervisor"):
                continue
        refusal = offer_refusal(view.me, case, now, queue.rules, view.agents)
        shown.append(
            {
                **public_row(view.rows[case.conversation_id]),
                "waiting_seconds": int(now - case.requested_at),
                "claimable": refusal is None,
                "not_claimable_because": refusal,
            }
        )
    return shown
