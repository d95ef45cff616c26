"""The trainable part of the default model: a class-balanced multinomial logistic regression.

Features per message: the normalised sentence embedding, the cue vector (`cues.CueReading.vector`)
scaled by `cue_scale`, the valence lexicon's two scores (`lexicon.py`) scaled by `lexicon_weight`,
and optionally hashed character n-grams (TF-IDF weighted). The n-grams are language-neutral and
learned from our own examples; they carry German inflections, compounds and typos that an English
sentence encoder reads poorly. The lexicon carries valence for words our examples never used.

Neutral is the common case in a customer chat, so weak evidence for an emotion should not win
(docs/emotion.md, "Decision rule"): `neutral_weight` multiplies neutral's balanced class weight in
training, and `neutral_bias` is added to its log-odds at prediction time.

Persisted without pickle: `head.json` (labels, feature settings, provenance) and `head.npz`
(weights, n-gram IDF), so a head is portable between Python and scikit-learn versions and safe to
load.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from bot.emotion.lexicon import load_lexicon
from bot.emotion.text_input import clip_characters

HEAD_JSON = "head.json"
HEAD_NPZ = "head.npz"
HEAD_SCHEMA = "emotion-head.v1"
# The n-gram block reads at most this many characters (start and end) of a message.
NGRAM_MAX_CHARS = 2000


class HeadError(ValueError):
    """A head file is missing, damaged or does not fit the encoder."""


@dataclass
class HeadSettings:
    """How features are built and the regression is fitted (all stored with the head)."""

    cue_scale: float = 1.0
    char_ngrams: bool = True
    ngram_min: int = 2
    ngram_max: int = 4
    ngram_features: int = 2**15
    ngram_weight: float = 2.0
    regularisation_c: float = 2.0
    max_iter: int = 3000
    random_seed: int = 42
    # 0 leaves the lexicon out (heads saved before it existed load that way).
    lexicon_weight: float = 0.0
    # Added to the log-odds of a label named "neutral" when predicting (not when training).
    neutral_bias: float = 0.0
    # Multiplies the balanced class weight of "neutral" in training (1: all labels weigh the same).
    neutral_weight: float = 1.0

    @classmethod
    def from_config(cls, config: Dict[str, Any]) -> "HeadSettings":
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{key: value for key, value in config.items() if key in known})


@dataclass
class LinearEmotionHead:
    labels: List[str]
    settings: HeadSettings
    embedding_dim: int
    coef: np.ndarray
    intercept: np.ndarray
    idf: Optional[np.ndarray] = None
    provenance: Dict[str, Any] = field(default_factory=dict)
    _ngram_weights: Optional[np.ndarray] = field(default=None, repr=False, compare=False)

    def predict_proba(self, embeddings: np.ndarray, cue_vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """Probabilities of shape (len(texts), len(labels)), rows summing to 1."""
        dense = dense_features(self.settings, embeddings, cue_vectors, texts)
        width = dense.shape[1]
        logits = (dense @ self.coef[:, :width].T + self.intercept).astype(np.float64)
        if self.settings.char_ngrams:
            logits += np.vstack([self._ngram_logits(text, width) for text in texts])
        if self.settings.neutral_bias and "neutral" in self.labels:
            logits[:, self.labels.index("neutral")] += self.settings.neutral_bias
        return softmax(logits)

    def _ngram_logits(self, text: str, width: int) -> np.ndarray:
        """The n-gram block's contribution for one text, without building sparse matrices.

        Same numbers as `ngram_tfidf` followed by a product with the weights, but about ten
        times faster for the batch of one that serving uses.
        """
        if self._ngram_weights is None:
            self._ngram_weights = np.ascontiguousarray(self.coef[:, width:].T, dtype=np.float64)
        counts = char_ngram_counts(text, self.settings)
        if not counts:
            return np.zeros(len(self.labels))
        indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = np.log1p(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        if self.idf is not None:
            values *= self.idf[indices]
        values *= self.settings.ngram_weight / max(np.sqrt(np.dot(values, values)), 1e-6)
        return values @ self._ngram_weights[indices]

    # -- persistence --------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {"coef": self.coef.astype(np.float32), "intercept": self.intercept.astype(np.float32)}
        if self.idf is not None:
            arrays["idf"] = self.idf.astype(np.float32)
        np.savez_compressed(folder / HEAD_NPZ, **arrays)
        meta = {
            "schema": HEAD_SCHEMA,
            "labels": self.labels,
            "settings": asdict(self.settings),
            "embedding_dim": self.embedding_dim,
            "provenance": self.provenance,
        }
        (folder / HEAD_JSON).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "LinearEmotionHead":
        folder = Path(folder)
        try:
            meta = json.loads((folder / HEAD_JSON).read_text(encoding="utf-8"))
            with np.load(folder / HEAD_NPZ) as arrays:
                coef, intercept = arrays["coef"], arrays["intercept"]
                idf = arrays["idf"] if "idf" in arrays else None
        except (OSError, ValueError, KeyError) as error:
            raise HeadError(f"cannot read the emotion head in {folder}: {error}") from error
        if meta.get("schema") != HEAD_SCHEMA:
            raise HeadError(f"{folder}: head schema {meta.get('schema')!r}, expected {HEAD_SCHEMA!r}")
        head = cls(
            labels=list(meta["labels"]),
            settings=HeadSettings(**meta["settings"]),
            embedding_dim=int(meta["embedding_dim"]),
            coef=coef,
            intercept=intercept,
            idf=idf,
            provenance=meta.get("provenance", {}),
        )
        if coef.shape[0] != len(head.labels):
            raise HeadError(f"{folder}: {coef.shape[0]} weight rows for {len(head.labels)} labels")
        return head


def train_head(
    embeddings: np.ndarray,
    cue_vectors: np.ndarray,
    texts: Sequence[str],
    labels: Sequence[str],
    label_order: Sequence[str],
    settings: Optional[HeadSettings] = None,
    provenance: Optional[Dict[str, Any]] = None,
) -> LinearEmotionHead:
    """Fits the head; `label_order` fixes the output order (the taxonomy's), absent labels get no mass."""
    from sklearn.linear_model import LogisticRegression

    settings = settings or HeadSettings()
    present = [label for label in label_order if label in set(labels)]
    if len(present) < 2:
        raise HeadError(f"need examples of at least two labels, got {sorted(set(labels))}")
    idf = fit_idf(settings, texts) if settings.char_ngrams else None
    features = build_features(settings, embeddings, cue_vectors, texts, idf)
    counts = {label: list(labels).count(label) for label in present}
    weights = {label: len(labels) / (len(present) * count) for label, count in counts.items()}
    if "neutral" in weights:
        weights["neutral"] *= settings.neutral_weight
    model = LogisticRegression(
        C=settings.regularisation_c,
        class_weight=weights,
        max_iter=settings.max_iter,
        random_state=settings.random_seed,
    )
    model.fit(features, np.asarray(labels))
    weights, biases = softmax_parameters(model)
    # Expand to the full label order: a label without examples gets a very low logit.
    coef = np.zeros((len(label_order), features.shape[1]), dtype=np.float32)
    intercept = np.full(len(label_order), -30.0, dtype=np.float32)
    for row, label in enumerate(model.classes_):
        index = list(label_order).index(label)
        coef[index] = weights[row]
        intercept[index] = biases[row]
    return LinearEmotionHead(
        labels=list(label_order),
        settings=settings,
        embedding_dim=int(embeddings.shape[1]),
        coef=coef,
        intercept=intercept,
        idf=idf,
        provenance=dict(provenance or {}),
    )


def build_features(
    settings: HeadSettings,
    embeddings: np.ndarray,
    cue_vectors: np.ndarray,
    texts: Sequence[str],
    idf: Optional[np.ndarray],
):
    """The full feature matrix for training: dense block, then the n-gram block when enabled."""
    dense = dense_features(settings, embeddings, cue_vectors, texts)
    if not settings.char_ngrams:
        return dense
    from scipy.sparse import csr_matrix, hstack

    return hstack([csr_matrix(dense), ngram_tfidf(settings, texts, idf) * settings.ngram_weight], format="csr")


def dense_features(
    settings: HeadSettings, embeddings: np.ndarray, cue_vectors: np.ndarray, texts: Sequence[str]
) -> np.ndarray:
    blocks = [
        np.asarray(embeddings, dtype=np.float32),
        np.asarray(cue_vectors, dtype=np.float32).reshape(len(embeddings), -1) * settings.cue_scale,
    ]
    if settings.lexicon_weight:
        scores = load_lexicon().vectors(texts)
        blocks.append(np.asarray(scores, dtype=np.float32).reshape(len(embeddings), -1) * settings.lexicon_weight)
    return np.hstack(blocks)


def char_ngram_counts(text: str, settings: HeadSettings) -> Dict[int, int]:
    """Hashed counts of the character n-grams of each word, padded with spaces (" wo", "ort ").

    Stateless (CRC-32 into `ngram_features` buckets), so only the IDF needs persisting. Long texts
    are clipped to their start and end, like the encoder's input.
    """
    counts: Dict[int, int] = {}
    buckets = settings.ngram_features
    for word in clip_characters(text, NGRAM_MAX_CHARS).lower().split():
        padded = f" {word} "
        length = len(padded)
        for size in range(settings.ngram_min, min(settings.ngram_max, length) + 1):
            for start in range(length - size + 1):
                bucket = zlib.crc32(padded[start : start + size].encode("utf-8")) % buckets
                counts[bucket] = counts.get(bucket, 0) + 1
    return counts


def ngram_counts(settings: HeadSettings, texts: Sequence[str]):
    from scipy.sparse import csr_matrix

    indptr, indices, values = [0], [], []
    for text in texts:
        counts = char_ngram_counts(text, settings)
        indices.extend(counts.keys())
        values.extend(counts.values())
        indptr.append(len(indices))
    return csr_matrix(
        (np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(texts), settings.ngram_features),
    )


def fit_idf(settings: HeadSettings, texts: Sequence[str]) -> np.ndarray:
    counts = ngram_counts(settings, texts)
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    documents = counts.shape[0]
    return (np.log((1.0 + documents) / (1.0 + document_frequency)) + 1.0).astype(np.float32)


def ngram_tfidf(settings: HeadSettings, texts: Sequence[str], idf: Optional[np.ndarray]):
    """Sublinear TF × IDF, each row scaled to unit length."""
    matrix = ngram_counts(settings, texts)
    matrix.data = np.log1p(matrix.data)
    if idf is not None:
        matrix.data *= idf[matrix.indices]
    squared = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    norms = np.sqrt(np.clip(squared, 1e-12, None))
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr)).astype(np.float32)
    return matrix


def softmax_parameters(classifier) -> tuple:
    """(weights, bias) of a fitted LogisticRegression as a softmax over all its classes: with two
    classes sklearn keeps one row (a sigmoid), which is the softmax of [0, row]."""
    weights, bias = np.asarray(classifier.coef_), np.asarray(classifier.intercept_)
    if len(classifier.classes_) == 2 and weights.shape[0] == 1:
        weights, bias = np.vstack([np.zeros_like(weights), weights]), np.concatenate([[0.0], bias])
    return weights, bias


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
