"""`action_observe_turn`: the one custom action Rasa runs on the action server after every user message.

The conversation-state slots (`language`, the emotion slots, ...) all name this action as their
custom slot mapping (bot/domain/*.yml), so Rasa's `action_extract_slots` calls it exactly once per
user turn, however many slots name it. One call instead of one per concern matters: each action
server round trip costs Rasa an HTTP request plus a JSON Schema check of the response.

The action runs a list of *observers* in order. An observer is a plain function
`tracker -> list of SlotSet events`; it must not raise for odd input and must not talk to the
customer. Each observer sees the slots as the observers before it left them (so one that reads
`distress_level` sees this turn's value). An observer that raises is logged and skipped; the others
still run. Only SlotSet events pass: Rasa's action_extract_slots would drop anything else.

To add a concern, write the observer next to its logic and append it to `OBSERVERS`.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Optional, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.emotion import track_emotion
from bot.actions.escalation import observe_escalation
from bot.actions.language import track_language
from bot.actions.shop_sign_in import track_shop_sign_in

logger = logging.getLogger(__name__)

ACTION_NAME = "action_observe_turn"

Observer = Callable[[Tracker], List[EventType]]

# Run in this order; later observers see the slots set by earlier ones.
OBSERVERS: Sequence[Observer] = (track_language, track_shop_sign_in, track_emotion, observe_escalation)


def with_slots(tracker: Tracker, events: List[EventType]) -> Tracker:
    """A view of `tracker` with the SlotSet `events` applied (the events list itself is shared, not copied)."""
    slots = dict(tracker.slots)
    for event in events:
        slots[event["name"]] = event["value"]
    return Tracker(
        tracker.sender_id,
        slots,
        tracker.latest_message,
        tracker.events,
        tracker.is_paused(),
        tracker.followup_action,
        tracker.active_loop,
        tracker.latest_action_name,
    )


def observe(tracker: Tracker, observers: Sequence[Observer]) -> List[EventType]:
    """Runs `observers` in order and returns the SlotSet events they produced."""
    events: List[EventType] = []
    view = tracker
    for observer in observers:
        name = getattr(observer, "__name__", repr(observer))
        try:
            produced = list(observer(view) or [])
        except Exception:  # one broken concern must not stop the others
            logger.exception("Turn observer %s failed; its slots are unchanged this turn.", name)
            continue
        slot_events = [event for event in produced if isinstance(event, dict) and event.get("event") == "slot"]
        if len(slot_events) != len(produced):
            logger.warning("Turn observer %s returned events other than SlotSet; they were dropped.", name)
        if slot_events:
            events.extend(slot_events)
            view = with_slots(view, slot_events)
    return events


class ActionObserveTurn(Action):
    """Updates the per-turn conversation state by running the turn observers."""

    def __init__(self, observers: Optional[Sequence[Observer]] = None) -> None:
        self.observers: Sequence[Observer] = tuple(OBSERVERS if observers is None else observers)

    def name(self) -> Text:
        return ACTION_NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        return observe(tracker, self.observers)
