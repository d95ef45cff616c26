"""What the soak test's simulated customers say: short, mixed conversations in English and German
built from the repository's own intents (docs/dialogue-contract.md) and the demo customers' data
(customer_db/seed_data.py), so order numbers and verification answers are the real ones."""

from __future__ import annotations

import random
from dataclasses import dataclass

from customer_db.seed_data import DEMO_CUSTOMERS, DEMO_ORDERS


@dataclass(frozen=True)
class Step:
    text: str
    # After this message the customer waits for an agent and chats with them until handed back.
    to_person: bool = False


@dataclass(frozen=True)
class Conversation:
    name: str
    language: str
    steps: tuple[Step, ...]


_WORDS = {
    "en": {
        "hello": ("Hi there", "Hello", "Good morning"),
        "thanks": ("Thanks a lot!", "Thank you, that helps."),
        "bye": ("Bye!", "That's all, goodbye."),
        "order": "Where is my order {order}?",
        "password": "I forgot my password and can't sign in.",
        "bot": "Am I talking to a bot?",
        "payment": "Which payment methods do you accept?",
        "delivery": "How long does delivery take?",
        "person": "I'd like to talk to a real person, please.",
    },
    "de": {
        "hello": ("Hallo", "Guten Tag", "Hallo zusammen"),
        "thanks": ("Danke schön!", "Vielen Dank, das hilft."),
        "bye": ("Tschüss!", "Das war alles, auf Wiedersehen."),
        "order": "Wo ist meine Bestellung {order}?",
        "password": "Ich habe mein Passwort vergessen und komme nicht rein.",
        "bot": "Bist du ein Bot?",
        "payment": "Welche Zahlungsarten gibt es?",
        "delivery": "Wie lange dauert der Versand?",
        "person": "Ich möchte bitte mit einem Menschen sprechen.",
    },
}


def _customer_with_order(rng: random.Random) -> tuple[str, str, str]:
    """(order number, customer number, last four phone digits) of a demo customer's order."""
    order = rng.choice(DEMO_ORDERS)
    customer = next(c for c in DEMO_CUSTOMERS if c.customer_id == order.customer_id)
    return order.order_number, customer.customer_id, customer.phone[-4:]


def conversation(rng: random.Random, language: str, *, to_person: bool) -> Conversation:
    """One conversation: a person request, or else order status, password reset or small talk."""
    words = _WORDS[language]
    hello, thanks, bye = (Step(rng.choice(words[key])) for key in ("hello", "thanks", "bye"))
    if to_person:
        return Conversation("person", language, (hello, Step(words["person"], to_person=True), thanks, bye))
    kind = rng.choice(("order", "password", "small_talk"))
    order, customer_number, digits = _customer_with_order(rng)
    if kind == "order":
        middle = (Step(words["order"].format(order=order)), Step(customer_number), Step(digits))
    elif kind == "password":
        email = next(c.email for c in DEMO_CUSTOMERS if c.customer_id == customer_number)
        middle = (Step(words["password"]), Step(email), Step(digits))
    else:
        middle = (Step(words["bot"]), Step(words["payment"]), Step(words["delivery"]))
    return Conversation(kind, language, (hello, *middle, thanks, bye))
