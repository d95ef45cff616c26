"""The NLU and emotion training data keep the minimums the product promises and stay clean:
enough varied examples per intent and language, no text under two labels, entity annotations that
the regex extractor can learn from."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
INTENTS_DIR = ROOT / "nlu_data" / "intents"
EMOTION_DIR = ROOT / "nlu_data" / "emotion"
LANGUAGES = ("en", "de")
MIN_INTENT_EXAMPLES = 30
MIN_EMOTION_EXAMPLES = 150
# Intents only ever sent as a payload by our own services, never typed: a couple of examples with
# the payload's own token satisfy Rasa's validation without pulling customer text to them.
PAYLOAD_ONLY_INTENTS = {"widget_opened": "widget_opened"}
ANNOTATION = re.compile(r"\[([^\]]+)\]\((\w+)\)")


def normalise(text: str) -> str:
    return re.sub(r"[\s.,!?]+", " ", ANNOTATION.sub(r"\1", text).lower()).strip()


def intent_examples(language: str) -> dict[str, list[str]]:
    examples: dict[str, list[str]] = defaultdict(list)
    for path in sorted((INTENTS_DIR / language).glob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            if "intent" in block:
                lines = [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
                examples[block["intent"]].extend(lines)
    return examples


def regexes() -> dict[str, re.Pattern]:
    data = yaml.safe_load((INTENTS_DIR / "regexes.yml").read_text())["nlu"]
    return {block["regex"]: re.compile(block["examples"].strip()[2:]) for block in data}


def emotion_examples(language: str) -> dict[str, list[str]]:
    # A label may be split over several files (neutral.yml, neutral_everyday.yml, ...).
    result: dict[str, list[str]] = defaultdict(list)
    for path in sorted((EMOTION_DIR / language).glob("*.yml")):
        data = yaml.safe_load(path.read_text())
        assert data["language"] == language, path
        assert all(isinstance(text, str) and text.strip() for text in data["examples"]), path
        result[data["label"]].extend(data["examples"])
    return dict(result)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_intent_has_enough_examples_in_each_language(language: str) -> None:
    counts = {intent: len(texts) for intent, texts in intent_examples(language).items()}
    other = intent_examples("de" if language == "en" else "en")
    assert set(counts) == set(other), "both languages must cover the same intents"
    too_few = {
        intent: n for intent, n in counts.items() if n < MIN_INTENT_EXAMPLES and intent not in PAYLOAD_ONLY_INTENTS
    }
    assert not too_few, too_few


@pytest.mark.parametrize("language", LANGUAGES)
def test_payload_only_intents_are_learnt_from_their_token_only(language: str) -> None:
    examples = intent_examples(language)
    for intent, token in PAYLOAD_ONLY_INTENTS.items():
        assert 1 <= len(examples[intent]) <= 3
        assert all(token in text for text in examples[intent]), intent
        # No customer example uses the token.
        assert not any(token in text for other, texts in examples.items() if other != intent for text in texts)


def test_no_text_is_labelled_with_two_intents() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for language in LANGUAGES:
        for intent, texts in intent_examples(language).items():
            for text in texts:
                key = normalise(text)
                if owner.setdefault(key, intent) != intent:
                    clashes.append((text, owner[key], intent))
    assert not clashes, clashes[:10]


@pytest.mark.parametrize("language", LANGUAGES)
def test_entity_annotations_match_the_extractor_patterns(language: str) -> None:
    patterns = regexes()
    wrong = []
    for texts in intent_examples(language).values():
        for text in texts:
            for value, entity in ANNOTATION.findall(text):
                pattern = patterns.get(entity)
                if pattern is None or not pattern.fullmatch(value):
                    wrong.append((entity, value))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("language", LANGUAGES)
def test_unannotated_order_numbers_do_not_slip_through(language: str) -> None:
    order_number = regexes()["order_number"]
    missed = [
        text
        for texts in intent_examples(language).values()
        for text in texts
        if order_number.search(ANNOTATION.sub("", text))
    ]
    assert not missed, missed[:10]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_emotion_label_has_enough_examples(language: str) -> None:
    taxonomy = yaml.safe_load((ROOT / "contracts" / "emotion" / "taxonomy.yml").read_text())
    labels = set(taxonomy["labels"])
    examples = emotion_examples(language)
    assert set(examples) == labels
    too_few = {label: len(texts) for label, texts in examples.items() if len(texts) < MIN_EMOTION_EXAMPLES}
    assert not too_few, too_few


def test_no_emotion_example_has_two_labels_or_repeats_within_a_language() -> None:
    labels_of: dict[str, set[str]] = defaultdict(set)
    for language in LANGUAGES:
        seen: Counter = Counter()
        for label, texts in emotion_examples(language).items():
            for text in texts:
                seen[text.strip().lower()] += 1
                labels_of[text.strip().lower()].add(label)
        repeated = [text for text, n in seen.items() if n > 1]
        assert not repeated, (language, repeated[:10])
    # Emoji-only lines may appear in both languages, but always with the same label.
    ambiguous = {text: labels for text, labels in labels_of.items() if len(labels) > 1}
    assert not ambiguous, list(ambiguous.items())[:10]
