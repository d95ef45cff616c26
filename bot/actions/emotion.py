"""Keeps the conversation's emotion slots up to date on every user turn.

`track_emotion` is one of the per-turn observers that `action_observe_turn` (bot/actions/turn.py)
runs after every user message. It reads the `emotion` entry that
`bot.components.emotion_classifier.EmotionClassifier` put into the parse result and sets
`emotion`, `emotion_intensity`, `distress_level`, `distress_trend` and `distress_history`.
"""

from __future__ import annotations

import logging
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from contracts.emotion.distress import parse_turn_emotion, turn_distress, update_distress
from contracts.emotion.taxonomy import load_taxonomy

logger = logging.getLogger(__name__)

SLOT_EMOTION = "emotion"
SLOT_INTENSITY = "emotion_intensity"
SLOT_DISTRESS_LEVEL = "distress_level"
SLOT_DISTRESS_TREND = "distress_trend"
SLOT_DISTRESS_HISTORY = "distress_history"
EMOTION_SLOTS = (SLOT_EMOTION, SLOT_INTENSITY, SLOT_DISTRESS_LEVEL, SLOT_DISTRESS_TREND, SLOT_DISTRESS_HISTORY)


def track_emotion(tracker: Tracker) -> List[EventType]:
    """Observer: the five emotion SlotSets from the latest message; nothing when it has no usable emotion."""
    taxonomy = load_taxonomy()
    latest = tracker.latest_message or {}
    turn = parse_turn_emotion(latest.get("emotion"), taxonomy)
    if turn is None:
        logger.debug("No usable emotion in the latest message; emotion slots unchanged.")
        return []
    update = update_distress(
        tracker.get_slot(SLOT_DISTRESS_LEVEL),
        tracker.get_slot(SLOT_DISTRESS_HISTORY),
        turn_distress(turn.scores, turn.intensity, taxonomy.distress_weights),
    )
    return [
        SlotSet(SLOT_EMOTION, turn.label),
        SlotSet(SLOT_INTENSITY, round(turn.intensity, 3)),
        SlotSet(SLOT_DISTRESS_LEVEL, update.level),
        SlotSet(SLOT_DISTRESS_TREND, update.trend),
        SlotSet(SLOT_DISTRESS_HISTORY, update.history),
    ]
