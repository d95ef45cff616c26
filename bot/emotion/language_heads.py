"""One emotion head per language next to the joint one, chosen by the message's language.

Why: the sentence encoder is English. Trained together, English examples dominate where German
ones land in its space, and one regularisation strength cannot fit both: a German complaint
written without emotion words reads like English small talk. A head per language, fitted more
strongly regularised on that language's examples alone, reads each language on its own terms
(docs/emotion.md, "Language heads"); the joint head stays for messages whose language the
detector cannot tell (short replies, mixed text) and for languages without enough examples.

On disk: the joint head where a plain head lives (`head.json`, `head.npz`), so older readers and
older models keep working, and each language head in `languages/<code>/`.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from bot.emotion.head import HEAD_JSON, HeadError, HeadSettings, LinearEmotionHead, train_head

logger = logging.getLogger(__name__)

LANGUAGES_FOLDER = "languages"
# Language codes as the language detector writes them; also safe as folder names.
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass
class LanguageSettings:
    """Whether and how language heads are trained (stored with nothing: they shape training only)."""

    enabled: bool = True
    # Inverse regularisation of each language head: stronger than the joint head's, because
    # each sees about half the examples and must not learn one language's phrasings by heart.
    regularisation_c: float = 0.5
    # A language gets its own head only with this many examples and every label the data has.
    min_examples: int = 500

    @classmethod
    def from_config(cls, config: Dict[str, Any]) -> "LanguageSettings":
        return cls(
            enabled=bool(config.get("language_heads", cls.enabled)),
            regularisation_c=float(config.get("language_regularisation_c", cls.regularisation_c)),
            min_examples=int(config.get("language_head_min_examples", cls.min_examples)),
        )


@dataclass
class LanguageRoutedHead:
    """The joint head and the language heads; behaves like one head with a `languages` argument."""

    joint: LinearEmotionHead
    by_language: Dict[str, LinearEmotionHead] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for code, head in self.by_language.items():
            if not _LANGUAGE_CODE.match(code):
                raise HeadError(f"language head {code!r}: a language code is two or three letters a-z")
            if head.labels != self.joint.labels or head.embedding_dim != self.joint.embedding_dim:
                raise HeadError(f"language head {code!r} does not fit the joint head (labels or embedding size)")

    @property
    def labels(self) -> List[str]:
        return self.joint.labels

    @property
    def embedding_dim(self) -> int:
        return self.joint.embedding_dim

    @property
    def provenance(self) -> Dict[str, Any]:
        return self.joint.provenance

    def head_for(self, language: Optional[str]) -> LinearEmotionHead:
        return self.by_language.get(language or "", self.joint)

    def predict_proba(
        self,
        embeddings: np.ndarray,
        cue_vectors: np.ndarray,
        texts: Sequence[str],
        languages: Optional[Sequence[Optional[str]]] = None,
    ) -> np.ndarray:
        """Probabilities per text from its language's head (the joint head when there is none)."""
        languages = list(languages) if languages is not None else [None] * len(texts)
        if len(languages) != len(texts):
            raise ValueError(f"{len(languages)} languages for {len(texts)} texts")
        probabilities = np.zeros((len(texts), len(self.labels)), dtype=np.float64)
        rows_by_head: Dict[int, List[int]] = {}
        heads: Dict[int, LinearEmotionHead] = {}
        for row, language in enumerate(languages):
            head = self.head_for(language)
            heads[id(head)] = head
            rows_by_head.setdefault(id(head), []).append(row)
        for key, rows in rows_by_head.items():
            probabilities[rows] = heads[key].predict_proba(
                embeddings[rows], np.asarray(cue_vectors)[rows], [texts[row] for row in rows]
            )
        return probabilities

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        self.joint.save(folder)
        for code, head in sorted(self.by_language.items()):
            head.save(folder / LANGUAGES_FOLDER / code)

    @classmethod
    def load(cls, folder: Path) -> "LanguageRoutedHead":
        """A saved routed head, or a plain head (no `languages/`) with no language heads."""
        folder = Path(folder)
        joint = LinearEmotionHead.load(folder)
        by_language = {}
        languages_dir = folder / LANGUAGES_FOLDER
        if languages_dir.is_dir():
            for child in sorted(languages_dir.iterdir()):
                if (child / HEAD_JSON).is_file():
                    by_language[child.name] = LinearEmotionHead.load(child)
        return cls(joint, by_language)


def train_routed_head(
    embeddings: np.ndarray,
    cue_vectors: np.ndarray,
    texts: Sequence[str],
    labels: Sequence[str],
    languages: Sequence[str],
    label_order: Sequence[str],
    settings: HeadSettings,
    language_settings: LanguageSettings,
    provenance: Optional[Dict[str, Any]] = None,
) -> LanguageRoutedHead:
    """The joint head on every example, then a head per language that qualifies."""
    joint = train_head(embeddings, cue_vectors, texts, labels, label_order, settings, provenance)
    routed = LanguageRoutedHead(joint)
    if not language_settings.enabled:
        return routed
    everywhere = set(labels)
    language_settings_head = replace(settings, regularisation_c=language_settings.regularisation_c)
    for code, count in sorted(Counter(languages).items()):
        rows = [row for row, language in enumerate(languages) if language == code]
        missing = everywhere - {labels[row] for row in rows}
        if not _LANGUAGE_CODE.match(code or "") or count < language_settings.min_examples or missing:
            logger.info(
                "No emotion head of its own for language %r (%d examples%s); it uses the joint head.",
                code,
                count,
                f", no {sorted(missing)}" if missing else "",
            )
            continue
        routed.by_language[code] = train_head(
            embeddings[rows],
            np.asarray(cue_vectors)[rows],
            [texts[row] for row in rows],
            [labels[row] for row in rows],
            label_order,
            language_settings_head,
            {**(provenance or {}), "language": code, "examples": count},
        )
    return routed
