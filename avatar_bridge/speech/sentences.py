"""A reply split into sentences, so the first one can be spoken while the rest are synthesised.

Each sentence keeps its offset in the displayed message, so word timings still point at the
words the customer sees. Decimal points, e-mail addresses and abbreviations such as "z. B." or
"e.g." do not end a sentence: a sentence ends at . ! ? or … followed by white space and then a
capital letter, a digit or an opening quote; very short pieces are joined to the next one.
"""

import re
from dataclasses import dataclass

_END = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+(?=[\"'“„«(]?[A-ZÄÖÜ0-9])")
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:[A-Za-z]|z\. ?B|u\. ?a|d\. ?h|bzw|ca|Nr|Dr|Mr|Mrs|Ms|St|e\.g|i\.e|vs|etc|No)\.)$", re.I
)
MIN_SENTENCE_CHARS = 8


@dataclass(frozen=True)
class Sentence:
    offset: int  # start in the displayed message
    text: str


def split_sentences(text: str) -> list[Sentence]:
    pieces: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        candidate = text[start : match.start()]
        if _ABBREVIATIONS.search(candidate.rstrip("\"'”»)")):
            continue
        pieces.append(Sentence(start, candidate))
        start = match.end()
    pieces.append(Sentence(start, text[start:]))
    merged: list[Sentence] = []
    for piece in pieces:
        if merged and len(merged[-1].text.strip()) < MIN_SENTENCE_CHARS:
            previous = merged.pop()
            piece = Sentence(previous.offset, text[previous.offset : piece.offset + len(piece.text)])
        merged.append(piece)
    return [piece for piece in merged if piece.text.strip()]
