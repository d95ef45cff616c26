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
NEGATIVE_CATEGORIES = ("anger", "fear", "sadness", "confusion")
FEATURE_NAMES = ("positive", "negative") + NEGATIVE_CATEGORIES
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
_NOT = re.compile(r"n['’]t\b")


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
    categories: Tuple[WordList, ...]  # in NEGATIVE_CATEGORIES order
    negations: FrozenSet[str]
    intensifiers: FrozenSet[str]
    negation_window: int = 3
    intensifier_factor: float = 1.5

    def scores(self, text: str) -> Tuple[float, ...]:
        """Positive and negative valence of `text`, then each negative category (`FEATURE_NAMES`).

        Each is 0..1, saturating in the number of hits. A negated negative word ("not bad") counts
        as mildly positive and leaves its category out; a negated positive one counts as negative.
        """
        tokens = tokenize(text)
        totals = [0.0] * len(FEATURE_NAMES)
        last_negation = -100
        for index, token in enumerate(tokens):
            if token in self.negations:
                last_negation = index
                continue
            category = next((i for i, words in enumerate(self.categories) if token in words), None)
            if token in self.positive:
                polarity = 1.0
            elif category is not None:
                polarity = -1.0
            else:
                continue
            if index and tokens[index - 1] in self.intensifiers:
                polarity *= self.intensifier_factor
            if index - last_negation <= self.negation_window:
                polarity, category = -polarity * 0.8, None  # "not bad" is milder than "good"
            totals[0 if polarity > 0 else 1] += abs(polarity)
            if category is not None and polarity < 0:
                totals[2 + category] += abs(polarity)
        return tuple(saturate(value) for value in totals)

    def vectors(self, texts) -> List[Tuple[float, ...]]:
        return [self.scores(text) for text in texts]


def tokenize(text: str) -> List[str]:
    """Lower-case words; English "n't" becomes a separate "not" ("isn't" → "is not")."""
    return _TOKEN.findall(_NOT.sub(" not", text.lower()))


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
    for key in ("positive", "negations", "intensifiers") + NEGATIVE_CATEGORIES:
        if not isinstance(raw.get(key), Mapping):
            raise LexiconError(f"{source}: `{key}` must map languages to word lists")
    negative = frozenset().union(*(_plain(raw[key]) for key in NEGATIVE_CATEGORIES))
    overlap = _plain(raw["positive"]) & negative
    if overlap:
        raise LexiconError(f"{source}: words listed as both positive and negative: {sorted(overlap)}")
    return Lexicon(
        positive=_word_list(raw["positive"]),
        categories=tuple(_word_list(raw[key]) for key in NEGATIVE_CATEGORIES),
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
