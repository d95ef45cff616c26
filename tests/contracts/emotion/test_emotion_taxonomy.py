"""The taxonomy file and label mapping: the contract other models and the domain rely on."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from contracts.emotion.taxonomy import EKMAN_GROUPS, TaxonomyError, load_taxonomy, taxonomy_from_dict

REPO_ROOT = Path(__file__).resolve().parents[3]
TAXONOMY = load_taxonomy()


def test_labels_are_the_customer_service_six_in_order():
    assert TAXONOMY.names == ["neutral", "frustrated", "anxious", "sad", "confused", "happy"]
    assert TAXONOMY.default_label == "neutral"


@pytest.mark.parametrize("label", TAXONOMY.labels, ids=lambda label: label.name)
def test_every_label_declares_its_ekman_group_and_avatar_description(label):
    assert label.ekman in EKMAN_GROUPS
    assert label.avatar and label.covers
    assert label.distress == (label.distress_weight >= 0.5)


EKMAN_TABLE = [
    ("anger", "frustrated"),
    ("disgust", "frustrated"),
    ("fear", "anxious"),
    ("joy", "happy"),
    ("sadness", "sad"),
    ("surprise", "confused"),
    ("neutral", "neutral"),
]


@pytest.mark.parametrize("ekman, expected", EKMAN_TABLE)
def test_ekman_labels_map_onto_ours(ekman, expected):
    assert TAXONOMY.map_label(ekman) == expected
    assert TAXONOMY.map_label(ekman.upper()) == expected


GOEMOTIONS_TABLE = {
    "frustrated": ["anger", "annoyance", "disapproval", "disgust"],
    "anxious": ["fear", "nervousness"],
    "sad": ["sadness", "disappointment", "embarrassment", "grief", "remorse"],
    "confused": ["surprise", "confusion", "curiosity"],
    "happy": [
        "joy",
        "amusement",
        "approval",
        "excitement",
        "gratitude",
        "love",
        "optimism",
        "relief",
        "pride",
        "admiration",
        "caring",
    ],
    "neutral": ["neutral", "realization", "desire"],
}


@pytest.mark.parametrize(
    "goemotion, expected",
    [(name, label) for label, names in GOEMOTIONS_TABLE.items() for name in names],
)
def test_goemotions_labels_map_through_their_ekman_group_or_override(goemotion, expected):
    assert TAXONOMY.map_label(goemotion) == expected


def test_all_28_goemotions_ids_are_mapped():
    assert len(TAXONOMY.goemotions_ids) == 28
    assert sorted(TAXONOMY.goemotions_ids) == sorted(name for names in GOEMOTIONS_TABLE.values() for name in names)
    assert TAXONOMY.goemotions_label_for_id(27) == "neutral"


def test_a_component_label_map_wins_over_the_tables():
    label_map = {"LABEL_0": "happy", "anger": "sad"}

    assert TAXONOMY.map_label("label_0", label_map) == "happy"
    assert TAXONOMY.map_label("anger", label_map) == "sad"
    assert TAXONOMY.map_label("fear", label_map) == "anxious"


def test_unknown_labels_are_named_in_the_error():
    with pytest.raises(TaxonomyError, match="LABEL_7"):
        TAXONOMY.mapping_for(["joy", "LABEL_7"])
    with pytest.raises(TaxonomyError, match="not one of"):
        TAXONOMY.mapping_for(["joy"], {"joy": "ecstatic"})


@pytest.mark.parametrize(
    "labels, expected",
    [
        (["happy"], "happy"),
        (["neutral", "happy"], "happy"),
        (["happy", "happy"], "happy"),
        (["neutral"], "neutral"),
        (["happy", "sad"], None),
        ([], None),
    ],
)
def test_multi_label_examples_prefer_the_emotion_and_skip_disagreement(labels, expected):
    assert TAXONOMY.resolve_multi_label(labels) == expected


def test_a_taxonomy_with_an_unknown_ekman_group_is_rejected():
    raw = yaml.safe_load((REPO_ROOT / "contracts/emotion/taxonomy.yml").read_text(encoding="utf-8"))
    raw["labels"]["happy"]["ekman"] = "delight"

    with pytest.raises(TaxonomyError, match="unknown Ekman group"):
        taxonomy_from_dict(raw)
