"""Rasa NLU featurizer: dense sentence-encoder features for DIET and the scope guard.

Pipeline entry (after the tokenizer, before DIET):

    - name: bot.components.sentence_features.SentenceEncoderFeaturizer

Count vectors only know the words of our own examples; a customer who writes "I can't get into my
account, the sign-in thing rejects me" shares few of them with "I forgot my password". The sentence
encoder (all-MiniLM-L6-v2, the ONNX export the emotion classifier already uses) places both close
together, so DIET learns from meaning as well as from words.

Features per message: the pooled, unit-length sentence embedding (sentence features) and, per
whitespace token, the mean of the encoder's states over the word pieces inside that token
(sequence features). The pooled embedding is also left on the message (`SENTENCE_EMBEDDING`) so
the scope guard and the emotion classifier reuse it instead of running the encoder again.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.emotion import runtime
from bot.emotion.encoder import OnnxSentenceEncoder

logger = logging.getLogger(__name__)

# Message key of the pooled embedding: {"source": <encoder id>, "vector": (dimension,) float32}.
SENTENCE_EMBEDDING = "sentence_embedding"


def encoder_id(settings: Dict[str, Any]) -> str:
    """Which encoder made an embedding: consumers reuse it only when theirs is the same."""
    return f"{runtime.resolve_repo_path(settings['encoder_path'])}:{runtime.encoder_model_file(settings)}"


def stored_embedding(message: Message, wanted_source: str) -> Optional[np.ndarray]:
    """The pooled embedding the featurizer left on `message`, if it came from `wanted_source`."""
    stored = message.get(SENTENCE_EMBEDDING)
    if isinstance(stored, dict) and stored.get("source") == wanted_source:
        return stored.get("vector")
    return None


def token_states(
    tokens: List[Token], offsets: List[Tuple[int, int]], states: np.ndarray, fallback: np.ndarray
) -> np.ndarray:
    """One vector per Rasa token: the mean state of the word pieces inside it (else `fallback`)."""
    rows = np.tile(fallback, (len(tokens), 1))
    if len(offsets) != states.shape[0]:
        return rows  # the encoder cut an over-long message: piece positions no longer line up
    for index, token in enumerate(tokens):
        inside = [
            piece
            for piece, (start, end) in enumerate(offsets)
            if end > start and start < token.end and end > token.start
        ]
        if inside:
            rows[index] = states[inside].mean(axis=0)
    return rows


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds sentence-encoder features to every message's text."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {
            **DenseFeaturizer.get_default_config(),
            # The same encoder settings as the emotion classifier, so its embedding is reused.
            "encoder_path": "models/encoder/all-MiniLM-L6-v2",
            "quantized": True,
            "max_seq_length": 128,
            "threads": 1,
            # Also give DIET one vector per token (the word pieces' states). Costs DIET about twice
            # the training time for no measured gain on our data, so it is off by default.
            "sequence_features": False,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["onnxruntime", "tokenizers"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        return cls(config, execution_context.node_name)

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, {**self.get_default_config(), **config})
        self._encoder: Optional[OnnxSentenceEncoder] = None

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Re-featurize when the encoder files change (they live outside Rasa's training data)."""
        return runtime.encoder_fingerprint({**cls.get_default_config(), **config})

    def _get_encoder(self) -> OnnxSentenceEncoder:
        if self._encoder is None:
            self._encoder = runtime.load_encoder(self._config)
        return self._encoder

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        if self._config["sequence_features"]:
            self.process(training_data.training_examples)
            return training_data
        # Sentence features only: one batch, which the encoder can answer from its embedding store.
        messages = [m for m in training_data.training_examples if m.get(TEXT) and m.get(TOKENS_NAMES[TEXT])]
        pooled = self._get_encoder().encode([m.get(TEXT) for m in messages])
        source = encoder_id(self._config)
        for message, vector in zip(messages, pooled):
            self._add(message, None, vector[None, :], source)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        source = encoder_id(self._config)
        for message in messages:
            text = message.get(TEXT)
            tokens = message.get(TOKENS_NAMES[TEXT])
            if not text or not tokens:
                continue
            encoder = self._get_encoder()
            pooled, states = encoder.encode_with_token_states(text)
            sequence = None
            if self._config["sequence_features"]:
                sequence = token_states(tokens, encoder.piece_offsets(text), states, pooled[0])
            self._add(message, sequence, pooled, source)
        return messages

    def _add(self, message: Message, sequence: Optional[np.ndarray], pooled: np.ndarray, source: str) -> None:
        self.add_features_to_message(sequence=sequence, sentence=pooled, attribute=TEXT, message=message)
        message.set(SENTENCE_EMBEDDING, {"source": source, "vector": pooled[0]})

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to check beyond the encoder bundle, which is checked when it loads."""
