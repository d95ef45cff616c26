"""Places that must spell the emotion labels themselves (a JSON Schema for the browser, Rasa's
domain) spell exactly the taxonomy's labels, in its order."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from contracts.emotion.taxonomy import load_taxonomy

REPO_ROOT = Path(__file__).resolve().parents[3]
LABELS = load_taxonomy().names


def test_the_websocket_protocol_schema_lists_the_taxonomy_labels():
    common = json.loads((REPO_ROOT / "contracts/protocol/schemas/common.json").read_text(encoding="utf-8"))
    assert common["$defs"]["emotion_label"]["enum"] == LABELS


def test_the_domain_emotion_slot_offers_exactly_the_taxonomy_labels():
    domain = yaml.safe_load((REPO_ROOT / "bot/domain/emotion.yml").read_text(encoding="utf-8"))
    assert domain["slots"]["emotion"]["values"] == LABELS


def test_the_taxonomy_marks_the_three_distress_labels():
    assert load_taxonomy().distress_names == ["frustrated", "anxious", "sad"]
