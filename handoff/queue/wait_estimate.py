"""The expected wait a queued customer is told, pure functions (docs/handoff.md "Expected wait").

- Handle time: the median of the last ``window`` measured handle times (claim to end or hand
  back) for the conversation's skill, or for all skills while that skill has fewer than
  ``min_samples``; the configured default until then. A median, not a mean: one agent who
  leaves a chat open for an hour, or a run of instant hand-backs, does not move it.
- Expected wait = position × handle time ÷ agents serving the case (online, not paused, with the
  skill and the language). Nobody serving counts as one agent, and the wait counts as long.
- Told as a range of minutes from a fixed table, so the same position keeps the same words
  between updates; the range changes only when the measured median crosses a range's edge.
- A wait whose lower edge is at least ``long_wait_seconds`` (or with nobody serving) is long:
  the customer is offered a call back or an e-mail reply instead of waiting.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

# The ranges (minutes) a wait is told in; beyond the last edge it is "more than 120 minutes".
WAIT_RANGES_MINUTES = (0, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120)
CONTACT_OPTIONS = ("callback", "email")


@dataclass(frozen=True)
class WaitPolicy:
    default_handle_seconds: float = 240.0
    window: int = 50
    min_samples: int = 5
    long_wait_seconds: float = 900.0


@dataclass(frozen=True)
class WaitEstimate:
    position: int
    low_seconds: int
    high_seconds: int | None  # None: more than the last range edge
    long: bool

    @property
    def contact_options(self) -> tuple[str, ...]:
        return CONTACT_OPTIONS if self.long else ()

    @property
    def label(self) -> str:
        """Compact and stable, for telling whether an update changed anything ("5-10", "120-")."""
        high = "" if self.high_seconds is None else str(self.high_seconds // 60)
        return f"{self.low_seconds // 60}-{high}"


def usable_samples(samples: Iterable[object]) -> list[float]:
    """Finite, positive handle times; anything else in the store is ignored."""
    usable = []
    for sample in samples:
        try:
            value = float(sample)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if math.isfinite(value) and value > 0:
            usable.append(value)
    return usable


def typical_handle_seconds(samples: Iterable[object], policy: WaitPolicy) -> float:
    """The median of the newest ``window`` usable samples (newest first), or the default."""
    recent = usable_samples(samples)[: policy.window]
    if len(recent) < policy.min_samples:
        return float(policy.default_handle_seconds)
    ordered = sorted(recent)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def expected_wait_seconds(position: int, handle_seconds: float, serving_agents: int) -> float:
    return max(1, position) * max(0.0, handle_seconds) / max(1, serving_agents)


def wait_range_seconds(seconds: float) -> tuple[int, int | None]:
    """The range of the table the wait falls in (lower edge inclusive), in seconds."""
    minutes = max(0.0, seconds) / 60
    for low, high in zip(WAIT_RANGES_MINUTES, WAIT_RANGES_MINUTES[1:], strict=False):
        if minutes < high:
            return low * 60, high * 60
    return WAIT_RANGES_MINUTES[-1] * 60, None


def estimate_wait(position: int, samples: Iterable[object], serving_agents: int, policy: WaitPolicy) -> WaitEstimate:
    seconds = expected_wait_seconds(position, typical_handle_seconds(samples, policy), serving_agents)
    low, high = wait_range_seconds(seconds)
    long = serving_agents < 1 or low >= policy.long_wait_seconds
    return WaitEstimate(position=max(1, position), low_seconds=low, high_seconds=high, long=long)
