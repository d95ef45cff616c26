"""Locale playbooks (YAML per language): which feelings get acknowledged, in which words."""

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from avatar_bridge.dialogue.emotion import EMOTION_LABELS, VULNERABILITY_KINDS

BANDS = ("low", "medium", "high")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AcknowledgePolicy(_Strict):
    reply_kinds: frozenset[str]
    min_band: dict[str, str]


class Markers(_Strict):
    acknowledgement: tuple[str, ...]
    apology: tuple[str, ...]


class FallbackWording(_Strict):
    """What the bridge itself says when Rasa or the action server is down (dialogue/fallback.py)."""

    assistant_unavailable: str  # Rasa is down: say so, offer a person or another try
    lookups_unavailable: str  # the action server is down: no orders, accounts, invoices
    still_unavailable: str  # the same failure again while the offer stands: shorter, not a repeat
    handed_over: str  # the bridge queued the handoff itself
    handoff_failed: str  # ... and could not
    nothing_to_retry: str  # "Try again" with no failed message waiting
    talk_to_person: str  # button titles
    try_again: str
    # Typed answers that accept the offer or ask for another try, compared after lower-casing
    # and dropping punctuation ("Yes, please!" -> "yes please").
    accept_phrases: frozenset[str] = Field(min_length=1)
    retry_phrases: frozenset[str] = Field(min_length=1)


class Playbook(_Strict):
    language: str
    tone: str
    acknowledge: AcknowledgePolicy
    phrases: dict[str, dict[str, tuple[str, ...]]]
    apologies: tuple[str, ...] = Field(min_length=1)
    # Longer, sincere acknowledgements for customers in a vulnerable situation, per kind.
    vulnerable: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    markers: Markers
    no_reply: str
    fallback: FallbackWording

    def min_band(self, emotion: str) -> str | None:
        """The weakest band that gets an acknowledgement; None: this emotion never does."""
        return self.acknowledge.min_band.get(emotion)

    def phrases_for(self, emotion: str, band: str) -> tuple[str, ...]:
        return self.phrases.get(emotion, {}).get(band, ())

    def vulnerable_phrases(self, kind: str | None) -> tuple[str, ...]:
        return self.vulnerable.get(kind, ()) if kind else ()

    def acknowledges_itself(self, sentence: str) -> bool:
        lowered = sentence.casefold()
        return any(marker in lowered for marker in self.markers.acknowledgement)

    def apologises(self, text: str) -> bool:
        lowered = text.casefold()
        return any(marker in lowered for marker in self.markers.apology)


def load_playbooks(directory: Path, reply_kinds: frozenset[str]) -> dict[str, Playbook]:
    playbooks = {}
    for path in sorted(directory.glob("*.yml")):
        playbook = Playbook.model_validate(yaml.safe_load(path.read_text("utf-8")))
        _check(playbook, path, reply_kinds)
        playbooks[playbook.language] = playbook
    if "en" not in playbooks:
        raise ValueError(f"{directory}: an English playbook (en.yml) is required as the fallback")
    return playbooks


def _check(playbook: Playbook, path: Path, reply_kinds: frozenset[str]) -> None:
    unknown_kinds = playbook.acknowledge.reply_kinds - reply_kinds
    if unknown_kinds:
        raise ValueError(f"{path}: unknown reply kinds {sorted(unknown_kinds)}")
    for emotion, band in playbook.acknowledge.min_band.items():
        if emotion not in EMOTION_LABELS or band not in BANDS:
            raise ValueError(f"{path}: min_band {emotion}: {band} is not an emotion and a band")
        wanted = BANDS[BANDS.index(band) :]
        missing = [b for b in wanted if not playbook.phrases_for(emotion, b)]
        if missing:
            raise ValueError(f"{path}: {emotion} is acknowledged from {band} on but has no phrases for {missing}")
    unknown = set(playbook.vulnerable) - set(VULNERABILITY_KINDS)
    if unknown:
        raise ValueError(f"{path}: vulnerable: unknown kinds {sorted(unknown)}; known: {list(VULNERABILITY_KINDS)}")
    every_list = [phrases for bands in playbook.phrases.values() for phrases in bands.values()]
    seen: set[str] = set()
    for phrases in every_list + list(playbook.vulnerable.values()):
        for phrase in phrases:
            if phrase in seen:
                raise ValueError(f"{path}: phrase listed twice: {phrase!r}")
            seen.add(phrase)
