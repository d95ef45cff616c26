"""verify_form: who is the customer? Nothing about an account is shown before this succeeds.

The customer names the account (e-mail or customer number), then gives the last four digits of
the phone number on it. An unknown account and wrong digits get the same answer, so nobody can
find out which accounts exist. After MAX_ATTEMPTS failures in this conversation, or when the
database reports the account locked (3 failures -> 30 minutes, across sessions), the form stops;
action_continue_request then offers a person.
"""

import asyncio
import logging
from typing import Any, Text

from rasa_sdk import Tracker

from bot.actions.base import (
    DATA_ERRORS,
    FormTurn,
    SlotValues,
    StoppableFormValidation,
    get_connector,
    slot_check,
)
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


class ValidateVerifyForm(StoppableFormValidation):
    def name(self) -> Text:
        return "validate_verify_form"

    async def keeps_asking(self, tracker: Tracker) -> bool:
        # A verified customer is not asked again, and a locked-out one not any more.
        return not (tracker.get_slot("verified") or verification_exhausted(tracker))

    @slot_check
    def validate_account_identifier(self, value: Any, turn: FormTurn) -> SlotValues:
        identifier = find_account_identifier(_first(value))
        if identifier is None:
            turn.say("utter_identifier_format")
        return {"account_identifier": identifier}

    @slot_check
    async def validate_phone_last4(self, value: Any, turn: FormTurn) -> SlotValues:
        digits = find_phone_last4(_first(value))
        if digits is None:
            turn.say("utter_phone_digits_format")
            return {"phone_last4": None}
        identifier = turn.tracker.get_slot("account_identifier")
        if not identifier:
            return {"phone_last4": None}
        try:
            result = await asyncio.to_thread(get_connector().verify_customer, identifier, digits)
        except DATA_ERRORS as error:
            logger.error("verification: customer database unavailable (%s)", type(error).__name__)
            turn.say("utter_system_unavailable")
            # Stop the form; action_continue_request offers a person.
            return {
                "phone_last4": None,
                "verification_failures": float(MAX_ATTEMPTS),
                "handoff_reason": "system_unavailable",
            }
        return self._outcome(result, turn)

    @staticmethod
    def _outcome(result: Any, turn: FormTurn) -> SlotValues:
        # The digits are a secret: they never stay in a slot (slots go into handoff records).
        if result.verified and result.customer is not None:
            turn.say("utter_verified", first_name=result.customer.first_name)
            return {
                "phone_last4": None,
                "verified": True,
                "customer_id": result.customer.customer_id,
                "verification_failures": 0.0,
            }
        failures = failed_attempts(turn.tracker) + 1
        outcome: SlotValues = {
            # Both answers are asked again: we do not say which one was wrong.
            "account_identifier": None,
            "phone_last4": None,
            "verified": False,
            "customer_id": None,
        }
        if result.locked or failures >= MAX_ATTEMPTS:
            turn.say("utter_verification_locked")
            failures = max(failures, MAX_ATTEMPTS)
            # action_continue_request offers a person with this reason.
            outcome["handoff_reason"] = "verification_lockout"
        else:
            turn.say("utter_verification_failed")
        outcome["verification_failures"] = float(failures)
        return outcome
