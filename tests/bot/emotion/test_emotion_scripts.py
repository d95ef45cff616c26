"""The command-line scripts: train on a public-format file, evaluate, list pending exports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("rasa")

from scripts.emotion.training.exports import pending_export_commands
from bot.emotion.head import LinearEmotionHead

from emotion_test_data import REPO_ROOT, SMALL_EXAMPLES

SCRIPTS = REPO_ROOT / "scripts" / "emotion"
# The scripts are documented for the Rasa environment (matplotlib, scikit-learn 1.1).
PYTHON = REPO_ROOT / ".venv-rasa" / "bin" / "python"
# Our labels → a GoEmotions id of the same group (anger, nervousness, sadness, confusion, gratitude, neutral).
GOEMOTIONS_ID = {"frustrated": 2, "anxious": 19, "sad": 25, "confused": 6, "happy": 15, "neutral": 27}


def run_script(name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PYTHON if PYTHON.exists() else sys.executable), str(SCRIPTS / name), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def goemotions_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("goemotions") / "train.tsv"
    rows = [
        f"{text}\t{GOEMOTIONS_ID[label]}\tid{i}"
        for i, (label, text) in enumerate(
            (label, text) for label, texts in SMALL_EXAMPLES["en"].items() for text in texts
        )
    ]
    rows.append("a row the mapping cannot decide\t15,25\tidX")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tsv_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tsv") / "eval.tsv"
    rows = [
        f"{text}\t{label}"
        for by_label in SMALL_EXAMPLES.values()
        for label, texts in by_label.items()
        for text in texts
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_train_head_on_goemotions_format_writes_a_usable_head_and_report(goemotions_file, tmp_path, encoder_dir):
    out = tmp_path / "head"

    result = run_script(
        "train_head.py",
        "--data",
        str(goemotions_file),
        "--format",
        "goemotions",
        "--out",
        str(out),
        "--held-out",
        "0.3",
    )

    assert result.returncode == 0, result.stderr
    assert "1 ambiguous" in result.stdout
    assert "macro-F1" in (out / "report.txt").read_text()
    assert (out / "confusion.png").stat().st_size > 1000
    head = LinearEmotionHead.load(out)
    assert head.labels == ["neutral", "frustrated", "anxious", "sad", "confused", "happy"]


def test_component_uses_a_pretrained_head(
    goemotions_file, tmp_path, create_emotion_classifier, load_emotion_classifier
):
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    out = tmp_path / "head"
    assert (
        run_script(
            "train_head.py",
            "--data",
            str(goemotions_file),
            "--format",
            "goemotions",
            "--out",
            str(out),
            "--held-out",
            "0",
        ).returncode
        == 0
    )
    config = {"pretrained_head": str(out), "training_data": str(tmp_path / "not_needed")}

    create_emotion_classifier(config).train(TrainingData())
    message = load_emotion_classifier(config).process([Message.build(text="thank you, that solved it")])[0]

    assert message.get("emotion")["confidence"] > 0.0


def test_evaluate_prints_per_label_scores_and_saves_the_png(tsv_file, tmp_path, small_emotion_data, encoder_dir):
    config = tmp_path / "config.yml"
    config.write_text(
        "pipeline:\n- name: WhitespaceTokenizer\n"
        f"- name: bot.components.emotion_classifier.EmotionClassifier\n  training_data: {small_emotion_data}\n",
        encoding="utf-8",
    )
    png = tmp_path / "confusion.png"

    result = run_script(
        "evaluate.py", "--data", str(tsv_file), "--format", "tsv", "--png", str(png), "--config", str(config)
    )

    assert result.returncode == 0, result.stderr
    for expected in ("precision", "recall", "macro-F1", "confusion matrix", "frustrated"):
        assert expected in result.stdout
    assert png.stat().st_size > 1000


def test_evaluate_skips_missing_data_when_asked(tmp_path):
    result = run_script(
        "evaluate.py", "--data", str(tmp_path / "absent.tsv"), "--format", "goemotions", "--skip-missing"
    )

    assert result.returncode == 0
    assert "skipping" in result.stdout


def test_pending_exports_lists_only_unexported_transformers_models(tmp_path):
    exported = tmp_path / "exports" / "org--exported-model"
    exported.mkdir(parents=True)
    (exported / "manifest.json").write_text("{}", encoding="utf-8")
    config = tmp_path / "config.yml"
    config.write_text(
        "pipeline:\n"
        "- name: WhitespaceTokenizer\n"
        "- name: bot.components.emotion_classifier.EmotionClassifier\n"
        "- name: bot.components.emotion_classifier.EmotionClassifier\n"
        f"  backend: transformers\n  model: org/exported-model\n  export_dir: {tmp_path / 'exports'}\n"
        "- name: bot.components.emotion_classifier.EmotionClassifier\n"
        f"  backend: transformers\n  model: org/new-model\n  export_dir: {tmp_path / 'exports'}\n",
        encoding="utf-8",
    )

    commands = pending_export_commands(config)

    assert commands == [
        ".venv/bin/python scripts/emotion/export_hf_classifier.py --model org/new-model "
        f"--export-dir {tmp_path / 'exports'}"
    ]
    result = run_script("pending_exports.py", "--config", str(config))
    assert result.stdout.strip() == commands[0]


def test_the_project_config_needs_no_export_by_default():
    assert pending_export_commands(REPO_ROOT / "bot" / "config.yml") == []
