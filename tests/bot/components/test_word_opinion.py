"""The scope guard's word opinion: spellings and words of the training examples, stored as arrays."""

from __future__ import annotations

import json

import pytest

from bot.components.word_opinion import META_FILE, MODEL_FILE, WordOpinion

EXAMPLES = {
    "order_status": [
        "where is my order",
        "track my parcel please",
        "my parcel has not arrived yet",
        "has my order shipped",
        "where is my delivery",
        "wo ist meine Bestellung",
        "mein Paket ist noch nicht da",
    ],
    "billing_refund_dispute": [
        "I want my refund",
        "give me my money back",
        "the refund never arrived",
        "where is my reimbursement",
        "refund me for the broken lamp",
        "wo bleibt meine Rückerstattung",
        "ich will mein Geld zurück",
    ],
    "greet": ["hello", "hi there", "good morning", "hallo", "guten Tag", "hey", "hiya"],
}


def fitted() -> WordOpinion:
    texts = [text for examples in EXAMPLES.values() for text in examples]
    intents = [intent for intent, examples in EXAMPLES.items() for _ in examples]
    return WordOpinion.fit(texts, intents, regularisation_c=8.0, seed=0)


def top(scores):
    return max(scores, key=scores.get)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("wheres my parcell", "order_status"),  # misspelt
        ("the reufnd never came", "billing_refund_dispute"),  # letters swapped
        ("my reimbursment", "billing_refund_dispute"),  # a letter missing
        ("Rückerstattungsantrag bitte", "billing_refund_dispute"),  # a German compound
        ("helo", "greet"),
    ],
)
def test_it_reads_misspellings_and_compounds_through_their_character_ngrams(text, intent):
    scores = fitted().probabilities(text)
    assert top(scores) == intent
    assert sum(scores.values()) == pytest.approx(1.0)


def test_saved_and_loaded_it_gives_the_same_probabilities_and_stores_no_pickle(tmp_path):
    model = fitted()
    model.save(tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([MODEL_FILE, META_FILE])
    meta = json.loads((tmp_path / META_FILE).read_text())
    assert meta["labels"] == sorted(EXAMPLES)
    loaded = WordOpinion.load(tmp_path)
    for text in ("where is my parcel", "refund please", "nonsense qwxz", ""):
        assert loaded.probabilities(text) == pytest.approx(model.probabilities(text), abs=1e-3)


def test_two_intents_give_a_softmax_over_both():
    model = WordOpinion.fit(
        EXAMPLES["order_status"] + EXAMPLES["greet"],
        ["order_status"] * 7 + ["greet"] * 7,
        regularisation_c=8.0,
        seed=0,
    )
    scores = model.probabilities("where is my order")
    assert set(scores) == {"order_status", "greet"}
    assert scores["order_status"] > 0.5


@pytest.mark.parametrize(
    "text", ["where is my refund, it's been weeks", "", "😡😡", "ÄÖÜ wo bleibt das Geld", "x" * 5000]
)
def test_the_fast_path_gives_what_sklearns_transform_gives(text):
    """probabilities() computes tf-idf with dictionaries (sklearn costs ~1 ms per message in checks)."""
    import numpy as np
    from scipy.sparse import hstack

    model = fitted()
    features = hstack([vectorizer.transform([text]) for vectorizer in model._vectorizers]).tocsr()
    logits = np.asarray(features @ model.weights.T).ravel() + model.bias
    expected = np.exp(logits - logits.max())
    expected /= expected.sum()
    scores = model.probabilities(text)
    assert [scores[label] for label in model.labels] == pytest.approx(expected.tolist(), abs=1e-6)
