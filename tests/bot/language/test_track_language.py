"""track_language (an observer of action_observe_turn) keeps the `language` slot in step with the
customer's messages."""

from __future__ import annotations

from typing import Any, Dict, Optional

import pytest
from rasa_sdk import Tracker

from bot.actions.language import track_language


def tracker(
    language_slot: Optional[str], detected: Optional[Dict[str, Any]], metadata: Optional[Dict[str, Any]] = None
) -> Tracker:
    latest = {"text": "…", "intent": {"name": "greet", "confidence": 0.9}, "entities": []}
    if detected is not None:
        latest["language"] = detected
    return Tracker(
        sender_id="test",
        slots={"language": language_slot, "session_started_metadata": metadata},
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(t: Tracker) -> list:
    return track_language(t)


@pytest.mark.parametrize(
    ("slot", "detected", "metadata", "expected"),
    [
        (None, {"code": "de", "confidence": 0.8}, None, "de"),  # first German message
        ("en", {"code": "de", "confidence": 0.8}, None, "de"),  # customer switches language
        ("de", None, None, None),  # "40010002": no change
        ("de", {"code": "en", "confidence": 0.1}, None, None),  # too weak to switch
        (None, None, {"language": "de"}, "de"),  # client chose German at session start
        (None, None, {"language": "fr"}, "en"),  # unsupported choice: English
        (None, None, None, "en"),
        ("en", {"code": "xx", "confidence": 1.0}, None, None),  # garbage from the parse data
        ("en", "de", None, None),
    ],
)
def test_language_slot_follows_the_customer(slot, detected, metadata, expected) -> None:
    events = run(tracker(slot, detected, metadata))
    if expected is None:
        assert events == []
    else:
        assert events == [{"event": "slot", "timestamp": None, "name": "language", "value": expected}]
