"""Fixtures for the emotion tests that run in the Rasa environment (.venv-rasa).

Rasa is imported inside the fixtures, so the export tests in `export/` (run with .venv, which has
torch but no Rasa) can share this folder.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Callable, Dict

import pytest

from emotion_test_data import ENCODER_DIR, write_emotion_data


@pytest.fixture(scope="session")
def encoder_dir() -> Path:
    if not (ENCODER_DIR / "manifest.json").is_file():
        pytest.fail(
            f"The emotion encoder is not exported to {ENCODER_DIR}. Run: "
            ".venv/bin/python scripts/emotion/export_encoder.py"
        )
    return ENCODER_DIR


@pytest.fixture(scope="session")
def small_emotion_data(tmp_path_factory) -> Path:
    return write_emotion_data(tmp_path_factory.mktemp("emotion_data"))


@pytest.fixture
def default_model_storage(tmp_path):
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    storage_dir = tmp_path / "model_storage"
    storage_dir.mkdir()
    return LocalModelStorage.create(storage_dir)


@pytest.fixture
def default_execution_context():
    from rasa.engine.graph import ExecutionContext, GraphSchema

    return ExecutionContext(GraphSchema({}), uuid.uuid4().hex)


@pytest.fixture
def create_emotion_classifier(
    default_model_storage, default_execution_context, small_emotion_data, encoder_dir
) -> Callable:
    """Rasa's way: `create(config, model_storage, resource, execution_context)`."""
    from rasa.engine.storage.resource import Resource

    from bot.components.emotion_classifier import EmotionClassifier

    def inner(config: Dict = None, resource_name: str = "emotion_classifier"):
        merged = {**EmotionClassifier.get_default_config(), "training_data": str(small_emotion_data), **(config or {})}
        return EmotionClassifier.create(
            merged, default_model_storage, Resource(resource_name), default_execution_context
        )

    return inner


@pytest.fixture
def load_emotion_classifier(default_model_storage, default_execution_context, small_emotion_data) -> Callable:
    from rasa.engine.storage.resource import Resource

    from bot.components.emotion_classifier import EmotionClassifier

    def inner(config: Dict = None, resource_name: str = "emotion_classifier"):
        merged = {**EmotionClassifier.get_default_config(), "training_data": str(small_emotion_data), **(config or {})}
        return EmotionClassifier.load(merged, default_model_storage, Resource(resource_name), default_execution_context)

    return inner


@pytest.fixture(scope="session")
def trained_emotion_classifier(tmp_path_factory, small_emotion_data, encoder_dir):
    """One classifier trained on the small data, shared by tests that only call `process`."""
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.components.emotion_classifier import EmotionClassifier

    storage = LocalModelStorage.create(tmp_path_factory.mktemp("shared_model_storage"))
    config = {**EmotionClassifier.get_default_config(), "training_data": str(small_emotion_data)}
    classifier = EmotionClassifier.create(
        config, storage, Resource("shared_emotion_classifier"), ExecutionContext(GraphSchema({}), uuid.uuid4().hex)
    )
    classifier.train(TrainingData())
    return classifier


@pytest.fixture(scope="session")
def project_predictor(encoder_dir):
    """The default model as `rasa train` builds it: default settings, head trained on nlu_data/emotion."""
    from bot.emotion import runtime
    from bot.emotion.data import load_yaml_dir

    from emotion_test_data import PROJECT_EMOTION_DATA

    settings = runtime.settings_with_defaults({})
    taxonomy = runtime.taxonomy_for(settings)
    encoder = runtime.load_encoder(settings)
    examples = load_yaml_dir(PROJECT_EMOTION_DATA, taxonomy)
    head = runtime.train_head_on_examples(examples, encoder, taxonomy, runtime.cues_for(settings), settings)
    return runtime.build_predictor(settings, head, encoder)
