"""Accuracy floors on the held-out part of the project's own examples, per language.

The split is fixed (stratified by language and label, 20 %, seed 13; see scripts/emotion/training/held_out.py),
the head is trained on the rest with the component's default settings. Measured when the floors
were set (int8 encoder): English macro-F1 0.88, German 0.81. A broken encoder, head, cue reader
or label order drops far below (chance is about 0.17).
"""

from __future__ import annotations

import pytest

from scripts.emotion.training.held_out import measure_held_out

from emotion_test_data import PROJECT_EMOTION_DATA

FLOORS = {"en": 0.80, "de": 0.73}


@pytest.fixture(scope="module")
def held_out_result(encoder_dir):
    if not PROJECT_EMOTION_DATA.is_dir():
        pytest.fail(f"the project's emotion examples are missing: {PROJECT_EMOTION_DATA}")
    return measure_held_out(PROJECT_EMOTION_DATA)


@pytest.mark.parametrize("language", sorted(FLOORS))
def test_macro_f1_on_held_out_examples_stays_above_the_floor(held_out_result, language):
    report = held_out_result.reports[language]

    assert report.macro_f1 >= FLOORS[language], report.as_text(f"held-out {language}")


@pytest.mark.parametrize("language", sorted(FLOORS))
def test_every_label_is_recognised_in_every_language(held_out_result, language):
    report = held_out_result.reports[language]

    weak = {label: round(scores.f1, 2) for label, scores in report.per_label.items() if scores.f1 < 0.5}
    assert not weak, report.as_text(f"held-out {language}")


def test_the_held_out_part_covers_both_languages_and_all_labels(held_out_result):
    assert held_out_result.held_out_size >= 0.15 * (held_out_result.train_size + held_out_result.held_out_size)
    for language in FLOORS:
        assert all(scores.support >= 10 for scores in held_out_result.reports[language].per_label.values())
