"""Proactive care: once a verified customer's request is done, raise the most important known
problem on their account before they have to ask (issue: "empathy as action").

Called by action_continue_request after the request's own answer (requests.py), so it always
comes second and briefly. Known problems, most important first:

1. a delayed order: the new date and what was done, with "see the order", "change the address"
   (when it has not left the warehouse) and "talk to a person";
2. an invoice due within a week or overdue, raised only for a customer who has shown distress in
   this conversation, gently and with options (pay by instalments, talk to a person).

At most one proactive topic per conversation (slot `proactive_topic`); none when the conversation
is heading to a person for something else (an offer is open, a handoff was requested, or this
turn's escalation decision escalates); none about what the customer just asked about.
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
    subject: str  # the order or invoice number it is about
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


def delayed_orders(connector: Any, customer_id: str, language: str) -> List[KnownProblem]:
    problems = []
    for order in connector.list_orders(customer_id):
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


def covered_by_request(request: Optional[str], tracker: Tracker) -> set:
    """Topics the answer to this request already dealt with (never raised again right after it)."""
    if request == "order_status":
        asked = tracker.get_slot("order_number")
        return {"delayed_order:*"} if not asked else {f"delayed_order:{asked}"}
    if request == "account_balance":
        return {"invoice_due:*"}
    return set()


def _covered(problem: KnownProblem, covered: set) -> bool:
    return problem.topic in covered or f"{problem.kind}:*" in covered


def known_problems(context: RequestContext, today: Optional[date] = None) -> List[KnownProblem]:
    today = today or datetime.now(timezone.utc).date()
    problems = delayed_orders(context.connector, context.customer_id, context.language)
    if distress_shown(context.tracker):
        problems += invoices_due(context.connector, context.customer_id, context.language, today)
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
