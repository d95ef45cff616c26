"""`make soak`: the load and soak test of issue 8, through nginx, loopback only.

For each configuration (by default 1 and then 2 instances of each service behind the same nginx
front) it starts the cluster on free ports with its own var directory (scripts/bench/soak_cluster.py),
runs N simulated customers over the bridge's WebSocket and M simulated agents on the handoff
service for a bounded time (scripts/bench/soak_run.py), checks that every reply arrived exactly once
(scripts/bench/soak_ledger.py), samples RSS and CPU per process kind from /proc, stops the cluster,
and finally replaces the section "Load and soak through nginx (issue 8)" in docs/benchmarks.md.

    .venv/bin/python -m scripts.bench.soak --customers 60 --agents 4 --duration 210 --instances 1 2
    .venv/bin/python -m scripts.bench.soak --customers 6 --duration 40 --instances 2 --no-write
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import redis

from launcher.cluster import Cluster
from scripts.bench import machine
from scripts.bench.run import replace_section
from scripts.bench.soak_cluster import process_groups, soak_cluster
from scripts.bench.soak_notes import notes
from scripts.bench.soak_plan import LoadPlan
from scripts.bench.soak_report import (
    HEADING,
    Measured,
    sizing_rows,
    summary_rows,
    violation_lines,
)
from scripts.bench.soak_run import run_soak

ROOT = Path(__file__).resolve().parents[2]


def measure(instances: int, agents: int, plan: LoadPlan, work: Path) -> Measured:
    label = f"{instances} instance{'s' if instances > 1 else ''} of each"
    print(f"soak: starting the cluster with {label} (logs in {work / 'log'})", flush=True)
    with soak_cluster(instances, work, agents) as (cluster, targets):
        load_before = os.getloadavg()
        print(
            f"soak: {plan.customers} customers, {agents} agents, {plan.duration_s:.0f} s "
            f"(load average {load_before[0]:.2f})",
            flush=True,
        )
        memory_before = redis_used_memory(cluster)
        outcome = run_soak(targets, plan, process_groups(cluster))
        grown = redis_used_memory(cluster) - memory_before
        failed = [process.spec.name for process in cluster.failed()]
        if failed:
            outcome.results.errors[f"services_died:{','.join(failed)}"] += 1
    return Measured(label, load_before, outcome, redis_growth_bytes=grown)


def redis_used_memory(cluster: Cluster) -> int:
    """Redis's `used_memory`: trackers, sessions, replay buffers and queues of every conversation."""
    client = redis.Redis.from_url(cluster["handoff"].spec.env["HANDOFF_REDIS_URL"])
    try:
        return int(client.info("memory")["used_memory"])
    finally:
        client.close()


def section(runs: list[Measured], command: str, note: str, machine_text: str, started: datetime) -> str:
    plan = runs[0].outcome.plan
    stamp = f"{started:%Y-%m-%d %H:%M} UTC"
    lines = [
        HEADING,
        "",
        f"_Measured {stamp} by `make soak` (`{command}`){'; ' + note if note else ''}._",
        "",
        machine_text,
        "",
        (
            f"Each configuration is a fresh cluster (`launcher/cluster.py`) on free loopback ports: nginx in front "
            f"of n avatar bridges, n Rasa servers (consistent hash on `X-Conversation-Id`) and n action "
            f"servers, one handoff service, one Redis. {plan.customers} simulated customers talk to the bridge "
            f"only through nginx (`/ws/v1`), each running conversations one after another on new sessions "
            f"(greeting, order status or password reset with a demo customer's real data, small talk and FAQ, "
            f"thanks, goodbye; {plan.person_share:.0%} ask for a person), {plan.think_s[0]:g}–{plan.think_s[1]:g} s "
            f"think time, {plan.audio_share:.0%} of the sessions with speech; new conversations stop after "
            f"{plan.duration_s:.0f} s, then up to {plan.drain_s:.0f} s for running turns and agent chats. "
            f"The simulated agents sign in to the handoff service (soak users in the run's own database), take "
            f"the next conversation from the queue, send {plan.agent_messages} messages, wait for the "
            f"customer's answers and hand the conversation back to the bot."
        ),
        "",
        *summary_rows(runs),
        "",
        (
            "Sizing, sampled from /proc every 2 s: each service's whole process group (the bridge's speech "
            "workers, nginx's worker); RSS summed per process, the largest instance in brackets; CPU = user + "
            "system time during the run; CPU ms/turn = CPU seconds ÷ turns answered:"
        ),
        "",
        *sizing_rows(runs),
        "",
        "Exactly-once checks (per session: `seq` consecutive, no `bot_message` id twice, one terminal frame per "
        "accepted message; every agent message on its customer's socket once; every customer answer in the "
        "agent's view once): "
        + ("no violations." if not any(r.outcome.results.violations() for r in runs) else "violations:"),
        *violation_lines(runs),
        "",
        "Notes:",
        "",
        *notes(runs),
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=60)
    parser.add_argument("--agents", type=int, default=4)
    parser.add_argument("--duration", type=float, default=210.0, help="seconds of load per configuration")
    parser.add_argument("--drain", type=float, default=90.0, help="seconds for running turns and chats afterwards")
    parser.add_argument("--think", type=float, nargs=2, default=(4.0, 8.0), metavar=("MIN", "MAX"))
    parser.add_argument("--person-share", type=float, default=0.2)
    parser.add_argument("--audio-share", type=float, default=0.3)
    parser.add_argument("--instances", type=int, nargs="+", default=[1, 2], choices=range(1, 5))
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing it")
    parser.add_argument("--keep", action="store_true", help="keep the run's var directories (logs)")
    parser.add_argument("--note", default="", help="about this run (e.g. other load on the machine)")
    args = parser.parse_args()
    plan = LoadPlan(
        customers=args.customers,
        duration_s=args.duration,
        drain_s=args.drain,
        think_s=tuple(args.think),
        person_share=args.person_share,
        audio_share=args.audio_share,
        ramp_s=min(20.0, args.duration / 4),
    )
    if args.agents < 1:
        parser.error("the handoff path needs at least one agent")
    started, machine_text = datetime.now(UTC), machine.describe(ROOT)
    runs = []
    for instances in args.instances:
        work = Path(tempfile.mkdtemp(prefix=f"soak-{instances}-"))
        try:
            runs.append(measure(instances, args.agents, plan, work))
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    text = section(runs, "scripts/bench/soak.py " + shlex.join(sys.argv[1:]), args.note, machine_text, started)
    if args.no_write:
        print(text)
    else:
        document = args.output.read_text() if args.output.exists() else "# Benchmarks\n"
        args.output.write_text(replace_section(document, HEADING, text))
        print(f"soak: wrote the section to {args.output}")
    return 1 if any(run.outcome.results.violations() for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
