#!/usr/bin/env python
"""Evaluate the emotion model on a labelled file: per-label P/R/F1, macro-F1, confusion matrix (+PNG).

    .venv-rasa/bin/python scripts/emotion/evaluate.py --data FILE [--format tsv|goemotions|yaml] --png out.png

The model is, by default, the one `rasa train` would build: the EmotionClassifier settings from
bot/config.yml, with a head trained on nlu_data/emotion. --head DIR evaluates a head from
train_head.py instead. With --skip-missing a missing data file is reported and skipped (exit 0),
for optional steps such as `make eval` on data a user's machine may not have.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from _bootstrap import add_repo_root_to_path

ROOT = add_repo_root_to_path()

from bot.emotion import runtime  # noqa: E402
from bot.emotion.data import FORMATS, LoadReport, load_examples, load_yaml_dir  # noqa: E402
from scripts.emotion.training.exports import emotion_entries  # noqa: E402
from bot.emotion.language_heads import LanguageRoutedHead  # noqa: E402
from bot.components.language_detector import detect_languages  # noqa: E402
from scripts.emotion.training.label_map_arg import parse_label_map  # noqa: E402
from scripts.emotion.training.metrics import evaluate_predictions, save_confusion_png  # noqa: E402
from bot.emotion.paths import resolve_repo_path  # noqa: E402


def configured_settings(config_path: Path) -> dict:
    entries = emotion_entries(config_path) if config_path.is_file() else []
    return entries[0] if entries else runtime.settings_with_defaults({})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--format", default="tsv", choices=FORMATS)
    parser.add_argument("--label-map", help="extra mapping of the file's labels: YAML/JSON file or 'theirs=ours,...'")
    parser.add_argument("--png", help="where to save the confusion matrix")
    parser.add_argument(
        "--head", help="a head folder from train_head.py (default: train on the config's training_data)"
    )
    parser.add_argument("--config", default="bot/config.yml", help="Rasa config with the EmotionClassifier settings")
    parser.add_argument("--limit", type=int, help="evaluate only the first N examples")
    parser.add_argument("--skip-missing", action="store_true", help="exit 0 with a message when --data does not exist")
    args = parser.parse_args(argv)

    data_path = resolve_repo_path(args.data)
    if not data_path.exists():
        if args.skip_missing:
            print(f"skipping emotion evaluation: {args.data} is not there")
            return 0
        parser.error(f"{args.data} does not exist")

    settings = configured_settings(resolve_repo_path(args.config))
    taxonomy = runtime.taxonomy_for(settings)
    load_report = LoadReport()
    examples = load_examples(data_path, args.format, taxonomy, parse_label_map(args.label_map), load_report)
    if args.limit:
        examples = examples[: args.limit]
    print(
        f"{args.data}: {len(examples)} examples (skipped {load_report.skipped_ambiguous} ambiguous, "
        f"{load_report.skipped_unmapped} unmapped, {load_report.skipped_empty} empty)"
    )

    if settings["backend"] == runtime.BACKEND_TRANSFORMERS:
        predictor = runtime.build_predictor(settings)
        described = f"transformers model {settings['model']}"
    else:
        encoder = runtime.load_encoder(settings)
        if args.head:
            head = LanguageRoutedHead.load(resolve_repo_path(args.head))
            described = f"head {args.head}"
        else:
            training = load_yaml_dir(resolve_repo_path(settings["training_data"]), taxonomy)
            head = runtime.train_head_on_examples(training, encoder, taxonomy, runtime.cues_for(settings), settings)
            described = f"head trained on {settings['training_data']} ({len(training)} examples)"
        predictor = runtime.build_predictor(settings, head, encoder)

    started = time.perf_counter()
    texts = [example.text for example in examples]
    predicted = [result.label for result in predictor.predict(texts, detect_languages(texts))]
    elapsed = time.perf_counter() - started
    report = evaluate_predictions([example.label for example in examples], predicted, taxonomy.names)
    print(report.as_text(f"model: {described}; {elapsed / max(len(examples), 1) * 1000:.1f} ms per message"))
    if args.png:
        path = save_confusion_png(
            report, resolve_repo_path(args.png), f"{Path(args.data).name}: macro-F1 {report.macro_f1:.3f}"
        )
        print(f"confusion matrix saved to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
