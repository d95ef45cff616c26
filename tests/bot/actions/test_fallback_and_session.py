"""action_fallback, action_decline_human and action_session_start."""

from __future__ import annotations

import pytest

from bot.actions.fallback import ActionDeclineHuman, ActionFallback
from bot.actions.session import ActionSessionStart


@pytest.mark.parametrize("text", ["", "🙈🙈🙈", "'; DROP TABLE customers; --", "x" * 10_000, "\x00\x07"])
def test_the_first_misunderstanding_asks_to_rephrase(make_tracker, act, text):
    outcome = act(ActionFallback(), make_tracker("nlu_fallback", text))

    assert outcome.responses == ["utter_ask_rephrase"]
    assert outcome.slots == {"fallback_count": 1.0}
    assert all(text not in str(message.get("text")) for message in outcome.messages if text)


def _emoji_only(make_tracker, text: str, label: str, confidence: float, reason: str = "no_words"):
    tracker = make_tracker("nlu_fallback", text)
    tracker.latest_message["input_guard"] = {"reason": reason}
    tracker.latest_message["emotion"] = {"label": label, "confidence": confidence, "intensity": 0.8}
    return tracker


@pytest.mark.parametrize(
    ("text", "label"),
    [("😡😡😡🤬", "frustrated"), ("😭😭", "sad"), ("😰", "anxious"), ("🤔❓", "confused"), ("🥳", "happy")],
)
def test_emoji_that_show_a_feeling_are_acknowledged_not_misunderstood(make_tracker, act, text, label):
    outcome = act(ActionFallback(), _emoji_only(make_tracker, text, label, 0.8))

    assert outcome.responses == [f"utter_feeling_without_words_{label}"]
    assert outcome.slots == {}  # not counted as a misunderstanding


@pytest.mark.parametrize(
    ("label", "confidence", "reason"),
    [("neutral", 0.9, "no_words"), ("frustrated", 0.2, "no_words"), ("frustrated", 0.9, "unknown_words")],
)
def test_without_a_clear_feeling_the_emoji_are_a_misunderstanding(make_tracker, act, label, confidence, reason):
    outcome = act(ActionFallback(), _emoji_only(make_tracker, "🙈🙈", label, confidence, reason))
    assert outcome.responses == ["utter_ask_rephrase"]


def test_the_second_misunderstanding_offers_a_person(make_tracker, act):
    outcome = act(ActionFallback(), make_tracker("nlu_fallback", "blub", slots={"fallback_count": 1.0}))

    assert outcome.responses == ["utter_offer_human_after_misunderstanding"]
    assert outcome.slots == {
        "fallback_count": 0.0,
        "human_offered": True,
        "handoff_reason": "repeated_misunderstanding",
    }


def test_declining_a_person_closes_the_offer(make_tracker, act):
    outcome = act(
        ActionDeclineHuman(),
        make_tracker("deny", "no thanks", slots={"human_offered": True, "handoff_reason": "repeated_misunderstanding"}),
    )

    assert outcome.responses == ["utter_anything_else"]
    assert outcome.slots == {"human_offered": False, "handoff_reason": None}


def session_events(make_tracker, act, slots):
    return act(ActionSessionStart(), make_tracker(None, "", slots=slots)).events


def test_a_new_session_keeps_the_language_but_not_the_verification(make_tracker, act):
    events = session_events(make_tracker, act, {"language": "de", "verified": True, "customer_id": "C100001"})

    assert [event["event"] for event in events] == ["session_started", "slot", "action"]
    assert events[1]["name"] == "language" and events[1]["value"] == "de"
    assert events[2]["name"] == "action_listen"


@pytest.mark.parametrize(
    ("metadata", "previous", "expected"),
    [
        ({"language": "de"}, None, "de"),
        ({"language": "DE-de"}, "en", "de"),
        ({"language": "en"}, "de", "en"),
        ({"language": "fr"}, None, None),
        ({"language": "fr"}, "de", "de"),
        ("garbage", None, None),
    ],
)
def test_the_client_can_choose_the_language_at_session_start(make_tracker, act, metadata, previous, expected):
    events = session_events(make_tracker, act, {"session_started_metadata": metadata, "language": previous})

    languages = [event["value"] for event in events if event["event"] == "slot"]
    assert languages == ([expected] if expected else [])


def _torn(make_tracker, ranking, *, language="en", faq_key=None, guard=None, text="how do I get my money back"):
    tracker = make_tracker("nlu_fallback", text, slots={"language": language})
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.4}] + [
        {"name": name, "confidence": confidence} for name, confidence in ranking
    ]
    if faq_key:
        tracker.latest_message["response_selector"] = {"faq": {"response": {"intent_response_key": faq_key}}}
    if guard:
        tracker.latest_message["input_guard"] = {"reason": guard}
    return tracker


def test_torn_between_two_requests_it_asks_which_with_a_button_for_each(make_tracker, act):
    ranking = [("faq", 0.46), ("billing_refund_dispute", 0.44), ("complaint", 0.05)]
    tracker = _torn(make_tracker, ranking, faq_key="faq/returns")
    outcome = act(ActionFallback(), tracker)

    message = outcome.message("utter_ask_which")
    assert message["first"] == "our returns and refund rules in general"
    assert message["second"] == "a refund you're owed"
    # The FAQ button is a question and sends it (an intent would skip the response selector).
    assert message["buttons"] == [
        {"title": "How do returns and refunds work?", "payload": "How do returns and refunds work?"},
        {"title": "A refund I'm owed", "payload": "/billing_refund_dispute"},
    ]
    assert outcome.slots == {"fallback_count": 1.0}  # still a misunderstanding: the second offers a person


def test_the_choices_speak_the_customers_language(make_tracker, act):
    tracker = _torn(make_tracker, [("order_status", 0.45), ("change_address", 0.42)], language="de")
    message = act(ActionFallback(), tracker).message("utter_ask_which")
    assert (message["first"], message["second"]) == ("den Stand Ihrer Bestellung", "eine Änderung der Lieferadresse")
    assert [button["payload"] for button in message["buttons"]] == ["/order_status", "/change_address"]


@pytest.mark.parametrize(
    ("ranking", "faq_key", "guard"),
    [
        ([("order_status", 0.3), ("change_address", 0.2), ("faq", 0.2)], None, None),  # no two clear candidates
        ([("order_status", 0.5), ("change_address", 0.15)], None, None),  # the second is too weak
        ([("greet", 0.45), ("order_status", 0.4)], None, None),  # a greeting is not a request to offer
        ([("out_of_scope", 0.45), ("faq", 0.4)], "faq/returns", None),
        ([("faq", 0.45), ("order_status", 0.4)], None, None),  # no FAQ answer picked: nothing to name
        ([("order_status", 0.45), ("change_address", 0.42)], None, "unknown_words"),  # refused input
        ([("order_status", 0.9)], None, None),
        ([], None, None),
    ],
)
def test_anything_vaguer_than_two_nameable_requests_asks_to_rephrase(make_tracker, act, ranking, faq_key, guard):
    outcome = act(ActionFallback(), _torn(make_tracker, ranking, faq_key=faq_key, guard=guard))
    assert outcome.responses == ["utter_ask_rephrase"]
