"""Reasons for a handoff in words for the agent, English and German (reasons.yml).

    reason_text("billing_double_charge")             # "The customer reports being charged twice ..."
    reason_text("billing_double_charge", "de")
    reason_template("conversation_loop").format(topic="order status", count=3)

Unknown codes get a generic sentence naming the code; unknown languages fall back to English.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping

import yaml

REASONS_FILE = Path(__file__).with_name("reasons.yml")
SCHEMA = "handoff-reasons.v1"
LANGUAGES = ("en", "de")


@lru_cache(maxsize=1)
def _reasons() -> Mapping[str, Any]:
    data = yaml.safe_load(REASONS_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValueError(f"{REASONS_FILE}: schema must be {SCHEMA}")
    return data


def _in(entry: Mapping[str, Any], language: str) -> Any:
    return entry.get(language) or entry["en"]


def reason_codes() -> Dict[str, Mapping[str, str]]:
    """Every reason with a fixed text: code → {language: text}."""
    return dict(_reasons()["texts"])


def has_text(code: str) -> bool:
    return code in _reasons()["texts"]


def reason_text(code: str, language: str = "en") -> str:
    """The sentence an agent reads for `code` (a generic one for codes without an entry)."""
    entry = _reasons()["texts"].get(code)
    if entry is None:
        return reason_template("unknown", language).format(code=code)
    return _in(entry, language)


def reason_template(name: str, language: str = "en") -> str:
    """A text with {placeholders} for reasons the rules fill in (reasons.yml `templates`)."""
    return _in(_reasons()["templates"][name], language)


def times_in_words(count: int, language: str = "en") -> str:
    """ "twice", "3 times" (or the German words)."""
    words = _in(_reasons()["times"], language)
    return str(words.get(count, words["other"])).format(count=count)
