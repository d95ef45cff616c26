"""Cue-based reading of a message: shouting, "!!!", swearing, intensifiers, repeated contacts, emoji.

The cue lists are data (`cues.yml`); this module compiles them once per `CueSet` and scores a
text. Scores are 0..1 per cue; `cue_boost` combines them with the weights from the file, and
`combine_intensity` merges that with what the model says. Pure functions, no Rasa.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union

import yaml

from bot.emotion.paths import CUES_FILE

SCHEMA = "emotion-cues.v1"
# The order of the cue features given to the classifier head. Changing it invalidates heads.
CUE_NAMES = (
    "shouting",
    "exclamations",
    "questions",
    "swearing",
    "intensifiers",
    "repeated_contact",
    "elongation",
    "emoji",
)
_VARIATION_SELECTOR = "\ufe0f"
_ELONGATION = re.compile(r"([^\W\d_])\1{2,}", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class CueError(ValueError):
    """The cue file is inconsistent."""


@dataclass(frozen=True)
class CueReading:
    """What the cues say about one text."""

    scores: Dict[str, float]
    emoji_votes: Dict[str, float] = field(default_factory=dict)
    matched: Tuple[str, ...] = ()

    def vector(self, labels: Sequence[str]) -> List[float]:
        """Cue scores in `CUE_NAMES` order, then emoji votes for each of `labels`."""
        return [self.scores.get(name, 0.0) for name in CUE_NAMES] + [
            self.emoji_votes.get(label, 0.0) for label in labels
        ]


@dataclass
class CueSet:
    weights: Dict[str, float]
    word_patterns: Dict[str, re.Pattern]
    regex_patterns: Dict[str, List[re.Pattern]]
    emoji: List[Tuple[str, str, Optional[re.Pattern]]]
    shouting_min_word_letters: int
    shouting_min_letters: int
    shouting_full_share: float
    acronyms: frozenset
    model_weight: float = 0.7

    def intensity(self, model_arousal: float, reading: CueReading) -> float:
        """Intensity (0..1) of a message from the model's arousal and the cues."""
        return combine_intensity(self.model_weight * model_arousal, self.boost(reading))

    def read(self, text: str) -> CueReading:
        """Scores every cue of `text` (already a clean string)."""
        matched: List[str] = []
        scores = {
            "shouting": self._shouting(text),
            "exclamations": exclamation_score(text),
            "questions": question_score(text),
            "elongation": 1.0 if _ELONGATION.search(text) else 0.0,
        }
        for name, pattern in self.word_patterns.items():
            hits = pattern.findall(text)
            matched.extend(f"{name}:{hit.lower()}" for hit in hits)
            per_hit = 0.5 if name == "intensifiers" else 1.0
            scores[name] = min(1.0, per_hit * len(hits))
        for name, patterns in self.regex_patterns.items():
            hit = next((p.search(text) for p in patterns if p.search(text)), None)
            scores[name] = 1.0 if hit else 0.0
            if hit:
                matched.append(f"{name}:{hit.group(0).lower()}")
        votes = self._emoji_votes(text)
        scores["emoji"] = min(1.0, sum(votes.values()))
        matched.extend(f"emoji:{label}" for label in votes)
        for name in CUE_NAMES:
            scores.setdefault(name, 0.0)
        return CueReading(scores=scores, emoji_votes=votes, matched=tuple(matched))

    def boost(self, reading: CueReading) -> float:
        """Combined intensity the cues add on their own (0..1)."""
        remaining = 1.0
        for name, score in reading.scores.items():
            remaining *= 1.0 - min(max(self.weights.get(name, 0.0) * score, 0.0), 1.0)
        return 1.0 - remaining

    def _shouting(self, text: str) -> float:
        words = _WORD.findall(text)
        letters = sum(len(word) for word in words)
        shouted = sum(
            len(word)
            for word in words
            if len(word) >= self.shouting_min_word_letters and word.isupper() and word.lower() not in self.acronyms
        )
        if shouted < self.shouting_min_letters or not letters:
            return 0.0
        return min(1.0, (shouted / letters) / self.shouting_full_share)

    def _emoji_votes(self, text: str) -> Dict[str, float]:
        plain = text.replace(_VARIATION_SELECTOR, "")
        votes: Dict[str, float] = {}
        for symbol, label, pattern in self.emoji:
            count = len(pattern.findall(plain)) if pattern else plain.count(symbol)
            if count:
                votes[label] = min(1.0, votes.get(label, 0.0) + 0.6 + 0.2 * (count - 1))
        return votes


