#!/usr/bin/env python
"""The two emotion figures of `make eval`, from the emotion model alone, in well under a minute.

    .venv-rasa/bin/python scripts/emotion/eval_dev.py [--data ../shared/data] [--head DIR] [--json F]

`make eval` (scripts/eval/understanding.py) parses every text with the whole trained Rasa model.
The emotion label in that parse comes from the EmotionClassifier alone, so this script builds the
same predictor (the settings in bot/config.yml, a head trained on their `training_data`, or
`--head`) and applies the same data loading, label mapping and macro-F1 as understanding.py
(imported from it, so the two cannot drift apart):

- GoEmotions dev: single-label comments, the data set's Ekman groups mapped to our labels by the
  taxonomy's `ekman` table; macro-F1 over our six labels.
- GermEval 2017 dev: our label's valence (taxonomy) reduced to negative / neutral / positive;
  macro-F1 over the three.

`--phrasings` adds the project's own held-out phrasing tables (tests/bot/nlu/phrasings: new
customer-service messages, emoji-only ones, fed-up customers mid-flow) with the floors that
tests/bot/nlu/test_understanding.py applies to the trained model, so a gain on the dev splits is
not bought with a loss where the assistant works.

Dev embeddings are remembered in var/cache/emotion-dev-embeddings.sqlite (a checksum of each text
and its vector, never the text), so a rerun after changing the head takes seconds. The shared data
is for measuring only: nothing here trains on it. Missing data sets are skipped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml
from _bootstrap import add_repo_root_to_path

ROOT = add_repo_root_to_path()

from bot.emotion import runtime  # noqa: E402
from bot.emotion.data import load_yaml_dir  # noqa: E402
from bot.emotion.embedding_store import open_store  # noqa: E402
from bot.emotion.language_heads import LanguageRoutedHead  # noqa: E402
from bot.components.language_detector import detect_languages  # noqa: E402
from bot.emotion.paths import resolve_repo_path  # noqa: E402
from scripts.emotion.evaluate import configured_settings  # noqa: E402
from scripts.eval.understanding import goemotions_rows, macro_f1, per_label_table, valence_class  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("EMOTION_DEV_DATA", "/work/shared/data"))
DEV_STORE = ROOT / "var" / "cache" / "emotion-dev-embeddings.sqlite"
VALENCES = ["negative", "neutral", "positive"]
PHRASINGS = ROOT / "tests" / "bot" / "nlu" / "phrasings"


def goemotions_dev(data: Path, taxonomy) -> Optional[Tuple[List[str], List[str]]]:
    """(texts, expected labels) as understanding.py builds them, or None when absent."""
    folder = data / "goemotions"
    if not (folder / "dev.tsv").is_file():
        return None
    ours_for_group = taxonomy.label_sets["ekman"]
    rows = goemotions_rows(folder)
    return [text for text, _ in rows], [ours_for_group[group] for _, group in rows]


def germeval_dev(data: Path) -> Optional[Tuple[List[str], List[str]]]:
    path = data / "germeval2017" / "dev.tsv"
    if not path.is_file():
        return None
    with path.open(newline="") as handle:
        rows = [(row["text"], row["sentiment"].strip()) for row in csv.DictReader(handle, delimiter="\t")]
    rows = [(text, sentiment) for text, sentiment in rows if text.strip()]
    return [text for text, _ in rows], [sentiment for _, sentiment in rows]


def predict_routed(predictor, texts: Sequence[str]):
    """Results with each text's head picked by its detected language, as in the pipeline."""
    return predictor.predict(list(texts), detect_languages(list(texts)))


def predict_labels(predictor, texts: Sequence[str], store_key: str) -> List[str]:
    """Labels as the component gives them; the encoder keeps dev embeddings in their own store."""
    encoder = getattr(predictor.scorer, "encoder", None)
    if encoder is None:
        return [result.label for result in predict_routed(predictor, texts)]
    training_store = encoder._store
    encoder.remember_batches_in(open_store(str(DEV_STORE), f"dev:{store_key}", encoder.dimension))
    try:
        return [result.label for result in predict_routed(predictor, texts)]
    finally:
        encoder.remember_batches_in(training_store)


