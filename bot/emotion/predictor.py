"""From text to `{label, confidence, intensity, scores}`: model scores, cues, and bad-input handling.

`EmotionPredictor` is what the Rasa component, the evaluation and the benchmark share. It never
raises for any input text; without a model it still reads the cues and returns the default label
with confidence 0, which the conversation tracker treats as "no evidence".
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Protocol, Sequence

import numpy as np

from bot.emotion.cues import CueReading, CueSet
from contracts.emotion.taxonomy import Taxonomy
from bot.emotion.text_input import clean_text

logger = logging.getLogger(__name__)

# Emoji-only messages: share of the probability given to what the emoji signal (rest: neutral).
EMOJI_ONLY_CONFIDENCE = 0.6


@dataclass(frozen=True)
class EmotionResult:
    label: str
    confidence: float
    intensity: float
    scores: Dict[str, float]

    def as_dict(self) -> Dict[str, object]:
        return {
            "label": self.label,
            "confidence": round(float(self.confidence), 4),
            "intensity": round(float(self.intensity), 4),
            "scores": {name: round(float(value), 4) for name, value in self.scores.items()},
        }


# The language of each text as the language detector reads it (None: it could not tell).
Languages = Optional[Sequence[Optional[str]]]


class LabelScorer(Protocol):
    """Anything that turns texts into probabilities over the taxonomy's labels, in its order."""

    def score(
        self, texts: Sequence[str], readings: Sequence[CueReading], languages: Languages = None
    ) -> np.ndarray: ...


class EncoderHeadScorer:
    """The default model: sentence encoder + trained linear heads (one per language, see language_heads.py)."""

    def __init__(self, encoder, head, taxonomy: Taxonomy) -> None:
        missing = set(taxonomy.names) - set(head.labels)
        if missing:
            raise ValueError(f"the head has no output for labels {sorted(missing)}")
        self.encoder = encoder
        self.head = head
        self._columns = [head.labels.index(name) for name in taxonomy.names]
        self._label_names = taxonomy.names

    def score(self, texts: Sequence[str], readings: Sequence[CueReading], languages: Languages = None) -> np.ndarray:
        embeddings = self.encoder.encode(texts)
        cue_vectors = np.array([reading.vector(self._label_names) for reading in readings], dtype=np.float32)
        return self.head.predict_proba(embeddings, cue_vectors, texts, languages)[:, self._columns]


class MappedClassifierScorer:
    """Another model's classes summed onto our labels through a label mapping."""

    def __init__(self, classifier, mapping: Mapping[str, str], taxonomy: Taxonomy) -> None:
        self.classifier = classifier
        names = taxonomy.names
        self._projection = np.zeros((len(classifier.labels), len(names)), dtype=np.float64)
        for row, foreign in enumerate(classifier.labels):
            self._projection[row, names.index(mapping[foreign])] = 1.0

    def score(self, texts: Sequence[str], readings: Sequence[CueReading], languages: Languages = None) -> np.ndarray:
        # A fine-tuned classifier reads its languages itself.
        projected = self.classifier.predict_proba(texts) @ self._projection
        totals = projected.sum(axis=1, keepdims=True)
        return projected / np.clip(totals, 1e-12, None)


class EmotionPredictor:
    def __init__(self, taxonomy: Taxonomy, cues: CueSet, scorer: Optional[LabelScorer]) -> None:
        self.taxonomy = taxonomy
        self.cues = cues
        self.scorer = scorer
        names = taxonomy.names
        self._arousal = np.array([taxonomy.label(name).arousal for name in names])
        self._default_index = names.index(taxonomy.default_label)

    @property
    def has_model(self) -> bool:
        return self.scorer is not None

    def predict(self, texts: Sequence[object], languages: Languages = None) -> List[EmotionResult]:
        """One result per text; `languages` (as the language detector reads them) picks the head."""
        cleaned = [clean_text(text) for text in texts]
        if languages is not None and len(languages) != len(cleaned):
            raise ValueError(f"{len(languages)} languages for {len(cleaned)} texts")
        readings = [self.cues.read(text) for text in cleaned]
        results: List[Optional[EmotionResult]] = [None] * len(cleaned)
        to_model = []
        for index, (text, reading) in enumerate(zip(cleaned, readings)):
            if not has_words(text):
                results[index] = self._without_words(reading)
            elif self.scorer is None:
                results[index] = self._no_evidence(reading)
            else:
                to_model.append(index)
        if to_model:
            model_scores = self._score_safely(
                [cleaned[i] for i in to_model],
                [readings[i] for i in to_model],
                [languages[i] for i in to_model] if languages is not None else None,
            )
            for row, index in enumerate(to_model):
                if model_scores is None:
                    results[index] = self._no_evidence(readings[index])
                else:
                    scores = self._discount_unreadable(model_scores[row], cleaned[index])
                    results[index] = self._result(scores, readings[index])
        return results  # type: ignore[return-value]

    def _score_safely(self, texts: List[str], readings: List[CueReading], languages: Languages) -> Optional[np.ndarray]:
        try:
            scores = np.asarray(self.scorer.score(texts, readings, languages), dtype=np.float64)
        except Exception as error:  # noqa: BLE001 - a broken model must not take NLU down
            logger.warning("Emotion model failed (%s); returning neutral with confidence 0.", error)
            return None
        if scores.shape != (len(texts), len(self.taxonomy.names)) or not np.all(np.isfinite(scores)):
            logger.warning("Emotion model returned unusable scores; returning neutral with confidence 0.")
            return None
        return scores

    def _discount_unreadable(self, scores: np.ndarray, text: str) -> np.ndarray:
        """Moves probability to the default label in proportion to what the model cannot read."""
        unreadable = unreadable_share(text)
        if unreadable <= 0.0:
            return scores
        neutral = np.zeros_like(scores)
        neutral[self._default_index] = 1.0
        return (1.0 - unreadable) * scores + unreadable * neutral

    def _result(self, scores: np.ndarray, reading: CueReading, confidence: Optional[float] = None) -> EmotionResult:
        names = self.taxonomy.names
        best = int(np.argmax(scores))
        model_part = float(np.dot(scores, self._arousal))
        return EmotionResult(
            label=names[best],
            confidence=float(scores[best]) if confidence is None else confidence,
            intensity=self.cues.intensity(model_part, reading),
            scores={name: float(value) for name, value in zip(names, scores)},
        )

    def _no_evidence(self, reading: CueReading) -> EmotionResult:
        """Default label, confidence 0: nothing could be read (no model, or no text)."""
        scores = np.zeros(len(self.taxonomy.names))
        scores[self._default_index] = 1.0
        return EmotionResult(
            label=self.taxonomy.default_label,
            confidence=0.0,
            intensity=self.cues.intensity(0.0, reading),
            scores={name: float(value) for name, value in zip(self.taxonomy.names, scores)},
        )

    def _without_words(self, reading: CueReading) -> EmotionResult:
        """Messages with no letters or digits: only emoji (or emoticons) can say anything."""
        votes = {label: vote for label, vote in reading.emoji_votes.items() if label in self.taxonomy.names}
        if not votes:
            return self._no_evidence(reading)
        total = sum(votes.values())
        scores = np.zeros(len(self.taxonomy.names))
        for label, vote in votes.items():
            scores[self.taxonomy.names.index(label)] += EMOJI_ONLY_CONFIDENCE * vote / total
        scores[self._default_index] += 1.0 - EMOJI_ONLY_CONFIDENCE
        return self._result(scores, reading)


def has_words(text: str) -> bool:
    """True when the text has at least one letter or digit in any script."""
    return any(char.isalnum() for char in text)


def unreadable_share(text: str) -> float:
    """Share of the text our models cannot read: letters outside the Latin script, and junk.

    The encoder and the head were trained on English and German; Cyrillic, CJK or binary junk
    produce confident-looking but meaningless scores, so such messages lean towards neutral.
    """
    letters = foreign = junk = visible = 0
    for char in text:
        if char.isspace():
            continue
        visible += 1
        category = unicodedata.category(char)
        if char == "\ufffd" or category in ("Cc", "Cs", "Co", "Cn"):
            junk += 1
        elif char.isalpha():
            letters += 1
            if not _is_latin(char):
                foreign += 1
    if not visible:
        return 0.0
    foreign_share = foreign / letters if letters else 0.0
    return min(1.0, max(foreign_share, junk / visible))


def _is_latin(char: str) -> bool:
    code = ord(char)
    return code < 0x0250 or 0x1E00 <= code <= 0x1EFF
