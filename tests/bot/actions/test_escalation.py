"""The per-turn escalation observer and action_offer_human, against a real Redis holding the config."""

from __future__ import annotations


import pytest

from bot.actions.escalation import ActionOfferHuman, observe_escalation
from bot.actions.fallback import ActionFallback
from bot.policies.escalation import escalation_action
from tests.support.escalation import config_data_with
from tests.support.escalation import store_config as store_config_data


def felt(ev, text, intent, label, intensity):
    event = ev.user(text, intent)
    event["parse_data"]["emotion"] = {"label": label, "confidence": 0.9, "intensity": intensity}
    return event


def angry_tracker(make_tracker, ev, intensity=0.9, **kwargs):
    tracker = make_tracker(
        "order_status",
        "WHERE IS IT",
        history=[felt(ev, "WHERE IS MY PARCEL", "order_status", "frustrated", intensity)],
        **kwargs,
    )
    tracker.events[-1]["parse_data"]["emotion"] = {"label": "frustrated", "confidence": 0.9, "intensity": intensity}
    return tracker


def store_config(redis_client, **changes):
    store_config_data(redis_client, config_data_with(**changes))


def slots(events):
    return {event["name"]: event["value"] for event in events}


def test_a_calm_turn_sets_nothing(customer_db, make_tracker):
    assert observe_escalation(make_tracker("order_status", "where is my parcel")) == []


def test_a_stale_decision_is_cleared(customer_db, make_tracker):
    tracker = make_tracker("greet", "hi", slots={"escalation": {"escalate": True, "mode": "offer", "reasons": []}})
    assert observe_escalation(tracker) == [{"event": "slot", "timestamp": None, "name": "escalation", "value": None}]


def test_two_angry_messages_ask_for_a_handoff(customer_db, make_tracker, ev):
    decision = slots(observe_escalation(angry_tracker(make_tracker, ev)))["escalation"]
    assert decision["escalate"] is True and decision["mode"] == "handoff" and decision["priority"] == "high"
    assert [reason["code"] for reason in decision["reasons"]] == ["emotion_frustrated"]
    assert escalation_action(decision) == "action_handoff"


def test_the_config_in_redis_is_used_on_the_next_turn(customer_db, redis_client, make_tracker, ev):
    store_config(
        redis_client, emotion__mode="offer", emotion__labels__frustrated={"min_intensity": 0.95, "consecutive_turns": 2}
    )
    assert observe_escalation(angry_tracker(make_tracker, ev)) == []

    store_config(redis_client, emotion__mode="offer")
    import time

    time.sleep(1.05)  # the action server's config cache
    decision = slots(observe_escalation(angry_tracker(make_tracker, ev)))["escalation"]
    assert decision["mode"] == "offer" and escalation_action(decision) == "action_offer_human"


def test_without_redis_the_defaults_apply(tmp_path, monkeypatch, make_tracker, ev, caplog):
    from bot.actions.base import reset_clients

    monkeypatch.setenv("REDIS_URL", f"unix://{tmp_path}/nothing.sock")
    reset_clients()
    try:
        decision = slots(observe_escalation(angry_tracker(make_tracker, ev)))["escalation"]
    finally:
        reset_clients()
    assert decision["reasons"][0]["code"] == "emotion_frustrated"
    assert "using the defaults" in caplog.text


@pytest.mark.parametrize(
    ("code", "response"),
    [
        ("repeated_misunderstanding", "utter_offer_human_after_misunderstanding"),
        ("conversation_loop", "utter_offer_human_after_loop"),
        ("emotion_sad", "utter_offer_human_upset"),
        ("verification_lockout", "utter_offer_human"),
    ],
)
def test_the_offer_matches_its_reason_and_remembers_it(customer_db, make_tracker, act, code, response):
    decision = {"escalate": True, "mode": "offer", "reasons": [{"code": code, "text": "why", "mode": "offer"}]}
    outcome = act(ActionOfferHuman(), make_tracker("nlu_fallback", "???", slots={"escalation": decision}))
    assert outcome.responses == [response]
    assert outcome.slots["human_offered"] is True and outcome.slots["handoff_reason"] == code
    assert outcome.slots["handoff_reasons"] == [{"code": code, "text": "why"}]
    assert outcome.slots["escalation"] is None


@pytest.mark.parametrize(
    ("vulnerability", "response"),
    [
        ({"kind": "bereavement", "confidence": 0.9}, "utter_offer_human_vulnerable_bereavement"),
        ({"kind": "financial_hardship", "confidence": 0.7}, "utter_offer_human_vulnerable_financial_hardship"),
        ({"kind": "<script>", "confidence": 0.9}, "utter_offer_human_upset"),
        (None, "utter_offer_human_upset"),
    ],
)
def test_a_vulnerable_customer_is_offered_a_person_in_words_for_their_situation(
    customer_db, make_tracker, act, vulnerability, response
):
    reasons = [{"code": "vulnerable_customer", "text": "why", "mode": "offer"}]
    tracker = make_tracker("faq", "my wife died", slots={"escalation": {"escalate": True, "reasons": reasons}})
    tracker.latest_message["vulnerability"] = vulnerability
    outcome = act(ActionOfferHuman(), tracker)
    assert outcome.responses == [response]
    assert outcome.slots["handoff_reason"] == "vulnerable_customer"


def test_an_offer_inside_a_form_closes_the_form(customer_db, make_tracker, act):
    decision = {"escalate": True, "mode": "offer", "reasons": [{"code": "conversation_loop", "text": "x"}]}
    tracker = make_tracker("order_status", "where", slots={"escalation": decision})
    tracker.active_loop = {"name": "verify_form"}
    outcome = act(ActionOfferHuman(), tracker)
    assert {"event": "active_loop", "timestamp": None, "name": None} in outcome.events


@pytest.mark.parametrize(
    ("changes", "count", "offered"),
    [
        ({}, 1.0, True),
        ({"fallbacks__max_fallbacks": 3}, 1.0, False),
        ({"fallbacks__enabled": False}, 5.0, False),
    ],
)
def test_the_fallback_follows_the_configured_threshold(
    customer_db, redis_client, make_tracker, act, changes, count, offered
):
    if changes:
        store_config(redis_client, **changes)
    outcome = act(ActionFallback(), make_tracker("nlu_fallback", "blorp", slots={"fallback_count": count}))
    assert (outcome.responses == ["utter_offer_human_after_misunderstanding"]) is offered
    assert (outcome.slots.get("human_offered") is True) is offered
