"""EscalationPolicy: acts on this turn's `escalation` slot, right after the user spoke, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.escalation import EscalationPolicy

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(REPO_ROOT / "bot" / "domain"))


@pytest.fixture()
def policy(tmp_path) -> EscalationPolicy:
    return EscalationPolicy.create(
        {**EscalationPolicy.get_default_config()},
        LocalModelStorage(tmp_path),
        Resource("escalation"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def tracker(domain, *events) -> DialogueStateTracker:
    base = [ActionExecuted("action_listen")]
    return DialogueStateTracker.from_events("t", base + list(events), domain.slots)


def decision(mode):
    return {"escalate": True, "mode": mode, "reasons": [{"code": "emotion_sad", "text": "x"}]}


def predicted(policy, domain, state):
    prediction = policy.predict_action_probabilities(state, domain)
    if max(prediction.probabilities) == 0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]


@pytest.mark.parametrize(
    ("slot", "expected"),
    [
        (decision("handoff"), "action_handoff"),
        (decision("offer"), "action_offer_human"),
        (None, None),
        ({"escalate": False, "mode": None, "reasons": []}, None),
        ({"escalate": True, "mode": "teleport"}, None),
        ("garbage", None),
    ],
)
def test_after_a_user_message(policy, domain, slot, expected):
    state = tracker(domain, UserUttered("so sad", {"name": "order_status"}), SlotSet("escalation", slot))
    assert predicted(policy, domain, state) == expected


def test_priority_is_above_rule_policy(policy):
    assert policy.priority == 7


def test_after_its_own_action_it_listens_and_after_a_rules_action_it_stays_out(policy, domain):
    user = UserUttered("so sad", {"name": "order_status"})
    own = tracker(
        domain,
        user,
        SlotSet("escalation", decision("handoff")),
        ActionExecuted("action_handoff", policy="policy_2_EscalationPolicy"),
    )
    assert predicted(policy, domain, own) == "action_listen"
    by_rule = tracker(domain, user, ActionExecuted("action_handoff", policy="policy_1_RulePolicy"))
    assert predicted(policy, domain, by_rule) is None


def test_nothing_in_the_middle_of_the_bots_turn(policy, domain):
    state = tracker(
        domain,
        UserUttered("hi", {"name": "greet"}),
        SlotSet("escalation", decision("handoff")),
        ActionExecuted("utter_greet"),
    )
    assert predicted(policy, domain, state) is None
