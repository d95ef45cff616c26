"""A small valence lexicon read over a message: how positive and how negative its words are.

The English sentence encoder reads German poorly; these two numbers, from a team-written word
list per language (`lexicon.yml`) with negation ("nicht gut", "not bad") and intensifiers
("echt schlecht"), give the head a language-aware valence signal that works for words our
examples never used. Pure functions, no Rasa; the lists are compiled once per file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Mapping, Optional, Tuple, Union

import yaml

SCHEMA = "emotion-lexicon.v1"
LEXICON_FILE = Path(__file__).resolve().parent / "lexicon.yml"
# The order of the lexicon features given to the head. Changing it invalidates heads.
FEATURE_NAMES = ("positive", "negative")
_TOKEN = re.compile(r"[^\W\d_]+(?:'t)?|n't", re.UNICODE)


class LexiconError(ValueError):
    """The lexicon file is inconsistent."""


@dataclass(frozen=True)
class WordList:
    words: FrozenSet[str]
    prefixes: Optional[re.Pattern]  # one alternation of every "word*" entry, for speed

    def __contains__(self, token: str) -> bool:
        return token in self.words or bool(self.prefixes and self.prefixes.match(token))


@dataclass(frozen=True)
class Lexicon:
    positive: WordList
    negative: WordList
    negations: FrozenSet[str]
    intensifiers: FrozenSet[str]
    negation_window: int = 3
    intensifier_factor: float = 1.5

    def scores(self, text: str) -> Tuple[float, float]:
        """(positive, negative) valence of `text`, each 0..1 (saturating in the number of hits)."""
        tokens = tokenize(text)
        positive = negative = 0.0
        last_negation = -100
        for index, token in enumerate(tokens):
            if token in self.negations:
                last_negation = index
                continue
            polarity = 1.0 if token in self.positive else (-1.0 if token in self.negative else 0.0)
            if not polarity:
                continue
            if index and tokens[index - 1] in self.intensifiers:
                polarity *= self.intensifier_factor
            if index - last_negation <= self.negation_window:
                polarity = -polarity * 0.8  # "not bad" is milder than "good"
            if polarity > 0:
                positive += polarity
            else:
                negative -= polarity
        return saturate(positive), saturate(negative)

    def vectors(self, texts) -> List[Tuple[float, float]]:
        return [self.scores(text) for text in texts]


def tokenize(text: str) -> List[str]:
    return [token.replace("'t", "").replace("n't", "not") or "not" for token in _TOKEN.findall(text.lower())]


def saturate(value: float) -> float:
    return 1.0 - math.exp(-value)


def load_lexicon(path: Union[str, Path, None] = None) -> Lexicon:
    """The compiled lexicon of `path` (the project's `lexicon.yml` when None)."""
    return _load_cached(str(Path(path or LEXICON_FILE).resolve()))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Lexicon:
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    return lexicon_from_dict(raw, source=path)


def lexicon_from_dict(raw: Mapping, source: str = "<dict>") -> Lexicon:
    if raw.get("schema") != SCHEMA:
        raise LexiconError(f"{source}: schema must be {SCHEMA!r}")
    for key in ("positive", "negative", "negations", "intensifiers"):
        if not isinstance(raw.get(key), Mapping):
            raise LexiconError(f"{source}: `{key}` must map languages to word lists")
    overlap = _plain(raw["positive"]) & _plain(raw["negative"])
    if overlap:
        raise LexiconError(f"{source}: words listed as both positive and negative: {sorted(overlap)}")
    return Lexicon(
        positive=_word_list(raw["positive"]),
        negative=_word_list(raw["negative"]),
        negations=_plain(raw["negations"]),
        intensifiers=_plain(raw["intensifiers"]),
        negation_window=int(raw.get("negation_window", 3)),
        intensifier_factor=float(raw.get("intensifier_factor", 1.5)),
    )


def _plain(by_language: Mapping) -> FrozenSet[str]:
    return frozenset(str(word).lower() for words in by_language.values() for word in words or [])


def _word_list(by_language: Mapping) -> WordList:
    entries = _plain(by_language)
    prefixes = sorted((word[:-1] for word in entries if word.endswith("*")), key=len, reverse=True)
    pattern = re.compile("(?:" + "|".join(map(re.escape, prefixes)) + ")") if prefixes else None
    return WordList(frozenset(word for word in entries if not word.endswith("*")), pattern)