def exclamation_score(text: str) -> float:
    longest = max((len(run) for run in re.findall(r"[!¡]+", text)), default=0)
    total = text.count("!")
    if longest >= 3 or total >= 4:
        return 1.0
    if longest == 2 or total >= 2 or "?!" in text or "!?" in text:
        return 0.6
    return 0.25 if total == 1 else 0.0


def question_score(text: str) -> float:
    longest = max((len(run) for run in re.findall(r"[?¿]+", text)), default=0)
    if longest >= 3:
        return 1.0
    return 0.6 if longest == 2 else 0.0


def combine_intensity(model_part: float, cue_boost: float) -> float:
    """Intensity from the model's emotional arousal and the cues, combined like independent chances."""
    model_part = min(max(model_part, 0.0), 1.0)
    cue_boost = min(max(cue_boost, 0.0), 1.0)
    return 1.0 - (1.0 - model_part) * (1.0 - cue_boost)


def has_emoji(text: str) -> bool:
    return any(unicodedata.category(char) == "So" for char in text)


def load_cues(path: Union[str, Path, None] = None) -> CueSet:
    """The compiled cue set of `path` (the project's `cues.yml` when None)."""
    return _load_cues_cached(str(Path(path or CUES_FILE).resolve()))


@lru_cache(maxsize=4)
def _load_cues_cached(path: str) -> CueSet:
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    return cues_from_dict(raw, source=path)


def cues_from_dict(raw: Mapping, source: str = "<dict>") -> CueSet:
    if raw.get("schema") != SCHEMA:
        raise CueError(f"{source}: schema must be {SCHEMA!r}")
    weights = {str(k): float(v) for k, v in (raw.get("weights") or {}).items()}
    unknown = set(weights) - set(CUE_NAMES)
    if unknown:
        raise CueError(f"{source}: weights for unknown cues {sorted(unknown)}")
    try:
        word_patterns = {
            name: _word_list_pattern(words_by_language) for name, words_by_language in (raw.get("words") or {}).items()
        }
        regex_patterns = {
            name: [re.compile(p, re.IGNORECASE | re.UNICODE) for patterns in by_language.values() for p in patterns]
            for name, by_language in (raw.get("patterns") or {}).items()
        }
    except re.error as error:
        raise CueError(f"{source}: bad pattern: {error}") from error
    emoji = []
    for label, symbols in (raw.get("emoji") or {}).items():
        for symbol in symbols:
            symbol = str(symbol).replace(_VARIATION_SELECTOR, "")
            # Text emoticons (":/") only count as separate tokens, never inside "https://".
            pattern = re.compile(r"(?<!\S)" + re.escape(symbol) + r"(?!\S)") if symbol.isascii() else None
            emoji.append((symbol, str(label), pattern))
    shouting = raw.get("shouting") or {}
    return CueSet(
        weights=weights,
        word_patterns=word_patterns,
        regex_patterns=regex_patterns,
        emoji=emoji,
        shouting_min_word_letters=int(shouting.get("min_word_letters", 3)),
        shouting_min_letters=int(shouting.get("min_letters", 4)),
        shouting_full_share=float(shouting.get("full_share", 0.6)),
        acronyms=frozenset(str(a).lower() for a in shouting.get("acronyms") or []),
        model_weight=float(raw.get("model_weight", 0.7)),
    )


def _word_list_pattern(words_by_language: Mapping[str, Sequence[str]]) -> re.Pattern:
    alternatives = []
    for words in words_by_language.values():
        for word in words:
            word = str(word).strip()
            prefix = word.endswith("*")
            escaped = r"\s+".join(re.escape(part) for part in word.rstrip("*").split())
            alternatives.append(escaped + (r"\w*" if prefix else ""))
    alternatives.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE | re.UNICODE)
