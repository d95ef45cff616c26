"""Distress: the one per-turn formula, its moving average and trend.

    score = turn_distress(scores, intensity, weights)    # 0..1, one customer message
    update = update_distress(level, history, score)      # the conversation's smoothed level

Pure functions over plain values. The action server's `track_emotion` observer (distress slots,
weights from the taxonomy) and the escalation rules (contracts/escalation/rules.py, weights from
the admin-tunable escalation config) both score a message with `turn_distress`, so the handoff
record's distress values mean one thing. The parameters live in `SMOOTHING`, the one place to tune them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Sequence

from contracts.emotion.taxonomy import Taxonomy

TRENDS = ("rising", "steady", "falling")


@dataclass(frozen=True)
class DistressSmoothing:
    # Weight of the newest turn in the exponential moving average: 0.5 lets two calm turns
    # bring a high level down to a quarter, while one outburst still registers at once.
    alpha: float = 0.5
    # A change of the smoothed level larger than this is "rising" / "falling".
    trend_threshold: float = 0.08
    # How many per-turn scores `distress_history` keeps (newest last).
    history_length: int = 5
    # Intensity's share in the per-turn score: score = distress weight × (1 - share + share × intensity).
    intensity_share: float = 0.5


SMOOTHING = DistressSmoothing()


@dataclass(frozen=True)
class TurnEmotion:
    """A validated `emotion` entry of a parse result."""

    label: str
    confidence: float
    intensity: float
    scores: Mapping[str, float]


@dataclass(frozen=True)
class DistressUpdate:
    level: float
    trend: str
    history: List[float]
    turn_score: float


def parse_turn_emotion(raw: Any, taxonomy: Taxonomy) -> Optional[TurnEmotion]:
    """The `emotion` dict of a parse result, or None when it is missing, malformed or carries no evidence.

    Confidence 0 means the classifier could not read the message (no model, a button payload,
    an empty text), so such turns leave the conversation state alone.
    """
    if not isinstance(raw, Mapping):
        return None
    label = raw.get("label")
    confidence = unit_float(raw.get("confidence"))
    intensity = unit_float(raw.get("intensity"))
    if label not in taxonomy.names or confidence is None or intensity is None or confidence <= 0.0:
        return None
    scores = {}
    raw_scores = raw.get("scores")
    if isinstance(raw_scores, Mapping):
        for name in taxonomy.names:
            value = unit_float(raw_scores.get(name))
            if value is not None:
                scores[name] = value
    if not scores:
        scores = {label: confidence}
    return TurnEmotion(label=label, confidence=confidence, intensity=intensity, scores=scores)


def turn_distress(
    scores: Mapping[str, float],
    intensity: float,
    weights: Mapping[str, float],
    smoothing: DistressSmoothing = SMOOTHING,
) -> float:
    """Distress of one message (0..1): the labels' distress weights averaged by their scores,
    raised by the message's intensity. A classifier that reports one label only passes
    {label: confidence}; labels without a weight count as 0."""
    total = sum(scores.values()) or 1.0
    weighted = sum(weights.get(name, 0.0) * value for name, value in scores.items()) / total
    share = smoothing.intensity_share
    return _clip(weighted * (1.0 - share + share * unit_float(intensity, 0.0)))


def update_distress(
    previous_level: Any,
    previous_history: Any,
    turn_score: float,
    smoothing: DistressSmoothing = SMOOTHING,
) -> DistressUpdate:
    """The next smoothed level, trend and history after a turn with `turn_score`."""
    previous = unit_float(previous_level)
    if previous is None:
        level = turn_score
        baseline = 0.0
    else:
        level = smoothing.alpha * turn_score + (1.0 - smoothing.alpha) * previous
        baseline = previous
    change = level - baseline
    if change > smoothing.trend_threshold:
        trend = "rising"
    elif change < -smoothing.trend_threshold:
        trend = "falling"
    else:
        trend = "steady"
    history = [value for value in _float_list(previous_history)] + [round(turn_score, 3)]
    return DistressUpdate(
        level=round(_clip(level), 3),
        trend=trend,
        history=history[-smoothing.history_length :],
        turn_score=turn_score,
    )


def unit_float(value: Any, default: Optional[float] = None) -> Optional[float]:
    """`value` as a number clipped to 0..1; `default` when it is not a finite number."""
    if isinstance(value, bool):
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    if not math.isfinite(number):
        return default
    return _clip(number)


def _float_list(values: Any) -> Sequence[float]:
    if not isinstance(values, (list, tuple)):
        return []
    return [number for number in (unit_float(value) for value in values) if number is not None]


def _clip(value: float) -> float:
    return min(max(float(value), 0.0), 1.0)
