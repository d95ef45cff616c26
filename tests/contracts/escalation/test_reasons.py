"""Reason texts for agents (contracts/escalation/reasons.yml): every reason in both languages."""

from __future__ import annotations

import pytest

from contracts.escalation.reasons import LANGUAGES, reason_codes, reason_template, reason_text, times_in_words
from contracts.escalation.rules import Reason, decide, ConversationFacts, CustomerTurn
from contracts.escalation.config import default_config

TEMPLATES = (
    "always_escalated_intent",
    "emotion_one_message",
    "emotion_messages",
    "distress_rising",
    "repeated_misunderstanding",
    "conversation_loop",
    "unknown",
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reason_and_template_has_a_text_in_each_language(language):
    for code, texts in reason_codes().items():
        assert texts.get(language, "").strip(), f"{code} has no {language} text"
    for name in TEMPLATES:
        assert reason_template(name, language).strip()


def test_texts_by_language_with_english_as_the_fallback():
    assert reason_text("billing_double_charge") == "The customer reports being charged twice for one order."
    assert reason_text("billing_double_charge", "de").startswith("Der Kunde meldet")
    assert reason_text("billing_double_charge", "fr") == reason_text("billing_double_charge")
    assert reason_text("something_new") == "Handed over by the assistant (reason: something_new)."
    assert reason_text("something_new", "de") == "Vom Assistenten übergeben (Grund: something_new)."


def test_counts_in_words():
    assert (times_in_words(2), times_in_words(3), times_in_words(2, "de")) == ("twice", "3 times", "zweimal")


def test_every_built_in_reason_the_rules_give_has_a_fixed_text():
    # Reasons the rules fill in themselves are the templates; every other code they give is listed.
    config = default_config()
    for intent in config.always_escalate.intents:
        [reason] = decide(config, ConversationFacts(turns=(CustomerTurn(intent),))).reasons
        assert isinstance(reason, Reason) and reason.text == reason_text(intent)