def dev_figures(predictor, settings: Dict, data: Path, out: Optional[List[str]] = None) -> Dict[str, float]:
    """`goemotions_macro_f1` and `germeval_valence_macro_f1` (those whose data exist)."""
    out = out if out is not None else []
    taxonomy = runtime.taxonomy_for(settings)
    store_key = f"{runtime.encoder_fingerprint(settings)}:{settings.get('max_seq_length')}"
    figures: Dict[str, float] = {}
    goemotions = goemotions_dev(data, taxonomy)
    if goemotions:
        texts, expected = goemotions
        predicted = predict_labels(predictor, texts, store_key)
        score, per_label = macro_f1(expected, predicted, taxonomy.names)
        figures["goemotions_macro_f1"] = score
        out.append(f"## GoEmotions dev: {len(texts)} single-label comments, emotion macro-F1 {score:.3f}\n")
        out.extend(per_label_table(per_label, "label", "comments"))
        out.append(confusion_lines(expected, predicted, taxonomy.names))
    else:
        out.append(f"(skipped: no GoEmotions dev split under {data})\n")
    germeval = germeval_dev(data)
    if germeval:
        texts, expected = germeval
        labels = predict_labels(predictor, texts, store_key)
        predicted = [valence_class(taxonomy.label(label).valence) for label in labels]
        score, per_label = macro_f1(expected, predicted, VALENCES)
        figures["germeval_valence_macro_f1"] = score
        out.append(f"## GermEval 2017 dev: {len(texts)} German texts, valence macro-F1 {score:.3f}\n")
        out.extend(per_label_table(per_label, "valence", "texts"))
        out.append(confusion_lines(expected, predicted, VALENCES))
        counts = {name: labels.count(name) for name in taxonomy.names}
        out.append("our labels on GermEval: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + "\n")
    else:
        out.append(f"(skipped: no GermEval 2017 dev split under {data})\n")
    return figures


def phrasing_figures(predictor, taxonomy, out: List[str]) -> Dict[str, float]:
    """Per language: emotion macro-F1 and neutral recall on new phrasings, emoji-only accuracy,
    and the share of fed-up customers read as calm (floors: 0.6, 0.7, 0.8, at most 0.2)."""
    figures: Dict[str, float] = {}
    for language in ("en", "de"):
        table = yaml.safe_load((PHRASINGS / f"{language}.yml").read_text(encoding="utf-8"))
        rows = table["emotion"]
        predicted = [result.label for result in predict_routed(predictor, [row["text"] for row in rows])]
        expected = [row["emotion"] for row in rows]
        labels = sorted(set(expected))
        score, _ = macro_f1(expected, predicted, labels)
        neutral = [p for e, p in zip(expected, predicted) if e == "neutral"]
        emoji = table["emoji_only"]
        emoji_results = predict_routed(predictor, [row["text"] for row in emoji])
        emoji_right = [result.label == row["emotion"] for result, row in zip(emoji_results, emoji)]
        calm = [r.label in ("neutral", "happy") for r in predict_routed(predictor, table["frustrated_mid_flow"])]
        figures.update(
            {
                f"{language}_phrasings_macro_f1": score,
                f"{language}_phrasings_neutral_recall": neutral.count("neutral") / len(neutral),
                f"{language}_emoji_only_accuracy": sum(emoji_right) / len(emoji_right),
                f"{language}_fed_up_read_as_calm": sum(calm) / len(calm),
            }
        )
    out.append("## Project phrasings (tests/bot/nlu/phrasings)\n")
    out.extend(f"- {name}: {value:.3f}" for name, value in figures.items())
    out.append("")
    return figures


def confusion_lines(expected: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> str:
    lines = ["rows: expected, columns: predicted", "| | " + " | ".join(labels) + " |"]
    lines.append("|---" * (len(labels) + 1) + "|")
    for want in labels:
        counts = [sum(1 for e, p in zip(expected, predicted) if e == want and p == got) for got in labels]
        lines.append(f"| {want} | " + " | ".join(str(n) for n in counts) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder like ../shared/data")
    parser.add_argument("--head", help="a head folder (default: train on the config's training_data)")
    parser.add_argument("--config", default="bot/config.yml", help="Rasa config with the EmotionClassifier settings")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--phrasings", action="store_true", help="also score the project's phrasing tables")
    args = parser.parse_args(argv)

    if not args.data.is_dir():
        print(f"skipping: {args.data} is not there (the dev splits are optional)")
        return 0
    started = time.perf_counter()
    settings = configured_settings(resolve_repo_path(args.config))
    taxonomy = runtime.taxonomy_for(settings)
    head = None
    if settings["backend"] == runtime.BACKEND_SENTENCE_ENCODER:
        encoder = runtime.load_encoder(settings)
        if args.head:
            head = LanguageRoutedHead.load(resolve_repo_path(args.head))
        else:
            training = load_yaml_dir(resolve_repo_path(settings["training_data"]), taxonomy)
            head = runtime.train_head_on_examples(training, encoder, taxonomy, runtime.cues_for(settings), settings)
        print(f"head ready after {time.perf_counter() - started:.1f} s")
    predictor = runtime.build_predictor(settings, head)
    out: List[str] = []
    figures = dev_figures(predictor, settings, args.data, out)
    if args.phrasings:
        figures.update(phrasing_figures(predictor, taxonomy, out))
    print("\n".join(out))
    print(json.dumps({name: round(value, 4) for name, value in figures.items()}))
    print(f"done in {time.perf_counter() - started:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
