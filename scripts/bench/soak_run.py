"""One soak run against a running system (a cluster behind nginx, or anything with the same
endpoints): N customers and M agents at once, bounded by the plan's duration and drain time,
with the process sizes sampled while it runs."""

from __future__ import annotations

import asyncio
import resource
import time
from dataclasses import dataclass

from scripts.bench.soak_agent import run_agent
from scripts.bench.soak_customer import run_customer
from scripts.bench.soak_plan import LoadPlan, Results, Targets
from scripts.bench.soak_sizing import KindFigures, SizingSampler

SAMPLE_EVERY_S = 2.0


@dataclass
class SoakOutcome:
    plan: LoadPlan
    agents: int
    results: Results
    sizing: dict[str, KindFigures]
    # CPU seconds of the load generator itself (this process), not part of the system's sizing.
    client_cpu_s: float = 0.0


async def _sample_until(sampler: SizingSampler, stop: asyncio.Event) -> None:
    while not stop.is_set():
        # Reading /proc is file I/O over hundreds of entries: off the event loop.
        await asyncio.to_thread(sampler.sample)
        try:
            await asyncio.wait_for(stop.wait(), SAMPLE_EVERY_S)
        except TimeoutError:
            pass
    await asyncio.to_thread(sampler.sample)


async def soak(targets: Targets, plan: LoadPlan, groups: dict[str, int] | None = None) -> SoakOutcome:
    results = Results()
    loop = asyncio.get_running_loop()
    started = loop.time()
    stop_at = started + plan.duration_s
    hard_stop_at = stop_at + plan.drain_s
    sampler = SizingSampler(groups or {})
    sampling_done, customers_done = asyncio.Event(), asyncio.Event()
    sampling = asyncio.create_task(_sample_until(sampler, sampling_done))
    agents = [
        asyncio.create_task(run_agent(i, account, targets, plan, results, customers_done, hard_stop_at))
        for i, account in enumerate(targets.agents)
    ]
    customers = [run_customer(i, targets, plan, results, stop_at, hard_stop_at) for i in range(plan.customers)]
    wall = results.started_at = time.monotonic()
    cpu_before = _own_cpu_s()
    outcomes = await asyncio.gather(*customers, return_exceptions=True)
    customers_done.set()
    for outcome in outcomes + await asyncio.gather(*agents, return_exceptions=True):
        if isinstance(outcome, BaseException):
            results.error(f"task:{type(outcome).__name__}")
    results.load_seconds = time.monotonic() - wall
    client_cpu_s = _own_cpu_s() - cpu_before
    sampling_done.set()
    await sampling
    return SoakOutcome(plan, len(targets.agents), results, sampler.figures(), client_cpu_s)


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_soak(targets: Targets, plan: LoadPlan, groups: dict[str, int] | None = None) -> SoakOutcome:
    return asyncio.run(soak(targets, plan, groups))
