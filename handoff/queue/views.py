"""What an agent sees of the queue at one moment: the waiting rows, ranked, each with whether this
agent may take it now. Read by the queue list (GET /api/queue); claim next reads the ranked
index instead (handoff/queue/claim_next.py)."""

from __future__ import annotations

from dataclasses import dataclass

from handoff.auth.tokens import AuthUser
from handoff.queue.entries import public_row
from handoff.queue.routing import AgentState, QueuedCase, offer_refusal, rank
from handoff.queue.rank_index import case_of
from handoff.queue.store import QueueStore


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
    return QueueSnapshot(me, agents, rows, _ranked(rows, queue))


async def _agents(queue: QueueStore, user: AuthUser, now: float) -> tuple[AgentState, list[AgentState]]:
    agents = await queue.agent_states(now)
    me = next((a for a in agents if a.username == user.username), None)
    if me is None:
        await queue.register_agent(user)
        me = await queue.agent_state(user.username, now)
    me.skills, me.languages = list(user.skills), list(user.languages)
    return me, agents


def _ranked(rows: dict[str, dict], queue: QueueStore) -> list[QueuedCase]:
    return rank([case_of(row) for row in rows.values() if row.get("state") == "queued"], queue.rules)


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
