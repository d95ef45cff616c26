"""Turns messages the intent model cannot know into `nlu_fallback` instead of a confident guess.

DIET gives some intent to every input, often with high confidence: an empty message or a row of
emoji came out as `affirm` (0.99), an SQL fragment as `warranty_claim`, pages of lorem ipsum as a
billing dispute. Such guesses are dangerous (an empty message must not count as "yes, hand me
over"). This component runs after the intent classifiers and overrides their result when

- the message has no letter or digit at all (empty, emoji, punctuation, control characters), or
- most of its words never occur in the training data (gibberish, code, another language).

The original ranking is kept behind the fallback so that nothing downstream loses information.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import dump_obj_as_json_to_file, read_json_file

from bot.components.trained_component import TrainedComponent

logger = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"
GUARD_PROPERTY = "input_guard"
VOCABULARY_FILE = "vocabulary.json"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# E-mail addresses and links are data, not language: their parts are never "known words".
_DATA_TOKENS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+", re.IGNORECASE)
_LETTER_OR_DIGIT = re.compile(r"[^\W_]", re.UNICODE)


def words_of(text: Text) -> List[Text]:
    return [word.lower() for word in _WORD.findall(_DATA_TOKENS.sub(" ", text))]


def build_vocabulary(texts: List[Text]) -> Set[Text]:
    return {word for text in texts for word in words_of(text)}


def rejection_reason(
    text: Text, vocabulary: Set[Text], min_words: int, min_known_ratio: float, max_chars: int
) -> Optional[Text]:
    """Why the message cannot be classified, or None when it looks like something we know."""
    if not _LETTER_OR_DIGIT.search(text or ""):
        return "no_words"
    words = words_of(text[:max_chars])
    if not vocabulary or len(words) < min_words:
        return None
    known = sum(1 for word in words if word in vocabulary)
    if known / len(words) < min_known_ratio:
        return "unknown_words"
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class InputGuard(TrainedComponent, IntentClassifier):
    """Replaces the intent with `nlu_fallback` for inputs the model has never seen the like of."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Messages with fewer words than this are only checked for having any word at all
            # ("ok", "7315" and e-mail addresses are normal answers).
            "min_words": 3,
            # Share of a message's words that must occur in the training data.
            "min_known_ratio": 0.3,
            # Only the start of very long messages is judged.
            "max_chars": 2000,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Optional[Set[Text]] = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self._vocabulary = vocabulary or set()

    def train(self, training_data: TrainingData) -> Resource:
        texts = [example.get(TEXT) or "" for example in training_data.training_examples]
        self._vocabulary = build_vocabulary(texts)
        self.persist()
        return self._resource

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            dump_obj_as_json_to_file(directory / VOCABULARY_FILE, sorted(self._vocabulary))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "InputGuard":
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = set(read_json_file(directory / VOCABULARY_FILE))
        except (ValueError, FileNotFoundError) as error:
            # Degrade: without a vocabulary only empty and wordless messages are caught.
            logger.warning("InputGuard: no vocabulary (%s); only wordless input is caught.", error)
            vocabulary = set()
        return cls(config, model_storage, resource, vocabulary)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            reason = rejection_reason(
                message.get(TEXT) or "",
                self._vocabulary,
                int(self._config["min_words"]),
                float(self._config["min_known_ratio"]),
                int(self._config["max_chars"]),
            )
            if reason:
                self._fall_back(message, reason)
        return messages

    @staticmethod
    def _fall_back(message: Message, reason: Text) -> None:
        fallback = {"name": FALLBACK_INTENT, "confidence": 1.0}
        ranking = [fallback] + [
            entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != FALLBACK_INTENT
        ]
        message.set(INTENT, fallback, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        message.set(GUARD_PROPERTY, {"reason": reason}, add_to_output=True)
