"""action_handoff: pass the conversation to a person with everything they need.

Appends the handoff record (handoff_record.py) to the Redis stream `handoff:requests` as field
`payload` (JSON). When Redis cannot be reached the customer is told so plainly and the
conversation carries on; nothing crashes.
"""

import json
import logging
from typing import Any, Dict, List, Text

import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.base import get_redis
from bot.actions.handoff_record import HANDOFF_STREAM, build_record, resolve_reason

logger = logging.getLogger(__name__)

# Reasons whose case the customer has just described get a matching acknowledgement first.
ACKNOWLEDGED_REASONS = {
    "billing_double_charge", "billing_wrong_amount", "billing_refund_dispute",
    "billing_failed_payment", "warranty_claim",
}


def publish(record: Dict[str, Any]) -> str:
    """Append `record` to the handoff stream; returns the stream entry id."""
    payload = json.dumps(record, ensure_ascii=False, default=str)
    entry_id = get_redis().xadd(HANDOFF_STREAM, {"payload": payload})
    return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        reason = resolve_reason(tracker)
        record = build_record(tracker, reason)
        closed_offer = [SlotSet("human_offered", False), SlotSet("handoff_reason", reason)]
        try:
            entry_id = publish(record)
        except (redis.RedisError, OSError) as error:
            logger.error("handoff %s not queued: %s", record["handoff_id"], type(error).__name__)
            dispatcher.utter_message(response="utter_handoff_unavailable")
            return closed_offer + [SlotSet("handoff_requested", False)]
        logger.info("handoff %s queued as %s (%s)", record["handoff_id"], entry_id, reason)
        if reason in ACKNOWLEDGED_REASONS:
            dispatcher.utter_message(response=f"utter_handoff_ack_{reason}")
        dispatcher.utter_message(response="utter_handoff_done")
        return closed_offer + [SlotSet("handoff_requested", True)]
