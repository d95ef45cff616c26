"""The domain and the actions agree: every response the actions send exists, in both languages."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.actions.handoff import ACKNOWLEDGED_REASONS
from bot.actions.orders import KNOWN_STATUSES, STATUSES_WITH_OPTIONAL_ETA
from bot.actions.requests import HANDLERS

ACTIONS_DIR = Path(__file__).resolve().parents[3] / "bot" / "actions"
OWNED_BY_OTHERS = {"emotion.py", "language.py"}


def responses_named_in_action_code():
    names = set()
    for path in ACTIONS_DIR.glob("*.py"):
        if path.name not in OWNED_BY_OTHERS:
            names |= set(re.findall(r'"(utter_[a-z0-9_]+)"', path.read_text(encoding="utf-8")))
    names |= {f"utter_request_intro_{request}" for request in HANDLERS}
    names |= {f"utter_order_status_{status}" for status in KNOWN_STATUSES}
    names |= {f"utter_order_status_{status}_no_eta" for status in STATUSES_WITH_OPTIONAL_ETA}
    names |= {f"utter_handoff_ack_{reason}" for reason in ACKNOWLEDGED_REASONS}
    return sorted(names)


@pytest.mark.parametrize("name", responses_named_in_action_code())
def test_every_response_an_action_sends_exists(domain, name):
    assert name in domain["responses"]


def placeholders(text):
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_every_response_is_german_first_then_english_with_the_same_placeholders(domain):
    for name, variations in domain["responses"].items():
        german = [v for v in variations if v.get("condition")]
        english = [v for v in variations if not v.get("condition")]
        assert german and english, f"{name} needs a German and an English variation"
        assert variations[: len(german)] == german, f"{name}: German variations must come first"
        for variation in german:
            assert variation["condition"] == [{"type": "slot", "name": "language", "value": "de"}], name
        fields = {frozenset(placeholders(v["text"])) for v in variations}
        assert len(fields) == 1, f"{name}: variations use different placeholders {fields}"
        buttons = {len(v.get("buttons", [])) for v in variations}
        assert len(buttons) == 1, f"{name}: every language needs the same buttons"


EMPATHY_WORDS = re.compile(r"sorry|understand|annoying|frustrat|tut mir leid|verstehe|ärgerlich|schade", re.IGNORECASE)


def test_no_empathy_phrase_is_repeated_across_responses(domain):
    # "I understand your frustration" in every answer is what the brief forbids: each sentence
    # that acknowledges a feeling is written for one situation only.
    seen = {}
    for name, variations in domain["responses"].items():
        for variation in variations:
            for sentence in re.split(r"(?<=[.!?])\s+", variation["text"]):
                if EMPATHY_WORDS.search(sentence):
                    assert seen.setdefault(sentence, name) == name, f"{sentence!r} in {name} and {seen[sentence]}"
