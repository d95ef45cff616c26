"""The escalation rules, table-driven: which conversations go to a person, why, where, how urgently."""

from __future__ import annotations


import pytest

from contracts.escalation.config import BUILT_IN_HUMAN_INTENTS, ConfigError, default_config, parse_config
from contracts.escalation.rules import ConversationFacts, CustomerTurn, decide, facts_from_events
from tests.support.escalation import config_data_with


def turn(intent="order_status", label=None, intensity=0.0):
    return CustomerTurn(intent=intent, label=label, intensity=intensity, confidence=0.9 if label else 0.0)


calm = turn(label="neutral", intensity=0.2)
angry = turn(label="frustrated", intensity=0.9)
annoyed = turn(label="frustrated", intensity=0.6)
button = turn(intent="affirm")  # no emotion evidence
miss = turn(intent="nlu_fallback")

CASES = [
    # (name, turns, expected reason codes, mode, skill, priority)
    ("nothing special", [calm, calm], [], None, "general", "normal"),
    ("double charge", [turn("billing_double_charge")], ["billing_double_charge"], "handoff", "billing", "normal"),
    # Warranty claims are billing work (the one reason → skill table, defaults.yml `skills`).
    ("warranty", [calm, turn("warranty_claim")], ["warranty_claim"], "handoff", "billing", "normal"),
    ("asks for a person", [turn("request_human")], ["customer_request"], "handoff", "general", "normal"),
    ("one angry message is not enough", [calm, angry], [], None, "general", "high"),
    ("two angry messages", [angry, angry], ["emotion_frustrated"], "handoff", "general", "high"),
    (
        "a button click does not break the run",
        [angry, button, angry],
        ["emotion_frustrated"],
        "handoff",
        "general",
        "high",
    ),
    ("annoyed is below the threshold", [annoyed, annoyed], [], None, "general", "normal"),
    ("anxious twice", [turn(label="anxious", intensity=0.9)] * 2, ["emotion_anxious"], "handoff", "general", "high"),
    (
        "rising distress",
        [
            turn(label="confused", intensity=0.5),
            turn("inform", "frustrated", 0.6),
            turn(label="frustrated", intensity=0.8),
        ],
        ["distress_rising"],
        "handoff",
        "general",
        "high",
    ),
    (
        "rising but still low",
        [turn(label="confused", intensity=0.2), turn("inform", "confused", 0.5), turn(label="confused", intensity=0.9)],
        [],
        None,
        "general",
        "normal",
    ),
    ("first misunderstanding", [miss], [], None, "general", "normal"),
    ("second misunderstanding", [miss, calm, miss], ["repeated_misunderstanding"], "offer", "general", "normal"),
    ("same question three times", [turn("order_status")] * 3, ["conversation_loop"], "offer", "general", "normal"),
    ("three yeses are no loop", [turn("affirm")] * 3, [], None, "general", "normal"),
    (
        "three different FAQs are no loop",
        [CustomerTurn("faq", detail=f"faq/{topic}") for topic in ("returns", "shipping_costs", "returns")],
        [],
        None,
        "general",
        "normal",
    ),
    (
        "the same FAQ three times",
        [CustomerTurn("faq", detail="faq/returns")] * 3,
        ["conversation_loop"],
        "offer",
        "general",
        "normal",
    ),
    (
        "billing while furious",
        [angry, turn("billing_wrong_amount", "frustrated", 0.95)],
        ["billing_wrong_amount", "emotion_frustrated"],
        "handoff",
        "billing",
        "high",
    ),
]


@pytest.mark.parametrize(("name", "turns", "codes", "mode", "skill", "priority"), CASES, ids=[c[0] for c in CASES])
def test_default_rules(name, turns, codes, mode, skill, priority):
    decision = decide(default_config(), ConversationFacts(turns=tuple(turns)))
    assert [reason.code for reason in decision.reasons] == codes
    assert decision.escalate is bool(codes)
    assert decision.mode == mode
    assert decision.skill == skill and decision.priority == priority
    assert all(
        reason.text and reason.code not in reason.text
        for reason in decision.reasons
        if reason.code.startswith(("emotion", "distress"))
    )


