"""One expression per sentence: the face follows what is being said.

A message such as "I'm sorry your order is running late. Good news: it is out for delivery today."
needs an apologetic face while the first sentence is spoken and a (customer-appropriate) smile for
the second. The message's text is split into sentences; each gets a reply kind (the NLG cue's
acknowledgement and apology are known; otherwise the per-language patterns of
``sentence_kinds.yml``, a question mark, or the message's kind) and an expression from the same
expression table as the message, for the same customer emotion — so the table's start-up checks (no
smile for a distressed customer, ...) hold for every sentence too. The client times the sentences
with the speech's word timings (docs/protocol.md §5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from avatar_bridge.expression.planner import DISTRESS_EMOTIONS, ExpressionPlanner

# A sentence ends at . ! ? or … followed by white space (so "24.12.2026" and "3.5" stay whole),
# or at a line break.
_BOUNDARY = re.compile(r"(?<=[.!?…])\s+|\n+")
KIND_ORDER = ("apology", "bad_news", "good_news")


@dataclass(frozen=True)
class SentenceCues:
    patterns: dict[str, dict[str, tuple[re.Pattern[str], ...]]]

    @classmethod
    def load(cls, path: Path) -> SentenceCues:
        document = yaml.safe_load(path.read_text("utf-8"))
        patterns = {
            language: {
                kind: tuple(re.compile(expression, re.IGNORECASE) for expression in kinds.get(kind, []))
                for kind in KIND_ORDER
            }
            for language, kinds in document.items()
        }
        return cls(patterns)

    def kind_of(self, sentence: str, language: str) -> str | None:
        for kind, expressions in self.patterns.get(language, {}).items():
            if any(expression.search(sentence) for expression in expressions):
                return kind
        return None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(offset, length) of each sentence in `text`, without the white space between them."""
    spans = []
    start = 0
    for boundary in [*_BOUNDARY.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            spans.append((start + piece.index(stripped[0]), len(stripped)))
        if boundary:
            start = boundary.end()
    return spans


class SentencePlanner:
    def __init__(self, planner: ExpressionPlanner, cues: SentenceCues) -> None:
        self._planner = planner
        self._cues = cues

    def plan(
        self, text: str, message_kind: str, language: str, emotion: str, intensity: float, cue: dict
    ) -> list[dict]:
        """[{offset, length, reply_kind, expression}] for each sentence of `text`."""
        acknowledgement = _known_part(text, cue.get("acknowledgement"))
        apology = _known_part(text, cue.get("apology"))
        sentences = []
        for offset, length in split_sentences(text):
            sentence = text[offset : offset + length]
            if _inside(offset, acknowledgement):
                # Showing the customer their feeling was understood: a concerned face for distress
                # or confusion, else the message's own.
                kind = "bad_news" if emotion in DISTRESS_EMOTIONS or emotion == "confused" else message_kind
            elif _inside(offset, apology):
                kind = "apology"
            else:
                kind = self._cues.kind_of(sentence, language) or (
                    "question" if sentence.rstrip().endswith("?") else message_kind
                )
            expression = self._planner.plan(emotion, intensity, kind).expression
            sentences.append(
                {
                    "offset": offset,
                    "length": length,
                    "reply_kind": kind,
                    "expression": {
                        "name": expression.name,
                        "intensity": expression.intensity,
                        "duration_ms": expression.duration_ms,
                    },
                }
            )
        return sentences


def _known_part(text: str, part: object) -> tuple[int, int] | None:
    if not isinstance(part, str) or not part.strip():
        return None
    start = text.find(part.strip())
    return (start, start + len(part.strip())) if start >= 0 else None


def _inside(offset: int, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= offset < span[1]
