"""Benchmark of the handoff service (docs/handoff.md), printed as a Markdown section.

1. Claim next (`POST /api/queue/next`): 20 signed-in agents claiming back to back from 500 waiting
   conversations, next to one agent claiming alone from as many (the same run's baseline); then the
   check that no conversation was claimed twice and none lost (scripts/bench/handoff_claims.py).
2. The agent console in Chromium: time to the first queue list after a page load, and to the new
   list after a filter change or a search, with 500 waiting and with 50 (the baseline;
   scripts/bench/handoff_console.py).
3. With `--rasa` (the whole system running): escalation → console, a customer asks Rasa's REST
   channel for a person; time until the conversation is in an agent's queue (`GET /api/queue`
   polled every 10 ms). Sequential customers.

Waiting conversations are put straight into the service's queue store (tests/handoff/queue_seed.py),
so intake does not compete with what is measured. Needs Redis and the handoff service only:

    python scripts/bench/handoff_queue.py --handoff http://127.0.0.1:8780 \
        --redis redis://127.0.0.1:6390/0 --database sqlite:///var/handoff.db [--rasa http://127.0.0.1:5005]

The service must trust 127.0.0.1 as its proxy (HANDOFF_TRUSTED_PROXIES): each simulated agent
comes from an address of its own, as agents behind nginx do.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from handoff.auth.users import UserError, create_user  # noqa: E402
from handoff.core.db import create_schema, make_engine, make_session_factory  # noqa: E402
from scripts.bench import handoff_claims, handoff_console  # noqa: E402
from scripts.bench.machine import cpu_model, memory_gib  # noqa: E402
from scripts.bench.stats import markdown_row, summary  # noqa: E402

# Claim next with 20 agents racing (issue 17).
CLAIM_P95_TARGET_MS = 500.0

PASSWORD = "bench-agent-pass"


def ensure_agents(database_url: str, count: int) -> list[str]:
    engine = make_engine(database_url)
    create_schema(engine)
    sessions = make_session_factory(engine)
    names = [f"bench{n}" for n in range(count)]
    with sessions() as session:
        for name in names:
            try:
                create_user(session, username=name, display_name=f"Agent {name}", role="agent", password=PASSWORD)
            except UserError:
                pass
    engine.dispose()
    return names


def token(base: str, username: str) -> str:
    response = httpx.post(f"{base}/api/auth/login", json={"username": username, "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    return response.json()["token"]


def escalation_latency(base: str, rasa: str, agent_token: str, customers: int) -> tuple[list[float], int]:
    headers = {"Authorization": f"Bearer {agent_token}"}
    latencies, errors = [], 0
    with httpx.Client(timeout=60) as client:
        for _ in range(customers):
            sender = f"bench-{uuid.uuid4().hex[:10]}"
            started = time.perf_counter()
            client.post(
                f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": "I want to talk to a person"}
            )
            deadline = started + 30
            seen = False
            while time.perf_counter() < deadline:
                items = client.get(f"{base}/api/queue", headers=headers).json()["items"]
                if any(item["conversation_id"] == sender for item in items):
                    seen = True
                    break
                time.sleep(0.01)
            if seen:
                latencies.append((time.perf_counter() - started) * 1000)
                # Clear it so the queue does not grow during the measurement.
                client.post(f"{base}/api/queue/{sender}/claim", headers=headers)
                client.post(
                    f"{base}/api/conversations/{sender}/end", headers=headers, json={"outcome_code": "resolved"}
                )
            else:
                errors += 1
    return latencies, errors


def claim_rows(args: argparse.Namespace, tokens: dict[str, str], ledger: handoff_claims.Ledger) -> list:
    """The baseline (one agent alone), then all agents racing, each from `args.waiting` waiting."""
    runs = []
    for agents, claims_each in ((1, args.baseline_claims), (len(tokens), args.claims_each)):
        top_up = args.waiting - handoff_claims.waiting_now(args.redis)
        if top_up > 0:
            handoff_claims.seed(args.redis, top_up, f"claims{agents}-{uuid.uuid4().hex[:6]}", ledger)
        chosen = dict(list(tokens.items())[:agents])
        runs.append(handoff_claims.race(args.handoff, chosen, claims_each, ledger))
    return runs


def console_runs(args: argparse.Namespace, agent: str, ledger: handoff_claims.Ledger) -> list:
    """The console with `args.console_baseline` waiting, then with `args.waiting`."""
    runs = []
    for waiting in (args.console_baseline, args.waiting):
        missing = waiting - handoff_claims.waiting_now(args.redis)
        handoff_claims.seed(args.redis, missing, f"console{waiting}-{uuid.uuid4().hex[:6]}", ledger)
        runs.append(handoff_console.measure(args.handoff, agent, PASSWORD, waiting, args.loads, args.changes))
    return runs


def errors_of(run: handoff_claims.ClaimRun) -> int:
    return sum(run.errors.values())


def print_section(args: argparse.Namespace, escalation, claims, consoles, verdict) -> None:  # noqa: ANN001
    alone, racing = claims
    print("## Handoff service\n")
    print(
        "Measured by `scripts/bench/handoff_queue.py` against the handoff service and Redis on this machine"
        + (", with Rasa and the action server for the escalation row" if escalation else "")
        + ". Waiting conversations are put straight into the queue store (all skills, both languages, "
        "five emotions); the simulated agents may take every skill and language. "
        f"Machine: {cpu_model()}, {os.cpu_count()} cores, {memory_gib():.1f} GiB, no GPU, shared with other "
        "work (the load average above); client and service on the same cores.\n"
    )
    print("| measurement | n | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|")
    if escalation:
        print(markdown_row("customer asks for a person (Rasa REST) → in the agent's queue", *escalation))
    for run in claims:
        who = "1 agent alone (baseline)" if run.agents == 1 else f"{run.agents} agents racing"
        print(markdown_row(f"claim next, {who}, from {args.waiting} waiting", run.latencies_ms, errors_of(run)))
    for run in consoles:
        label = " (baseline)" if run.waiting != args.waiting else ""
        print(markdown_row(f"console: first list after a page load, {run.waiting} waiting{label}", run.paint_ms))
        print(markdown_row(f"console: new list after a filter change, {run.waiting} waiting{label}", run.filter_ms))
        print(markdown_row(f"console: new list after a search, {run.waiting} waiting{label}", run.search_ms))
    print()
    p95 = summary(racing.latencies_ms)["p95"]
    met = "met" if p95 <= CLAIM_P95_TARGET_MS and not errors_of(racing) else "not met"
    print(
        f"- Claim next with {racing.agents} agents: each signed in and claimed {args.claims_each} times back to back, "
        f"all starting at once ({racing.claims_per_second:.1f} claims/s; alone: {alone.claims_per_second:.1f}/s); "
        f"the queue went from {args.waiting} to {args.waiting - len(racing.latencies_ms)} waiting. "
        f"Target p95 ≤ {CLAIM_P95_TARGET_MS:.0f} ms: **{met}** ({p95:.0f} ms)."
    )
    print(
        f"- Correctness over the whole run: {verdict.seeded} conversations seeded, {verdict.claimed} claimed, "
        f"{verdict.waiting} still waiting; claimed twice: {len(verdict.twice)}; lost (neither held by the agent "
        f"told it had it nor waiting): {len(verdict.lost)}"
        + ("." if verdict.ok else f"; for example {(verdict.twice + verdict.lost)[:5]}.")
    )
    print(
        f"- Console: headless Chromium (/usr/bin/chromium), 1280×800, one signed-in agent; {args.loads} page loads "
        '(time from the navigation\'s start to the first list, `performance.mark("queue:shown")` in '
        f"handoff/web/js/queue_list.js), {args.changes} emotion filter changes and {args.changes} searches "
        "(from the change to the new list; a search includes the list's 150 ms pause for typing). The list shows "
        "50 rows at a time; the service filters and ranks every waiting conversation. The issue sets no target "
        "here; the browser tests (tests/handoff/workspace/) fail above 3 s."
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--handoff", required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--rasa", help="with the whole system running: also escalation → console")
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--claims-each", type=int, default=15)
    parser.add_argument("--baseline-claims", type=int, default=40)
    parser.add_argument("--waiting", type=int, default=500)
    parser.add_argument("--console-baseline", type=int, default=50)
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--changes", type=int, default=10)
    args = parser.parse_args()

    names = ensure_agents(args.database, args.agents + 1)
    tokens = {name: token(args.handoff, name) for name in names}
    console_agent = names[-1]  # never claims: its console shows every waiting conversation
    claimers = {name: tokens[name] for name in names[:-1]}
    escalation = None
    if args.rasa:
        escalation = escalation_latency(args.handoff, args.rasa, tokens[console_agent], args.customers)
    ledger = handoff_claims.Ledger()
    consoles = console_runs(args, console_agent, ledger)
    claims = claim_rows(args, claimers, ledger)
    verdict = handoff_claims.verify(args.redis, ledger)
    print_section(args, escalation, claims, consoles, verdict)
    return 0


if __name__ == "__main__":
    sys.exit(main())
