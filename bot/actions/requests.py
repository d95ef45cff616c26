"""Requests that need a verified customer: password reset, order status, balance, address change.

Every such request runs the same way (see bot/data/rules/requests.yml):

    intent -> action_start_request (sets pending_request) -> verify_form
           [-> address_form, for change_address] -> action_continue_request

action_continue_request performs the pending request with the handler registered below, or,
when verification failed, offers a person.
"""

from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.account import report_balance
from bot.actions.address import change_delivery_address
from bot.actions.base import (
    CustomerDataAction,
    RequestContext,
    get_connector,
    latest_entity,
    latest_intent,
    offer_human,
    tracker_language,
)
from bot.actions.incidents import mention_incident
from bot.actions.orders import report_order_status
from bot.actions.password import send_password_reset
from bot.actions.proactive import heading_to_person, raise_known_problem
from bot.actions.turn import with_slots
from bot.actions.verification import verification_exhausted

REQUEST_FOR_INTENT = {
    "reset_password": "password_reset",
    "order_status": "order_status",
    "account_balance": "account_balance",
    "change_address": "change_address",
}

RequestHandler = Callable[[RequestContext], List[EventType]]
HANDLERS: Dict[str, RequestHandler] = {
    "password_reset": send_password_reset,
    "order_status": report_order_status,
    "account_balance": report_balance,
    "change_address": change_delivery_address,
}


def requested_by(tracker: Tracker) -> Optional[str]:
    """The request the latest message asks for; a bare order number means "where is it?"."""
    intent = latest_intent(tracker)
    if intent in REQUEST_FOR_INTENT:
        return REQUEST_FOR_INTENT[intent]
    if latest_entity(tracker, "order_number"):
        return "order_status"
    return None


class ActionStartRequest(Action):
    """Remember what the customer asked for, before verify_form asks who they are."""

    def name(self) -> Text:
        return "action_start_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        request = requested_by(tracker) or tracker.get_slot("pending_request")
        if request is None:
            dispatcher.utter_message(response="utter_ask_how_to_help")
            return []
        events: List[EventType] = [SlotSet("pending_request", request)]
        # Values from an earlier request must not leak into this one.
        if tracker.get_slot("order_number") and not latest_entity(tracker, "order_number"):
            events.append(SlotSet("order_number", None))
        if tracker.get_slot("new_address"):
            events.append(SlotSet("new_address", None))
        # A new request closes open yes/no questions, so a later "yes" cannot answer them.
        for question_slot in ("human_offered", "troubleshoot_active"):
            if tracker.get_slot(question_slot):
                events.append(SlotSet(question_slot, False))
        if not tracker.get_slot("verified") and not verification_exhausted(tracker):
            dispatcher.utter_message(response=f"utter_request_intro_{request}")
        return events


class ActionContinueRequest(CustomerDataAction):
    """Carry out the pending request once verify_form (and address_form) are done."""

    def name(self) -> Text:
        return "action_continue_request"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        done = [SlotSet("pending_request", None)]
        if not tracker.get_slot("verified"):
            if verification_exhausted(tracker):
                reason = tracker.get_slot("handoff_reason") or "verification_lockout"
                return offer_human(dispatcher, reason) + done
            dispatcher.utter_message(response="utter_anything_else")
            return done
        request = tracker.get_slot("pending_request")
        handler = HANDLERS.get(request)
        if handler is None:
            dispatcher.utter_message(response="utter_ask_how_to_help")
            return done
        context = RequestContext(
            dispatcher=dispatcher,
            tracker=tracker,
            connector=get_connector(),
            customer_id=tracker.get_slot("customer_id"),
            language=tracker_language(tracker),
        )
        events = handler(context)
        # What was asked is done: now, once, an incident that affects the customer, or else the
        # most important known problem on the account (one thing at a time).
        after = _after(context, events)
        if heading_to_person(after.tracker):
            return events + done
        return events + (mention_incident(after) or raise_known_problem(after, request)) + done


def _after(context: RequestContext, events: List[EventType]) -> RequestContext:
    """The context as it is once the handler's events apply (e.g. an offer of a person it made)."""
    return RequestContext(
        dispatcher=context.dispatcher,
        tracker=with_slots(context.tracker, [e for e in events if e.get("event") == "slot"]),
        connector=context.connector,
        customer_id=context.customer_id,
        language=context.language,
    )
