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
