"""Claim next under a race: N signed-in agents each calling `POST /api/queue/next` back to back
against a queue seeded straight into the service's store, and the check afterwards that no
conversation was claimed twice and none was lost. Used by scripts/bench/handoff_queue.py.

Each agent sends its own X-Forwarded-For (the service trusts 127.0.0.1 as its proxy in the bench),
as agents behind nginx arrive from their own addresses: the per-address request limit applies to
each of them, not to all of them as one office address.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
from redis.asyncio import Redis

from handoff.core.config import HandoffSettings
from handoff.queue.store import QueueStore
from tests.handoff.queue_seed import Case, seed_waiting, varied_cases


@dataclass
class ClaimRun:
    agents: int
    latencies_ms: list[float] = field(default_factory=list)
    # conversation id → the agents whose claim answered with it (more than one: claimed twice).
    claimed: dict[str, list[str]] = field(default_factory=dict)
    errors: Counter[int] = field(default_factory=Counter)
    elapsed_s: float = 0.0

    @property
    def claims_per_second(self) -> float:
        return len(self.latencies_ms) / self.elapsed_s if self.elapsed_s else 0.0


@dataclass
class Ledger:
    """What the bench put in the queue and what the claims said they took."""

    seeded: list[str] = field(default_factory=list)
    claimed: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Verdict:
    seeded: int
    claimed: int
    waiting: int
    twice: list[str]
    lost: list[str]

    @property
    def ok(self) -> bool:
        return not self.twice and not self.lost


def in_thread(coroutine):  # noqa: ANN001, ANN201
    """Runs a coroutine to completion in a thread of its own: the caller may be inside Playwright's
    sync API, which makes its own thread count as inside an event loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def seed(redis_url: str, count: int, prefix: str, ledger: Ledger) -> list[Case]:
    """`count` waiting conversations of every kind (tests/handoff/queue_seed.py), straight into the store."""
    cases = varied_cases(count, prefix)
    in_thread(seed_waiting(HandoffSettings(redis_url=redis_url), cases))
    ledger.seeded += [case.conversation_id for case in cases]
    return cases


async def _waiting_now(redis_url: str) -> int:
    redis = Redis.from_url(redis_url, decode_responses=True)
    try:
        return len(await QueueStore(redis, HandoffSettings(redis_url=redis_url)).queued_ids())
    finally:
        await redis.aclose()


def waiting_now(redis_url: str) -> int:
    return in_thread(_waiting_now(redis_url))


async def _agent(client: httpx.AsyncClient, name: str, claims: int, start: asyncio.Event, run: ClaimRun) -> None:
    # Registered and connected before the race: the first claim is not a sign-in.
    (await client.get("/api/queue", params={"limit": 1})).raise_for_status()
    await start.wait()
    for _ in range(claims):
        started = time.perf_counter()
        response = await client.post("/api/queue/next")
        if response.status_code != 200:
            run.errors[response.status_code] += 1
            continue
        run.latencies_ms.append((time.perf_counter() - started) * 1000)
        run.claimed.setdefault(response.json()["conversation_id"], []).append(name)


async def _race(base: str, tokens: dict[str, str], claims_each: int) -> ClaimRun:
    run = ClaimRun(agents=len(tokens))
    start = asyncio.Event()
    clients = [
        httpx.AsyncClient(
            base_url=base,
            timeout=60,
            headers={"Authorization": f"Bearer {token}", "X-Forwarded-For": f"10.20.0.{n + 1}"},
        )
        for n, token in enumerate(tokens.values())
    ]
    try:
        agents = [
            asyncio.create_task(_agent(client, name, claims_each, start, run))
            for client, name in zip(clients, tokens, strict=True)
        ]
        await asyncio.sleep(1.0)  # every agent signed in and waiting at the line
        began = time.perf_counter()
        start.set()
        await asyncio.gather(*agents)
        run.elapsed_s = time.perf_counter() - began
    finally:
        for client in clients:
            await client.aclose()
    return run


def race(base: str, tokens: dict[str, str], claims_each: int, ledger: Ledger) -> ClaimRun:
    """Every agent in `tokens` (name → bearer token) claims `claims_each` times, all starting at once."""
    run = in_thread(_race(base, tokens, claims_each))
    for cid, names in run.claimed.items():
        ledger.claimed.setdefault(cid, []).extend(names)
    return run


async def _verify(redis_url: str, ledger: Ledger) -> Verdict:
    redis = Redis.from_url(redis_url, decode_responses=True)
    try:
        store = QueueStore(redis, HandoffSettings(redis_url=redis_url))
        queued = set(await store.queued_ids())
        rows = {row["conversation_id"]: row for row in await store.many(ledger.seeded)}
    finally:
        await redis.aclose()
    twice = sorted(cid for cid, names in ledger.claimed.items() if len(names) > 1)
    lost = []
    for cid in ledger.seeded:
        row = rows.get(cid, {})
        names = ledger.claimed.get(cid, [])
        if names:
            # Held by the agent the claim answered, and out of the queue.
            if row.get("state") != "assigned" or row.get("agent") != names[0] or cid in queued:
                lost.append(cid)
        elif row.get("state") != "queued" or cid not in queued:
            lost.append(cid)  # nobody was told they had it, yet it is not waiting any more
    waiting = sum(1 for cid in ledger.seeded if cid in queued)
    return Verdict(len(ledger.seeded), len(ledger.claimed), waiting, twice, sorted(lost))


def verify(redis_url: str, ledger: Ledger) -> Verdict:
    """Every seeded conversation is either held by the one agent whose claim returned it, or still waiting."""
    return in_thread(_verify(redis_url, ledger))