def with_changes(**changes) -> object:
    return parse_config(config_data_with(**changes))


CHANGED = [
    (
        "one strong message is enough",
        {"emotion__labels__frustrated__consecutive_turns": 1},
        [calm, angry],
        ["emotion_frustrated"],
    ),
    (
        "lower intensity threshold",
        {"emotion__labels__frustrated__min_intensity": 0.5},
        [annoyed, annoyed],
        ["emotion_frustrated"],
    ),
    ("emotion rules off", {"emotion__enabled": False}, [angry, angry], []),
    (
        "confused now counts",
        {"emotion__labels__confused": {"min_intensity": 0.5, "consecutive_turns": 2}},
        [turn(label="confused", intensity=0.7)] * 2,
        ["emotion_confused"],
    ),
    ("three misses before an offer", {"fallbacks__max_fallbacks": 3}, [miss, miss], []),
    ("one miss is enough", {"fallbacks__max_fallbacks": 1}, [miss], ["repeated_misunderstanding"]),
    (
        "address changes always go to a person",
        {"always_escalate_intents__intents": [*BUILT_IN_HUMAN_INTENTS, "change_address"]},
        [turn("change_address")],
        ["change_address"],
    ),
]


@pytest.mark.parametrize(("name", "changes", "turns", "codes"), CHANGED, ids=[c[0] for c in CHANGED])
def test_changed_thresholds(name, changes, turns, codes):
    decision = decide(with_changes(**changes), ConversationFacts(turns=tuple(turns)))
    assert [reason.code for reason in decision.reasons] == codes


def test_an_added_intent_states_itself_in_words():
    decision = decide(
        with_changes(always_escalate_intents__intents=[*BUILT_IN_HUMAN_INTENTS, "change_address"]),
        ConversationFacts(turns=(turn("change_address"),)),
    )
    assert decision.reasons[0].text == "The customer's request (change address) always goes to a person."


@pytest.mark.parametrize(
    "changes",
    [
        {"always_escalate_intents__intents": []},
        {"always_escalate_intents__intents": ["billing_wrong_amount"]},
        {"explicit_request__enabled": False},
        {"explicit_request__intents": ["greet"]},
    ],
    ids=["no built-in intents", "a built-in intent missing", "explicit requests off", "request_human missing"],
)
def test_what_the_bot_cannot_do_itself_cannot_be_switched_off(changes):
    # The trained rules hand these over whatever the config says; a config without them would lie.
    with pytest.raises(ConfigError) as raised:
        with_changes(**changes)
    assert any("always" in problem for problem in raised.value.problems)


def test_mode_offer_asks_first():
    decision = decide(with_changes(emotion__mode="offer"), ConversationFacts(turns=(angry, angry)))
    assert decision.mode == "offer"


def test_nothing_is_escalated_while_a_handoff_is_pending():
    decision = decide(default_config(), ConversationFacts(turns=(turn("request_human"),), handoff_pending=True))
    assert decision.escalate is False and decision.reasons


def test_lockout_is_offered_once():
    config = default_config()
    assert [r.code for r in decide(config, ConversationFacts(turns=(calm,), verification_locked=True)).reasons] == [
        "verification_lockout"
    ]
    assert (
        decide(
            config,
            ConversationFacts(
                turns=(calm,), verification_locked=True, acted_reasons=frozenset({"verification_lockout"})
            ),
        ).escalate
        is False
    )


# --- facts from real tracker events ----------------------------------------------------------


def user(intent, label=None, intensity=0.0, confidence=0.9):
    parse = {"intent": {"name": intent, "confidence": 0.9}}
    if label:
        parse["emotion"] = {"label": label, "intensity": intensity, "confidence": confidence}
    return {"event": "user", "text": "...", "parse_data": parse}


