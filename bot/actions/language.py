"""Keeps the `language` slot in step with the language the customer writes in.

Runs on every user turn as the custom slot mapping of `language` (Rasa's action_extract_slots
calls it). The LanguageDetector component only reports a language when the message shows one, so
"40010002" or "ok" keep the current language; a client's choice at session start is the default.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

SUPPORTED_LANGUAGES = ("en", "de")
DEFAULT_LANGUAGE = "en"
# Below this detector confidence a single message does not switch the conversation's language.
SWITCH_CONFIDENCE = 0.3


def detected_language(latest_message: Dict[Text, Any]) -> Optional[Text]:
    detected = latest_message.get("language")
    if not isinstance(detected, dict):
        return None
    code = detected.get("code")
    confidence = detected.get("confidence")
    if code not in SUPPORTED_LANGUAGES or not isinstance(confidence, (int, float)):
        return None
    return code if confidence >= SWITCH_CONFIDENCE else None


def session_language(tracker: Tracker) -> Optional[Text]:
    metadata = tracker.get_slot("session_started_metadata") or {}
    code = metadata.get("language") if isinstance(metadata, dict) else None
    return code if code in SUPPORTED_LANGUAGES else None


class ActionTrackLanguage(Action):
    def name(self) -> Text:
        return "action_track_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        current = tracker.get_slot("language")
        wanted = (
            detected_language(tracker.latest_message or {})
            or current
            or session_language(tracker)
            or DEFAULT_LANGUAGE
        )
        return [] if wanted == current else [SlotSet("language", wanted)]
