"""action_open_conversation: the opening turn when a customer signed in at the shop opens the widget.

The bridge sends the payload /widget_opened with the shop's customer token before the customer
types (docs/shop-integration.md), and for any session while an incident for everyone is active.
A valid token verifies the customer (shop_sign_in.py); if their
account is affected by an active incident, that is told (bot/actions/incidents.py); else, if it
has a known problem, the most important one gets one short note, and `proactive_topic`
is set so proactive care does not raise it again later. Otherwise nothing is said: the widget
shows its own welcome, and a second greeting would be noise. An invalid token is ignored quietly.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.base import CustomerDataAction, RequestContext, get_connector, tracker_language
from bot.actions.incidents import mention_incident
from bot.actions.proactive import PROACTIVE_SLOT, known_problems
from bot.actions.shop_sign_in import shop_signed_in_customer, signed_in_events

# The opening's own wording where proactive care's ("before you go ...") would not fit.
OPENING_RESPONSES = {
    "utter_proactive_delayed_order": "utter_opening_delayed_order",
    "utter_proactive_delayed_order_dispatched": "utter_opening_delayed_order_dispatched",
}


class ActionOpenConversation(CustomerDataAction):
    def name(self) -> Text:
        return "action_open_conversation"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        customer_id = shop_signed_in_customer(tracker)
        if customer_id is None:
            # Not signed in at the shop (or a refused token): only an incident for everyone (an
            # outage) is worth saying before they type.
            anonymous = RequestContext(dispatcher, tracker, get_connector(), None, tracker_language(tracker))
            return mention_incident(anonymous)
        events: List[EventType] = []
        if not tracker.get_slot("verified"):
            events += signed_in_events(customer_id)
        elif tracker.get_slot("customer_id") != customer_id:
            return []  # verified as someone else in this conversation: not this token's business
        context = RequestContext(dispatcher, tracker, get_connector(), customer_id, tracker_language(tracker))
        # An incident that affects them comes first (contracts/incidents/), then their own problems.
        told = mention_incident(context)
        if told or tracker.get_slot(PROACTIVE_SLOT):
            return events + told
        problems = known_problems(context)
        if not problems:
            return events
        problem = problems[0]  # most important first
        context.say(OPENING_RESPONSES.get(problem.response, problem.response), **problem.values)
        return events + [SlotSet(PROACTIVE_SLOT, problem.topic)]
