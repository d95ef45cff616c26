"""What to ask and what to do, drawn from the case's data in the context package.

Each fact in the package (a delayed order, an unresolved failed payment, a late refund, a double
charge named as the reason) gives one "ask" and one "act" suggestion with its numbers and dates
filled in. Facts that match the escalation reason come first. When every fact's lines have been
shown, general lines take over, so the agent always has something new to offer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

MONTHS = "January February March April May June July August September October November December".split()


@dataclass(frozen=True)
class Candidate:
    kind: str  # ask | act
    text: str
    why: str  # for the agent, English


# Fact -> the reasons it answers (contracts/escalation reason codes).
FACT_REASONS = {
    "double_charge": ("billing_double_charge",),
    "failed_payment": ("billing_failed_payment",),
    "late_refund": ("billing_refund_dispute",),
    "delayed_order": ("order_status",),
}

TEXTS = {
    "delayed_order": {
        "ask": {
            "en": "Would you still like to wait for order {order}, or shall I cancel it and refund you?",
            "de": (
                "Möchten Sie auf Bestellung {order} noch warten, oder soll ich "
                "sie stornieren und Ihnen das Geld erstatten?"
            ),
        },
        "act": {
            "en": (
                "Order {order} is now expected on {date}{carrier_en}. I'll watch "
                "the delivery and tell you if it moves again."
            ),
            "de": (
                "Bestellung {order} kommt jetzt voraussichtlich am {date}{carrier_de}. Ich behalte "
                "die Lieferung im Blick und melde mich, falls sich etwas ändert."
            ),
        },
    },
    "failed_payment": {
        "ask": {
            "en": "Would you like to pay for order {order} another way, for example by bank transfer or PayPal?",
            "de": "Möchten Sie Bestellung {order} auf anderem Weg bezahlen, zum Beispiel per Überweisung oder PayPal?",
        },
        "act": {
            "en": "I can send you a secure payment link for {amount} right now, so order {order} can go out.",
            "de": (
                "Ich kann Ihnen sofort einen sicheren Zahlungslink über {amount} "
                "schicken, damit Bestellung {order} rausgehen kann."
            ),
        },
    },
    "late_refund": {
        "ask": {
            "en": "Shall I e-mail you as soon as billing has released your refund of {amount}?",
            "de": (
                "Soll ich Ihnen eine E-Mail schicken, sobald die Buchhaltung "
                "Ihre Erstattung über {amount} freigegeben hat?"
            ),
        },
        "act": {
            "en": (
                "Your refund of {amount} for return {ret} was promised by {date}. "
                "I'm passing it to our billing team as urgent today."
            ),
            "de": (
                "Ihre Erstattung über {amount} für Rücksendung {ret} war bis {date} "
                "zugesagt. Ich gebe sie heute als dringend an unsere Buchhaltung."
            ),
        },
    },
    "double_charge": {
        "ask": {
            "en": "Could you confirm the two amounts you see on your statement? Order {order} comes to {amount}.",
            "de": (
                "Können Sie mir die beiden Beträge auf Ihrem Kontoauszug "
                "bestätigen? Bestellung {order} kostet {amount}."
            ),
        },
        "act": {
            "en": "Once I've matched both charges to order {order}, I'll refund the second {amount} straight away.",
            "de": (
                "Sobald ich beide Abbuchungen Bestellung {order} zugeordnet habe, "
                "erstatte ich die zweite über {amount} sofort."
            ),
        },
    },
}
WHY = {
    "delayed_order": "Order {order} is delayed: give the new date and a choice.",
    "failed_payment": "The payment for order {order} failed and is not resolved: offer another way to pay.",
    "late_refund": "The refund for return {ret} is late: give the promised date and escalate to billing.",
    "double_charge": "Double charge named as the reason: confirm the two amounts before refunding.",
}
GENERAL = {
    "ask": {
        "en": (
            "What would be the best outcome for you?",
            "Is there anything else about this I should know?",
            "Does that answer your question?",
            "When would suit you for me to get back to you?",
        ),
        "de": (
            "Was wäre für Sie die beste Lösung?",
            "Gibt es noch etwas dazu, das ich wissen sollte?",
            "Beantwortet das Ihre Frage?",
            "Wann passt es Ihnen, dass ich mich wieder melde?",
        ),
    },
    "act": {
        "en": (
            "I'm checking this for you right now; it will only take a moment.",
            "I'll note everything here so nobody has to ask you again.",
            "I'll stay on this until it's sorted.",
            "I'll send you a confirmation by e-mail once it's done.",
        ),
        "de": (
            "Ich prüfe das gerade für Sie; es dauert nur einen Moment.",
            "Ich halte alles fest, damit Sie niemand noch einmal fragen muss.",
            "Ich bleibe dran, bis es erledigt ist.",
            "Ich schicke Ihnen eine Bestätigung per E-Mail, sobald es erledigt ist.",
        ),
    },
}


def candidates(package: Mapping[str, Any], language: str) -> list[Candidate]:
    """Ask and act lines from the package's facts (reason first), then the general lines."""
    facts = _facts(package)
    reasons = {str(reason.get("code")) for reason in _records(package.get("reasons"))}
    facts.sort(key=lambda fact: not reasons.intersection(FACT_REASONS[fact[0]]))
    result = []
    for name, values in facts:
        why = WHY[name].format(**values)
        for kind in ("ask", "act"):
            result.append(Candidate(kind, TEXTS[name][kind][language].format(**_localised(values, language)), why))
    for kind in ("ask", "act"):
        why = "A general next step: the case's own lines have been shown already."
        result.extend(Candidate(kind, text, why) for text in GENERAL[kind][language])
    return result


