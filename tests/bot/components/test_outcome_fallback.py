"""The fallback threshold counts intents that hand the customer over the same way as one answer."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.outcome_fallback import OutcomeFallbackClassifier, handover_groups
from contracts.escalation.config import default_config

CONFIG = {"threshold": 0.4, "ambiguity_threshold": 0.05}


def parsed(*ranking):
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message(data={TEXT: "text", INTENT: dict(entries[0]), INTENT_RANKING_KEY: entries})


def intent_after(classifier, message):
    return classifier.process([message])[0].get(INTENT)


def test_the_groups_are_the_contracts_handed_over_intents_by_mode():
    config = default_config()
    expected = set(config.always_escalate.intents) | set(config.explicit_request.intents)
    groups = handover_groups()
    assert set().union(*groups) == expected
    assert any({"complaint", "request_human"} <= group for group in groups)  # both "handoff" by default


@pytest.mark.parametrize(
    ("ranking", "expected"),
    [
        # Two intents of one outcome: a handoff, not "please rephrase".
        ((("request_human", 0.49), ("complaint", 0.48), ("faq", 0.03)), "request_human"),
        # Spread over three handoff intents, each below the threshold: still a handoff.
        ((("complaint", 0.3), ("billing_refund_dispute", 0.25), ("request_human", 0.2), ("faq", 0.25)), "complaint"),
        # A handoff intent against a routine answer stays ambiguous.
        ((("billing_refund_dispute", 0.49), ("faq", 0.48)), "nlu_fallback"),
        # Routine intents are judged as Rasa's FallbackClassifier judges them.
        ((("faq", 0.49), ("order_status", 0.47)), "nlu_fallback"),
        ((("order_status", 0.35), ("faq", 0.1)), "nlu_fallback"),
        ((("order_status", 0.8), ("faq", 0.1)), "order_status"),
        # The group's sum must still beat the best other outcome by the margin.
        ((("complaint", 0.3), ("request_human", 0.1), ("faq", 0.38)), "nlu_fallback"),
    ],
)
def test_ambiguity_and_threshold_are_judged_per_outcome(ranking, expected):
    classifier = OutcomeFallbackClassifier(CONFIG)
    result = intent_after(classifier, parsed(*ranking))
    assert result["name"] == expected
    if expected != "nlu_fallback":
        assert result["confidence"] == ranking[0][1]  # the intent keeps its own confidence


def test_a_fallback_goes_in_front_of_the_ranking_and_keeps_it():
    message = OutcomeFallbackClassifier(CONFIG).process([parsed(("faq", 0.3), ("order_status", 0.29))])[0]
    assert [entry["name"] for entry in message.get(INTENT_RANKING_KEY)] == ["nlu_fallback", "faq", "order_status"]


def test_configured_groups_replace_the_contracts():
    classifier = OutcomeFallbackClassifier({**CONFIG, "same_outcome": [["faq", "order_status"]]})
    assert intent_after(classifier, parsed(("faq", 0.3), ("order_status", 0.29), ("greet", 0.1)))["name"] == "faq"
    assert intent_after(classifier, parsed(("complaint", 0.3), ("request_human", 0.29)))["name"] == "nlu_fallback"


def test_a_message_with_an_intent_but_no_ranking_is_judged_on_its_intent():
    message = Message(data={TEXT: "ok", INTENT: {"name": "affirm", "confidence": 0.9}})
    assert intent_after(OutcomeFallbackClassifier(CONFIG), message)["name"] == "affirm"
