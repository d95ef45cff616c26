"""action_handoff: pass the conversation to a person with everything they need.

Why: this turn's escalation decision (the `escalation` slot, bot/actions/escalation.py) when it
asked for a handoff; else the person the customer just accepted (`human_offered` with
`handoff_reason`, and the reasons of that offer in `handoff_reasons`); else the intent. Skill and
priority come from the escalation config. Appends the handoff record (handoff_record.py) to the
Redis stream `handoff:requests` (contracts.redis_keys) as field `payload` (JSON). When Redis cannot be reached the
customer is told so plainly and the conversation carries on; nothing crashes.
"""

import asyncio
import json
import logging
from typing import Any, Dict, List, Text

import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.base import get_redis
from bot.actions.escalation import ESCALATION_SLOT, current_config, decision_reasons
from bot.actions.handoff_record import HANDOFF_STREAM, build_record, resolve_reason
from bot.actions.incidents import incident_instead_of_handoff
from contracts.escalation.config import EscalationConfig
from contracts.escalation.reasons import reason_text
from contracts.escalation.rules import Decision, Reason, decision_for_reason, facts_from_events

logger = logging.getLogger(__name__)

# Reasons whose case the customer has just described get a matching acknowledgement first.
ACKNOWLEDGED_REASONS = {
    "billing_double_charge",
    "billing_wrong_amount",
    "billing_refund_dispute",
    "billing_failed_payment",
    "warranty_claim",
}
# Reasons about the customer's feelings: the handoff starts by acknowledging them.
UPSET_REASONS = {"emotion_frustrated", "emotion_anxious", "emotion_sad", "distress_rising", "customer_distress"}


def handoff_decision(tracker: Tracker, config: EscalationConfig) -> Decision:
    """Why this conversation goes to a person now, with skill and priority."""
    facts = facts_from_events(tracker.events)
    this_turn = decision_reasons(tracker)
    if this_turn:
        return _decision(config, this_turn, facts)
    code = resolve_reason(tracker)
    offered = tracker.get_slot("handoff_reasons")
    if (
        tracker.get_slot("human_offered")
        and isinstance(offered, list)
        and offered
        and isinstance(offered[0], dict)
        and offered[0].get("code") == code
    ):
        return _decision(config, offered, facts)
    return decision_for_reason(config, code, facts)


def _decision(config: EscalationConfig, reasons, facts) -> Decision:
    items = [Reason(str(item["code"]), str(item.get("text") or reason_text(str(item["code"])))) for item in reasons]
    base = decision_for_reason(config, items[0].code, facts)
    skill = next(
        (config.skill_for(item.code) for item in items if config.skill_for(item.code) != config.default_skill),
        config.default_skill,
    )
    priority = "high" if any(item.code in UPSET_REASONS for item in items) else base.priority
    return Decision(escalate=True, reasons=items, skill=skill, priority=priority)


def publish(record: Dict[str, Any]) -> str:
    """Append `record` to the handoff stream; returns the stream entry id."""
    payload = json.dumps(record, ensure_ascii=False, default=str)
    entry_id = get_redis().xadd(HANDOFF_STREAM, {"payload": payload})
    return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        config = await asyncio.to_thread(current_config)
        decision = handoff_decision(tracker, config)
        # A calm complaint about an incident the customer was told of is answered, with a person
        # offered (issue: incidents are not handed over unless asked for or distressed).
        codes = [item.code for item in decision.reasons]
        answered = await asyncio.to_thread(incident_instead_of_handoff, tracker, dispatcher, codes)
        if answered is not None:
            return answered + [SlotSet(ESCALATION_SLOT, None)]
        reason = decision.reasons[0].code
        record = build_record(tracker, decision, config)
        closed_offer = [
            SlotSet("human_offered", False),
            SlotSet("handoff_reason", reason),
            SlotSet(ESCALATION_SLOT, None),
            SlotSet("handoff_reasons", record["reasons"]),
        ]
        if (tracker.active_loop or {}).get("name"):
            # An escalation can interrupt a form: the person takes over the whole request.
            closed_offer += [ActiveLoop(None), SlotSet("requested_slot", None)]
        try:
            # In a thread: while Redis is unreachable the client waits, and the action server's
            # event loop must keep serving other conversations meanwhile.
            entry_id = await asyncio.to_thread(publish, record)
        except (redis.RedisError, OSError) as error:
            logger.error("handoff %s not queued: %s", record["handoff_id"], type(error).__name__)
            dispatcher.utter_message(response="utter_handoff_unavailable")
            return closed_offer + [SlotSet("handoff_requested", False)]
        logger.info("handoff %s queued as %s (%s)", record["handoff_id"], entry_id, reason)
        if reason in ACKNOWLEDGED_REASONS:
            dispatcher.utter_message(response=f"utter_handoff_ack_{reason}")
        elif reason in UPSET_REASONS:
            dispatcher.utter_message(response="utter_handoff_ack_upset")
        dispatcher.utter_message(response="utter_handoff_done")
        return closed_offer + [SlotSet("handoff_requested", True)]
