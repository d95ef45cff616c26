"""How well the trained assistant understands language nobody on this team wrote (`make eval`).

Every text goes through the whole trained NLU pipeline (`Agent.parse_message`), so the figures are
what a customer meets: the intent after the out-of-scope and fallback decisions, and the emotion
the pipeline attaches to the message.

- Bitext customer-service requests: intent accuracy and routing (bot vs person), see
  `bitext_intent_map.yml`.
- CLINC150 out-of-scope requests: the share kept out of every flow (`out_of_scope`, or the
  fallback that asks to rephrase), and where the rest went.
- GoEmotions: emotion macro-F1 over our six labels, the data set's labels grouped by its own
  Ekman mapping (`ekman_mapping.json`; disgust joins anger as our `frustrated`, as the taxonomy says).
  Single-label rows only (all of a row's labels in one group).
- GermEval 2017: valence (negative / neutral / positive) of the emotion, macro-F1.

Usage: python scripts/eval/understanding.py --data ../shared/data --model models/X.tar.gz
Missing data sets are skipped. `baseline.yml` holds the figures measured before issue 14.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import sys
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from contracts.emotion.taxonomy import load_taxonomy  # noqa: E402
from contracts.escalation.config import default_config  # noqa: E402

HERE = Path(__file__).resolve().parent
MAP_FILE = HERE / "bitext_intent_map.yml"
BASELINE_FILE = HERE / "baseline.yml"
KEPT_OUT = ("out_of_scope", "nlu_fallback")
# Valence of our labels (contracts/emotion/taxonomy.yml) beyond this counts as negative / positive.
VALENCE_MARGIN = 0.3


class Parser:
    """Parses texts with the trained model: (intent, faq answer key, emotion label) per text."""

    def __init__(self, model: Path) -> None:
        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)  # Rasa logs every parse at debug level otherwise
        self._agent = Agent.load(str(model))

    def parse(self, texts: Sequence[str]) -> List[Tuple[str, str, str]]:
        """(intent, FAQ answer key, emotion label) per text."""
        return [(intent, answer, emotion) for intent, answer, emotion, _ in self.parse_with_confidence(texts)]

    def parse_with_confidence(self, texts: Sequence[str]) -> List[Tuple[str, str, str, float]]:
        return asyncio.run(self._parse_all(texts))

    async def _parse_all(self, texts: Sequence[str]) -> List[Tuple[str, str, str, float]]:
        results = []
        for text in texts:
            parsed = await self._agent.parse_message(text)
            intent = parsed.get("intent") or {}
            answer = ((parsed.get("response_selector") or {}).get("faq") or {}).get("response") or {}
            emotion = (parsed.get("emotion") or {}).get("label") or "neutral"
            results.append(
                (
                    intent.get("name") or "none",
                    answer.get("intent_response_key") or "",
                    emotion,
                    float(intent.get("confidence") or 0.0),
                )
            )
        return results


def macro_f1(expected: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> Tuple[float, Dict]:
    per_label = {}
    for label in labels:
        tp = sum(1 for e, p in zip(expected, predicted) if e == label and p == label)
        fp = sum(1 for e, p in zip(expected, predicted) if e != label and p == label)
        fn = sum(1 for e, p in zip(expected, predicted) if e == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    present = [label for label in labels if per_label[label]["support"]]
    return sum(per_label[label]["f1"] for label in present) / max(len(present), 1), per_label


def per_label_table(per_label: Dict, first: str, counted: str) -> List[str]:
    lines = [f"| {first} | precision | recall | F1 | {counted} |", "|---|---|---|---|---|"]
    for label, values in per_label.items():
        figures = " | ".join(f"{values[name]:.3f}" for name in ("precision", "recall", "f1"))
        lines.append(f"| {label} | {figures} | {values['support']} |")
    return lines + [""]


def intent_matches(want: str, intent: str, answer_key: str) -> bool:
    if "/" in want:
        return intent == want.split("/")[0] and answer_key == want
    return intent == want


def evaluate_bitext(parser: Parser, path: Path, out: List[str], figures: Dict) -> None:
    mapping = yaml.safe_load(MAP_FILE.read_text())
    escalation = default_config()
    person_intents = set(escalation.always_escalate.intents) | set(escalation.explicit_request.intents)
    rows = [row for row in csv.DictReader(path.open(newline="")) if row["intent"] in mapping["intents"]]
    parsed = parser.parse_with_confidence([row["utterance"] for row in rows])

    by_intent: Dict[str, Counter] = defaultdict(Counter)
    by_side: Dict[str, Counter] = defaultdict(Counter)
    confusions: Counter = Counter()
    wrong_confidences, right_confidences = [], []
    for row, (intent, answer_key, _, confidence) in zip(rows, parsed):
        want = mapping["intents"][row["intent"]]
        ok = intent_matches(want, intent, answer_key)
        (right_confidences if ok else wrong_confidences).append(confidence)
        by_intent[row["intent"]]["total"] += 1
        by_intent[row["intent"]]["correct"] += ok
        if not ok:
            confusions[(row["intent"], answer_key if intent == "faq" else intent)] += 1
        side = mapping["routing"].get(row["intent"])
        if side:
            got = "person" if intent in person_intents else "bot"
            by_side[side]["total"] += 1
            by_side[side]["correct"] += got == side
            by_intent[row["intent"]]["routed"] += got == side

    correct = sum(counts["correct"] for counts in by_intent.values())
    figures["bitext_intent_accuracy"] = correct / max(len(rows), 1)
    for side in ("bot", "person"):
        figures[f"bitext_routing_{side}"] = by_side[side]["correct"] / max(by_side[side]["total"], 1)
    out.append(f"## Bitext dev: {len(rows)} requests of {len(mapping['intents'])} mapped intents\n")
    out.append("| Bitext intent | ours | should go to | requests | intent accuracy | routed right |")
    out.append("|---|---|---|---|---|---|")
    for name, counts in sorted(by_intent.items()):
        side = mapping["routing"].get(name, "-")
        routed = f"{counts['routed'] / counts['total']:.3f}" if side != "-" else "-"
        out.append(
            f"| {name} | {mapping['intents'][name]} | {side} | {counts['total']} "
            f"| {counts['correct'] / counts['total']:.3f} | {routed} |"
        )
    out.append(f"| **all** | | | {len(rows)} | {figures['bitext_intent_accuracy']:.3f} | |\n")
    out.append(
        f"Routing: routine kept by the bot {figures['bitext_routing_bot']:.3f} ({by_side['bot']['total']}), "
        f"disputes, complaints and agent requests handed to a person {figures['bitext_routing_person']:.3f} "
        f"({by_side['person']['total']}).\n"
    )
    out.append("Most frequent confusions: " + ", ".join(f"{a} → {b} ({n})" for (a, b), n in confusions.most_common(8)))
    confident_mistakes = sum(1 for value in wrong_confidences if value >= 0.9) / max(len(wrong_confidences), 1)
    figures["bitext_wrong_guesses_at_0.9_or_more"] = confident_mistakes
    out.append(
        f"\nCalibration: wrong intents come with a median confidence of {median(wrong_confidences):.2f} "
        f"({confident_mistakes:.1%} of them at 0.9 or more), right ones with {median(right_confidences):.2f}.\n"
    )


def median(values: List[float]) -> float:
    return statistics.median(values) if values else float("nan")


def evaluate_out_of_scope(parser: Parser, path: Path, out: List[str], figures: Dict) -> None:
    texts = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    intents = Counter(intent for intent, _, _ in parser.parse(texts))
    kept_out = sum(intents[name] for name in KEPT_OUT)
    figures["clinc_out_of_scope_kept_out"] = kept_out / max(len(texts), 1)
    figures["clinc_out_of_scope_answered_as_such"] = intents["out_of_scope"] / max(len(texts), 1)
    out.append(f"## CLINC150 out-of-scope requests: {len(texts)}\n")
    out.append(
        f"Kept out of every flow: {figures['clinc_out_of_scope_kept_out']:.3f} "
        f"(out_of_scope {intents['out_of_scope']}, asked to rephrase {intents['nlu_fallback']}).\n"
    )
    out.append(
        "Where the others went: "
        + ", ".join(f"{name} {n}" for name, n in intents.most_common() if name not in KEPT_OUT)
    )
    out.append("")


def goemotions_rows(folder: Path) -> List[Tuple[str, str]]:
    """(text, Ekman group) for the rows whose labels all fall in one group."""
    names = (folder / "labels.txt").read_text().split()
    group_of = {
        label: group
        for group, labels in json.loads((folder / "ekman_mapping.json").read_text()).items()
        for label in labels
    }
    group_of["neutral"] = "neutral"
    rows = []
    for line in (folder / "dev.tsv").read_text().splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].strip():
            continue
        groups = {group_of[names[int(i)]] for i in parts[1].split(",") if i.strip()}
        if len(groups) == 1:
            rows.append((parts[0], groups.pop()))
    return rows


def evaluate_goemotions(parser: Parser, folder: Path, out: List[str], figures: Dict) -> None:
    taxonomy = load_taxonomy()
    ours_for_group = taxonomy.label_sets["ekman"]
    rows = goemotions_rows(folder)
    expected = [ours_for_group[group] for _, group in rows]
    predicted = [emotion for _, _, emotion in parser.parse([text for text, _ in rows])]
    score, per_label = macro_f1(expected, predicted, taxonomy.names)
    figures["goemotions_macro_f1"] = score
    out.append(f"## GoEmotions dev: {len(rows)} single-label comments, emotion macro-F1 {score:.3f}\n")
    out.extend(per_label_table(per_label, "label", "comments"))


def valence_class(value: float) -> str:
    if value <= -VALENCE_MARGIN:
        return "negative"
    return "positive" if value >= VALENCE_MARGIN else "neutral"


def evaluate_germeval(parser: Parser, path: Path, out: List[str], figures: Dict) -> None:
    taxonomy = load_taxonomy()
    with path.open(newline="") as handle:
        rows = [(row["text"], row["sentiment"].strip()) for row in csv.DictReader(handle, delimiter="\t")]
    rows = [(text, sentiment) for text, sentiment in rows if text.strip()]
    predicted = [valence_class(taxonomy.label(emotion).valence) for _, _, emotion in parser.parse([t for t, _ in rows])]
    expected = [sentiment for _, sentiment in rows]
    score, per_label = macro_f1(expected, predicted, ["negative", "neutral", "positive"])
    figures["germeval_valence_macro_f1"] = score
    out.append(f"## GermEval 2017 dev: {len(rows)} German texts, valence macro-F1 {score:.3f}\n")
    out.extend(per_label_table(per_label, "valence", "texts"))


def summary(figures: Dict) -> List[str]:
    baseline = yaml.safe_load(BASELINE_FILE.read_text()) if BASELINE_FILE.exists() else {}
    targets = baseline.get("targets", {})
    before = baseline.get("figures", {})
    lines = [
        "## Summary (dev splits)\n",
        f"Before: {baseline.get('measured', 'not measured')}.\n",
        "| measure | before | now | target |",
        "|---|---|---|---|",
    ]
    for name, value in figures.items():
        old = before.get(name)
        lines.append(f"| {name} | {'' if old is None else f'{old:.3f}'} | {value:.3f} | {targets.get(name, '')} |")
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder like ../shared/data")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    model = Parser(args.model)
    out: List[str] = []
    figures: Dict[str, float] = {}
    steps = [
        (args.data / "bitext" / "dev.csv", evaluate_bitext),
        (args.data / "clinc" / "oos_dev.txt", evaluate_out_of_scope),
        (args.data / "goemotions", evaluate_goemotions),
        (args.data / "germeval2017" / "dev.tsv", evaluate_germeval),
    ]
    for path, step in steps:
        if path.exists():
            step(model, path, out, figures)
        else:
            out.append(f"(skipped: {path} is not there)\n")
    print("\n".join(summary(figures) + out))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
