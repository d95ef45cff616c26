"""Shared building blocks for the custom actions.

Language of the conversation::

    language = tracker_language(tracker)          # "de" or "en" (default)

The customer database (created on first use, shared by all actions)::

    connector = get_connector()
    order = connector.get_order_for_customer(customer_id, "40010002")

A base class for actions that touch customer data: implement `act` (it runs in a worker thread,
because database calls block), and a database outage becomes a plain apology plus the offer of a
person instead of a crashed action::

    class ActionShowSomething(CustomerDataAction):
        def name(self) -> str:
            return "action_show_something"

        def act(self, dispatcher, tracker, domain):
            ...
            return [SlotSet("...", ...)]

Offering a person (the customer answers yes/no; see bot/data/rules/handoff.yml)::

    events = offer_human(dispatcher, "verification_lockout")

A base class for form validation: `keeps_asking` says whether the form goes on (False ends it
before all slots are filled), and `@slot_check` lets a `validate_<slot>` method take the value
and one `FormTurn` instead of Rasa's (value, dispatcher, tracker, domain)::

    class ValidateSomethingForm(StoppableFormValidation):
        def name(self) -> str:
            return "validate_something_form"

        async def keeps_asking(self, tracker):
            return bool(tracker.get_slot("verified"))

        @slot_check
        def validate_order_number(self, value, turn: FormTurn) -> SlotValues:
            order_number = find_order_number(value)
            if order_number is None:
                turn.say("utter_order_number_format")  # None: the form asks again
            return {"order_number": order_number}
"""

import asyncio
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from sqlalchemy.exc import SQLAlchemyError

from bot.actions.settings import get_settings

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "de")
DEFAULT_LANGUAGE = "en"

# What a broken or unreachable customer database raises.
DATA_ERRORS = (SQLAlchemyError, OSError)

# What a form validation returns: new values for slots (None asks for the slot again).
SlotValues = Dict[Text, Any]


def tracker_language(tracker: Tracker) -> str:
    """Return the conversation language: the `language` slot (kept by action_observe_turn, see language.py)."""
    language = tracker.get_slot("language")
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def latest_intent(tracker: Tracker) -> Optional[str]:
    """Return the intent of the latest user message (None before the first message)."""
    return (tracker.latest_message or {}).get("intent", {}).get("name")


def latest_entity(tracker: Tracker, entity: str) -> Optional[Any]:
    """Return the first value of `entity` in the latest user message, if any."""
    return next(tracker.get_latest_entity_values(entity), None)


def mask_email(email: str) -> str:
    """Show enough of an address to recognise it: "anna.schmidt@example.de" -> "a***@example.de"."""
    local, _, domain = (email or "").partition("@")
    if not local or not domain:
        return "***"
    return f"{local[0]}***@{domain}"


@lru_cache(maxsize=1)
def get_connector():
    """Return the customer database connector (one engine for the action server's lifetime)."""
    from customer_db.sql import SqlCustomerConnector

    return SqlCustomerConnector(get_settings().customer_db_url)


@lru_cache(maxsize=1)
def get_redis():
    """Return a Redis client for the handoff stream; it connects on the first command."""
    import redis

    settings = get_settings()
    return redis.Redis.from_url(
        settings.redis_url,
        password=settings.redis_password or None,
        socket_connect_timeout=settings.redis_timeout_seconds,
        socket_timeout=settings.redis_timeout_seconds,
    )


def reset_clients() -> None:
    """Forget the cached settings and clients (tests that point the actions elsewhere)."""
    get_settings.cache_clear()
    get_connector.cache_clear()
    get_redis.cache_clear()


def offer_human(dispatcher: CollectingDispatcher, reason: str, response: str = "utter_offer_human") -> List[EventType]:
    """Ask whether the customer wants a person; `affirm` then hands over with `reason`."""
    dispatcher.utter_message(response=response)
    return [SlotSet("human_offered", True), SlotSet("handoff_reason", reason)]


def customer_system_unavailable(dispatcher: CollectingDispatcher) -> List[EventType]:
    """Tell the customer plainly that their data cannot be reached and offer a person."""
    dispatcher.utter_message(response="utter_system_unavailable")
    return offer_human(dispatcher, "system_unavailable")


@dataclass(frozen=True)
class RequestContext:
    """Everything a handler of a verified request needs (see requests.py)."""

    dispatcher: CollectingDispatcher
    tracker: Tracker
    connector: Any
    customer_id: Optional[str]  # None only where no customer is known yet (an opening turn)
    language: str

    def say(self, response: str, **values: Any) -> None:
        """Send a domain response, filling its {placeholders} with `values`."""
        self.dispatcher.utter_message(response=response, **values)


class CustomerDataAction(Action, ABC):
    """An action that reads or writes customer data and must survive a database outage."""

    @abstractmethod
    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        """Do the action's work (in a worker thread); database errors are handled by `run`."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        try:
            return await asyncio.to_thread(self.act, dispatcher, tracker, domain)
        except DATA_ERRORS as error:
            # The exception text can contain customer data from the query: log the type only.
            logger.error("%s: customer database unavailable (%s)", self.name(), type(error).__name__)
            return customer_system_unavailable(dispatcher)


@dataclass(frozen=True)
class FormTurn:
    """What a slot check needs from the turn it validates (see `slot_check`)."""

    dispatcher: CollectingDispatcher
    tracker: Tracker

    def say(self, response: str, **values: Any) -> None:
        """Send a domain response, filling its {placeholders} with `values`."""
        self.dispatcher.utter_message(response=response, **values)


def slot_check(check: Callable[[Any, Any, FormTurn], Any]) -> Callable[..., Any]:
    """Adapt `check(self, value, turn)` (plain or async) to Rasa's `validate_<slot>` signature."""

    @wraps(check)
    def validate(
        self: Any,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> Any:
        # An async check returns its coroutine here; rasa_sdk awaits it. No check needs the domain.
        return check(self, value, FormTurn(dispatcher, tracker))

    return validate


class StoppableFormValidation(FormValidationAction, ABC):
    """A form's validation that can end the form early (e.g. when the customer is not verified)."""

    @abstractmethod
    async def keeps_asking(self, tracker: Tracker) -> bool:
        """False ends the form: no slot is asked for or validated any more."""

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Text]:
        return domain_slots if await self.keeps_asking(tracker) else []
