"""The held-out measurement on the project's own examples, shared by tests, bench and evaluate.

Fixed stratified split (`data.stratified_split`, 20 %, seed 13): the head is trained on the rest
with the given settings and scored per language. Each held-out text gets the head its detected
language picks, as in the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Union

from bot.components.language_detector import detect_languages
from bot.emotion import runtime
from bot.emotion.data import Example, load_yaml_dir, stratified_split
from scripts.emotion.training.metrics import EvaluationReport, evaluate_predictions

HELD_OUT_SHARE = 0.2
SPLIT_SEED = 13


@dataclass
class HeldOutResult:
    reports: Dict[str, EvaluationReport]
    train_size: int
    held_out_size: int


def held_out_examples(data_dir: Union[str, Path], settings: Mapping) -> tuple:
    examples = load_yaml_dir(data_dir, runtime.taxonomy_for(settings))
    return stratified_split(examples, HELD_OUT_SHARE, SPLIT_SEED)


def measure_held_out(data_dir: Union[str, Path], config: Optional[Mapping] = None, encoder=None) -> HeldOutResult:
    """Trains on the training part and reports per language (and 'all') on the held-out part."""
    settings = runtime.settings_with_defaults(dict(config or {}))
    train, held_out = held_out_examples(data_dir, settings)
    taxonomy = runtime.taxonomy_for(settings)
    encoder = encoder or runtime.load_encoder(settings)
    head = runtime.train_head_on_examples(train, encoder, taxonomy, runtime.cues_for(settings), settings)
    predictor = runtime.build_predictor(settings, head, encoder)
    texts = [example.text for example in held_out]
    predicted = [result.label for result in predictor.predict(texts, detect_languages(texts))]
    return HeldOutResult(
        reports=reports_by_language(held_out, predicted, taxonomy.names),
        train_size=len(train),
        held_out_size=len(held_out),
    )


def reports_by_language(
    examples: List[Example], predicted: List[str], labels: List[str]
) -> Dict[str, EvaluationReport]:
    reports = {"all": evaluate_predictions([e.label for e in examples], predicted, labels)}
    for language in sorted({example.language for example in examples}):
        pairs = [(e.label, p) for e, p in zip(examples, predicted) if e.language == language]
        reports[language] = evaluate_predictions([t for t, _ in pairs], [p for _, p in pairs], labels)
    return reports
