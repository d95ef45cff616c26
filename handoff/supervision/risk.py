"""The risk score of a live conversation: which one a supervisor should look at first.

A score from 0 to 100, the weighted sum of four parts, each scaled to 0..1 first:

- distress (weight 40): the customer's distress level as the queue keeps it (0..1, from the
  emotion model at handoff).
- rising distress (weight 20): how much the surface distress of the customer's last three chat
  lines has grown (handoff/assist/lines.py ``distress_cue``), the newest minus the lowest before
  it, scaled so a rise of ``RISE_FULL`` or more counts in full.
- waiting (weight 25): a queued conversation, minutes since it was handed over, in full at
  ``QUEUE_WAIT_FULL_S``; one with an agent, how long the customer's oldest unanswered line has
  waited, in full at ``REPLY_WAIT_FULL_S`` (a customer waiting for an answer feels ignored sooner).
- a struggling agent (weight 15): the conversation's agent has just taken ``heavy_run_nudge`` or
  more heavy cases in a row without a pause (roster.py ``needs_pause``).

Levels: ``high`` from 60, ``medium`` from 35, else ``low``. Ties are broken by the longer wait.
Pure functions; the overview (overview.py) gathers the inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from handoff.assist.lines import Line, distress_cue

WEIGHTS = {"distress": 40.0, "rising": 20.0, "waiting": 25.0, "agent": 15.0}
RISE_FULL = 0.4
QUEUE_WAIT_FULL_S = 600.0
REPLY_WAIT_FULL_S = 180.0
HIGH_FROM = 60.0
MEDIUM_FROM = 35.0


@dataclass(frozen=True)
class RiskInputs:
    distress: float  # 0..1
    rise: float  # growth of the surface distress over the last customer lines, 0..1
    waited_s: float  # in the queue, or for an answer from the agent
    queued: bool
    agent_struggling: bool = False


@dataclass(frozen=True)
class Risk:
    score: float
    level: str
    reasons: list[str] = field(default_factory=list)


def rise_of(lines: Sequence[Line]) -> float:
    """How much the customer's last three lines have grown in distress (0 when falling or flat)."""
    cues = [distress_cue(line.text) for line in lines if line.kind == "customer"][-3:]
    if len(cues) < 2:
        return 0.0
    return max(0.0, cues[-1] - min(cues[:-1]))


def unanswered_since(lines: Sequence[Line]) -> float | None:
    """When the oldest customer line since the agent's last one arrived (None: nothing waits)."""
    since: float | None = None
    for line in lines:
        if line.kind == "agent":
            since = None
        elif line.kind == "customer" and since is None:
            since = line.arrived or None
    return since


def score(inputs: RiskInputs) -> Risk:
    full = QUEUE_WAIT_FULL_S if inputs.queued else REPLY_WAIT_FULL_S
    parts = {
        "distress": _unit(inputs.distress),
        "rising": _unit(inputs.rise / RISE_FULL),
        "waiting": _unit(inputs.waited_s / full),
        "agent": 1.0 if inputs.agent_struggling else 0.0,
    }
    total = round(sum(WEIGHTS[name] * value for name, value in parts.items()), 1)
    return Risk(total, _level(total), _reasons(inputs, parts))


def _reasons(inputs: RiskInputs, parts: dict[str, float]) -> list[str]:
    reasons = []
    if inputs.distress >= 0.6:
        reasons.append("high distress")
    if parts["rising"] >= 0.5:
        reasons.append("distress rising")
    if parts["waiting"] >= 0.5:
        minutes = int(inputs.waited_s // 60)
        reasons.append(f"waiting {minutes} min" if inputs.queued else f"no answer for {minutes} min")
    if inputs.agent_struggling:
        reasons.append("agent under strain")
    return reasons


def _level(total: float) -> str:
    return "high" if total >= HIGH_FROM else "medium" if total >= MEDIUM_FROM else "low"


def _unit(value: float) -> float:
    return min(1.0, max(0.0, value)) if value == value else 0.0  # NaN → 0
