"""The short structured summary an agent reads first: issue, what is known, what the customer
wants, how they feel. Written by rules from the data (no language model), in English for agents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Intents that say nothing about what the customer wants.
NEUTRAL_INTENTS = {
    "affirm",
    "deny",
    "inform",
    "greet",
    "goodbye",
    "thank",
    "nlu_fallback",
    "request_human",
    "bot_challenge",
    "out_of_scope",
    None,
}

WANTS = {
    "billing_double_charge": "The duplicate charge reversed.",
    "billing_wrong_amount": "The wrong charge corrected.",
    "billing_refund_dispute": "Their refund, or a clear answer about it.",
    "billing_failed_payment": "The payment sorted out so the order can go ahead.",
    "warranty_claim": "A repair or replacement under warranty.",
    "order_status": "To know where their order is and when it arrives.",
    "change_address": "The delivery address of an order changed.",
    "reset_password": "Access to their account again (password reset).",
    "account_balance": "To know what they owe and which invoices are open.",
    "troubleshoot_login": "To be able to sign in again.",
    "troubleshoot_loading": "The app or website working again.",
    "faq": "An answer to a general question.",
    "complaint": "To be heard, and their complaint recorded and followed up.",
}

TOPICS = {
    "billing_double_charge": "Double charge",
    "billing_wrong_amount": "Wrong amount charged",
    "billing_refund_dispute": "Refund dispute",
    "billing_failed_payment": "Failed payment",
    "warranty_claim": "Warranty claim",
    "order_status": "Order status / delivery",
    "change_address": "Delivery address change",
    "reset_password": "Password reset",
    "account_balance": "Account balance and invoices",
    "troubleshoot_login": "Cannot sign in",
    "troubleshoot_loading": "App or website does not load",
    "faq": "General question",
    "complaint": "Complaint",
}

FEELINGS = {
    "frustrated": "frustrated",
    "anxious": "anxious",
    "sad": "sad / let down",
    "confused": "confused",
    "happy": "happy",
    "neutral": "calm",
}


def main_intent(transcript: Sequence[Mapping[str, Any]], reasons: Sequence[Mapping[str, Any]]) -> str | None:
    """What the conversation is about: the reason's intent, else the latest meaningful intent."""
    for reason in reasons:
        if reason.get("code") in WANTS:
            return reason["code"]
    for line in reversed(transcript):
        intent = line.get("intent")
        if line.get("role") == "customer" and intent not in NEUTRAL_INTENTS:
            return str(intent).split("/")[0]
    return None


def feeling(timeline: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """How the customer feels now, their peak, and the direction, in words and as data."""
    if not timeline:
        return {"label": None, "text": "No clear emotion detected in the customer's messages."}
    last, first = timeline[-1], timeline[0]
    peak = max(timeline, key=lambda point: point.get("distress") or 0.0)
    text = f"Now {FEELINGS.get(last['label'], last['label'])} (intensity {last['intensity']:.2f})"
    recent = [point.get("distress") or 0.0 for point in timeline[-3:]]
    if len(recent) >= 2 and all(later > earlier for earlier, later in zip(recent, recent[1:], strict=False)):
        text += ", getting more upset"
    elif len(recent) >= 2 and all(later < earlier for earlier, later in zip(recent, recent[1:], strict=False)):
        text += ", calming down"
    if len(timeline) > 1 and first["label"] != last["label"]:
        text += f"; started {FEELINGS.get(first['label'], first['label'])}"
    if peak is not last and (peak.get("distress") or 0.0) > (last.get("distress") or 0.0):
        text += (
            f"; most upset at message {peak['turn']} ({FEELINGS.get(peak['label'], peak['label'])}, "
            f"{peak['intensity']:.2f})"
        )
    return {
        "label": last["label"],
        "intensity": last["intensity"],
        "peak": dict(peak),
        "start": first["label"],
        "text": text + ".",
    }


def known_facts(package: Mapping[str, Any]) -> list[str]:
    """What is already known, one short sentence each."""
    facts: list[str] = []
    customer = package.get("customer")
    if customer:
        facts.append(
            f"Verified as {customer['name']} ({customer['customer_id']}), prefers "
            f"{'German' if customer['language'] == 'de' else 'English'}."
        )
    else:
        facts.append("Not verified: verify the customer before discussing their account.")
    order_number = (package.get("slots") or {}).get("order_number")
    for order in package.get("orders") or []:
        if order["order_number"] == order_number or (order.get("delayed") and not order_number):
            state = "delayed, " if order.get("delayed") else ""
            when = order.get("estimated_delivery") or "no estimate"
            facts.append(
                f"Order {order['order_number']}: {state}{order['status']}, {order['carrier']}, "
                f"expected {when}, total {order['total']} {order['currency']}."
            )
    unknown_order = order_number and not any(o["order_number"] == order_number for o in package.get("orders") or [])
    if unknown_order:
        facts.append(f"The customer mentioned order {order_number}, which is not on a verified account.")
    account = package.get("account")
    if account and account.get("open_invoices"):
        facts.append(
            f"Balance {account['balance']} {account['currency']}, {len(account['open_invoices'])} open invoice(s)."
        )
    tried = [attempt["action"] for attempt in package.get("bot_attempts") or []]
    if tried:
        facts.append("The bot already tried: " + ", ".join(_action_words(name) for name in tried) + ".")
    earlier = package.get("earlier_conversations") or []
    if earlier:
        handoffs = sum(1 for row in earlier if row.get("handoff_reason"))
        facts.append(
            f"{len(earlier)} earlier conversation(s), {handoffs} handed to a person; latest on "
            f"{str(earlier[0].get('started_at') or '?')[:10]}."
        )
    return facts


def _action_words(name: str) -> str:
    words = {
        "action_start_request": "starting the request",
        "verify_form": "identity verification",
        "action_continue_request": "answering the verified request",
        "action_troubleshoot": "guided troubleshooting",
        "action_fallback": "asking to rephrase",
        "address_form": "the address change form",
        "utter_faq": "an FAQ answer",
    }
    return words.get(name, name.removeprefix("action_").removeprefix("utter_").replace("_", " "))


def summarise(package: Mapping[str, Any]) -> dict[str, Any]:
    reasons = package.get("reasons") or []
    intent = main_intent(package.get("transcript") or [], reasons)
    issue = TOPICS.get(intent or "", "Unclear: ask what the customer needs")
    order_number = (package.get("slots") or {}).get("order_number")
    if order_number:
        issue += f" (order {order_number})"
    return {
        "issue": issue + ".",
        "why_handed_over": [reason["text"] for reason in reasons] or ["The assistant handed the conversation over."],
        "known": known_facts(package),
        "wants": WANTS.get(intent or "", "To talk to a person about their request (ask what they need)."),
        "feeling": feeling(package.get("emotion_timeline") or []),
        "main_intent": intent,
    }
