"""The escalation config: the defaults parse, round-trip, and bad values are rejected by name."""

from __future__ import annotations

import copy

import pytest

from contracts.escalation.config import ConfigError, default_config, load_yaml, parse_config
from tests.support.escalation import config_data_with


def defaults() -> dict:
    return copy.deepcopy(default_config().to_dict())


def test_the_defaults_round_trip_and_cover_the_product_brief():
    config = default_config()
    assert parse_config(config.to_dict()) == config
    assert set(config.always_escalate.intents) == {
        "billing_double_charge",
        "billing_wrong_amount",
        "billing_refund_dispute",
        "billing_failed_payment",
        "warranty_claim",
        "complaint",
    }
    assert config.vulnerable_customers.enabled and config.vulnerable_customers.mode == "offer"
    assert config.explicit_request.intents == ("request_human",)
    assert config.fallbacks.max_fallbacks == 2
    assert set(config.emotion.labels) == {"frustrated", "anxious", "sad"}
    assert config.skill_for("billing_double_charge") == "billing"
    assert config.skill_for("customer_request") == "general"


def test_a_stored_config_from_before_the_vulnerability_rule_still_loads_with_it_on():
    data = defaults()
    del data["vulnerable_customers"]
    config = parse_config(data)
    assert config.vulnerable_customers.enabled and config.vulnerable_customers.mode == "offer"


def test_a_bad_vulnerability_rule_is_rejected_by_name():
    data = defaults()
    data["vulnerable_customers"] = {"enabled": "yes", "mode": "shout"}
    with pytest.raises(ConfigError) as error:
        parse_config(data)
    assert any(problem.startswith("vulnerable_customers.enabled") for problem in error.value.problems)
    assert any(problem.startswith("vulnerable_customers.mode") for problem in error.value.problems)


def change(path: str, value):
    return config_data_with(**{path.replace(".", "__"): value})


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            "emotion.labels.frustrated.min_intensity",
            1.5,
            "emotion.labels.frustrated.min_intensity: must be between 0.0 and 1.0 (got 1.5)",
        ),
        (
            "emotion.labels.frustrated.min_intensity",
            "high",
            "emotion.labels.frustrated.min_intensity: must be a number",
        ),
        (
            "emotion.labels.frustrated.consecutive_turns",
            0,
            "emotion.labels.frustrated.consecutive_turns: must be between 1 and 20 (got 0)",
        ),
        ("emotion.labels.frustrated.consecutive_turns", 2.5, "consecutive_turns: must be a whole number"),
        (
            "emotion.labels.furious",
            {"min_intensity": 0.5, "consecutive_turns": 1},
            "emotion.labels.furious: unknown emotion label",
        ),
        ("emotion.mode", "transfer", "emotion.mode: must be one of handoff, offer (got 'transfer')"),
        ("emotion.rising_trend.turns", 1, "emotion.rising_trend.turns: must be between 2 and 20"),
        ("fallbacks.max_fallbacks", True, "fallbacks.max_fallbacks: must be a whole number"),
        ("fallbacks.enabled", "yes", "fallbacks.enabled: must be true or false"),
        ("loops.max_repeats", 100, "loops.max_repeats: must be between 2 and 20 (got 100)"),
        ("always_escalate_intents.intents", "billing_double_charge", "always_escalate_intents.intents: must be a list"),
        ("always_escalate_intents.intents", ["Billing Dispute"], "'Billing Dispute' is not an intent name"),
        ("always_escalate_intents.intents", ["x"] * 101, "at most 100 entries"),
        ("skills.default", "sales", "skills.default: must be one of billing, technical, general (got 'sales')"),
        ("skills.reasons", {"warranty_claim": "legal"}, "skills.reasons.warranty_claim: must be one of"),
        ("priority.high_distress", float("nan"), "priority.high_distress: must be a number"),
        ("emotion", None, "emotion: must be a mapping (got nothing)"),
        ("schema", "escalation-config.v0", "schema: must be escalation-config.v1"),
    ],
)
def test_a_bad_value_is_rejected_with_a_message_naming_it(path, value, message):
    with pytest.raises(ConfigError) as raised:
        parse_config(change(path, value))
    assert any(message in problem for problem in raised.value.problems), raised.value.problems


def test_every_problem_is_reported_at_once():
    data = change("fallbacks.max_fallbacks", 0)
    data["loops"]["mode"] = "maybe"
    data["surprise"] = 1
    with pytest.raises(ConfigError) as raised:
        parse_config(data)
    assert len(raised.value.problems) == 3
    assert "unknown sections: surprise" in raised.value.problems


@pytest.mark.parametrize("data", [None, [], "text", 42])
def test_something_that_is_not_a_mapping_is_rejected(data):
    with pytest.raises(ConfigError, match="must be a mapping"):
        parse_config(data)


def test_broken_yaml_is_a_config_error():
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_yaml("emotion: [unclosed")


def test_an_intent_cannot_both_always_escalate_and_be_ignored_for_loops():
    data = defaults()
    data["loops"]["ignore_intents"].append("warranty_claim")
    with pytest.raises(ConfigError, match="cannot loop: warranty_claim"):
        parse_config(data)


def test_hostile_long_values_are_cut_in_the_message():
    with pytest.raises(ConfigError) as raised:
        parse_config(change("skills.default", "x" * 100_000))
    assert all(len(problem) < 400 for problem in raised.value.problems)
