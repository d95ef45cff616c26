"""Changing the delivery address of an order, possible only before it is dispatched.

address_form asks for the order number and the new address; ValidateAddressForm checks that the
order is the customer's own and still changeable, so a dispatched or closed order ends the form at
once and action_continue_request explains why (offering a person when a carrier could still
redirect the parcel).
"""

import asyncio
import logging
from typing import Any, List, Optional, Text

from customer_db.records import ADDRESS_CHANGEABLE_STATUSES, CLOSED_STATUSES
from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from bot.actions.base import (
    DATA_ERRORS,
    FormTurn,
    RequestContext,
    SlotValues,
    StoppableFormValidation,
    get_connector,
    offer_human,
    slot_check,
)
from bot.actions.parsing import clean_text, find_order_number, looks_like_address

logger = logging.getLogger(__name__)


async def _customer_order(tracker: Tracker, order_number: str) -> Optional[Any]:
    return await asyncio.to_thread(
        get_connector().get_order_for_customer, tracker.get_slot("customer_id"), order_number
    )


class ValidateAddressForm(StoppableFormValidation):
    def name(self) -> Text:
        return "validate_address_form"

    async def keeps_asking(self, tracker: Tracker) -> bool:
        if not tracker.get_slot("verified"):
            return False  # verification failed; action_continue_request takes it from here
        order_number = find_order_number(tracker.get_slot("order_number"))
        if order_number:
            try:
                order = await _customer_order(tracker, order_number)
            except DATA_ERRORS as error:
                logger.error("address form: database unavailable (%s)", type(error).__name__)
                return False
            if order is not None and order.status not in ADDRESS_CHANGEABLE_STATUSES:
                return False  # no point asking for an address we cannot use
        return True

    @slot_check
    async def validate_order_number(self, value: Any, turn: FormTurn) -> SlotValues:
        order_number = find_order_number(value)
        if order_number is None:
            turn.say("utter_order_number_format")
            return {"order_number": None}
        try:
            order = await _customer_order(turn.tracker, order_number)
        except DATA_ERRORS as error:
            logger.error("address form: database unavailable (%s)", type(error).__name__)
            return {"order_number": order_number}  # action_continue_request reports it
        if order is None:
            turn.say("utter_order_not_found", order_number=order_number)
            return {"order_number": None}
        return {"order_number": order_number}

    @slot_check
    def validate_new_address(self, value: Any, turn: FormTurn) -> SlotValues:
        address = clean_text(value)
        if not looks_like_address(address):
            turn.say("utter_address_format")
            return {"new_address": None}
        return {"new_address": address}


def change_delivery_address(context: RequestContext) -> List[EventType]:
    """Apply the address from address_form, or explain why the order cannot be changed."""
    order_number = find_order_number(context.tracker.get_slot("order_number"))
    new_address = context.tracker.get_slot("new_address")
    order = context.connector.get_order_for_customer(context.customer_id, order_number) if order_number else None
    if order is None:
        context.say("utter_order_not_found", order_number=order_number or "-")
        return []
    if order.status not in ADDRESS_CHANGEABLE_STATUSES:
        return _not_changeable(context, order)
    if not new_address:
        # Only reachable when the form stopped early (database trouble): nothing was changed.
        context.say("utter_anything_else")
        return []
    try:
        result = context.connector.change_delivery_address(context.customer_id, order_number, new_address)
    except ValueError:
        context.say("utter_address_format")
        return []
    if result.outcome == "changed":
        context.say("utter_address_changed", order_number=order_number, address=new_address)
        return []
    if result.order is not None:  # dispatched or cancelled in the meantime
        return _not_changeable(context, result.order)
    context.say("utter_order_not_found", order_number=order_number)
    return []


def _not_changeable(context: RequestContext, order: Any) -> List[EventType]:
    if order.status in CLOSED_STATUSES:
        context.say("utter_address_change_closed", order_number=order.order_number)
        return []
    # On its way (or lost): a person can still ask the carrier to redirect or replace it.
    context.say(
        "utter_address_change_too_late",
        order_number=order.order_number,
        carrier=order.carrier or "-",
    )
    return offer_human(context.dispatcher, "address_change_after_dispatch")
