"""Up to three suggestions (acknowledge, ask, act) and the warnings for the latest customer message.

Deterministic: the same lines, package and shown keys give the same answer. A suggestion is known by
its key (a hash of its text), and a key in `shown` is never offered again; the opening line's four
A's count as shown, so live assist never repeats the opening.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from contracts.emotion.taxonomy import load_taxonomy
from handoff.assist import acknowledge, case_facts
from handoff.assist.lines import Line, feeling_of, read_lines
from handoff.assist.warning_rules import warnings_for

LANGUAGES = ("en", "de")
KINDS = ("acknowledge", "ask", "act")


@dataclass(frozen=True)
class Suggestion:
    key: str
    kind: str  # acknowledge | ask | act
    text: str  # in the customer's language, ready to insert and edit
    why: str  # for the agent (English)


@dataclass(frozen=True)
class AssistResult:
    for_line: str | None  # id of the customer line the suggestions answer
    language: str
    emotion: str
    suggestions: list[Suggestion] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def suggestion_key(text: str) -> str:
    """The same words are the same suggestion, whatever its kind or spacing."""
    normal = " ".join(text.lower().split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def live_assist(lines: Any, package: Any, language: Any, shown: Collection[str] = (), now: float = 0.0) -> AssistResult:
    """Suggestions for the newest customer line and the warnings that apply now.

    `lines`: the chat lines as the store returns them; `package`: the context package; `shown`: keys
    of suggestions shown earlier in this conversation; `now`: seconds since the epoch.
    """
    chat = read_lines(lines)
    context = package if isinstance(package, Mapping) else {}
    language = _language(language, context)
    earlier = _transcript_customer_texts(context)
    warnings = warnings_for(chat, earlier, now)
    customer = [line for line in chat if line.kind == "customer"]
    if not customer:
        return AssistResult(None, language, "neutral", [], warnings)
    latest = customer[-1]
    emotion, emotion_why = _emotion(latest, context)
    used = set(shown) | {suggestion_key(text) for text in _opening_texts(context)}
    repeated = any(warning["code"] == "repeated" for warning in warnings)
    offers = _acknowledgements(emotion, emotion_why, language, repeated)
    offers += [(c.kind, c.text, c.why) for c in case_facts.candidates(context, language)]
    suggestions = []
    for kind in KINDS:
        chosen = _first_new(((k, t, w) for k, t, w in offers if k == kind), used)
        if chosen:
            suggestions.append(chosen)
            used.add(chosen.key)
    return AssistResult(latest.line_id or None, language, emotion, suggestions, warnings)


def _first_new(offers: Iterable[tuple[str, str, str]], used: set[str]) -> Suggestion | None:
    for kind, text, why in offers:
        key = suggestion_key(text)
        if key not in used:
            return Suggestion(key, kind, text, why)
    return None


def _acknowledgements(emotion: str, why: str, language: str, repeated: bool) -> list[tuple[str, str, str]]:
    offers = []
    if repeated:
        summarise_why = "The customer repeated themselves: show them you understood."
        offers += [("acknowledge", text, summarise_why) for text in acknowledge.SUMMARISE[language]]
    offers += [("acknowledge", text, why) for text in acknowledge.pool(emotion, language)]
    return offers


def _emotion(latest: Line, context: Mapping[str, Any]) -> tuple[str, str]:
    """The label for the latest message: its own cue words, else the last one the bot measured."""
    cue = feeling_of(latest.text)
    if cue:
        return cue, f"The latest message has words that sound {cue}."
    timeline = context.get("emotion_timeline")
    if isinstance(timeline, list) and timeline and isinstance(timeline[-1], Mapping):
        label = timeline[-1].get("label")
        if label in load_taxonomy().names:
            return label, f"The customer was {label} when the assistant handed over."
    return "neutral", "No sign of a strong feeling: a plain acknowledgement."


def _language(language: Any, context: Mapping[str, Any]) -> str:
    if language in LANGUAGES:
        return language
    return context.get("language") if context.get("language") in LANGUAGES else "en"


def _transcript_customer_texts(context: Mapping[str, Any]) -> list[str]:
    transcript = context.get("transcript")
    if not isinstance(transcript, list):
        return []
    return [
        line["text"]
        for line in transcript
        if isinstance(line, Mapping) and line.get("role") == "customer" and isinstance(line.get("text"), str)
    ]


def _opening_texts(context: Mapping[str, Any]) -> list[str]:
    step = context.get("next_step")
    four = step.get("four_as") if isinstance(step, Mapping) else None
    if not isinstance(four, Mapping):
        return []
    return [text for text in four.values() if isinstance(text, str)]
