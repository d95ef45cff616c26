"""Account balance and open invoices of a verified customer (read-only)."""

from datetime import date
from typing import Any, List, Optional

from rasa_sdk.events import EventType

from bot.actions.base import RequestContext
from bot.actions.formatting import format_date, format_money


def _due(invoice: Any):
    return invoice.due_date.date() if hasattr(invoice.due_date, "date") else invoice.due_date


def report_balance(context: RequestContext, today: Optional[date] = None) -> List[EventType]:
    """Say the balance, then each open invoice with its due date, overdue ones first."""
    today = today or date.today()
    summary = context.connector.account_summary(context.customer_id)
    language = context.language
    if summary.balance > 0:
        context.say(
            "utter_balance_due",
            balance=format_money(summary.balance, summary.currency, language),
        )
    else:
        context.say("utter_balance_settled")

    invoices = sorted(summary.open_invoices, key=_due)
    if not invoices:
        return []
    context.say("utter_open_invoices_intro", count=len(invoices))
    for invoice in invoices:
        overdue = _due(invoice) < today
        context.say(
            "utter_overdue_invoice" if overdue else "utter_open_invoice",
            invoice_number=invoice.invoice_number,
            amount_due=format_money(invoice.amount_due, invoice.currency, language),
            due_date=format_date(invoice.due_date, language),
        )
    context.say("utter_payment_hint")
    return []
