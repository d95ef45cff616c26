"""The one per-turn distress formula and its smoothing (contracts/emotion/distress.py)."""

from __future__ import annotations

import pytest

from contracts.emotion.distress import SMOOTHING, parse_turn_emotion, turn_distress, update_distress
from contracts.emotion.taxonomy import load_taxonomy

WEIGHTS = load_taxonomy().distress_weights


@pytest.mark.parametrize(
    ("scores", "intensity", "expected"),
    [
        ({"frustrated": 1.0}, 1.0, 1.0),
        ({"frustrated": 0.9}, 0.0, 0.5),  # one label: its confidence does not matter
        ({"frustrated": 0.5, "neutral": 0.5}, 1.0, 0.5),
        ({"sad": 1.0}, 0.5, 0.8 * 0.75),
        ({"happy": 1.0}, 1.0, 0.0),
        ({"unknown": 1.0}, 1.0, 0.0),  # labels without a weight count as 0
        ({}, 1.0, 0.0),
    ],
)
def test_turn_distress_weights_labels_by_score_and_raises_with_intensity(scores, intensity, expected):
    assert turn_distress(scores, intensity, WEIGHTS) == pytest.approx(expected)


def test_intensity_out_of_range_or_not_a_number_is_clipped_or_ignored():
    assert turn_distress({"frustrated": 1.0}, 7, WEIGHTS) == 1.0
    assert turn_distress({"frustrated": 1.0}, float("nan"), WEIGHTS) == pytest.approx(1 - SMOOTHING.intensity_share)


def test_a_parsed_turn_without_scores_scores_its_label():
    turn = parse_turn_emotion({"label": "anxious", "confidence": 0.8, "intensity": 1.0}, load_taxonomy())
    assert turn.scores == {"anxious": 0.8}
    assert turn_distress(turn.scores, turn.intensity, WEIGHTS) == pytest.approx(0.9)


def test_the_smoothed_level_follows_the_turn_scores():
    first = update_distress(None, [], 0.8)
    assert (first.level, first.trend, first.history) == (0.8, "rising", [0.8])
    calmer = update_distress(first.level, first.history, 0.0)
    assert calmer.level == pytest.approx(0.4) and calmer.trend == "falling"
