"""Claim next: the best waiting conversation this agent may take now, claimed in one atomic step,
reading a handful of entries of the ranked index however long the queue is (rank_index.py).

- An agent every case of their routes is open to (routing.takes_any: not paused, load below the
  threshold) gets the best head among their routes' index keys, chosen and claimed inside one
  script (scripts.CLAIM_BEST): agents racing each get the next one, nobody retries, nothing of the
  queue is read into Python.
- An agent some cases are closed to (heavy ones while their load is high, routing.offer_refusal)
  gets the first case they may take among the best CANDIDATES of their routes, read with the fields
  routing needs, claimed by the first still waiting (scripts.CLAIM_FIRST); if none of those is
  theirs to take and more are waiting, it looks further (four times as many each time).
"""

from __future__ import annotations

import time

from handoff.auth.tokens import AuthUser
from handoff.queue import rank_index
from handoff.queue.rank_index import case_of, route_keys
from handoff.queue.routing import AgentState, offer_refusal, takes_any
from handoff.queue.store import QueueStore, agent_of

# Candidates offered to the atomic claim, best first; if all were taken meanwhile (more agents
# racing than candidates), it reads again: never a 404 while a case this agent may take waits.
CANDIDATES = 50


async def agent_for_claim(queue: QueueStore, user: AuthUser, now: float) -> AgentState:
    """This agent's state (registered on first sight) with the skills and languages of their sign-in."""
    async with queue.redis.pipeline(transaction=False) as pipe:
        pipe.hgetall(queue.k("agent", user.username))
        pipe.zscore(queue.k("presence"), user.username)
        row, seen = await pipe.execute()
    if not row:
        await queue.register_agent(user)
    me = agent_of(user.username, row, seen, now, queue.settings.claim_timeout_seconds)
    me.skills, me.languages, me.online = list(user.skills), list(user.languages), True
    return me


async def take_next(queue: QueueStore, me: AgentState, user: AuthUser, now: float | None = None) -> str | None:
    """Claims the best conversation `me` may take now; its id, or None if there is none."""
    now = now or time.time()
    keys = route_keys(queue.settings, me.skills, me.languages)
    if me.paused or not keys:
        return None
    if takes_any(me, now, queue.rules):
        return await queue.claim_best(keys, user, now)
    while True:
        # Every candidate taken meanwhile means others claimed them: the queue shrank, read again.
        candidates = await allowed(queue, me, keys, now)
        if not candidates:
            return None
        cid = await queue.claim_first(candidates[:CANDIDATES], user, now)
        if cid is not None:
            return cid


async def allowed(queue: QueueStore, me: AgentState, keys: list[str], now: float) -> list[tuple[str, str]]:
    """The waiting cases `me` may take now (id, index key), best first, from the first page of the
    index that has any (exact: a page holds the best `limit` of all the agent's routes)."""
    agents = await queue.agent_states(now)  # the heavy-case override asks who is least loaded
    limit = CANDIDATES
    while True:
        heads, more = await rank_index.heads(queue.redis, keys, limit)
        rows = await rank_index.ranking_rows(queue.redis, queue.settings, [cid for cid, _key in heads])
        found = [
            (cid, key)
            for cid, key in heads
            if rows.get(cid, {}).get("state") == "queued"
            and offer_refusal(me, case_of(rows[cid]), now, queue.rules, agents) is None
        ]
        if found or not more:
            return found
        limit *= 4
