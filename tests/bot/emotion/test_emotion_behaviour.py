"""What the default emotion model does with messages it never saw, in English and German.

The rows (emotion_phrasings.yml) are new writing, parallel in both languages: everyday neutral
statements and questions must stay neutral (neutral is the common case), the five emotions must be
found when present, emoji count alone and next to words, and German is held to the English level.
Measured when written: every emotional and emoji row right in both languages, 11 of 12 neutral
rows neutral in each language.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from emotion_test_data import PROJECT_EMOTION_DATA

PHRASINGS = yaml.safe_load(Path(__file__).with_name("emotion_phrasings.yml").read_text(encoding="utf-8"))
LANGUAGES = ("en", "de")


def labels_of(predictor, texts):
    return [result.label for result in predictor.predict(texts)]


def normalised(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def test_no_phrasing_is_in_the_training_data():
    """Emoji-only rows are exempt: a single emoji is bound to appear in the examples too."""
    seen = set()
    for path in PROJECT_EMOTION_DATA.glob("*/*.yml"):
        seen.update(normalised(text) for text in yaml.safe_load(path.read_text(encoding="utf-8"))["examples"])
    sections = ("neutral", "emotional", "with_emoji")
    texts = [row[language] for section in sections for row in PHRASINGS[section] for language in LANGUAGES]

    assert [text for text in texts if normalised(text) in seen] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_everyday_statements_and_questions_stay_neutral(project_predictor, language):
    texts = [row[language] for row in PHRASINGS["neutral"]]
    wrong = [(text, label) for text, label in zip(texts, labels_of(project_predictor, texts)) if label != "neutral"]

    assert len(wrong) <= 2, wrong


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("section", ["emotional", "with_emoji"])
def test_each_emotion_is_found_when_present(project_predictor, language, section):
    rows = PHRASINGS[section]
    predicted = labels_of(project_predictor, [row[language] for row in rows])
    wrong = [(row[language], row["label"], got) for row, got in zip(rows, predicted) if got != row["label"]]

    assert len(wrong) <= len(rows) // 10, wrong


@pytest.mark.parametrize("row", PHRASINGS["emoji_only"], ids=lambda row: row["label"])
def test_emoji_alone_carry_the_feeling(project_predictor, row):
    (result,) = project_predictor.predict([row["text"]])

    assert result.label == row["label"]
    assert 0 < result.confidence <= 0.6


def test_german_is_at_the_english_level(project_predictor):
    rows = PHRASINGS["neutral"] + PHRASINGS["emotional"] + PHRASINGS["with_emoji"]
    accuracy = {}
    for language in LANGUAGES:
        predicted = labels_of(project_predictor, [row[language] for row in rows])
        accuracy[language] = sum(got == row.get("label", "neutral") for row, got in zip(rows, predicted)) / len(rows)

    assert accuracy["de"] >= accuracy["en"] - 0.1, accuracy
    assert min(accuracy.values()) >= 0.85, accuracy
