"""Viseme and word timelines from the synthesiser's own events.

Every viseme change sits on the onset of the phoneme that causes it, as the synthesiser reported
it for the audio it produced; nothing is spread evenly over the duration. Word timings point at
the words of the displayed text (through the normaliser's segment map), so captions highlight
"40010002" while the voice reads it digit by digit.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from avatar_bridge.speech.normalise import NormalisedText
from avatar_bridge.speech.visemes import viseme_for

logger = logging.getLogger(__name__)
# Mid-vowel shape for a phoneme the table does not know: visible but neutral.
_UNKNOWN_PHONEME_VISEME = "E"


@dataclass(frozen=True)
class SynthesisEvent:
    """One event of a synthesis run, in the audio of that very run (espeak-ng's own events, or
    Piper's alignments turned into events by piper_timeline.py)."""

    kind: str  # "word" | "phoneme" | "sentence" | "end"
    t_ms: int  # offset into the produced audio (rounded from `sample`)
    text_position: int  # 1-based character position in the synthesised text
    length: int  # characters of the word (word events)
    phoneme: str  # IPA (phoneme events); "" is a pause
    sample: int = 0  # sample index into the produced audio


def viseme_timeline(events: Iterable[SynthesisEvent], duration_ms: int) -> list[dict]:
    """[{t_ms, viseme}] starting with silence at 0 and ending with silence, one entry per change."""
    timeline: list[list] = [[0, "sil"]]
    for event in sorted((e for e in events if e.kind == "phoneme"), key=lambda e: e.t_ms):
        if _is_language_switch(event.phoneme):
            continue
        viseme = viseme_for(event.phoneme)
        if viseme is None:
            logger.warning("no viseme for phoneme %r; using %s", event.phoneme, _UNKNOWN_PHONEME_VISEME)
            viseme = _UNKNOWN_PHONEME_VISEME
        t_ms = min(event.t_ms, duration_ms)
        if timeline[-1][0] == t_ms:
            # Two phonemes at one instant (a zero-length pause before a vowel): the later one shows.
            timeline[-1][1] = viseme
            if len(timeline) > 1 and timeline[-2][1] == viseme:
                timeline.pop()
        elif timeline[-1][1] != viseme:
            timeline.append([t_ms, viseme])
    if timeline[-1][1] != "sil":
        timeline.append([duration_ms, "sil"])
    return [{"t_ms": t_ms, "viseme": viseme} for t_ms, viseme in timeline]


def _is_language_switch(phoneme: str) -> bool:
    """espeak-ng reports a switch of pronunciation rules, e.g. "(en)" for an English word in
    German text, as a phoneme event; it makes no sound."""
    return phoneme.startswith("(") and phoneme.endswith(")")


def word_timeline(events: Iterable[SynthesisEvent], text: NormalisedText) -> list[dict]:
    """[{t_ms, word, offset, length}] for the displayed text, in speaking order."""
    words: list[dict] = []
    last_span: tuple[int, int] | None = None
    # espeak-ng also reports zero-length "words" at clause boundaries (after a comma inside a
    # spelled number, say), pointing back into the text: they are no words.
    for event in sorted((e for e in events if e.kind == "word" and e.length > 0), key=lambda e: e.t_ms):
        start, end = text.display_span(event.text_position - 1, event.length)
        word = text.display[start:end].strip()
        if not word or (start, end) == last_span:
            continue  # one displayed token read as several spoken words keeps its first time
        last_span = (start, end)
        offset = start + (len(text.display[start:end]) - len(text.display[start:end].lstrip()))
        words.append({"t_ms": event.t_ms, "word": word, "offset": offset, "length": len(word)})
    return words
