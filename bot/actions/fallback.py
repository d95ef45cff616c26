"""When the assistant does not understand: ask which of two requests was meant, or to rephrase,
then offer a person.

A message torn between two requests the assistant can name ("how do I get my money back": the
returns rules or a refund owed?) gets "Just so I get this right – is it about ... or about ...?"
with a button for each (bot/actions/clarify.py); anything vaguer gets "please rephrase".

The count is per conversation: misunderstanding number `fallbacks.max_fallbacks` of the escalation
config (2 by default, changeable at run time) offers a person (`human_offered`, reason
`repeated_misunderstanding`) and starts counting again; with `fallbacks.enabled: false` the
assistant only asks to rephrase. In the running system the EscalationPolicy usually makes that
offer first (action_offer_human, same wording and slots); this action covers the paths the policy
leaves to the rules.
"""

import asyncio
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.base import offer_human, tracker_language
from bot.actions.clarify import close_call
from bot.actions.escalation import current_config


# Feelings a message of emoji alone can show (the emotion classifier reads them as cues).
FEELINGS_WITHOUT_WORDS = ("frustrated", "anxious", "sad", "confused", "happy")


def feeling_without_words(latest_message: Dict[Text, Any]) -> Optional[str]:
    """The feeling of a message that has no words (only emoji), else None."""
    guard = latest_message.get("input_guard") or {}
    emotion = latest_message.get("emotion") or {}
    if guard.get("reason") != "no_words" or emotion.get("label") not in FEELINGS_WITHOUT_WORDS:
        return None
    return emotion["label"] if float(emotion.get("confidence") or 0.0) >= 0.5 else None


def ask_which_or_rephrase(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    latest = tracker.latest_message or {}
    # Input the guard refused (no words, mostly unknown words) was never a close call.
    choices = None if (latest.get("input_guard") or {}).get("reason") else close_call(latest, tracker_language(tracker))
    if not choices:
        dispatcher.utter_message(response="utter_ask_rephrase")
        return
    dispatcher.utter_message(
        response="utter_ask_which",
        first=choices[0].about,
        second=choices[1].about,
        buttons=[{"title": choice.title, "payload": choice.payload} for choice in choices],
    )


class ActionFallback(Action):
    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        feeling = feeling_without_words(tracker.latest_message or {})
        if feeling:
            # "😡😡😡" was understood: it is how the customer feels. Acknowledge it and ask what happened.
            dispatcher.utter_message(response=f"utter_feeling_without_words_{feeling}")
            return []
        count = int(tracker.get_slot("fallback_count") or 0) + 1
        rule = (await asyncio.to_thread(current_config)).fallbacks
        if not rule.enabled or count < rule.max_fallbacks:
            ask_which_or_rephrase(dispatcher, tracker)
            return [SlotSet("fallback_count", float(count))]
        return [SlotSet("fallback_count", 0.0)] + offer_human(
            dispatcher,
            "repeated_misunderstanding",
            response="utter_offer_human_after_misunderstanding",
        )


class ActionDeclineHuman(Action):
    """The customer said no to a person: close the offer so a later "yes" cannot trigger it."""

    def name(self) -> Text:
        return "action_decline_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(response="utter_anything_else")
        return [SlotSet("human_offered", False), SlotSet("handoff_reason", None)]
