"""Per-label precision / recall / F1, macro-F1 and the confusion matrix, as numbers, text and PNG."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Union

import numpy as np


@dataclass
class LabelScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class EvaluationReport:
    labels: List[str]
    per_label: Dict[str, LabelScores]
    macro_f1: float
    accuracy: float
    confusion: np.ndarray  # rows: true label, columns: predicted label

    def as_text(self, title: str = "") -> str:
        width = max(len(label) for label in self.labels + ["macro-F1"]) + 2
        lines = [title] if title else []
        lines.append(f"{'label':<{width}}{'precision':>10}{'recall':>10}{'F1':>10}{'support':>10}")
        for label in self.labels:
            s = self.per_label[label]
            lines.append(f"{label:<{width}}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>10.3f}{s.support:>10d}")
        lines.append(f"{'macro-F1':<{width}}{'':>20}{self.macro_f1:>10.3f}{int(self.confusion.sum()):>10d}")
        lines.append(f"{'accuracy':<{width}}{'':>20}{self.accuracy:>10.3f}")
        lines.append("")
        lines.append("confusion matrix (rows: true, columns: predicted)")
        cell = max(7, max(len(label) for label in self.labels) + 1)
        lines.append(" " * width + "".join(f"{label[: cell - 1]:>{cell}}" for label in self.labels))
        for row, label in enumerate(self.labels):
            lines.append(f"{label:<{width}}" + "".join(f"{int(v):>{cell}d}" for v in self.confusion[row]))
        return "\n".join(lines)


def evaluate_predictions(true: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> EvaluationReport:
    """Scores for `labels` (all of them, in order); labels absent from `true` get support 0.

    Macro-F1 averages over labels that occur in `true` or in `predicted`, so a data set without
    one of our labels is not punished for it unless the model predicts it.
    """
    if len(true) != len(predicted):
        raise ValueError("true and predicted differ in length")
    index = {label: i for i, label in enumerate(labels)}
    confusion = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for t, p in zip(true, predicted):
        confusion[index[t], index[p]] += 1
    per_label = {}
    counted = []
    for i, label in enumerate(labels):
        tp = confusion[i, i]
        predicted_count = confusion[:, i].sum()
        support = confusion[i, :].sum()
        precision = tp / predicted_count if predicted_count else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = LabelScores(float(precision), float(recall), float(f1), int(support))
        if support or predicted_count:
            counted.append(f1)
    total = confusion.sum()
    return EvaluationReport(
        labels=list(labels),
        per_label=per_label,
        macro_f1=float(np.mean(counted)) if counted else 0.0,
        accuracy=float(np.trace(confusion) / total) if total else 0.0,
        confusion=confusion,
    )


def save_confusion_png(report: EvaluationReport, path: Union[str, Path], title: str = "") -> Path:
    """Draws the confusion matrix (counts, row-normalised colours) to a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = report.confusion
    rows = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, rows, out=np.zeros_like(counts, dtype=float), where=rows > 0)
    figure, axes = plt.subplots(figsize=(1.1 * len(report.labels) + 2.5, 1.0 * len(report.labels) + 2))
    image = axes.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
    axes.set_xticks(range(len(report.labels)))
    axes.set_yticks(range(len(report.labels)))
    axes.set_xticklabels(report.labels, rotation=35, ha="right")
    axes.set_yticklabels(report.labels)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    for row in range(counts.shape[0]):
        for column in range(counts.shape[1]):
            axes.text(
                column,
                row,
                str(int(counts[row, column])),
                ha="center",
                va="center",
                color="white" if shares[row, column] > 0.6 else "black",
                fontsize=9,
            )
    axes.set_title(title or f"macro-F1 {report.macro_f1:.3f}")
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04, label="share of true label")
    figure.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
