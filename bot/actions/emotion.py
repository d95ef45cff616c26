"""`action_track_emotion`: keeps the conversation's emotion slots up to date on every user turn.

Rasa's `action_extract_slots` runs it after each user message, because the emotion slots
(`bot/domain/emotion.yml`) have a custom mapping naming it. It reads the `emotion` entry that
`bot.components.emotion_classifier.EmotionClassifier` put into the parse result and sets
`emotion`, `emotion_intensity`, `distress_level`, `distress_trend` and `distress_history`.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.emotion.distress import parse_turn_emotion, turn_distress, update_distress
from bot.emotion.taxonomy import load_taxonomy

logger = logging.getLogger(__name__)

SLOT_EMOTION = "emotion"
SLOT_INTENSITY = "emotion_intensity"
SLOT_DISTRESS_LEVEL = "distress_level"
SLOT_DISTRESS_TREND = "distress_trend"
SLOT_DISTRESS_HISTORY = "distress_history"


class ActionTrackEmotion(Action):
    """Sets the emotion slots from the latest message; changes nothing when it has no usable emotion."""

    def name(self) -> Text:
        return "action_track_emotion"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[EventType]:
        taxonomy = load_taxonomy()
        latest = tracker.latest_message or {}
        turn = parse_turn_emotion(latest.get("emotion"), taxonomy)
        if turn is None:
            logger.debug("No usable emotion in the latest message; emotion slots unchanged.")
            return []
        update = update_distress(
            tracker.get_slot(SLOT_DISTRESS_LEVEL),
            tracker.get_slot(SLOT_DISTRESS_HISTORY),
            turn_distress(turn, taxonomy),
        )
        return [
            SlotSet(SLOT_EMOTION, turn.label),
            SlotSet(SLOT_INTENSITY, round(turn.intensity, 3)),
            SlotSet(SLOT_DISTRESS_LEVEL, update.level),
            SlotSet(SLOT_DISTRESS_TREND, update.trend),
            SlotSet(SLOT_DISTRESS_HISTORY, update.history),
        ]
