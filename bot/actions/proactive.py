"""Proactive care: once a verified customer's request is done, raise the most important known
problem on their account before they have to ask (issue: "empathy as action").

Called by action_continue_request after the request's own answer (requests.py), so it always
comes second and briefly. Known problems, most important first:

1. a failed payment that holds an order: what happened and that the order is kept, with "see the
   order" and "help from a colleague". It comes before a delay because only the customer can
   unblock it and every day it waits the order waits too, while a delay is already being handled;
2. a delayed order: the new date and what was done, with "see the order", "change the address"
   (when it has not left the warehouse) and "talk to a person";
3. a refund past the day it was promised by: an apology, the new date the payments team set, or a
   colleague when there is none. It is our debt, so it comes before any of the customer's;
4. an invoice due within a week or overdue, raised only for a customer who has shown distress in
   this conversation, gently and with options (pay by instalments, talk to a person).

At most one proactive topic per conversation (slot `proactive_topic`); none when the conversation
is heading to a person for something else (an offer is open, a handoff was requested, or this
turn's escalation decision escalates); none about what the customer just asked about, in this
request or earlier in the conversation (a question about a failed payment or a refund).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.actions.base import RequestContext
from bot.actions.formatting import format_date, format_money

PROACTIVE_SLOT = "proactive_topic"
# A customer whose distress reached this level (0..1, contracts/emotion/distress.py) has shown it.
DISTRESS_SHOWN = 0.35
INVOICE_DUE_WITHIN_DAYS = 7


@dataclass(frozen=True)
class KnownProblem:
    kind: str
    subject: str  # the order, invoice or return number it is about
    response: str
    values: Dict[str, Any] = field(default_factory=dict)

    @property
    def topic(self) -> str:
        return f"{self.kind}:{self.subject}"


def heading_to_person(tracker: Tracker) -> bool:
    escalation = tracker.get_slot("escalation")
    escalating = isinstance(escalation, dict) and escalation.get("escalate") is True
    return bool(escalating or tracker.get_slot("human_offered") or tracker.get_slot("handoff_requested"))


def distress_shown(tracker: Tracker) -> bool:
    try:
        level = float(tracker.get_slot("distress_level") or 0.0)
    except (TypeError, ValueError):
        level = 0.0
    history = tracker.get_slot("distress_history") or []
    peak = max((float(v) for v in history if isinstance(v, (int, float))), default=0.0)
    return max(level, peak) >= DISTRESS_SHOWN


def payment_failures(connector: Any, customer_id: str, orders: List[Any], language: str) -> List[KnownProblem]:
    # Only an order still waiting in processing is held; a cancelled one no longer needs paying.
    waiting = {order.order_number for order in orders if order.status == "processing"}
    problems = []
    for failure in connector.list_payment_failures(customer_id):
        if failure.is_resolved or failure.order_number not in waiting:
            continue
        expired = failure.reason == "card_expired"
        problems.append(
            KnownProblem(
                "payment_failed",
                failure.order_number,
                "utter_proactive_payment_failed_card_expired" if expired else "utter_proactive_payment_failed",
                {
                    "order_number": failure.order_number,
                    "amount": format_money(failure.amount, failure.currency, language),
                    "failed_on": format_date(failure.failed_at, language),
                },
            )
        )
    return problems


def delayed_orders(orders: List[Any], language: str) -> List[KnownProblem]:
    problems = []
    for order in orders:
        if not order.is_delayed:
            continue
        # Before it leaves the warehouse the address can still change: offer that too.
        response = "utter_proactive_delayed_order"
        if order.is_dispatched:
            response += "_dispatched"
        problems.append(
            KnownProblem(
                "delayed_order",
                order.order_number,
                response,
                {
                    "order_number": order.order_number,
                    "new_date": format_date(order.estimated_delivery, language),
                    "days_late": order.delay_days,
                },
            )
        )
    return problems


def late_refunds(connector: Any, customer_id: str, language: str, today: date) -> List[KnownProblem]:
    problems = []
    for returned in connector.list_returns(customer_id):
        if not returned.is_refund_late:
            continue
        values = {
            "order_number": returned.order_number,
            "amount": format_money(returned.refund_amount, returned.currency, language),
            "promised_by": format_date(returned.refund_promised_by, language),
        }
        # A new date is only worth giving while it is still ahead; otherwise a colleague finds out.
        new_date = returned.refund_expected_on
        if new_date is not None and new_date >= today:
            response = "utter_proactive_refund_late"
            values["new_date"] = format_date(new_date, language)
        else:
            response = "utter_proactive_refund_late_no_date"
        problems.append(KnownProblem("refund_late", returned.return_number, response, values))
    return problems


def invoices_due(connector: Any, customer_id: str, language: str, today: date) -> List[KnownProblem]:
    problems = []
    for invoice in connector.list_invoices(customer_id):
        if invoice.amount_due <= 0 or invoice.status not in ("open", "overdue"):
            continue
        days_left = (invoice.due_date - today).days
        if invoice.status == "open" and days_left > INVOICE_DUE_WITHIN_DAYS:
            continue
        problems.append(
            KnownProblem(
                "invoice_due",
                invoice.invoice_number,
                "utter_proactive_invoice_overdue" if invoice.status == "overdue" else "utter_proactive_invoice_due",
                {
                    "invoice_number": invoice.invoice_number,
                    "amount": format_money(invoice.amount_due, invoice.currency, language),
                    "due_date": format_date(invoice.due_date, language),
                },
            )
        )
    return problems


# Questions that show the customer already knows about a kind of problem; they go to a colleague
# from billing (rules/handoff.yml), so raising the same problem afterwards would only repeat it.
COVERED_BY_QUESTION = {
    "billing_failed_payment": "payment_failed:*",
    "billing_refund_dispute": "refund_late:*",
}


def asked_in_conversation(tracker: Tracker) -> set:
    """The intents of every customer message so far."""
    intents = set()
    for event in tracker.events:
        if event.get("event") == "user":
            intents.add(((event.get("parse_data") or {}).get("intent") or {}).get("name"))
    return intents


def covered_by_request(request: Optional[str], tracker: Tracker) -> set:
    """Topics the answer to this request, or an earlier question, already dealt with.

    The status answer of an order held by a failed payment says only that it is being processed,
    so it does not cover the payment: the notice is what explains the wait.
    """
    covered = {topic for intent, topic in COVERED_BY_QUESTION.items() if intent in asked_in_conversation(tracker)}
    if request == "order_status":
        asked = tracker.get_slot("order_number")
        covered.add("delayed_order:*" if not asked else f"delayed_order:{asked}")
    if request == "account_balance":
        covered.add("invoice_due:*")
    return covered


def _covered(problem: KnownProblem, covered: set) -> bool:
    return problem.topic in covered or f"{problem.kind}:*" in covered


def known_problems(context: RequestContext, today: Optional[date] = None) -> List[KnownProblem]:
    today = today or datetime.now(timezone.utc).date()
    connector, customer_id, language = context.connector, context.customer_id, context.language
    orders = connector.list_orders(customer_id)
    problems = payment_failures(connector, customer_id, orders, language)
    problems += delayed_orders(orders, language)
    problems += late_refunds(connector, customer_id, language, today)
    if distress_shown(context.tracker):
        problems += invoices_due(connector, customer_id, language, today)
    return problems


def raise_known_problem(context: RequestContext, request: Optional[str]) -> List[EventType]:
    """Say the most important known problem not yet raised, once per conversation."""
    tracker = context.tracker
    if tracker.get_slot(PROACTIVE_SLOT) or heading_to_person(tracker):
        return []
    covered = covered_by_request(request, tracker)
    for problem in known_problems(context):
        if _covered(problem, covered):
            continue
        context.say(problem.response, **problem.values)
        return [SlotSet(PROACTIVE_SLOT, problem.topic)]
    return []