def _facts(package: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    facts: list[tuple[str, dict[str, Any]]] = []
    orders = _records(package.get("orders"))
    for order in orders:
        if order.get("delayed") and not order.get("delivered_at") and order.get("order_number"):
            facts.append(
                (
                    "delayed_order",
                    {
                        "order": order["order_number"],
                        "date": order.get("estimated_delivery"),
                        "carrier": order.get("carrier"),
                    },
                )
            )
    for failure in _records(package.get("payment_failures")):
        if not failure.get("resolved_at") and failure.get("order_number"):
            money = (failure.get("amount"), failure.get("currency"))
            facts.append(("failed_payment", {"order": failure["order_number"], "amount": money}))
    for item in _records(package.get("returns")):
        if item.get("refund_status") == "late" and item.get("return_number"):
            money = (item.get("refund_amount"), item.get("currency"))
            facts.append(
                ("late_refund", {"ret": item["return_number"], "amount": money, "date": item.get("refund_promised_by")})
            )
    codes = {reason.get("code") for reason in _records(package.get("reasons"))}
    if "billing_double_charge" in codes:
        order = _order_in_question(package, orders)
        if order:
            money = (order.get("total"), order.get("currency"))
            facts.append(("double_charge", {"order": order["order_number"], "amount": money}))
    return facts


def _order_in_question(package: Mapping[str, Any], orders: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    slots = package.get("slots") if isinstance(package.get("slots"), Mapping) else {}
    wanted = slots.get("order_number")
    named = [order for order in orders if order.get("order_number") and order.get("order_number") == wanted]
    if named:
        return named[0]
    return orders[0] if orders and orders[0].get("order_number") else None


def _localised(values: Mapping[str, Any], language: str) -> dict[str, str]:
    result = {name: str(value) for name, value in values.items() if isinstance(value, str)}
    result["date"] = format_date(values.get("date"), language)
    amount = values.get("amount")
    result["amount"] = format_money(*amount, language) if isinstance(amount, tuple) else ""
    carrier = values.get("carrier")
    result["carrier_en"] = f" with {carrier}" if isinstance(carrier, str) and carrier else ""
    result["carrier_de"] = f" mit {carrier}" if isinstance(carrier, str) and carrier else ""
    return result


def format_date(value: Any, language: str) -> str:
    """An ISO date (or date-time) as people write it: "12 March 2026" / "12.03.2026"."""
    text = str(value or "")[:10]
    try:
        year, month, day = (int(part) for part in text.split("-"))
        name = MONTHS[month - 1]
    except (ValueError, IndexError):
        return "a date still to be confirmed" if language == "en" else "einem noch offenen Termin"
    return f"{day} {name} {year}" if language == "en" else f"{day:02d}.{month:02d}.{year}"


def format_money(amount: Any, currency: Any, language: str) -> str:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return "the amount" if language == "en" else "den Betrag"
    figure = f"{value:.2f}" if language == "en" else f"{value:.2f}".replace(".", ",")
    return f"{figure} {currency}" if isinstance(currency, str) and currency else figure


def _records(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []
