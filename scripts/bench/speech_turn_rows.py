"""The measured spoken turns of scripts/bench/speech_turn.py and the table and verdict they make."""

from __future__ import annotations

from dataclasses import dataclass

from scripts.bench.speech_recognition import edit_distance, words
from scripts.bench.stats import summary

TARGET_MS = 2500.0  # issue #16: end of speech → bot text cue, p95, for a ~4 s utterance on 2 cores
PADDING_S = 1.0  # spoken() puts 0.5 s of silence either side of the speech
BYTES_PER_S = 32000


def clip_seconds(byte_count: int) -> float:
    """Seconds of speech in a padded 16 kHz s16le clip."""
    return max(0.0, byte_count / BYTES_PER_S - PADDING_S)


@dataclass
class Turn:
    language: str
    condition: str
    long: bool
    text: str
    speech_s: float
    transcript_ms: float | None
    cue_ms: float | None
    transcript: str | None = None
    error: str | None = None
    typed_ms: float | None = None  # the same text typed (clean clips only)

    def progress_line(self) -> str:
        def ms(value: float | None) -> str:
            return "–" if value is None else f"{value:.0f} ms"

        return (
            f"{self.language} {self.condition} {self.speech_s:.1f} s: transcript {ms(self.transcript_ms)}, "
            f"cue {ms(self.cue_ms)}, typed {ms(self.typed_ms)} {self.error or ''}"
        ).rstrip()


def groups(turns: list[Turn]) -> list[tuple[str, list[Turn]]]:
    """The table's rows: per language, the ~4 s utterances, everything."""
    return [
        ("en", [t for t in turns if t.language == "en"]),
        ("de", [t for t in turns if t.language == "de"]),
        ("~4 s (en + de)", [t for t in turns if t.long]),
        ("**all**", list(turns)),
    ]


def _cell(values: list[float]) -> str:
    if not values:
        return "– | – | –"
    s = summary(values)
    return f"{s['p50']:.0f} | {s['p95']:.0f} | {s['max']:.0f}"


def word_error_rate(turns: list[Turn]) -> float | None:
    """Word-level edit distance over reference words, of the turns that got a transcript."""
    heard = [t for t in turns if t.transcript is not None]
    reference = sum(len(words(t.text)) for t in heard)
    if not reference:
        return None
    return 100 * sum(edit_distance(words(t.text), words(t.transcript or "")) for t in heard) / reference


def row(label: str, turns: list[Turn]) -> str:
    seconds = [t.speech_s for t in turns]
    span = f"{min(seconds):.1f}–{max(seconds):.1f}" if seconds else "–"
    transcript = [t.transcript_ms for t in turns if t.transcript_ms is not None]
    cue = [t.cue_ms for t in turns if t.cue_ms is not None]
    typed = [t.typed_ms for t in turns if t.typed_ms is not None]
    wer = word_error_rate(turns)
    failed = sum(1 for t in turns if t.cue_ms is None or t.error)
    wer_text = "–" if wer is None else f"{wer:.0f}"
    return (
        f"| {label} | {len(turns)} | {span} | {_cell(transcript)} | {_cell(cue)} | {len(typed)} | "
        f"{_cell(typed)} | {wer_text} | {failed} |"
    )


def table(turns: list[Turn]) -> str:
    header = (
        "| utterances | n | speech s | → transcript p50 ms | p95 | max | → bot text cue p50 ms | p95 | max "
        "| typed n | typed → cue p50 ms | p95 | max | WER % | failed |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    return "\n".join([header, *(row(label, members) for label, members in groups(turns))])


def target_line(turns: list[Turn], target_ms: float = TARGET_MS) -> str:
    """Whether the ~4 s utterances met the p95 target (end of speech → bot text cue)."""
    cues = [t.cue_ms for t in turns if t.long and t.cue_ms is not None]
    missing = sum(1 for t in turns if t.long and t.cue_ms is None)
    if not cues:
        return f"Target (p95 ≤ {target_ms:.0f} ms, end of speech → bot text cue, ~4 s utterances): not measured."
    p95 = summary(cues)["p95"]
    verdict = "met" if p95 <= target_ms and not missing else "not met"
    lost = f", {missing} without a bot text cue" if missing else ""
    return (
        f"Target (p95 ≤ {target_ms:.0f} ms, end of speech → bot text cue, ~4 s utterances): **{verdict}** "
        f"(p95 {p95:.0f} ms over {len(cues)} utterances{lost})."
    )
