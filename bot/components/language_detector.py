"""Detects whether a customer writes English or German, for every channel.

The detector is deliberately small and explainable: it counts words that are typical of one
language (a data file, `language_cues.yml`) and German letters. It only speaks when the message
says something: "40010002" or "ok" leave the conversation's language as it was. The result is put
on the parse data as `language: {code, confidence}`; the observer `track_language` (run by
`action_observe_turn`) turns it
into the `language` slot, which selects the response variations.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

LANGUAGE_PROPERTY = "language"
DEFAULT_CUES_FILE = Path(__file__).with_name("language_cues.yml")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_GERMAN_LETTERS = set("äöüß")


def load_cues(path: Path) -> Dict[Text, frozenset]:
    """Reads `{language: [words]}` and lower-cases the words."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {lang: frozenset(str(w).lower() for w in words) for lang, words in data.items()}


def score_languages(text: Text, cues: Dict[Text, frozenset], max_chars: int) -> Dict[Text, float]:
    """Counts cue words per language; a word with ä/ö/ü/ß counts for German."""
    scores = {lang: 0.0 for lang in cues}
    for word in _WORD.findall(text[:max_chars].lower()):
        for lang, words in cues.items():
            if word in words:
                scores[lang] += 1.0
        if "de" in scores and _GERMAN_LETTERS.intersection(word):
            scores["de"] += 0.5
    return scores


def decide_language(scores: Dict[Text, float], min_hits: float, min_confidence: float) -> Optional[Dict[Text, Any]]:
    """The winning language with a confidence in 0..1, or None when the text does not say."""
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    best, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score < min_hits or best_score == runner_up:
        return None
    # The margin over the runner-up, damped for short texts (one cue word is weak evidence).
    confidence = (best_score - runner_up) / (best_score + runner_up + 1.0)
    if confidence < min_confidence:
        return None
    return {"code": best, "confidence": round(confidence, 3)}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class LanguageDetector(GraphComponent):
    """Adds `language: {code, confidence}` to a message when its language is clear."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # YAML file with typical words per language; None uses the bundled cues.
            "cues_file": None,
            # Cue words the winning language needs before the detector says anything.
            "min_hits": 1.0,
            # Minimum margin-based confidence (0..1) to report a language.
            "min_confidence": 0.3,
            # Only the start of very long messages is read (their language does not change).
            "max_chars": 2000,
        }

    def __init__(self, config: Dict[Text, Any], cues: Dict[Text, frozenset]) -> None:
        self._config = config
        self._cues = cues

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageDetector":
        path = Path(config["cues_file"]) if config.get("cues_file") else DEFAULT_CUES_FILE
        try:
            cues = load_cues(path)
        except (OSError, yaml.YAMLError) as error:
            # Degrade: without cues the conversation simply keeps its chosen language.
            logger.warning("LanguageDetector: cannot read %s (%s); detection is off.", path, error)
            cues = {}
        return cls(config, cues)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            detected = self.detect(message.get(TEXT) or "")
            if detected:
                message.set(LANGUAGE_PROPERTY, detected, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Nothing to learn or featurize; the language is only an output.
        return training_data

    def detect(self, text: Text) -> Optional[Dict[Text, Any]]:
        if not isinstance(text, str) or not text.strip():
            return None
        scores = score_languages(text, self._cues, int(self._config["max_chars"]))
        return decide_language(scores, float(self._config["min_hits"]), float(self._config["min_confidence"]))


def detect_languages(texts: List[Text], config: Optional[Dict[Text, Any]] = None) -> List[Optional[Text]]:
    """Each text's language code as the pipeline's detector reads it (None where it cannot tell).

    For scripts that run the emotion model outside Rasa, so they route as the pipeline does.
    """
    detector = LanguageDetector(
        {**LanguageDetector.get_default_config(), **(config or {})}, load_cues(DEFAULT_CUES_FILE)
    )
    return [(found or {}).get("code") for found in map(detector.detect, texts)]
