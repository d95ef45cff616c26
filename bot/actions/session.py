"""action_session_start: a new session keeps the language and nothing about the account.

Verification deliberately does not survive: a session starts after an hour of silence, and the
person at the keyboard may have changed. The client can set the language for the session with
metadata `{"language": "de"}` on its first message.
"""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.base import LANGUAGES

# Slots copied from the previous session (other skills may add theirs here).
SURVIVING_SLOTS = ("language",)


def metadata_language(tracker: Tracker) -> Optional[str]:
    """The language the client chose for this session, if it is one we speak."""
    metadata = tracker.get_slot("session_started_metadata") or {}
    language = metadata.get("language") if isinstance(metadata, dict) else None
    language = str(language).lower()[:2] if language else None
    return language if language in LANGUAGES else None


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        carried = {name: tracker.get_slot(name) for name in SURVIVING_SLOTS if tracker.get_slot(name) is not None}
        chosen_language = metadata_language(tracker)
        if chosen_language:
            carried["language"] = chosen_language
        events += [SlotSet(name, value) for name, value in carried.items()]
        events.append(ActionExecuted("action_listen"))
        return events
