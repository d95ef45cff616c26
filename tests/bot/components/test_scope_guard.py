"""The scope guard: the blend of DIET and the regression, and the out-of-scope decision."""

from __future__ import annotations

import numpy as np
import pytest

from bot.components.scope_guard import OUT_OF_SCOPE, ScopeGuard, ScopeModel, blend, scope_decision

CONFIG = ScopeGuard.get_default_config()


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_a_confident_wrong_diet_guess_is_softened_when_the_regression_disagrees():
    ranking = blend(
        [{"name": "affirm", "confidence": 0.99}, {"name": "faq", "confidence": 0.01}],
        [({"affirm": 0.05, "out_of_scope": 0.9, "faq": 0.05}, 0.5)],
        diet_weight=0.5,
    )
    assert ranking[0] == ("affirm", pytest.approx(0.52))
    assert dict(ranking)["out_of_scope"] == pytest.approx(0.45)
    assert sum(value for _, value in ranking) == pytest.approx(1.0)


def test_agreement_keeps_a_high_confidence():
    ranking = blend([{"name": "order_status", "confidence": 0.97}], [({"order_status": 0.93}, 0.5)], diet_weight=0.5)
    assert ranking[0] == ("order_status", pytest.approx(0.95))


def test_three_opinions_are_weighted_by_their_relative_shares():
    diet = [{"name": "faq", "confidence": 0.9}, {"name": "billing_refund_dispute", "confidence": 0.1}]
    embedding = {"faq": 0.3, "billing_refund_dispute": 0.7}
    words = {"faq": 0.2, "billing_refund_dispute": 0.8}
    ranking = dict(blend(diet, [(embedding, 1.0), (words, 1.0)], diet_weight=1.0))
    assert ranking["billing_refund_dispute"] == pytest.approx((0.1 + 0.7 + 0.8) / 3)
    assert ranking["faq"] == pytest.approx((0.9 + 0.3 + 0.2) / 3)
    # A weight of 0 leaves an opinion out instead of diluting the others.
    assert dict(blend(diet, [(embedding, 1.0), (words, 0.0)], diet_weight=1.0))["faq"] == pytest.approx(0.6)


@pytest.mark.parametrize(
    ("top", "nearest_in", "nearest_out", "entities", "expected"),
    [
        ("order_status", 0.80, 0.30, False, None),  # close to the shop's examples
        ("faq", 0.20, 0.35, False, "far_from_shop"),  # far from everything in scope
        ("affirm", 0.55, 0.70, False, "nearer_out_of_scope"),  # closer to the out-of-scope examples
        ("affirm", 0.55, 0.57, False, None),  # within the margin: keep the intent
        ("order_status", 0.20, 0.60, True, None),  # an order number or e-mail is shop business
        (OUT_OF_SCOPE, 0.30, 0.60, True, "nearer_shop"),  # ... even when out_of_scope won
        (OUT_OF_SCOPE, 0.40, 0.55, False, None),  # out of scope and nearer to it: agreed
        (OUT_OF_SCOPE, 0.70, 0.50, False, "nearer_shop"),  # clearly nearer the shop's examples
        (OUT_OF_SCOPE, 0.58, 0.50, False, None),  # within the margin: the classifiers decide
    ],
)
def test_the_scope_decision(top, nearest_in, nearest_out, entities, expected):
    assert scope_decision(top, nearest_in, nearest_out, entities, CONFIG) == expected


def test_the_model_learns_separable_intents_and_measures_similarity(tmp_path):
    rng = np.random.default_rng(1)
    centres = {"order_status": unit(1, 0, 0, 0), "faq": unit(0, 1, 0, 0), OUT_OF_SCOPE: unit(0, 0, 1, 0)}
    vectors, intents = [], []
    for intent, centre in centres.items():
        for _ in range(20):
            vectors.append(unit(*(centre + rng.normal(0, 0.05, 4))))
            intents.append(intent)
    model = ScopeModel.fit(np.vstack(vectors), intents, regularisation_c=8.0, seed=0)

    probabilities = model.probabilities(centres["faq"])
    assert max(probabilities, key=probabilities.get) == "faq"
    assert sum(probabilities.values()) == pytest.approx(1.0)
    nearest_in, nearest_out = model.nearest(centres[OUT_OF_SCOPE], neighbours=3)
    assert nearest_out > 0.95 and nearest_in < 0.3
    nearest_in, _ = model.nearest(unit(0, 0, 0, 1), neighbours=3)
    assert nearest_in < 0.3  # a direction no training example points to is novel

    model.save(tmp_path)
    loaded = ScopeModel.load(tmp_path)
    assert loaded.labels == model.labels
    assert loaded.probabilities(centres["faq"]) == pytest.approx(probabilities, abs=1e-5)


def test_nearest_with_no_out_of_scope_examples_is_zero():
    model = ScopeModel(["a", "b"], np.eye(2, 3), np.zeros(2), np.eye(3), np.zeros((0, 3)))
    assert model.nearest(unit(1, 0, 0), neighbours=3) == (pytest.approx(1 / 3), 0.0)
