"""The config `make test` cross-validates is the product's intent pipeline, lighter."""

from __future__ import annotations

from pathlib import Path

import yaml

from scripts.cross_validation_config import cross_validation_config

ROOT = Path(__file__).resolve().parents[2]


def test_it_keeps_every_intent_step_drops_the_others_and_halves_diet():
    product = yaml.safe_load((ROOT / "bot" / "config.yml").read_text())
    lighter = cross_validation_config(product)
    names = [step["name"] for step in lighter["pipeline"]]
    assert "bot.components.emotion_classifier.EmotionClassifier" not in names
    assert "ResponseSelector" not in names
    kept = [step["name"] for step in product["pipeline"] if step["name"] in names]
    assert names == kept  # same order, nothing added
    for name in ("bot.components.sentence_features.SentenceEncoderFeaturizer", "bot.components.scope_guard.ScopeGuard"):
        assert name in names
    [diet] = [step for step in lighter["pipeline"] if step["name"] == "DIETClassifier"]
    [original] = [step for step in product["pipeline"] if step["name"] == "DIETClassifier"]
    assert diet["epochs"] == original["epochs"] // 3
    assert lighter["policies"] == product["policies"]
