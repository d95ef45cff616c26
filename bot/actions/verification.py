"""verify_form: who is the customer? Nothing about an account is shown before this succeeds.

The customer names the account (e-mail or customer number), then gives the last four digits of
the phone number on it. An unknown account and wrong digits get the same answer, so nobody can
find out which accounts exist. After MAX_ATTEMPTS failures in this conversation, or when the
database reports the account locked (3 failures -> 30 minutes, across sessions), the form stops;
action_continue_request then offers a person.
"""

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from bot.actions.base import DATA_ERRORS, get_connector
from bot.actions.parsing import find_account_identifier, find_phone_last4

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


def failed_attempts(tracker: Tracker) -> int:
    """Failed verification attempts in this conversation."""
    return int(tracker.get_slot("verification_failures") or 0)


def verification_exhausted(tracker: Tracker) -> bool:
    """True when the form must not ask again (too many failures, or the account is locked)."""
    return failed_attempts(tracker) >= MAX_ATTEMPTS


def _first(value: Any) -> Any:
    # Two entities of one type arrive as a list; the first is what the customer wrote first.
    return value[0] if isinstance(value, list) and value else value


class ValidateVerifyForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_verify_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Text]:
        # A verified customer is not asked again, and a locked-out one not any more.
        if tracker.get_slot("verified") or verification_exhausted(tracker):
            return []
        return domain_slots

    def validate_account_identifier(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> Dict[Text, Any]:
        identifier = find_account_identifier(_first(value))
        if identifier is None:
            dispatcher.utter_message(response="utter_identifier_format")
        return {"account_identifier": identifier}

    async def validate_phone_last4(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> Dict[Text, Any]:
        digits = find_phone_last4(_first(value))
        if digits is None:
            dispatcher.utter_message(response="utter_phone_digits_format")
            return {"phone_last4": None}
        identifier = tracker.get_slot("account_identifier")
        if not identifier:
            return {"phone_last4": None}
        try:
            result = await asyncio.to_thread(get_connector().verify_customer, identifier, digits)
        except DATA_ERRORS as error:
            logger.error("verification: customer database unavailable (%s)", type(error).__name__)
            dispatcher.utter_message(response="utter_system_unavailable")
            # Stop the form; action_continue_request offers a person.
            return {
                "phone_last4": None,
                "verification_failures": float(MAX_ATTEMPTS),
                "handoff_reason": "system_unavailable",
            }
        return self._outcome(result, dispatcher, tracker)

    @staticmethod
    def _outcome(
        result: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[Text, Optional[Any]]:
        # The digits are a secret: they never stay in a slot (slots go into handoff records).
        if result.verified and result.customer is not None:
            dispatcher.utter_message(
                response="utter_verified", first_name=result.customer.first_name
            )
            return {
                "phone_last4": None,
                "verified": True,
                "customer_id": result.customer.customer_id,
                "verification_failures": 0.0,
            }
        failures = failed_attempts(tracker) + 1
        outcome: Dict[Text, Optional[Any]] = {
            # Both answers are asked again: we do not say which one was wrong.
            "account_identifier": None,
            "phone_last4": None,
            "verified": False,
            "customer_id": None,
        }
        if result.locked or failures >= MAX_ATTEMPTS:
            dispatcher.utter_message(response="utter_verification_locked")
            failures = max(failures, MAX_ATTEMPTS)
            # action_continue_request offers a person with this reason.
            outcome["handoff_reason"] = "verification_lockout"
        else:
            dispatcher.utter_message(response="utter_verification_failed")
        outcome["verification_failures"] = float(failures)
        return outcome
