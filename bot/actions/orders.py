"""Order and shipping status for a verified customer.

With an order number: that order, if it is on the customer's account ("can't find that order"
otherwise; another customer's order is never described). Without one: every open order.
A delayed order opens with an apology and the new date.
"""

from typing import Any, List

from rasa_sdk.events import EventType

from bot.actions.base import RequestContext, offer_human
from bot.actions.formatting import format_date
from bot.actions.parsing import find_order_number

# More open orders than this are summarised by the most recent ones; a chat is not a report.
MAX_ORDERS_LISTED = 5

# Before a parcel exists there may be no delivery estimate yet; these say so instead of "-".
STATUSES_WITH_OPTIONAL_ETA = {"processing", "packed"}

KNOWN_STATUSES = {
    "processing",
    "packed",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "cancelled",
    "returned",
    "lost",
}


def report_order_status(context: RequestContext) -> List[EventType]:
    """Describe the requested order, or all open orders of the customer."""
    requested = context.tracker.get_slot("order_number")
    if requested:
        order_number = find_order_number(requested) or str(requested)[:20]
        order = context.connector.get_order_for_customer(context.customer_id, order_number)
        if order is None:
            context.say("utter_order_not_found", order_number=order_number)
            return []
        return describe_order(context, order)

    open_orders = [order for order in context.connector.list_orders(context.customer_id) if order.is_open]
    if not open_orders:
        context.say("utter_no_open_orders")
        return []
    if len(open_orders) > 1:
        context.say("utter_several_orders_intro", count=len(open_orders))
    # Bad news first (proactive apology), then the newest orders.
    open_orders.sort(key=lambda order: order.placed_at, reverse=True)
    open_orders.sort(key=lambda order: not order.is_delayed)
    events: List[EventType] = []
    for order in open_orders[:MAX_ORDERS_LISTED]:
        events += describe_order(context, order)
    return events


def describe_order(context: RequestContext, order: Any) -> List[EventType]:
    """Say where one order is; a lost parcel also offers a person who can replace it."""
    language = context.language
    if order.is_delayed:
        context.say(
            "utter_order_delayed",
            order_number=order.order_number,
            original_date=format_date(order.original_estimate, language),
            new_date=format_date(order.estimated_delivery, language),
        )
    status = order.status if order.status in KNOWN_STATUSES else "processing"
    response = f"utter_order_status_{status}"
    if status in STATUSES_WITH_OPTIONAL_ETA and order.estimated_delivery is None:
        response += "_no_eta"
    context.say(
        response,
        order_number=order.order_number,
        carrier=order.carrier or "-",
        tracking_number=order.tracking_number or "-",
        eta=format_date(order.estimated_delivery, language) or "-",
        delivered_date=format_date(order.delivered_at, language),
    )
    if status == "lost":
        return offer_human(context.dispatcher, "lost_parcel")
    return []
