"""The suggested next step and an opening line that follows the four A's, in the customer's language.

Acknowledge (name the problem and the feeling), Apologise where we are at fault, Ask (one question
that moves the case on), Act (say what happens next). Templates per case and language, filled from
the package; no language model. The agent edits the line before sending it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Case:
    """One kind of handoff: the agent's next step (English) and the four A's per language."""

    step: str
    acknowledge: Mapping[str, str]
    ask: Mapping[str, str]
    act: Mapping[str, str]
    apologise: Mapping[str, str] | None = None  # None: nothing we did wrong (yet)


SORRY = {"en": "I'm sorry about that.", "de": "Das tut mir leid."}

CASES: dict[str, Case] = {
    "billing_double_charge": Case(
        step="Check the payments{order_en}, confirm the duplicate and start the refund of the second charge.",
        acknowledge={
            "en": "I can see you were charged twice{order_en}.",
            "de": "Ich sehe, dass Ihnen{order_de} doppelt abgebucht wurde.",
        },
        apologise={
            "en": "I'm sorry, that shouldn't have happened.",
            "de": "Das hätte nicht passieren dürfen, das tut mir leid.",
        },
        ask={
            "en": "Could you tell me the date and amount of both charges?",
            "de": "Können Sie mir Datum und Betrag der beiden Abbuchungen nennen?",
        },
        act={
            "en": "Then I'll reverse the duplicate straight away.",
            "de": "Dann buche ich die doppelte Zahlung sofort zurück.",
        },
    ),
    "billing_wrong_amount": Case(
        step="Compare the charge with the order total and invoice{order_en}; correct the difference.",
        acknowledge={
            "en": "I understand you were charged the wrong amount{order_en}.",
            "de": "Ich verstehe, dass Ihnen{order_de} ein falscher Betrag abgebucht wurde.",
        },
        apologise=SORRY,
        ask={"en": "What amount was taken from your account?", "de": "Welcher Betrag wurde von Ihrem Konto abgebucht?"},
        act={
            "en": "I'll compare it with your invoice and correct the difference.",
            "de": "Ich vergleiche ihn mit Ihrer Rechnung und korrigiere die Differenz.",
        },
    ),
    "billing_refund_dispute": Case(
        step="Look up the return and refund status{order_en}; give a date or release the refund.",
        acknowledge={
            "en": "I understand you're still waiting for your refund{order_en}.",
            "de": "Ich verstehe, dass Sie{order_de} noch auf Ihre Erstattung warten.",
        },
        apologise={"en": "I'm sorry it's taking this long.", "de": "Es tut mir leid, dass das so lange dauert."},
        ask={"en": "When did you send the item back?", "de": "Wann haben Sie den Artikel zurückgeschickt?"},
        act={
            "en": "I'll check the refund right now and tell you exactly when the money arrives.",
            "de": "Ich prüfe die Erstattung jetzt und sage Ihnen genau, wann das Geld ankommt.",
        },
    ),
    "billing_failed_payment": Case(
        step="Check why the payment failed{order_en} and release the order or take the payment again.",
        acknowledge={
            "en": "I can see your payment didn't go through{order_en}.",
            "de": "Ich sehe, dass Ihre Zahlung{order_de} nicht durchgegangen ist.",
        },
        ask={"en": "Which payment method did you use?", "de": "Mit welcher Zahlungsart haben Sie bezahlt?"},
        act={
            "en": "I'll find out why and get your order moving again.",
            "de": "Ich finde heraus, woran es liegt, und bringe Ihre Bestellung wieder in Gang.",
        },
    ),
    "warranty_claim": Case(
        step="Collect the product, purchase date and fault; open the warranty claim (repair or replacement).",
        acknowledge={
            "en": "I understand your product has stopped working.",
            "de": "Ich verstehe, dass Ihr Produkt nicht mehr funktioniert.",
        },
        apologise={"en": "I'm sorry, that's annoying.", "de": "Das tut mir leid, das ist ärgerlich."},
        ask={"en": "What exactly happens when you use it?", "de": "Was genau passiert, wenn Sie es benutzen?"},
        act={
            "en": "I'll open the warranty claim for a repair or replacement.",
            "de": "Ich lege den Garantiefall für eine Reparatur oder einen Ersatz an.",
        },
    ),
    "verification_lockout": Case(
        step="Verify the customer another way (e.g. billing address and a recent order) before discussing the account.",
        acknowledge={
            "en": "I see the security check didn't work out.",
            "de": "Ich sehe, dass die Sicherheitsabfrage nicht geklappt hat.",
        },
        apologise={"en": "Sorry for the hassle.", "de": "Entschuldigen Sie die Umstände."},
        ask={
            "en": "Could you confirm your postcode and the number of a recent order?",
            "de": "Können Sie mir Ihre Postleitzahl und die Nummer einer aktuellen Bestellung nennen?",
        },
        act={"en": "Then I can help you with your account.", "de": "Dann kann ich Ihnen mit Ihrem Konto helfen."},
    ),
    "repeated_misunderstanding": Case(
        step="Ask openly what the customer needs; the assistant did not understand them.",
        acknowledge={"en": "I've read our conversation so far.", "de": "Ich habe unser bisheriges Gespräch gelesen."},
        apologise={
            "en": "I'm sorry the assistant couldn't understand you.",
            "de": "Es tut mir leid, dass der Assistent Sie nicht verstanden hat.",
        },
        ask={"en": "What can I do for you?", "de": "Was kann ich für Sie tun?"},
        act={"en": "I'll take care of it myself.", "de": "Ich kümmere mich persönlich darum."},
    ),
    "conversation_loop": Case(
        step="Solve the request the customer kept repeating; the assistant's answers did not help.",
        acknowledge={
            "en": "I can see you've asked about this several times.",
            "de": "Ich sehe, dass Sie mehrmals danach gefragt haben.",
        },
        apologise={
            "en": "I'm sorry you had to repeat yourself.",
            "de": "Es tut mir leid, dass Sie sich wiederholen mussten.",
        },
        ask={
            "en": "Is there anything the answers so far left out?",
            "de": "Was hat in den bisherigen Antworten gefehlt?",
        },
        act={"en": "I'll sort this out with you now.", "de": "Ich kläre das jetzt mit Ihnen."},
    ),
    "troubleshooting_failed": Case(
        step="Continue from the troubleshooting steps already tried (see what the bot tried); do not repeat them.",
        acknowledge={
            "en": "I can see the steps so far haven't fixed the problem.",
            "de": "Ich sehe, dass die bisherigen Schritte das Problem nicht gelöst haben.",
        },
        apologise=SORRY,
        ask={
            "en": "Which device and browser or app version are you using?",
            "de": "Welches Gerät und welchen Browser bzw. welche App-Version nutzen Sie?",
        },
        act={
            "en": "I'll take it from here without repeating those steps.",
            "de": "Ich übernehme ab hier, ohne die Schritte zu wiederholen.",
        },
    ),
    "order_status": Case(
        step=(
            "Give the order's status with carrier, tracking and date{order_en}; "
            "if delayed, apologise and give the new date."
        ),
        acknowledge={
            "en": "I understand you're waiting for your order{ref}.",
            "de": "Ich verstehe, dass Sie auf Ihre Bestellung{ref} warten.",
        },
        ask={
            "en": "Shall I check the tracking with the carrier for you?",
            "de": "Soll ich die Sendungsverfolgung beim Versanddienst für Sie prüfen?",
        },
        act={"en": "I'll get you a firm delivery date.", "de": "Ich besorge Ihnen einen verlässlichen Liefertermin."},
    ),
}

GENERAL = Case(
    step="Ask what the customer needs and solve it; everything said so far is in the transcript.",
    acknowledge={
        "en": "I've read our conversation so far, so you won't need to repeat anything.",
        "de": "Ich habe unser bisheriges Gespräch gelesen, Sie müssen also nichts wiederholen.",
    },
    ask={"en": "How can I help you?", "de": "Wie kann ich Ihnen helfen?"},
    act={"en": "I'll take it from here.", "de": "Ich kümmere mich ab jetzt darum."},
)

FEELING_WORDS = {
    "frustrated": {"en": "I can hear how frustrating this is.", "de": "Das ist wirklich ärgerlich."},
    "anxious": {"en": "I understand this is worrying.", "de": "Ich kann gut nachvollziehen, dass Sie das beunruhigt."},
    "sad": {"en": "I'm sorry this has let you down.", "de": "Es tut mir leid, dass Sie enttäuscht wurden."},
    "confused": {"en": "I'll explain it step by step.", "de": "Ich erkläre es Ihnen Schritt für Schritt."},
}
GREETING = {
    "en": "Hello{name}, this is a colleague of the assistant.",
    "de": "Guten Tag{name}, hier ist eine Kollegin bzw. ein Kollege des Assistenten.",
}
DELAYED = {"en": "I'm sorry your order is late.", "de": "Es tut mir leid, dass sich Ihre Bestellung verspätet."}


def next_step(
    package: Mapping[str, Any], main_intent: str | None, feeling_label: str | None, distressed: bool
) -> dict[str, Any]:
    """The suggested next step for the agent and an opening line in the customer's language."""
    language = package.get("language") if package.get("language") in ("en", "de") else "en"
    reasons = [reason.get("code") for reason in package.get("reasons") or []]
    case = next((CASES[code] for code in reasons if code in CASES), None)
    if case is None:
        case = CASES.get(main_intent or "", GENERAL)
    order_number = (package.get("slots") or {}).get("order_number")
    values = {
        "order_en": f" for order {order_number}" if order_number else "",
        "order_de": f" für Bestellung {order_number}" if order_number else "",
        "ref": f" {order_number}" if order_number else "",
    }
    customer = package.get("customer") or {}
    name = customer.get("first_name")
    if language == "de" and customer.get("name"):
        name = customer["name"]
    acknowledge = case.acknowledge[language].format(**values)
    if distressed and feeling_label in FEELING_WORDS:
        acknowledge += " " + FEELING_WORDS[feeling_label][language]
    apologise = case.apologise[language] if case.apologise else None
    if apologise is None and _delayed(package, order_number):
        apologise = DELAYED[language]
    ask = case.ask[language]
    act = case.act[language]
    greeting = GREETING[language].format(name=f" {name}" if name else "")
    line = " ".join(part for part in (greeting, acknowledge, apologise, ask, act) if part)
    return {
        "action": case.step.format(**values),
        "language": language,
        "four_as": {"acknowledge": acknowledge, "apologise": apologise, "ask": ask, "act": act},
        "opening_line": line,
    }


def _delayed(package: Mapping[str, Any], order_number: str | None) -> bool:
    return any(
        order.get("delayed") and (not order_number or order["order_number"] == order_number)
        for order in package.get("orders") or []
    )
