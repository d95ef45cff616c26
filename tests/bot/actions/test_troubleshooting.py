"""action_troubleshoot walks the decision tree in troubleshooting_tree.yml."""

from __future__ import annotations

import pytest

from bot.actions.troubleshooting import ActionTroubleshoot, load_tree, parse_tree


def test_every_node_of_the_tree_is_reachable_and_every_response_exists(domain):
    tree = load_tree()
    reachable, todo = set(), [topic.start for topic in tree.topics.values()]
    while todo:
        name = todo.pop()
        if name not in reachable:
            reachable.add(name)
            node = tree.nodes[name]
            todo += [child for child in (node.yes, node.no) if child]
    assert reachable == set(tree.nodes)
    assert set(tree.responses()) <= set(domain["responses"])
    for node in tree.nodes.values():
        if node.ask:  # every question offers yes/no buttons in both languages
            for variation in domain["responses"][node.ask]:
                assert [b["payload"] for b in variation["buttons"]] == ["/affirm", "/deny"]


@pytest.mark.parametrize(
    "broken",
    [
        {"topics": {"login": {"intro": "utter_x", "start": "nowhere"}}, "nodes": {}},
        {"topics": {}, "nodes": {"q": {"ask": "utter_q", "yes": "q", "no": "missing"}}},
        {"topics": {}, "nodes": {"both": {"ask": "utter_q", "fix": "utter_f", "yes": "both", "no": "both"}}},
    ],
)
def test_a_broken_tree_is_rejected_with_a_reason(broken):
    with pytest.raises(ValueError):
        parse_tree(broken)


def test_a_sign_in_problem_starts_with_an_acknowledgement_and_the_first_question(make_tracker, act):
    outcome = act(
        ActionTroubleshoot(), make_tracker("troubleshoot_login", "I can't log in", slots={"human_offered": True})
    )

    assert outcome.responses == ["utter_ts_login_intro", "utter_ts_login_caps_lock"]
    assert outcome.slots == {
        "troubleshoot_topic": "login",
        "human_offered": False,
        "troubleshoot_step": "login_caps_lock",
        "troubleshoot_active": True,
    }


def walk(make_tracker, act, topic_intent, answers):
    outcome = act(ActionTroubleshoot(), make_tracker(topic_intent, "it doesn't work"))
    slots = dict(outcome.slots)
    said = list(outcome.responses)
    for answer in answers:
        outcome = act(ActionTroubleshoot(), make_tracker(answer, answer, slots=slots))
        slots.update(outcome.slots)
        said += outcome.responses
    return slots, said


@pytest.mark.parametrize(
    ("topic_intent", "answers", "last_response", "end_step"),
    [
        ("troubleshoot_login", ["affirm"], "utter_ts_resolved", "resolved"),
        ("troubleshoot_login", ["deny", "affirm"], "utter_ts_login_locked_fix", "login_locked_fix"),
        ("troubleshoot_login", ["deny", "deny", "affirm"], "utter_ts_resolved", "resolved"),
        ("troubleshoot_loading", ["affirm", "affirm"], "utter_ts_resolved", "resolved"),
        ("troubleshoot_loading", ["affirm", "deny", "affirm"], "utter_ts_resolved", "resolved"),
        ("troubleshoot_loading", ["deny", "deny", "affirm"], "utter_ts_resolved", "resolved"),
    ],
)
def test_paths_that_end_in_a_fix(make_tracker, act, topic_intent, answers, last_response, end_step):
    slots, said = walk(make_tracker, act, topic_intent, answers)

    assert said[-1] == last_response
    assert slots["troubleshoot_step"] == end_step
    assert slots["troubleshoot_active"] is False
    assert not slots.get("human_offered")


@pytest.mark.parametrize(
    ("topic_intent", "answers"),
    [
        ("troubleshoot_login", ["deny", "deny", "deny"]),
        ("troubleshoot_loading", ["affirm", "deny", "deny"]),
        ("troubleshoot_loading", ["deny", "deny", "deny"]),
    ],
)
def test_paths_that_end_in_the_offer_of_a_person(make_tracker, act, topic_intent, answers):
    slots, said = walk(make_tracker, act, topic_intent, answers)

    assert said[-2:] == ["utter_ts_escalate", "utter_offer_human"]
    assert slots["troubleshoot_active"] is False
    assert slots["human_offered"] is True
    assert slots["handoff_reason"] == "troubleshooting_failed"


def test_an_answer_without_an_open_question_is_not_taken_as_one(make_tracker, act):
    outcome = act(
        ActionTroubleshoot(),
        make_tracker("affirm", "yes", slots={"troubleshoot_active": False, "troubleshoot_step": "resolved"}),
    )

    assert outcome.responses == ["utter_ask_how_to_help"]
    assert outcome.slots == {"troubleshoot_active": False}


def test_another_message_repeats_the_open_question(make_tracker, act):
    outcome = act(
        ActionTroubleshoot(),
        make_tracker("nlu_fallback", "hmm?", slots={"troubleshoot_active": True, "troubleshoot_step": "login_browser"}),
    )

    assert outcome.responses == ["utter_ts_login_browser"]
    assert outcome.slots == {"troubleshoot_step": "login_browser", "troubleshoot_active": True}
