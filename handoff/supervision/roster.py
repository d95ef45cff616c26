"""The agents as a supervisor sees them: state, load now and across the shift.

The empathy-fatigue rule of routing (handoff/queue/routing.py: a heavy case, distress ≥
``heavy_distress``, is offered only to an agent whose load is under ``load_threshold``) made
visible: how many conversations each agent has taken this shift, how many heavy cases they have
taken in a row (a light case or a pause ends the run), and a nudge to pause once that run reaches
``heavy_run_nudge``. Pure functions over the queue's records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from handoff.queue.routing import AgentState, RoutingRules, current_load

PAUSE = "pause"


@dataclass(frozen=True)
class Claim:
    at: float
    distress: float | None  # None: a pause


def parse_history(entries: Iterable[str]) -> list[Claim]:
    """The store's "<epoch>:<distress>" / "<epoch>:pause" entries, newest first; bad ones skipped."""
    claims = []
    for entry in entries:
        at, _, value = str(entry).partition(":")
        try:
            claims.append(Claim(float(at), None if value == PAUSE else float(value)))
        except ValueError:
            continue
    return claims


def handled_since(claims: list[Claim], since: float) -> int:
    return sum(1 for claim in claims if claim.distress is not None and claim.at >= since)


def heavy_run(claims: list[Claim], since: float, heavy_distress: float) -> int:
    """Heavy cases taken one after another, counted back from the newest claim of the shift."""
    run = 0
    for claim in claims:  # newest first
        if claim.at < since or claim.distress is None or claim.distress < heavy_distress:
            break
        run += 1
    return run


def state_of(agent: AgentState) -> str:
    return "offline" if not agent.online else "paused" if agent.paused else "available"


@dataclass(frozen=True)
class RosterPolicy:
    rules: RoutingRules
    shift_start: float
    heavy_run_nudge: int


def roster_entry(
    agent: AgentState, display_name: str, history: list[str], active: int, now: float, policy: RosterPolicy
) -> dict:
    claims = parse_history(history)
    run = heavy_run(claims, policy.shift_start, policy.rules.heavy_distress)
    load = current_load(agent, now, policy.rules)
    needs_pause = run >= policy.heavy_run_nudge and not agent.paused
    return {
        "username": agent.username,
        "display_name": display_name,
        "state": state_of(agent),
        "active": active,
        "load": round(load, 2),
        "over_threshold": load >= policy.rules.load_threshold,
        "handled_in_shift": handled_since(claims, policy.shift_start),
        "heavy_in_a_row": run,
        "needs_pause": needs_pause,
        "nudge": f"{run} heavy cases in a row: suggest a short pause." if needs_pause else "",
    }
