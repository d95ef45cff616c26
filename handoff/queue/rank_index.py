"""The ranked index of the waiting conversations, so that claim next reads a handful of entries
however long the queue is (docs/handoff.md "Routing and fair load").

Keys (prefix ``handoff``):
- ``rank:{skill}:{language}`` sorted set per route: every waiting conversation of that skill and
  language, scored by its standing (routing.standing), lowest (best) first.
- ``rank_index`` the weights the scores were computed with (`signature`).

Why a stored score stays right: priority = distress_weight × distress + wait_weight × minutes
waited + bonus, and every waiting case gains the same wait_weight per minute, so the order between
two cases never changes while they wait. Standing is that priority with the shared part taken out
(wait_weight × now), a number fixed at arrival. It changes only with the weights, which come from
the settings: at start-up `ensure` rebuilds the index when the weights differ from those it was
built with, when it is missing (data from before the index) or when it does not hold exactly the
waiting conversations.

The steps that move a conversation in or out of the queue (store.py, scripts.py) move it in or out
of the index in the same atomic step.
"""

from __future__ import annotations

import heapq
import logging
from itertools import product

from redis.asyncio import Redis
from redis.exceptions import WatchError

from handoff.core.config import HandoffSettings
from handoff.queue.routing import QueuedCase, RoutingRules, clamp01, standing

logger = logging.getLogger(__name__)

# The entry fields ranking and routing read: a case's skill, language, standing and heaviness.
RANKING_FIELDS = ("conversation_id", "state", "skill", "language", "distress", "requested_at", "reason", "bonus")
REBUILD_ATTEMPTS = 5


def rank_prefix(settings: HandoffSettings) -> str:
    """What an index key starts with; the Lua scripts add ``<skill>:<language>``."""
    return settings.key("rank", "")


def rank_key(settings: HandoffSettings, skill: str, language: str) -> str:
    return f"{rank_prefix(settings)}{skill}:{language}"


def route_keys(settings: HandoffSettings, skills: list[str], languages: list[str]) -> list[str]:
    """The index keys of the routes an agent with these skills and languages serves."""
    return [rank_key(settings, skill, language) for skill, language in product(skills, languages)]


def signature(rules: RoutingRules) -> str:
    return f"v1 distress_weight={rules.distress_weight!r} wait_weight_per_minute={rules.wait_weight_per_minute!r}"


def case_of(row: dict) -> QueuedCase:
    return QueuedCase(
        conversation_id=row["conversation_id"],
        skill=row.get("skill", "general"),
        language=row.get("language", "en"),
        distress=clamp01(row.get("distress")),
        requested_at=float(row.get("requested_at") or 0),
        reason=row.get("reason", ""),
        bonus=float(row.get("bonus") or 0),
    )


async def ranking_rows(redis: Redis, settings: HandoffSettings, ids: list[str]) -> dict[str, dict]:
    """The RANKING_FIELDS of these entries (missing entries left out), by id."""
    if not ids:
        return {}
    async with redis.pipeline(transaction=False) as pipe:
        for cid in ids:
            pipe.hmget(settings.key("conv", cid), RANKING_FIELDS)
        rows = await pipe.execute()
    fields = [zip(RANKING_FIELDS, row, strict=True) for row in rows if row[0] is not None]
    found = [{name: value for name, value in pairs if value is not None} for pairs in fields]
    return {row["conversation_id"]: row for row in found}


async def heads(redis: Redis, keys: list[str], limit: int) -> tuple[list[tuple[str, str]], bool]:
    """The first `limit` waiting conversations across these index keys, best first, as (id, index
    key); and whether any key holds more. The first `limit` of the merge are exactly the first
    `limit` of all of them: no key can put more than `limit` there."""
    async with redis.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.zrange(key, 0, limit - 1, withscores=True)
        pages = await pipe.execute()
    merged = heapq.merge(*([(score, cid, key) for cid, score in page] for key, page in zip(keys, pages, strict=True)))
    first = [(cid, key) for _score, cid, key in merged][:limit]
    return first, any(len(page) >= limit for page in pages)


async def ensure(redis: Redis, settings: HandoffSettings, rules: RoutingRules) -> int | None:
    """Rebuilds the index if it is missing, built with other weights, or not exactly the waiting
    conversations (start-up; the migration of data from before the index). The number of
    conversations indexed, or None when the index was right already."""
    for _attempt in range(REBUILD_ATTEMPTS):
        try:
            return await _ensure_once(redis, settings, rules)
        except WatchError:
            continue  # the queue moved while we read it: read again
    raise RuntimeError("the queue kept changing while its ranked index was rebuilt")


async def _ensure_once(redis: Redis, settings: HandoffSettings, rules: RoutingRules) -> int | None:
    queue, meta = settings.key("queue"), settings.key("rank_index")
    async with redis.pipeline(transaction=True) as pipe:
        # Every queue step changes `queue`: a rebuild that raced one is thrown away and redone.
        await pipe.watch(queue, meta)
        waiting = set(await pipe.zrange(queue, 0, -1))
        index_keys = [key async for key in redis.scan_iter(match=f"{rank_prefix(settings)}*")]
        indexed: set[str] = set()
        for key in index_keys:
            indexed.update(await redis.zrange(key, 0, -1))
        if await pipe.get(meta) == signature(rules) and indexed == waiting:
            await pipe.unwatch()
            return None
        rows = await ranking_rows(redis, settings, sorted(waiting))
        cases = [case_of(row) for row in rows.values() if row.get("state") == "queued"]
        pipe.multi()
        if index_keys:
            pipe.delete(*index_keys)
        for case in cases:
            pipe.zadd(rank_key(settings, case.skill, case.language), {case.conversation_id: standing(case, rules)})
        pipe.set(meta, signature(rules))
        await pipe.execute()
    logger.info("ranked queue index rebuilt: %d waiting conversations", len(cases))
    return len(cases)
