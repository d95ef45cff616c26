"""`track_emotion` (the emotion observer of `action_observe_turn`) across a conversation, with a real
rasa_sdk Tracker."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

pytest.importorskip("rasa_sdk")

from rasa_sdk import Tracker  # noqa: E402
from rasa_sdk.events import SlotSet  # noqa: E402

from bot.actions.emotion import EMOTION_SLOTS as ACTION_EMOTION_SLOTS, track_emotion  # noqa: E402
from contracts.emotion.distress import SMOOTHING, update_distress  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[3]
EMOTION_SLOTS = ["emotion", "emotion_intensity", "distress_level", "distress_trend", "distress_history"]


def emotion(label: str, confidence: float, intensity: float) -> Dict[str, Any]:
    rest = (1.0 - confidence) / 5
    labels = ["neutral", "frustrated", "anxious", "sad", "confused", "happy"]
    return {
        "label": label,
        "confidence": confidence,
        "intensity": intensity,
        "scores": {name: confidence if name == label else rest for name in labels},
    }


def make_tracker(slots: Dict[str, Any], text: str, emotion_entry: Optional[Any]) -> Tracker:
    latest = {"text": text, "intent": {"name": "order_status", "confidence": 0.9}, "entities": []}
    if emotion_entry is not None:
        latest["emotion"] = emotion_entry
    return Tracker(
        sender_id="emotion-test",
        slots=dict(slots),
        latest_message=latest,
        events=[{"event": "user", "text": text, "parse_data": latest}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(slots: Dict[str, Any], text: str, emotion_entry: Optional[Any]) -> List[Dict[str, Any]]:
    tracker = make_tracker(slots, text, emotion_entry)
    return track_emotion(tracker)


def apply(slots: Dict[str, Any], events: List[Dict[str, Any]]) -> Dict[str, Any]:
    updated = dict(slots)
    for event in events:
        assert event["event"] == "slot"
        updated[event["name"]] = event["value"]
    return updated


def test_the_emotion_slots_are_filled_by_the_turn_action():
    import yaml

    domain = yaml.safe_load((REPO_ROOT / "bot/domain/emotion.yml").read_text(encoding="utf-8"))
    assert list(ACTION_EMOTION_SLOTS) == EMOTION_SLOTS
    for slot in EMOTION_SLOTS:
        assert domain["slots"][slot]["mappings"] == [{"type": "custom", "action": "action_observe_turn"}]


def test_escalating_then_calming_conversation():
    conversation = [
        ("where is my parcel?", emotion("neutral", 0.8, 0.1)),
        ("it should have been here on Monday", emotion("frustrated", 0.6, 0.45)),
        ("THIRD TIME I'M ASKING!!! damn it", emotion("frustrated", 0.95, 0.95)),
        ("ok, thank you, that helps", emotion("happy", 0.9, 0.5)),
        ("great, thanks again", emotion("happy", 0.95, 0.55)),
    ]
    slots = {name: None for name in EMOTION_SLOTS}
    seen = []
    for text, entry in conversation:
        slots = apply(slots, run_action(slots, text, entry))
        seen.append(dict(slots))

    assert [turn["emotion"] for turn in seen] == ["neutral", "frustrated", "frustrated", "happy", "happy"]
    assert [turn["distress_trend"] for turn in seen] == ["steady", "rising", "rising", "falling", "falling"]
    levels = [turn["distress_level"] for turn in seen]
    assert levels[0] < 0.1
    assert levels[2] > 0.5
    assert levels[4] < levels[3] < levels[2]
    assert seen[2]["emotion_intensity"] == 0.95
    assert len(seen[-1]["distress_history"]) == 5
    assert seen[-1]["distress_history"][2] > 0.8


def test_history_keeps_only_the_last_turns():
    slots = {name: None for name in EMOTION_SLOTS}
    for _ in range(SMOOTHING.history_length + 3):
        slots = apply(slots, run_action(slots, "I'm worried", emotion("anxious", 0.9, 0.6)))

    assert len(slots["distress_history"]) == SMOOTHING.history_length
    assert slots["distress_trend"] == "steady"


def test_sets_all_five_slots():
    events = run_action({}, "thanks!", emotion("happy", 0.9, 0.4))

    assert [event["name"] for event in events] == EMOTION_SLOTS
    assert events[0] == SlotSet("emotion", "happy")


@pytest.mark.parametrize(
    "entry",
    [
        None,
        "frustrated",
        {},
        {"label": "furious", "confidence": 0.9, "intensity": 0.9, "scores": {}},
        {"label": "sad", "confidence": "high", "intensity": 0.5},
        {"label": "sad", "confidence": float("nan"), "intensity": 0.5},
        {"label": "sad", "confidence": 0.8},
        {"label": "neutral", "confidence": 0.0, "intensity": 0.3, "scores": {"neutral": 1.0}},
    ],
    ids=["missing", "string", "empty", "unknown label", "text confidence", "nan", "no intensity", "no evidence"],
)
def test_missing_invalid_or_empty_emotion_changes_nothing(entry):
    slots = {"emotion": "frustrated", "distress_level": 0.7, "distress_trend": "rising", "distress_history": [0.7]}

    assert run_action(slots, "/affirm", entry) == []


def test_garbage_in_previous_slots_is_tolerated():
    slots = {"distress_level": "very high", "distress_history": ["x", None, 0.5, 7]}

    updated = apply(slots, run_action(slots, "I'm scared", emotion("anxious", 0.9, 0.8)))

    assert 0.0 <= updated["distress_level"] <= 1.0
    assert updated["distress_history"][:2] == [0.5, 1.0]


def test_scores_without_intensity_still_count_probability_weighted():
    partial = {"label": "frustrated", "confidence": 0.5, "intensity": 0.0, "scores": {"frustrated": 0.5, "happy": 0.5}}

    (level,) = [e["value"] for e in run_action({}, "meh", partial) if e["name"] == "distress_level"]

    assert level == pytest.approx(0.5 * 1.0 * (1 - SMOOTHING.intensity_share), abs=1e-3)


@pytest.mark.parametrize(
    "previous, turn, expected_trend",
    [(None, 0.0, "steady"), (None, 0.5, "rising"), (0.5, 0.5, "steady"), (0.2, 0.9, "rising"), (0.8, 0.1, "falling")],
)
def test_trend_table(previous, turn, expected_trend):
    assert update_distress(previous, [], turn).trend == expected_trend
