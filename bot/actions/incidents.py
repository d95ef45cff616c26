"""Incidents (contracts/incidents/): tell affected customers openly, once, in the latest words.

- After a verified customer's request is done, an active incident that affects them (their
  carrier, region or products, or everyone) is mentioned before any known problem on the account
  (`mention_incident`, called by action_continue_request).
- "Is there a problem with deliveries?" (intent ask_incident) is answered with what is known
  (`ActionAnswerIncident`); an unverified customer hears the incidents for everyone and, since they
  are public, the carrier, region and product ones too.
- A complaint in a conversation already told about an incident is most likely about it: the
  assistant acknowledges it, explains, and offers a person instead of handing over at once
  (`incident_instead_of_handoff`, used by action_handoff). A distressed customer, or one who
  asks for a person, is handed over as always.

The incidents come from Redis (admins and supervisors publish them in the admin console); they are
read at most once a second. When Redis cannot be reached there are simply no incidents (logged).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Dict, List, Optional, Text, Tuple

import redis
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.base import (
    CustomerDataAction,
    RequestContext,
    get_connector,
    get_redis,
    latest_intent,
    tracker_language,
)
from contracts.incidents.model import CustomerFacts, Incident, affecting
from contracts.incidents.stored import INCIDENTS_KEY, incidents_from_stored

logger = logging.getLogger(__name__)

TOLD_SLOT = "incidents_told"
CACHE_SECONDS = 1.0
MAX_ANSWERED = 2  # an answer names at most this many incidents, the newest first
# Distress (0..1, contracts/emotion/distress.py) from which a complaint goes to a person at once.
DISTRESSED = 0.5


class IncidentReader:
    def __init__(self, redis_client: Any, clock: Callable[[], float] = time.monotonic) -> None:
        self._redis = redis_client
        self._clock = clock
        self._cached: Optional[Tuple[float, List[Incident]]] = None

    @property
    def redis(self) -> Any:
        return self._redis

    def active(self) -> List[Incident]:
        now = self._clock()
        if self._cached and now - self._cached[0] < CACHE_SECONDS:
            return self._cached[1]
        try:
            incidents = [i for i in incidents_from_stored(self._redis.hgetall(INCIDENTS_KEY)) if i.active]
        except (redis.RedisError, OSError) as error:
            logger.warning("incidents unavailable (%s); none are mentioned", type(error).__name__)
            incidents = []
        self._cached = (now, incidents)
        return incidents


_readers: Dict[int, IncidentReader] = {}


def get_incident_reader() -> IncidentReader:
    """The reader on the action server's Redis client (follows `reset_clients()`)."""
    client = get_redis()
    reader = _readers.get(id(client))
    if reader is None or reader.redis is not client:
        _readers.clear()
        reader = _readers[id(client)] = IncidentReader(client)
    return reader


def customer_facts(connector: Any, customer_id: Optional[str]) -> Optional[CustomerFacts]:
    """What incident scopes are matched against; None for a customer not (yet) known."""
    if not customer_id:
        return None
    customer = connector.get_customer(customer_id)
    if customer is None:
        return None
    orders = connector.list_orders(customer_id)
    return CustomerFacts(
        country=customer.country,
        postcode=customer.postcode,
        carriers_on_the_way=frozenset(order.carrier for order in orders if order.is_open),
        skus=frozenset(item.sku for order in orders for item in order.items),
    )


def told(tracker: Tracker) -> List[str]:
    value = tracker.get_slot(TOLD_SLOT)
    return [str(item) for item in value] if isinstance(value, list) else []


def _say(dispatcher: CollectingDispatcher, response: str, incident: Incident, language: str) -> None:
    text = incident.text(language)
    dispatcher.utter_message(response=response, summary=text.summary, advice=text.advice, timeline=text.timeline)


def mention_incident(context: RequestContext) -> List[EventType]:
    """Tell a verified customer about the newest incident that affects them and they have not heard."""
    already = told(context.tracker)
    incidents = [i for i in get_incident_reader().active() if i.incident_id not in already]
    if not incidents:
        return []
    for incident in affecting(incidents, customer_facts(context.connector, context.customer_id)):
        _say(context.dispatcher, "utter_incident_notice", incident, context.language)
        return [SlotSet(TOLD_SLOT, already + [incident.incident_id])]
    return []


class ActionAnswerIncident(CustomerDataAction):
    """Answer "is something wrong?" with what is known, or say plainly that nothing is known."""

    def name(self) -> Text:
        return "action_answer_incident"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = tracker_language(tracker)
        incidents = get_incident_reader().active()
        customer_id = tracker.get_slot("customer_id") if tracker.get_slot("verified") else None
        facts = customer_facts(get_connector(), customer_id) if incidents and customer_id else None
        # A known customer hears what affects them first; the others are public all the same.
        relevant = affecting(incidents, facts) if facts else []
        others = [i for i in incidents if i not in relevant]
        chosen = (relevant + others)[:MAX_ANSWERED]
        if not chosen:
            dispatcher.utter_message(response="utter_incident_none")
            return []
        for incident in chosen:
            _say(dispatcher, "utter_incident_answer", incident, language)
        already = told(tracker)
        return [SlotSet(TOLD_SLOT, already + [i.incident_id for i in chosen if i.incident_id not in already])]


def _distress(tracker: Tracker) -> float:
    try:
        return float(tracker.get_slot("distress_level") or 0.0)
    except (TypeError, ValueError):
        return 0.0


def incident_instead_of_handoff(
    tracker: Tracker, dispatcher: CollectingDispatcher, reason_codes: List[str]
) -> Optional[List[EventType]]:
    """For a calm complaint after an incident was told: explain and offer a person (None: hand over).

    Only the complaint itself is answered this way; every other reason (a request for a person,
    strong feelings, a billing case) still hands over at once, and so does accepting the offer.
    """
    # The rule for the complaint intent gives "customer_request"; the escalation rules "complaint".
    complaint_only = latest_intent(tracker) == "complaint" and set(reason_codes) <= {"complaint", "customer_request"}
    if tracker.get_slot("human_offered") or not complaint_only or _distress(tracker) >= DISTRESSED:
        return None
    already = told(tracker)
    incident = next((i for i in get_incident_reader().active() if i.incident_id in already), None)
    if incident is None:
        return None
    _say(dispatcher, "utter_incident_complaint", incident, tracker_language(tracker))
    return [SlotSet("human_offered", True), SlotSet("handoff_reason", "complaint")]
