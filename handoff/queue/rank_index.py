"""The ranked index of the waiting conversations, so that claim next reads a handful of entries
however long the queue is (docs/handoff.md "Routing and fair load").

Keys (prefix ``handoff``), per route (a skill and a language):
- ``rank:{skill}:{language}`` sorted set: every waiting conversation of the route, scored by its
  standing (routing.standing), lowest (best) first. Claim next for an agent who may take any case.
- ``rank_light:{skill}:{language}`` the route's light ones (distress below heavy_distress), scored
  the same: claim next for a loaded agent, who may take only those...
- ``rank_heavy:{skill}:{language}`` ...and the heavy ones that have waited heavy_override_seconds,
  when no agent present for the route has less load: the route's heavy ones, scored by arrival
  (requested_at), so the overdue ones are a prefix.
- ``rank_index`` the rules the index was built with (`signature`).

Why a stored score stays right: priority = distress_weight × distress + wait_weight × minutes
waited + bonus, and every waiting case gains the same wait_weight per minute, so the order between
two cases never changes while they wait. Standing is that priority with the shared part taken out
(wait_weight × now), a number fixed at arrival. It changes only with the weights, and heaviness
with heavy_distress, all from the settings: at start-up `ensure` rebuilds the index when they differ
from those it was built with, when it is missing (data from before the index or from before its
light and heavy keys) or when it does not hold exactly the waiting conversations.

The steps that move a conversation in or out of the queue (store.py, scripts.py) move it in or out
of the index in the same atomic step.
"""

from __future__ import annotations

import logging
from itertools import product

from redis.asyncio import Redis
from redis.exceptions import WatchError

from handoff.core.config import HandoffSettings
from handoff.queue.routing import QueuedCase, RoutingRules, clamp01, is_heavy, standing

logger = logging.getLogger(__name__)

# The entry fields ranking and routing read: a case's skill, language, standing and heaviness.
RANKING_FIELDS = ("conversation_id", "state", "skill", "language", "distress", "requested_at", "reason", "bonus")
REBUILD_ATTEMPTS = 5


def rank_prefix(settings: HandoffSettings) -> str:
    """What an index key starts with; the Lua scripts add ``<skill>:<language>``."""
    return settings.key("rank", "")


def rank_key(settings: HandoffSettings, skill: str, language: str) -> str:
    return f"{rank_prefix(settings)}{skill}:{language}"


def light_key(settings: HandoffSettings, skill: str, language: str) -> str:
    return settings.key("rank_light", f"{skill}:{language}")


def heavy_key(settings: HandoffSettings, skill: str, language: str) -> str:
    return settings.key("rank_heavy", f"{skill}:{language}")


def index_prefixes(settings: HandoffSettings) -> list[str]:
    """The three kinds of index key without their route, as the Lua scripts take them."""
    return [rank_prefix(settings), settings.key("rank_light", ""), settings.key("rank_heavy", "")]


def index_entries(settings: HandoffSettings, case: QueuedCase, rules: RoutingRules) -> dict[str, float]:
    """Where a waiting case goes in the index: index key → its score there."""
    score = standing(case, rules)
    if is_heavy(case, rules):
        return {
            rank_key(settings, case.skill, case.language): score,
            heavy_key(settings, case.skill, case.language): case.requested_at,
        }
    return {rank_key(settings, case.skill, case.language): score, light_key(settings, case.skill, case.language): score}


def route_keys(settings: HandoffSettings, skills: list[str], languages: list[str]) -> list[str]:
    """The index keys of the routes an agent with these skills and languages serves."""
    return [rank_key(settings, skill, language) for skill, language in product(skills, languages)]


def signature(rules: RoutingRules) -> str:
    return (
        f"v2 distress_weight={rules.distress_weight!r} wait_weight_per_minute={rules.wait_weight_per_minute!r}"
        f" heavy_distress={rules.heavy_distress!r}"
    )


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


async def ranking_rows(
    redis: Redis, settings: HandoffSettings, ids: list[str], extra: tuple[str, ...] = ()
) -> dict[str, dict]:
    """The RANKING_FIELDS and `extra` fields of these entries (missing entries left out), by id:
    a fraction of each entry (no chat line, no customer), for the steps that read the whole queue."""
    if not ids:
        return {}
    names = RANKING_FIELDS + extra
    async with redis.pipeline(transaction=False) as pipe:
        for cid in ids:
            pipe.hmget(settings.key("conv", cid), names)
        rows = await pipe.execute()
    fields = [zip(names, row, strict=True) for row in rows if row[0] is not None]
    found = [{name: value for name, value in pairs if value is not None} for pairs in fields]
    return {row["conversation_id"]: row for row in found}


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
        index_keys: list[str] = []
        members: list[list[str]] = []  # of each kind of key: the whole index, light, heavy
        for prefix in index_prefixes(settings):
            keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
            index_keys += keys
            members.append([cid for key in keys for cid in await redis.zrange(key, 0, -1)])
        whole, light, heavy = (sorted(found) for found in members)
        expected = sorted(waiting)
        if await pipe.get(meta) == signature(rules) and whole == expected and sorted(light + heavy) == expected:
            await pipe.unwatch()
            return None
        rows = await ranking_rows(redis, settings, sorted(waiting))
        cases = [case_of(row) for row in rows.values() if row.get("state") == "queued"]
        pipe.multi()
        if index_keys:
            pipe.delete(*index_keys)
        for case in cases:
            for key, score in index_entries(settings, case, rules).items():
                pipe.zadd(key, {case.conversation_id: score})
        pipe.set(meta, signature(rules))
        await pipe.execute()
    logger.info("ranked queue index rebuilt: %d waiting conversations", len(cases))
    return len(cases)
