"""The scope guard's third opinion on the intent: a regression over the message's words and spellings.

DIET and the embedding regression both lean on the sentence encoder, an English model that reads
a typo ("reufnd", "compesation") or a German compound as unfamiliar pieces. A regularised logistic
regression over tf-idf weighted character n-grams (2 to 5 letters, inside word boundaries) and
word uni- and bigrams sees the spelling instead: it keeps "refund" in "reufnd"'s n-grams and
"Rückerstattung" in "Rückerstattungsantrag". It is trained on the same examples in a few seconds,
deterministically, so it also steadies the blend against DIET's variance between trainings.

Stored as plain arrays (vocabularies, idf weights, coefficients), not as a pickled estimator.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

from bot.emotion.head import softmax_parameters

MODEL_FILE = "word_opinion.npz"
META_FILE = "word_opinion.json"
# (analyzer, n-gram range) of the two vocabularies, in the order their features are stacked.
VOCABULARIES = (("char_wb", (2, 5)), ("word", (1, 2)))
# An n-gram must occur in this many examples to count: single occurrences are mostly noise.
MIN_EXAMPLES = 2


def _vectorizer(analyzer: str, ngrams: tuple, vocabulary=None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=ngrams,
        sublinear_tf=True,
        lowercase=True,
        min_df=1 if vocabulary is not None else MIN_EXAMPLES,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


class WordOpinion:
    """tf-idf character and word n-grams → softmax regression over the intents."""

    def __init__(self, labels: List[str], vectorizers: list, weights: np.ndarray, bias: np.ndarray) -> None:
        self.labels = labels
        self._vectorizers = vectorizers
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        # For one message at a time sklearn's transform costs about 1 ms in checks and sparse
        # matrices; `probabilities` computes the same tf-idf with plain dictionaries instead
        # (tested to match), against the weights laid out one row per feature.
        self._by_feature = np.ascontiguousarray(self.weights.T)
        self._readers: List[Tuple] = []
        offset = 0
        for vectorizer in vectorizers:
            self._readers.append((vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_, offset))
            offset += len(vectorizer.vocabulary_)

    @classmethod
    def fit(cls, texts: Sequence[str], intents: Sequence[str], regularisation_c: float, seed: int) -> "WordOpinion":
        from scipy.sparse import hstack
        from sklearn.linear_model import LogisticRegression

        vectorizers = [_vectorizer(analyzer, ngrams) for analyzer, ngrams in VOCABULARIES]
        features = hstack([vectorizer.fit_transform(texts) for vectorizer in vectorizers]).tocsr()
        classifier = LogisticRegression(
            C=regularisation_c, max_iter=3000, class_weight="balanced", random_state=seed
        ).fit(features, list(intents))
        return cls([str(label) for label in classifier.classes_], vectorizers, *softmax_parameters(classifier))

    def _tfidf(self, text: str) -> Tuple[List[int], List[float]]:
        """(feature columns, values) of `text` as the fitted vectorizers weigh them: sublinear term
        frequency times idf, each vocabulary's part scaled to unit length."""
        columns: List[int] = []
        values: List[float] = []
        for analyze, vocabulary, idf, offset in self._readers:
            counts = Counter(column for column in map(vocabulary.get, analyze(text)) if column is not None)
            weighted = [(column, (1.0 + math.log(count)) * float(idf[column])) for column, count in counts.items()]
            norm = math.sqrt(sum(value * value for _, value in weighted)) or 1.0
            columns.extend(offset + column for column, _ in weighted)
            values.extend(value / norm for _, value in weighted)
        return columns, values

    def probabilities(self, text: str) -> Dict[str, float]:
        columns, values = self._tfidf(text)
        logits = self.bias.astype(np.float64)
        if columns:
            logits = logits + np.asarray(values) @ self._by_feature[columns]
        logits = np.exp(logits - logits.max())
        return dict(zip(self.labels, (logits / logits.sum()).tolist()))

    def save(self, folder: Path) -> None:
        np.savez_compressed(
            folder / MODEL_FILE,
            weights=self.weights.astype(np.float16),
            bias=self.bias,
            **{f"idf_{index}": vectorizer.idf_ for index, vectorizer in enumerate(self._vectorizers)},
        )
        vocabularies = [
            {gram: int(column) for gram, column in vectorizer.vocabulary_.items()} for vectorizer in self._vectorizers
        ]
        (folder / META_FILE).write_text(json.dumps({"labels": self.labels, "vocabularies": vocabularies}))

    @classmethod
    def load(cls, folder: Path) -> "WordOpinion":
        arrays = np.load(folder / MODEL_FILE)
        meta = json.loads((folder / META_FILE).read_text())
        vectorizers = []
        for index, ((analyzer, ngrams), vocabulary) in enumerate(zip(VOCABULARIES, meta["vocabularies"])):
            vectorizer = _vectorizer(analyzer, ngrams, vocabulary)
            vectorizer.idf_ = arrays[f"idf_{index}"]
            vectorizers.append(vectorizer)
        return cls(meta["labels"], vectorizers, arrays["weights"].astype(np.float32), arrays["bias"])
