"""The honest notes under the soak test's tables: what the numbers can and cannot show."""

from __future__ import annotations

import os

from scripts.bench import stats
from scripts.bench.soak_cluster import BRIDGE_LOOPBACK_LIMITS, HANDOFF_LOOPBACK_LIMITS
from scripts.bench.soak_report import Measured


def _p95(values: list[float]) -> float:
    return stats.summary(values)["p95"] if values else float("nan")


def _limits(env: dict[str, str]) -> str:
    return ", ".join(f"`{name}={value}`" for name, value in env.items() if "_IP_" in name)


def notes(runs: list[Measured]) -> list[str]:
    cores = os.cpu_count() or 1
    lines = [
        (
            f"- The machine has {cores} cores and is shared: the load generator (one Python process) and every "
            "service run on them, and other engineers' tests may have run at the same time (load average above). "
            "Compare the columns of one run, not runs of different days."
        ),
        (
            f"- {cores} cores cannot give a second instance of everything more CPU in total. They can run two "
            "turns at once, though: a Rasa server is one Python process (one event loop, the models' inference "
            "on it), so with one server the turns of all customers queue behind each other, and a tail in the "
            "first column that the second does not have shows that queue (together with whatever else the "
            "machine ran). Beyond that the second column shows the cost of two of each (a second model in "
            "memory, more CPU per turn from contention) and that the cross-instance paths (consistent hashing, "
            "frames numbered in Redis and announced over pub/sub, one reader of `bridge:deliveries`) keep every "
            "reply exactly once under load. CPU ms per turn and memory per instance are the figures that carry "
            "over to a larger deployment (docs/deployment.md, Kubernetes sketch)."
        ),
        (
            "- Every simulated customer and agent comes from 127.0.0.1, so the per-IP limits were raised for the "
            f"soak cluster only: bridge {_limits(BRIDGE_LOOPBACK_LIMITS)}; handoff {_limits(HANDOFF_LOOPBACK_LIMITS)}. "
            "The per-session message limit (burst 5, then 1 per second) and the per-socket frame limit stay as "
            "configured; customers think for seconds between messages, so they stay under them."
        ),
        (
            "- The customers talk to nginx only; the agents talk to the one handoff service directly (it is not "
            'behind nginx, docs/deployment.md). The load generator\'s own CPU is shown apart, not in "all services".'
        ),
        (
            "- Latencies include the load generator's scheduling on the same cores. Turns to an agent end with a "
            "`turn_complete` as soon as the bridge has put the message on `bridge:agent_inbox`."
        ),
    ]
    grown = runs[-1].redis_growth_bytes / 1024 / max(1, runs[-1].outcome.results.conversations)
    lines.append(
        f"- Redis grew by about {grown:.0f} KiB per conversation ({runs[-1].label}): Rasa's trackers are kept "
        "for `RASA_TRACKER_RETENTION_S` after the last message (`record_exp` in `bot/endpoints.yml`, 30 days by "
        "default), the bridge's session keys for 24 h. Size "
        "Redis's memory by conversations per day × this figure × the days trackers are kept."
    )
    if len(runs) >= 2:
        first, second = runs[0].outcome.results, runs[-1].outcome.results
        lines.append(
            f"- Text cue p95: {_p95(first.text_cue_ms):.0f} ms ({runs[0].label}) vs {_p95(second.text_cue_ms):.0f} ms "
            f"({runs[-1].label}); steady turns/s {first.steady_turns_per_s(runs[0].outcome.plan):.2f} vs "
            f"{second.steady_turns_per_s(runs[-1].outcome.plan):.2f} at the same offered load."
        )
    return lines
