"""Claim next: the best waiting conversation this agent may take now, claimed in one atomic step,
reading a handful of entries of the ranked index however long the queue is (rank_index.py).

- An agent every case of their routes is open to (routing.takes_any: not paused, load below the
  threshold) gets the best head among their routes' index keys, chosen and claimed inside one
  script (scripts.CLAIM_BEST): agents racing each get the next one, nobody retries, nothing of the
  queue is read into Python.
- A loaded agent (load at or over the threshold; routing.offer_refusal) may take the light cases,
  and a heavy one only once it has waited heavy_override_seconds and nobody present for its route
  has less load. One script again (scripts.CLAIM_LIGHTER): the best of the heads of the routes'
  light keys and of the overdue heavy cases of the routes where this agent is the least loaded.
  Who is least loaded is read (all agents' states) only when an overdue heavy case waits.
"""

from __future__ import annotations

import time
from itertools import product

from handoff.auth.tokens import AuthUser
from handoff.queue.rank_index import route_keys
from handoff.queue.routing import AgentState, least_loaded, takes_any
from handoff.queue.store import QueueStore, agent_of


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
    routes = list(product(me.skills, me.languages))
    if me.paused or not routes:
        return None
    if takes_any(me, now, queue.rules):
        return await queue.claim_best(route_keys(queue.settings, me.skills, me.languages), user, now)
    overdue = await queue.overdue_heavy(routes, now)
    if overdue:
        agents = await queue.agent_states(now)  # the heavy-case override asks who is least loaded
        overdue = [route for route in overdue if least_loaded(me, *route, now, queue.rules, agents)]
    return await queue.claim_lighter(routes, set(overdue), user, now)
