#!/usr/bin/env python
"""Train the emotion head on a public or own data set, with a held-out report.

    .venv-rasa/bin/python scripts/emotion/train_head.py --data train.tsv --format goemotions \\
        --out models/emotion_head/goemotions

Formats: `goemotions` (text<TAB>comma-separated label ids<TAB>id; ids mapped through taxonomy.yml),
`tsv` (text<TAB>label[<TAB>language]; labels ours, Ekman, GoEmotions names or --label-map),
`yaml` (a folder like nlu_data/emotion). The head goes to --out with report.txt and
confusion.png; point the component at it with `pretrained_head: <out>` in bot/config.yml.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from _bootstrap import add_repo_root_to_path

add_repo_root_to_path()

from bot.components.language_detector import detect_languages  # noqa: E402
from bot.emotion import runtime  # noqa: E402
from bot.emotion.data import FORMATS, LoadReport, label_counts, load_examples, stratified_split  # noqa: E402
from scripts.emotion.training.held_out import reports_by_language  # noqa: E402
from scripts.emotion.training.label_map_arg import parse_label_map  # noqa: E402
from scripts.emotion.training.metrics import save_confusion_png  # noqa: E402
from bot.emotion.paths import resolve_repo_path  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="training file (or folder for --format yaml)")
    parser.add_argument("--format", required=True, choices=FORMATS)
    parser.add_argument("--label-map", help="extra label mapping: a YAML/JSON file or 'theirs=ours,theirs2=ours2'")
    parser.add_argument("--out", required=True, help="folder for head.json, head.npz, report.txt, confusion.png")
    parser.add_argument("--held-out", type=float, default=0.2, help="share kept aside for the report (0: train on all)")
    parser.add_argument("--max-examples", type=int, help="use at most this many examples (stratified sample)")
    parser.add_argument("--fp32", action="store_true", help="use the fp32 encoder instead of int8")
    parser.add_argument("--encoder-path", default=runtime.DEFAULT_SETTINGS["encoder_path"])
    args = parser.parse_args(argv)

    settings = runtime.settings_with_defaults({"quantized": not args.fp32, "encoder_path": args.encoder_path})
    taxonomy = runtime.taxonomy_for(settings)
    load_report = LoadReport()
    examples = load_examples(
        resolve_repo_path(args.data), args.format, taxonomy, parse_label_map(args.label_map), load_report
    )
    if args.max_examples and len(examples) > args.max_examples:
        _, examples = stratified_split(examples, args.max_examples / len(examples))
    print(
        f"read {load_report.read or len(examples)} rows, kept {len(examples)} "
        f"(skipped: {load_report.skipped_ambiguous} ambiguous, {load_report.skipped_unmapped} unmapped, "
        f"{load_report.skipped_empty} empty)"
    )
    for (language, label), count in sorted(label_counts(examples).items()):
        print(f"  {language or '-':>3} {label:<12} {count}")

    train, held_out = stratified_split(examples, args.held_out) if args.held_out > 0 else (examples, [])
    encoder = runtime.load_encoder(settings)
    started = time.perf_counter()
    head = runtime.train_head_on_examples(
        train,
        encoder,
        taxonomy,
        runtime.cues_for(settings),
        settings,
        provenance={"trained_on": str(args.data), "format": args.format},
    )
    print(f"trained on {len(train)} examples in {time.perf_counter() - started:.1f} s")

    out = resolve_repo_path(args.out)
    head.save(out)
    if held_out:
        predictor = runtime.build_predictor(settings, head, encoder)
        texts = [example.text for example in held_out]
        predicted = [result.label for result in predictor.predict(texts, detect_languages(texts))]
        reports = reports_by_language(held_out, predicted, taxonomy.names)
        text = "\n\n".join(
            report.as_text(f"held-out ({name}, {int(report.confusion.sum())} examples)")
            for name, report in reports.items()
        )
        print(text)
        (out / "report.txt").write_text(text + "\n", encoding="utf-8")
        (out / "report.json").write_text(json.dumps({name: r.macro_f1 for name, r in reports.items()}, indent=2) + "\n")
        save_confusion_png(reports["all"], out / "confusion.png", f"held-out, macro-F1 {reports['all'].macro_f1:.3f}")
    print(f"head written to {out}; use it with `pretrained_head: {args.out}` in the EmotionClassifier config")
    return 0


if __name__ == "__main__":
    sys.exit(main())
