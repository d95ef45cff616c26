"""Reading Rasa's output: REST messages to replies, reply kinds, the customer's emotion."""

from pathlib import Path

import pytest

from avatar_bridge.core.config import PACKAGE_DIR
from avatar_bridge.dialogue.emotion import NEUTRAL, emotion_from_tracker
from avatar_bridge.dialogue.replies import replies_from_rest
from avatar_bridge.dialogue.reply_kinds import ReplyKinds

KINDS = frozenset({"good_news", "bad_news", "apology", "question", "handoff", "info", "greeting", "farewell"})
REPLY_KINDS = ReplyKinds.load(PACKAGE_DIR / "dialogue" / "reply_kinds.yml", KINDS)


def test_a_cue_belongs_to_the_text_messages_before_it():
    cue_a, cue_b = {"reply_kind": "apology"}, {"reply_kind": "question"}
    replies = replies_from_rest(
        [
            {"recipient_id": "s", "text": "First part."},
            {"recipient_id": "s", "text": "Second part after a blank line."},
            {"recipient_id": "s", "custom": {"avatar_cue": cue_a}},
            {"recipient_id": "s", "text": "Yes or no?", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
            {"recipient_id": "s", "custom": {"avatar_cue": cue_b}},
            {"recipient_id": "s", "text": "Plain text from an action."},
        ]
    )
    assert [(r.text, r.cue) for r in replies] == [
        ("First part.", cue_a),
        ("Second part after a blank line.", cue_a),
        ("Yes or no?", cue_b),
        ("Plain text from an action.", None),
    ]
    assert replies[2].buttons == [{"title": "Yes", "payload": "/affirm"}]


def test_images_and_foreign_custom_payloads_are_not_bot_text():
    replies = replies_from_rest(
        [{"recipient_id": "s", "image": "https://x/y.png"}, {"recipient_id": "s", "custom": {"something": "else"}}]
    )
    assert replies == []


@pytest.mark.parametrize(
    "response, text, override, kind",
    [
        ("utter_greet", "Hi!", None, "greeting"),
        ("utter_order_delayed", "Sorry, late.", None, "apology"),
        ("utter_ask_phone_last4", "Digits?", None, "question"),
        ("utter_handoff_ack_warranty_claim", "A colleague will help.", None, "handoff"),
        ("utter_faq/returns", "30 days.", None, "info"),
        ("utter_something_new", "Shall I?", None, "question"),
        ("utter_something_new", "Done.", None, "info"),
        ("utter_something_new", "Done.", "good_news", "good_news"),
        ("utter_greet", "Hi!", "not-a-kind", "greeting"),
        (None, "Plain text?", None, "question"),
    ],
)
def test_reply_kinds(response, text, override, kind):
    assert REPLY_KINDS.classify(response, text, override) == kind


def test_every_response_name_in_the_table_exists_in_the_bot_domain():
    from avatar_bridge.wording.domain_responses import DomainResponses

    domain = Path(__file__).resolve().parents[3] / "bot" / "domain"
    names = DomainResponses([domain]).names()
    if not names:
        pytest.skip("bot/domain has no responses yet")
    assert set(REPLY_KINDS.by_response) <= names


@pytest.mark.parametrize(
    "tracker, expected",
    [
        ({"latest_message": {"emotion": {"label": "sad", "confidence": 0.8, "intensity": 0.7}}}, ("sad", 0.7)),
        ({"latest_message": {"emotion": {"label": "sad", "confidence": 0.1, "intensity": 0.7}}}, ("neutral", 0.0)),
        ({"latest_message": {}, "slots": {"emotion": "anxious", "emotion_intensity": 0.6}}, ("anxious", 0.6)),
        ({"latest_message": {"emotion": {"label": "bored", "intensity": 0.9}}}, ("neutral", 0.0)),
        ({"latest_message": {"emotion": {"label": "happy", "confidence": 0.9, "intensity": 7}}}, ("happy", 1.0)),
        (None, ("neutral", 0.0)),
    ],
)
def test_emotion_from_tracker(tracker, expected):
    reading = emotion_from_tracker(tracker, min_confidence=0.45)
    assert (reading.label, reading.intensity) == expected
    if expected[0] == "neutral":
        assert reading == NEUTRAL
