"""Keeps the `language` slot in step with the language the customer writes in.

`track_language` is one of the per-turn observers that `action_observe_turn` (bot/actions/turn.py)
runs after every user message. The LanguageDetector component only reports a language when the
message shows one, so "40010002" or "ok" keep the current language; a client's choice at session
start is the default.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

SLOT_LANGUAGE = "language"
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


def track_language(tracker: Tracker) -> List[EventType]:
    """Observer: a `language` SlotSet when the conversation's language changes, else nothing."""
    current = tracker.get_slot(SLOT_LANGUAGE)
    wanted = detected_language(tracker.latest_message or {}) or current or session_language(tracker) or DEFAULT_LANGUAGE
    return [] if wanted == current else [SlotSet(SLOT_LANGUAGE, wanted)]
