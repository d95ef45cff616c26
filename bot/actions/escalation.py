"""The escalation decision on every customer turn, and the offer of a person it can lead to.

`observe_escalation` is a turn observer (run by `action_observe_turn`, bot/actions/turn.py): it
reads the escalation configuration from Redis (escalation_config.py; admins change it at run time
in the handoff service's console), applies the shared rules (contracts/escalation/rules.py) to the
conversation so far and stores
the decision in the `escalation` slot. `bot.policies.escalation.EscalationPolicy` then runs
`action_handoff` (mode "handoff") or `action_offer_human` (mode "offer") before any other
prediction. When Redis cannot be reached the shipped defaults apply (logged), so the customer is
still handed over when they must be.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.base import get_redis
from bot.actions.escalation_config import EscalationConfigReader
from contracts.escalation.config import EscalationConfig, default_config
from contracts.escalation.rules import Decision, decide, facts_from_events

logger = logging.getLogger(__name__)

ESCALATION_SLOT = "escalation"
# A change an admin makes is seen within this many seconds (and Redis is read at most this often).
CONFIG_CACHE_SECONDS = 1.0

# Offers whose reason has a wording of its own; the others use utter_offer_human.
OFFER_RESPONSES = {
    "repeated_misunderstanding": "utter_offer_human_after_misunderstanding",
    "conversation_loop": "utter_offer_human_after_loop",
    "emotion_frustrated": "utter_offer_human_upset",
    "emotion_anxious": "utter_offer_human_upset",
    "emotion_sad": "utter_offer_human_upset",
    "distress_rising": "utter_offer_human_upset",
}
# A vulnerable customer's offer is worded for their situation (kind from the latest message).
VULNERABLE_OFFER = "utter_offer_human_vulnerable_{kind}"
VULNERABILITY_KINDS = ("financial_hardship", "bereavement", "illness", "crisis")


_readers: Dict[int, EscalationConfigReader] = {}


def get_escalation_reader() -> EscalationConfigReader:
    """The config reader on the action server's Redis client (follows `reset_clients()`)."""
    client = get_redis()
    reader = _readers.get(id(client))
    if reader is None or reader.redis is not client:
        _readers.clear()
        reader = _readers[id(client)] = EscalationConfigReader(client, cache_seconds=CONFIG_CACHE_SECONDS)
    return reader


def current_config() -> EscalationConfig:
    """The configuration in force; the shipped defaults while Redis cannot be reached."""
    try:
        config, _version = get_escalation_reader().current()
        return config
    except (redis.RedisError, OSError) as error:
        logger.warning("escalation config unavailable (%s); using the defaults", type(error).__name__)
        return default_config()


def current_decision(tracker: Tracker, config: Optional[EscalationConfig] = None) -> Decision:
    return decide(config or current_config(), facts_from_events(tracker.events))


def observe_escalation(tracker: Tracker) -> List[EventType]:
    """Turn observer: the `escalation` slot for this turn (None when nobody needs to step in)."""
    decision = current_decision(tracker)
    value: Optional[Dict[str, Any]] = decision.to_dict() if decision.escalate else None
    if value is None and tracker.get_slot(ESCALATION_SLOT) is None:
        return []
    if value is not None:
        logger.info(
            "escalation for %s: %s (%s)",
            tracker.sender_id,
            decision.mode,
            ", ".join(reason.code for reason in decision.reasons),
        )
    return [SlotSet(ESCALATION_SLOT, value)]


def decision_reasons(tracker: Tracker) -> List[Dict[str, Any]]:
    """This turn's escalation reasons from the `escalation` slot ([] when there is none)."""
    value = tracker.get_slot(ESCALATION_SLOT)
    if isinstance(value, dict) and value.get("escalate") is True and isinstance(value.get("reasons"), list):
        return [reason for reason in value["reasons"] if isinstance(reason, dict) and reason.get("code")]
    return []


def offer_response(code: str, tracker: Tracker) -> str:
    if code == "vulnerable_customer":
        kind = ((tracker.latest_message or {}).get("vulnerability") or {}).get("kind")
        if kind in VULNERABILITY_KINDS:
            return VULNERABLE_OFFER.format(kind=kind)
        return "utter_offer_human_upset"
    return OFFER_RESPONSES.get(code, "utter_offer_human")


class ActionOfferHuman(Action):
    """Asks whether the customer wants a person, for the reasons of this turn's decision."""

    def name(self) -> Text:
        return "action_offer_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        reasons = decision_reasons(tracker)
        code = reasons[0]["code"] if reasons else "customer_distress"
        dispatcher.utter_message(response=offer_response(code, tracker))
        events: List[EventType] = [
            SlotSet("human_offered", True),
            SlotSet("handoff_reason", code),
            # Kept for action_handoff when the customer accepts (the decision slot is per turn).
            SlotSet("handoff_reasons", [{"code": item["code"], "text": item.get("text")} for item in reasons]),
            SlotSet(ESCALATION_SLOT, None),
        ]
        if code == "repeated_misunderstanding":
            events.append(SlotSet("fallback_count", 0.0))
        if (tracker.active_loop or {}).get("name"):
            # The yes/no answer must reach the offer's rules, not the interrupted form.
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events
