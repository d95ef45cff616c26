"""The head's lexicon block and its decision rule for neutral (docs/emotion.md, "Decision rule")."""

from __future__ import annotations

import numpy as np

from bot.emotion.head import HeadSettings, LinearEmotionHead, train_head

ORDER = ["neutral", "sad", "happy"]


def test_a_head_saved_before_the_lexicon_loads_without_it(tmp_path):
    rng = np.random.default_rng(0)
    embeddings = rng.normal(size=(12, 4)).astype(np.float32)
    texts = ["good"] * 4 + ["bad"] * 4 + ["confusing"] * 4
    labels = ["happy"] * 4 + ["sad"] * 4 + ["neutral"] * 4
    settings = HeadSettings(char_ngrams=False, lexicon_weight=2.0, neutral_bias=0.5)
    head = train_head(embeddings, np.zeros((12, 0)), texts, labels, ["neutral", "sad", "happy"], settings)
    head.save(tmp_path)
    loaded = LinearEmotionHead.load(tmp_path)
    np.testing.assert_allclose(
        loaded.predict_proba(embeddings, np.zeros((12, 0)), texts),
        head.predict_proba(embeddings, np.zeros((12, 0)), texts),
        atol=1e-5,
    )

    old_style = HeadSettings(char_ngrams=False)
    assert (old_style.lexicon_weight, old_style.neutral_bias) == (0.0, 0.0)


def test_the_neutral_bias_moves_probability_to_neutral_only_when_predicting():
    rng = np.random.default_rng(1)
    embeddings = rng.normal(size=(20, 4)).astype(np.float32)
    labels = ["neutral", "happy", "sad", "neutral"] * 5
    texts = [""] * 20
    plain = train_head(embeddings, np.zeros((20, 0)), texts, labels, ORDER, HeadSettings(char_ngrams=False))
    biased = train_head(
        embeddings, np.zeros((20, 0)), texts, labels, ORDER, HeadSettings(char_ngrams=False, neutral_bias=1.0)
    )

    np.testing.assert_allclose(plain.coef, biased.coef)
    before = plain.predict_proba(embeddings, np.zeros((20, 0)), texts)[:, 0]
    after = biased.predict_proba(embeddings, np.zeros((20, 0)), texts)[:, 0]
    assert np.all(after > before)


def test_a_heavier_neutral_weight_makes_neutral_more_likely_where_the_labels_overlap():
    rng = np.random.default_rng(2)
    embeddings = rng.normal(size=(60, 4)).astype(np.float32)
    labels = [ORDER[i % 3] for i in range(60)]  # random features: only the prior can be learned
    texts = [""] * 60

    def mean_neutral(weight: float) -> float:
        settings = HeadSettings(char_ngrams=False, neutral_weight=weight)
        head = train_head(embeddings, np.zeros((60, 0)), texts, labels, ORDER, settings)
        return float(head.predict_proba(embeddings, np.zeros((60, 0)), texts)[:, 0].mean())

    assert mean_neutral(3.0) > mean_neutral(1.0)