def slot(name, value):
    return {"event": "slot", "name": name, "value": value}


def test_facts_start_after_the_last_offer_so_a_declined_offer_is_not_repeated():
    events = [
        user("order_status", "frustrated", 0.9),
        user("order_status", "frustrated", 0.9),
        slot("handoff_reason", "emotion_frustrated"),
        slot("human_offered", True),
        user("deny"),
        slot("human_offered", False),
        user("order_status", "frustrated", 0.95),
    ]
    facts = facts_from_events(events)
    assert [t.intent for t in facts.turns] == ["order_status"]
    assert "emotion_frustrated" in facts.acted_reasons
    assert decide(default_config(), facts).escalate is False


def test_facts_ignore_turns_without_evidence_and_malformed_emotion():
    events = [
        user("greet", "frustrated", 0.9, confidence=0.0),
        user("greet", "rage", 0.9),
        {"event": "user", "parse_data": {"intent": "not-a-dict", "emotion": [1, 2]}},
        user("greet", "sad", float("nan")),
        "garbage",
        {"event": "user"},
    ]
    facts = facts_from_events(events)
    assert len(facts.turns) == 5 and not any(t.has_emotion for t in facts.turns)


def test_retrieval_intents_are_told_apart_by_their_response_key():
    event = user("faq")
    event["parse_data"]["response_selector"] = {"faq": {"response": {"intent_response_key": "faq/returns"}}}
    odd = user("faq")
    odd["parse_data"]["response_selector"] = {"faq": {"response": {"intent_response_key": "other/returns"}}}
    facts = facts_from_events([event, odd, user("faq")])
    assert [t.topic for t in facts.turns] == ["faq/returns", "faq", "faq"]
    decision = decide(default_config(), facts)
    assert decision.reasons == []


def test_a_new_session_starts_afresh_and_a_lockout_is_remembered_within_one():
    events = [
        user("request_human"),
        slot("handoff_requested", True),
        {"event": "session_started"},
        user("order_status"),
        slot("handoff_reason", "verification_lockout"),
    ]
    facts = facts_from_events(events)
    assert facts.handoff_pending is False and facts.verification_locked is True
    assert [t.intent for t in facts.turns] == ["order_status"]


# --- vulnerable customers ----------------------------------------------------------------------

bereaved = CustomerTurn(intent="order_status", label="sad", intensity=0.5, confidence=0.8, vulnerability="bereavement")


def test_a_vulnerable_customer_is_offered_a_person_with_priority():
    decision = decide(default_config(), ConversationFacts(turns=(calm, bereaved)))
    assert [reason.code for reason in decision.reasons] == ["vulnerable_customer"]
    assert decision.mode == "offer" and decision.priority == "high"
    assert "bereavement" in decision.reasons[0].text


def test_the_offer_is_made_once_and_priority_stays_high():
    facts = ConversationFacts(turns=(bereaved, calm), acted_reasons=frozenset({"vulnerable_customer"}))
    decision = decide(default_config(), facts)
    assert not decision.escalate and decision.priority == "high"


def test_the_rule_can_be_switched_off():
    config = parse_config(config_data_with(vulnerable_customers__enabled=False))
    assert not decide(config, ConversationFacts(turns=(bereaved,))).escalate


def test_the_kind_comes_from_the_parse_result_and_unknown_kinds_are_ignored():
    from contracts.escalation.rules import turn_from_parse_data

    parsed = {"intent": {"name": "faq"}, "vulnerability": {"kind": "illness", "confidence": 0.8}}
    assert turn_from_parse_data(parsed).vulnerability == "illness"
    assert turn_from_parse_data({**parsed, "vulnerability": {"kind": "<script>"}}).vulnerability is None
    assert turn_from_parse_data({**parsed, "vulnerability": "illness"}).vulnerability is None
