"""Rasa NLU component: a second, calibrated opinion on the intent, and out-of-scope as a decision.

Pipeline entry (after DIET and the ResponseSelector, before the InputGuard and the OutcomeFallbackClassifier):

    - name: bot.components.scope_guard.ScopeGuard

DIET alone answered "why is the sky blue" with `affirm` at 0.99: a softmax over the intents it knows
has no way to say "none of these", and its confidences say little about how often it is right.
This component reads the sentence embedding the `SentenceEncoderFeaturizer` left on the message and

1. scores the intents with a regularised logistic regression over the embedding and another over
   the message's character and word n-grams (`word_opinion.py`; both trained on the same
   examples), and blends their probabilities with DIET's: models that learnt differently rarely
   agree on a wrong answer with full confidence, so a confident blend is a trustworthy one;
2. measures novelty: the cosine similarity of the message to its nearest training examples in
   scope and out of scope. A message far from everything the shop does, or nearer to the
   out-of-scope examples, becomes `out_of_scope`, whatever intent won the blend.

The decision and its evidence go to the parse result under `scope` (nearest similarities, the
blend's top intents) so that a developer or the admin console can see why.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.sentence_features import SENTENCE_EMBEDDING
from bot.components.trained_component import TrainedComponent
from bot.components.word_opinion import MODEL_FILE as WORD_MODEL_FILE
from bot.components.word_opinion import WordOpinion
from bot.emotion.head import softmax_parameters

logger = logging.getLogger(__name__)

OUT_OF_SCOPE = "out_of_scope"
SCOPE_PROPERTY = "scope"
MODEL_FILE = "scope_guard.npz"
META_FILE = "scope_guard.json"


class ScopeModel:
    """The trained parts: a softmax regression over embeddings and the training embeddings."""

    def __init__(
        self,
        labels: List[str],
        weights: np.ndarray,
        bias: np.ndarray,
        in_scope: np.ndarray,
        out_of_scope: np.ndarray,
    ) -> None:
        self.labels = labels
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.in_scope = in_scope.astype(np.float32)
        self.out_of_scope = out_of_scope.astype(np.float32)

    @classmethod
    def fit(cls, vectors: np.ndarray, intents: List[str], regularisation_c: float, seed: int) -> "ScopeModel":
        from sklearn.linear_model import LogisticRegression

        classifier = LogisticRegression(C=regularisation_c, max_iter=2000, class_weight="balanced", random_state=seed)
        classifier.fit(vectors, intents)
        labels = [str(label) for label in classifier.classes_]
        outside = np.array([intent == OUT_OF_SCOPE for intent in intents])
        return cls(labels, *softmax_parameters(classifier), vectors[~outside], vectors[outside])

    def probabilities(self, vector: np.ndarray) -> Dict[str, float]:
        logits = self.weights @ vector + self.bias
        logits = np.exp(logits - logits.max())
        return dict(zip(self.labels, (logits / logits.sum()).tolist()))

    def nearest(self, vector: np.ndarray, neighbours: int) -> Tuple[float, float]:
        """Mean cosine similarity of the `neighbours` nearest examples in scope and out of scope."""
        return _top_mean(self.in_scope @ vector, neighbours), _top_mean(self.out_of_scope @ vector, neighbours)

    def save(self, folder: Path) -> None:
        np.savez_compressed(
            folder / MODEL_FILE,
            weights=self.weights,
            bias=self.bias,
            in_scope=self.in_scope.astype(np.float16),
            out_of_scope=self.out_of_scope.astype(np.float16),
        )
        (folder / META_FILE).write_text(json.dumps({"labels": self.labels}))

    @classmethod
    def load(cls, folder: Path) -> "ScopeModel":
        arrays = np.load(folder / MODEL_FILE)
        labels = json.loads((folder / META_FILE).read_text())["labels"]
        return cls(labels, arrays["weights"], arrays["bias"], arrays["in_scope"], arrays["out_of_scope"])


def _top_mean(similarities: np.ndarray, count: int) -> float:
    if similarities.size == 0:
        return 0.0
    count = min(count, similarities.size)
    return float(np.partition(similarities, -count)[-count:].mean())


def blend(
    diet_ranking: List[Dict[str, Any]], opinions: List[Tuple[Dict[str, float], float]], diet_weight: float
) -> List[Tuple[str, float]]:
    """The weighted mean of DIET's and the other opinions' probabilities, best first (intents any
    of them knows). `opinions` are (probabilities, weight) pairs; the weights need not sum to one."""
    diet = {entry["name"]: float(entry.get("confidence") or 0.0) for entry in diet_ranking if entry.get("name")}
    weighted = [(diet, diet_weight)] + [(scores, weight) for scores, weight in opinions if weight > 0]
    total = sum(weight for _, weight in weighted) or 1.0
    names = set().union(*(scores for scores, _ in weighted))
    blended = {name: sum(weight * scores.get(name, 0.0) for scores, weight in weighted) / total for name in names}
    return sorted(blended.items(), key=lambda item: item[1], reverse=True)


# Decisions that override the blend: the message is out of scope although an in-scope intent
# won, or in scope although `out_of_scope` won.
FAR_FROM_SHOP = "far_from_shop"
NEARER_OUT_OF_SCOPE = "nearer_out_of_scope"
NEARER_SHOP = "nearer_shop"


def renormalised(ranking: List[Tuple[str, float]]) -> List[Tuple[str, float]]:
    total = sum(value for _, value in ranking) or 1.0
    return [(name, value / total) for name, value in ranking]


def scope_decision(
    top_intent: str, nearest_in: float, nearest_out: float, has_entities: bool, config: Dict[str, Any]
) -> Optional[str]:
    """Whether novelty overrides the blend (one of the decisions above), or None."""
    if has_entities:
        return NEARER_SHOP if top_intent == OUT_OF_SCOPE else None
    if top_intent == OUT_OF_SCOPE:
        clearly_ours = nearest_in - nearest_out > float(config["in_scope_margin"])
        return NEARER_SHOP if clearly_ours and nearest_in >= float(config["min_in_scope_similarity"]) else None
    if nearest_in < float(config["min_in_scope_similarity"]):
        return FAR_FROM_SHOP
    if nearest_out - nearest_in > float(config["out_of_scope_margin"]):
        return NEARER_OUT_OF_SCOPE
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ScopeGuard(TrainedComponent, IntentClassifier):
    """Blends a calibrated second opinion into the intent and decides what is out of scope."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Shares of DIET, the embedding regression and the word regression in the blended
            # confidence (relative: they need not sum to one; 0 leaves an opinion out).
            "diet_weight": 0.34,
            "embedding_weight": 0.33,
            "words_weight": 0.33,
            # Inverse regularisation of the regressions: lower is softer, better calibrated.
            "regularisation_c": 8.0,
            "words_regularisation_c": 8.0,
            # How many nearest training examples the similarity is averaged over.
            "neighbours": 3,
            # A message less similar than this to everything in scope is out of scope.
            "min_in_scope_similarity": 0.42,
            # ... and so is one this much more similar to out-of-scope examples than to in-scope ones.
            "out_of_scope_margin": 0.04,
            # A message this much more similar to in-scope examples than to out-of-scope ones is
            # the shop's business even when `out_of_scope` won the blend (odd wording of a request).
            "in_scope_margin": 0.1,
            # Messages shorter than this many characters are answers ("yes", "7315"), never judged.
            "min_chars": 8,
            "random_seed": 42,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[ScopeModel] = None,
        words: Optional[WordOpinion] = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self._model = model
        self._words = words

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    def train(self, training_data: TrainingData) -> Resource:
        vectors, intents, texts = [], [], []
        for example in training_data.intent_examples:
            stored = example.get(SENTENCE_EMBEDDING)
            if isinstance(stored, dict) and example.get(INTENT):
                vectors.append(stored["vector"])
                intents.append(example.get(INTENT))
                texts.append(example.get(TEXT) or "")
        if len(set(intents)) < 2:
            logger.warning("ScopeGuard: no sentence embeddings in the training data; it will pass DIET through.")
            return self._resource
        seed = int(self._config["random_seed"])
        self._model = ScopeModel.fit(np.vstack(vectors), intents, float(self._config["regularisation_c"]), seed)
        if float(self._config["words_weight"]) > 0:
            self._words = WordOpinion.fit(texts, intents, float(self._config["words_regularisation_c"]), seed)
        with self._model_storage.write_to(self._resource) as folder:
            self._model.save(Path(folder))
            if self._words is not None:
                self._words.save(Path(folder))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "ScopeGuard":
        model, words = None, None
        try:
            with model_storage.read_from(resource) as folder:
                model = ScopeModel.load(Path(folder))
                if (Path(folder) / WORD_MODEL_FILE).is_file():
                    words = WordOpinion.load(Path(folder))
        except (ValueError, FileNotFoundError, KeyError) as error:
            logger.warning("ScopeGuard: no trained model (%s); DIET's intent passes through.", error)
        return cls(config, model_storage, resource, model, words)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            stored = message.get(SENTENCE_EMBEDDING)
            if self._model is None or not isinstance(stored, dict) or not message.get(INTENT):
                continue
            self._judge(message, np.asarray(stored["vector"], dtype=np.float32))
        return messages

    def _judge(self, message: Message, vector: np.ndarray) -> None:
        opinions = [(self._model.probabilities(vector), float(self._config["embedding_weight"]))]
        if self._words is not None:
            opinions.append((self._words.probabilities(message.get(TEXT) or ""), float(self._config["words_weight"])))
        ranking = blend(
            message.get(INTENT_RANKING_KEY) or [message.get(INTENT)], opinions, float(self._config["diet_weight"])
        )
        nearest_in, nearest_out = self._model.nearest(vector, int(self._config["neighbours"]))
        short = len((message.get(TEXT) or "").strip()) < int(self._config["min_chars"])
        reason = None
        if not short:
            reason = scope_decision(ranking[0][0], nearest_in, nearest_out, bool(message.get(ENTITIES)), self._config)
        if reason == NEARER_SHOP:
            ranking = renormalised([item for item in ranking if item[0] != OUT_OF_SCOPE])
        elif reason:
            confidence = max(dict(ranking).get(OUT_OF_SCOPE, 0.0), 1.0 - nearest_in)
            ranking = [(OUT_OF_SCOPE, confidence)] + [item for item in ranking if item[0] != OUT_OF_SCOPE]
        entries = [{"name": name, "confidence": round(float(value), 4)} for name, value in ranking[:10]]
        message.set(INTENT, entries[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, entries, add_to_output=True)
        message.set(
            SCOPE_PROPERTY,
            {
                "nearest_in_scope": round(nearest_in, 3),
                "nearest_out_of_scope": round(nearest_out, 3),
                "decision": reason or "in_scope",
            },
            add_to_output=True,
        )
