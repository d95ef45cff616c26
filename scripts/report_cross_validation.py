"""Summarises the intents' cross-validation (scripts/nlu_cross_validation.py, or `rasa test nlu
--cross-validation`) and fails below a quality floor.

Usage: python scripts/report_cross_validation.py RESULTS_DIR [--min-f1 0.88]
Prints per-intent F1 and the averages, and writes RESULTS_DIR/summary.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

AVERAGE_KEYS = ("accuracy", "macro avg", "weighted avg", "micro avg")


def load_report(path: Path) -> dict:
    if not path.exists():
        raise SystemExit(f"missing {path}: did the cross-validation run?")
    return json.loads(path.read_text())


def per_label_rows(report: dict) -> list[tuple[str, float, float, float, int]]:
    rows = []
    for label, values in report.items():
        if label in AVERAGE_KEYS or not isinstance(values, dict) or "f1-score" not in values:
            continue
        rows.append((label, values["precision"], values["recall"], values["f1-score"], int(values["support"])))
    return sorted(rows, key=lambda row: row[3])


def render(title: str, report: dict) -> list[str]:
    lines = [f"### {title}", "", "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label, precision, recall, f1, support in per_label_rows(report):
        lines.append(f"| {label} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {support} |")
    for key in ("macro avg", "weighted avg"):
        if key in report:
            values = report[key]
            lines.append(
                f"| **{key}** | {values['precision']:.3f} | {values['recall']:.3f} | "
                f"{values['f1-score']:.3f} | {int(values['support'])} |"
            )
    return lines + [""]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("results_dir", type=Path)
    # 0.919 with sentence features and the broader data of issue 14 (0.80 before); a little slack
    # for the shared machine's nondeterminism.
    parser.add_argument("--min-f1", type=float, default=0.88, help="floor for the intents' weighted F1")
    args = parser.parse_args()

    intents = load_report(args.results_dir / "intent_report.json")
    lines = ["## NLU cross-validation (3 folds, the project's own data)", ""]
    lines += render("Intents", intents)
    responses_path = args.results_dir / "response_selection_report.json"
    if responses_path.exists():
        lines += render("FAQ responses (ResponseSelector)", load_report(responses_path))
    summary = "\n".join(lines)
    (args.results_dir / "summary.md").write_text(summary + "\n")
    print(summary)

    weighted_f1 = intents["weighted avg"]["f1-score"]
    if weighted_f1 < args.min_f1:
        print(f"intent weighted F1 {weighted_f1:.3f} is below the floor {args.min_f1}", file=sys.stderr)
        return 1
    print(f"intent weighted F1 {weighted_f1:.3f} (floor {args.min_f1})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
