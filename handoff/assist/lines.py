"""Reading the chat lines: who said what, when it arrived, and simple cues in the text.

Chat lines come as the store keeps them (kind, text, ts, id); anything else is skipped, never
trusted. Cue words are a small list in English and German: the handoff service runs no emotion
model on live lines, so these cues only steer which words of acknowledgement fit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_TEXT = 2000
WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A stream id "<ms>-<seq>": the service's own clock, so waiting times do not depend on the bridge's.
STREAM_ID = re.compile(r"^(\d{1,15})-\d{1,15}$")

# Label -> cue words (lower case, both languages). Distress labels first: they win a tie.
CUES: dict[str, tuple[str, ...]] = {
    label: tuple(cue.strip() for cue in cues.split(","))
    for label, cues in (
        (
            "frustrated",
            "ridiculous, unacceptable, angry, annoyed, annoying, fed up, useless, terrible, worst, joke, rubbish, "
            "unverschämt, frechheit, ärgerlich, sauer, wütend, inakzeptabel, lächerlich, nervt, unmöglich, katastrophe",
        ),
        (
            "anxious",
            "worried, worry, urgent, asap, scared, afraid, nervous, deadline, panic, "
            "sorge, sorgen, dringend, angst, befürchte, beunruhigt, eilig",
        ),
        ("sad", "disappointed, let down, sad, upset, gutted, enttäuscht, traurig, schade"),
        (
            "confused",
            "don't understand, do not understand, confused, makes no sense, unclear, what does, "
            "verstehe nicht, verwirrt, unklar, ergibt keinen sinn, was bedeutet",
        ),
        ("happy", "thank, thanks, great, perfect, brilliant, danke, super, prima, perfekt, toll"),
    )
}
DISTRESS_LABELS = ("frustrated", "anxious", "sad")
# Words too common to tell two messages apart.
STOP_WORDS = frozenset(
    "the and you your for was are not but this that with have has had been can why what when where "
    "der die das und ich sie ist nicht mit ein eine einen mein meine noch schon wie was wann warum".split()
)


@dataclass(frozen=True)
class Line:
    kind: str
    text: str
    arrived: float  # seconds since the epoch, from the stream id (or the line's ts)
    line_id: str


def read_lines(raw: Any) -> list[Line]:
    """The usable chat lines, oldest first; malformed entries are left out."""
    result = []
    for item in raw if isinstance(raw, Sequence) and not isinstance(raw, (str, bytes)) else []:
        if not isinstance(item, Mapping) or not isinstance(item.get("text"), str):
            continue
        kind = item.get("kind")
        if kind not in ("customer", "agent", "system", "note", "whisper"):
            continue
        line_id = item.get("id") if isinstance(item.get("id"), str) else ""
        result.append(Line(kind, item["text"][:MAX_TEXT], _arrived(line_id, item.get("ts")), line_id))
    return result


def _arrived(line_id: str, ts: Any) -> float:
    match = STREAM_ID.match(line_id)
    if match:
        return int(match.group(1)) / 1000
    if isinstance(ts, (int, float)) and not isinstance(ts, bool) and ts == ts:
        return float(ts)
    return 0.0


def words(text: str) -> set[str]:
    return {word for word in WORD.findall(text.lower()) if len(word) > 2 and word not in STOP_WORDS}


def similarity(a: str, b: str) -> float:
    """Share of distinct words two texts have in common (Jaccard), 0..1."""
    left, right = words(a), words(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def has_cue(text: str, cue: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(cue)}", text.lower()) is not None


def feeling_of(text: str) -> str | None:
    """The label whose cue words appear in the text (distress labels first), or None."""
    for label, cues in CUES.items():
        if any(has_cue(text, cue) for cue in cues):
            return label
    return None


def distress_cue(text: str) -> float:
    """0..1 from what shows on the surface: distress words, exclamation marks, shouting in capitals."""
    score = 0.4 if feeling_of(text) in DISTRESS_LABELS else 0.0
    score += 0.2 * min(text.count("!"), 2)
    shouted = [word for word in WORD.findall(text) if len(word) >= 3 and word.isupper()]
    if shouted:
        score += 0.3
    return round(min(score, 1.0), 3)


def is_question(text: str) -> bool:
    return "?" in text
