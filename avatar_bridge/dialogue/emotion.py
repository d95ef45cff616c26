"""The customer's emotion as Rasa's tracker carries it.

The emotion component puts ``emotion: {label, confidence, intensity, scores}`` into each parsed
user message (``latest_message``); ``action_observe_turn`` (its ``track_emotion`` observer) mirrors it into the slots
``emotion`` and ``emotion_intensity``. The message is read first, the slots are the fallback.
"""

from dataclasses import dataclass

from contracts.emotion.taxonomy import load_taxonomy

# The taxonomy's labels (contracts/emotion/taxonomy.yml), the one list every service uses.
EMOTION_LABELS = frozenset(load_taxonomy().names)


@dataclass(frozen=True)
class EmotionReading:
    label: str = "neutral"
    intensity: float = 0.0
    confidence: float = 0.0

    @property
    def is_neutral(self) -> bool:
        return self.label == "neutral"


NEUTRAL = EmotionReading()


def emotion_from_tracker(tracker: dict | None, min_confidence: float) -> EmotionReading:
    """The latest emotion; below `min_confidence` the bridge does not claim to know a feeling."""
    if not isinstance(tracker, dict):
        return NEUTRAL
    latest = tracker.get("latest_message") or {}
    reported = latest.get("emotion") if isinstance(latest, dict) else None
    slots = tracker.get("slots") or {}
    if isinstance(reported, dict) and reported.get("label") in EMOTION_LABELS:
        label = reported["label"]
        intensity = _number(reported.get("intensity"), 0.0)
        confidence = _number(reported.get("confidence"), 1.0)
    elif slots.get("emotion") in EMOTION_LABELS:
        label = slots["emotion"]
        intensity = _number(slots.get("emotion_intensity"), 0.5)
        confidence = 1.0  # the slot is only set from a reading the emotion work accepted
    else:
        return NEUTRAL
    if label == "neutral" or confidence < min_confidence:
        return NEUTRAL
    return EmotionReading(label=label, intensity=min(max(intensity, 0.0), 1.0), confidence=confidence)


# Kinds of vulnerable situation the NLU reports (bot/emotion/vulnerability.py).
VULNERABILITY_KINDS = ("financial_hardship", "bereavement", "illness", "crisis")


def vulnerability_from_tracker(tracker: dict | None) -> str | None:
    """The kind of vulnerable situation the latest customer message shows, or None."""
    latest = tracker.get("latest_message") if isinstance(tracker, dict) else None
    reported = latest.get("vulnerability") if isinstance(latest, dict) else None
    kind = reported.get("kind") if isinstance(reported, dict) else None
    return kind if kind in VULNERABILITY_KINDS else None


def _number(value: object, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return float(value)
