"""`action_observe_turn`: one action-server call per user turn that runs every turn observer."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.turn import OBSERVERS, ActionObserveTurn, observe

REPO_ROOT = Path(__file__).resolve().parents[3]
EMOTION_SLOTS = {"emotion", "emotion_intensity", "distress_level", "distress_trend", "distress_history"}


def emotion_entry(label: str, confidence: float, intensity: float) -> Dict[str, Any]:
    labels = ["neutral", "frustrated", "anxious", "sad", "confused", "happy"]
    rest = (1.0 - confidence) / 5
    return {
        "label": label,
        "confidence": confidence,
        "intensity": intensity,
        "scores": {name: confidence if name == label else rest for name in labels},
    }


def make_tracker(slots: Dict[str, Any], parse_data: Optional[Dict[str, Any]] = None) -> Tracker:
    latest = {
        "text": "wo ist mein Paket? ich mache mir Sorgen",
        "intent": {"name": "order_status", "confidence": 0.9},
        "entities": [],
    }
    latest.update(parse_data or {})
    return Tracker(
        sender_id="turn-test",
        slots=dict(slots),
        latest_message=latest,
        events=[{"event": "user", "text": latest["text"], "parse_data": latest}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action: ActionObserveTurn, tracker: Tracker) -> List[Dict[str, Any]]:
    return asyncio.run(action.run(CollectingDispatcher(), tracker, {}))


def test_one_call_sets_language_and_emotion():
    tracker = make_tracker(
        {"language": "en"},
        {"language": {"code": "de", "confidence": 0.9}, "emotion": emotion_entry("anxious", 0.85, 0.7)},
    )

    events = run(ActionObserveTurn(), tracker)

    values = {event["name"]: event["value"] for event in events}
    assert values["language"] == "de"
    assert values["emotion"] == "anxious"
    assert {"language"} | EMOTION_SLOTS <= set(values)  # other observers may add their own slots
    assert all(event["event"] == "slot" for event in events)


def test_nothing_to_observe_changes_nothing():
    assert run(ActionObserveTurn(), make_tracker({"language": "en"})) == []


def test_later_observers_see_the_slots_set_by_earlier_ones():
    seen = []

    def first(tracker: Tracker):
        return [SlotSet("distress_level", 0.9)]

    def second(tracker: Tracker):
        seen.append(tracker.get_slot("distress_level"))
        return []

    tracker = make_tracker({"distress_level": 0.1})
    run(ActionObserveTurn([first, second]), tracker)

    assert seen == [0.9]
    assert tracker.get_slot("distress_level") == 0.1  # the incoming tracker is not modified


def test_a_failing_observer_is_logged_and_the_others_still_run(caplog):
    def broken(tracker: Tracker):
        raise ValueError("boom")

    def fine(tracker: Tracker):
        return [SlotSet("language", "de")]

    with caplog.at_level(logging.ERROR, logger="bot.actions.turn"):
        events = run(ActionObserveTurn([broken, fine]), make_tracker({"language": "en"}))

    assert events == [SlotSet("language", "de")]
    assert "broken" in caplog.text


def test_only_slot_events_pass():
    def sneaky(tracker: Tracker):
        return [FollowupAction("action_handoff"), SlotSet("language", "de")]

    assert observe(make_tracker({}), [sneaky]) == [SlotSet("language", "de")]


def test_every_per_turn_slot_maps_to_the_one_action_and_nothing_else_is_custom():
    """No slot may name another custom action: each extra one is another action-server call per turn."""
    custom_actions = set()
    mapped_slots = set()
    actions = []
    for path in sorted((REPO_ROOT / "bot/domain").glob("*.yml")):
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        actions += [a if isinstance(a, str) else next(iter(a)) for a in domain.get("actions") or []]
        for slot, spec in (domain.get("slots") or {}).items():
            for mapping in spec.get("mappings") or []:
                if mapping.get("type") == "custom" and mapping.get("action"):
                    custom_actions.add(mapping["action"])
                    mapped_slots.add(slot)

    assert custom_actions == {"action_observe_turn"}
    assert {"language"} | EMOTION_SLOTS <= mapped_slots
    assert actions.count("action_observe_turn") == 1
    assert "action_track_language" not in actions and "action_track_emotion" not in actions
    assert len(OBSERVERS) >= 2


def test_rasa_action_extract_slots_calls_the_action_server_once_per_turn(monkeypatch):
    """Rasa 3.6's action_extract_slots, over the project's whole domain, makes one remote call per turn."""
    pytest.importorskip("rasa")
    from rasa.core.actions import action as rasa_actions
    from rasa.core.channels import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(REPO_ROOT / "bot/domain"))
    calls = []

    async def run_remote(self, output_channel, nlg, tracker, domain):
        calls.append(self.name())
        sdk_tracker = Tracker.from_dict(tracker.current_state())
        events = await ActionObserveTurn().run(CollectingDispatcher(), sdk_tracker, domain.as_dict())
        return [Event.from_parameters(event) for event in events]

    monkeypatch.setattr(rasa_actions.RemoteAction, "run", run_remote)
    parse_data = {
        "intent": {"name": "order_status", "confidence": 0.9},
        "entities": [],
        "language": {"code": "de", "confidence": 0.9},
        "emotion": emotion_entry("anxious", 0.85, 0.7),
    }
    tracker = DialogueStateTracker.from_events(
        "extract-slots",
        [UserUttered("kommt es rechtzeitig? ich mache mir Sorgen", parse_data["intent"], [], parse_data)],
        slots=domain.slots,
    )
    extract = rasa_actions.ActionExtractSlots(action_endpoint=None)

    events = asyncio.run(
        extract.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker, domain)
    )

    assert calls == ["action_observe_turn"]
    values = {event.key: event.value for event in events}
    assert values["emotion"] == "anxious"
    assert values["language"] == "de"
    assert {"language"} | EMOTION_SLOTS <= set(values)
