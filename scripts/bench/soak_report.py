"""The soak test's Markdown: one column per configuration (1 and 2 instances of each service),
sizing per process kind, errors and exactly-once violations."""

from __future__ import annotations

from dataclasses import dataclass

from scripts.bench import stats
from scripts.bench.soak_run import SoakOutcome

HEADING = "## Load and soak through nginx (issue 8)"
KIND_ORDER = ("avatar-bridge", "rasa", "action-server", "handoff", "redis", "nginx")


@dataclass
class Measured:
    """One configuration's run: its label, the load average before it, and the outcome."""

    label: str
    load_before: tuple[float, float, float]
    outcome: SoakOutcome
    # How much Redis's used memory grew during the run (Rasa keeps trackers for RASA_TRACKER_RETENTION_S).
    redis_growth_bytes: int = 0


def _ms(values: list[float], fraction: float | None) -> str:
    if not values:
        return "–"
    summary = stats.summary(values)
    key = {None: "p50", 0.95: "p95", 0.99: "p99"}[fraction]
    return f"{summary[key]:.0f}"


def _percentiles(values: list[float]) -> str:
    return f"{_ms(values, None)} / {_ms(values, 0.95)} / {_ms(values, 0.99)}" if values else "–"


def _errors(outcome: SoakOutcome) -> str:
    errors = outcome.results.errors
    return ", ".join(f"{kind} {count}" for kind, count in sorted(errors.items())) or "none"


def summary_rows(runs: list[Measured]) -> list[str]:
    def row(label: str, cell) -> str:
        return f"| {label} | " + " | ".join(cell(run.outcome) for run in runs) + " |"

    lines = [
        "| | " + " | ".join(run.label for run in runs) + " |",
        "|---|" + "---|" * len(runs),
        "| load average before the run (1/5/15 min) | "
        + " | ".join(" ".join(f"{value:.2f}" for value in run.load_before) for run in runs)
        + " |",
    ]
    lines += [
        row("customers / agents", lambda o: f"{o.plan.customers} / {o.agents}"),
        row(
            "load phase + drain (s)",
            lambda o: f"{o.plan.duration_s:.0f} + {o.results.load_seconds - o.plan.duration_s:.0f}",
        ),
        row("conversations (sessions)", lambda o: str(o.results.conversations)),
        row(
            "turns answered (to the bot / to an agent)",
            lambda o: f"{o.results.turns} ({o.results.turns - o.results.turns_to_agent} / {o.results.turns_to_agent})",
        ),
        row("turns/s (steady phase)", lambda o: f"{o.results.steady_turns_per_s(o.plan):.2f}"),
        row("user message → first text cue, p50/p95/p99 ms", lambda o: _percentiles(o.results.text_cue_ms)),
        row("user message → terminal frame, p50/p95/p99 ms", lambda o: _percentiles(o.results.turn_ms)),
        row("handoffs served", lambda o: str(o.results.handoffs_served)),
        row("asked for a person → agent joined, p50/p95/p99 ms", lambda o: _percentiles(o.results.handoff_wait_ms)),
        row(
            "agent message sent → on the customer's socket, p50/p95/p99 ms",
            lambda o: _percentiles(o.results.deliveries.delivery_ms),
        ),
        row(
            "customer message → seen by the agent (polled every 0.25 s), p50/p95/p99 ms",
            lambda o: _percentiles(list(o.results.deliveries.agent_seen_ms.values())),
        ),
        row(
            "agent messages / customer answers checked",
            lambda o: f"{len(o.results.deliveries.agent_sent)} / {len(o.results.deliveries.customer_sent)}",
        ),
        row("errors by kind", _errors),
        row("exactly-once violations", lambda o: str(len(o.results.violations()))),
    ]
    lines.append(
        "| Redis memory growth per conversation (KiB) | "
        + " | ".join(f"{run.redis_growth_bytes / 1024 / max(1, run.outcome.results.conversations):.0f}" for run in runs)
        + " |"
    )
    return lines


def sizing_rows(runs: list[Measured]) -> list[str]:
    """Per process kind and configuration: instances, peak RSS of all instances together (of the
    largest one), CPU seconds during the run, CPU ms per answered turn."""
    header = (
        "| process kind | " + " | ".join(f"{run.label}: n | peak RSS MiB | CPU s | CPU ms/turn" for run in runs) + " |"
    )
    lines = [header, "|---|" + "---|---|---|---|" * len(runs)]
    for kind in KIND_ORDER:
        lines.append(f"| {kind} | " + " | ".join(_kind_cells(run, kind) for run in runs) + " |")
    lines.append("| **all services** | " + " | ".join(_total_cells(run) for run in runs) + " |")
    lines.append(
        "| soak client (the load generator, not sized) | "
        + " | ".join(
            f"1 | – | {run.outcome.client_cpu_s:.1f} | {_per_turn(run, run.outcome.client_cpu_s)}" for run in runs
        )
        + " |"
    )
    return lines


def _per_turn(run: Measured, cpu_s: float) -> str:
    turns = run.outcome.results.turns
    return f"{cpu_s * 1000 / turns:.1f}" if turns else "–"


def _kind_cells(run: Measured, kind: str) -> str:
    figures = run.outcome.sizing.get(kind)
    if figures is None:
        return "– | – | – | –"
    rss = f"{figures.peak_rss_kib / 1024:.0f}"
    if figures.instances > 1:
        rss += f" ({figures.peak_instance_rss_kib / 1024:.0f})"
    return f"{figures.instances} | {rss} | {figures.cpu_s:.1f} | {_per_turn(run, figures.cpu_s)}"


def _total_cells(run: Measured) -> str:
    kinds = run.outcome.sizing.values()
    cpu_s = sum(figures.cpu_s for figures in kinds)
    rss_mib = sum(figures.peak_rss_kib for figures in kinds) / 1024
    return f"{sum(figures.instances for figures in kinds)} | {rss_mib:.0f} | {cpu_s:.1f} | {_per_turn(run, cpu_s)}"


def violation_lines(runs: list[Measured], limit: int = 20) -> list[str]:
    lines = []
    for run in runs:
        found = run.outcome.results.violations()
        lines += [f"- {run.label}: {violation}" for violation in found[:limit]]
        if len(found) > limit:
            lines.append(f"- {run.label}: … and {len(found) - limit} more")
    return lines
