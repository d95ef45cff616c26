"""Readable names for intent, reason and avatar codes (contracts/display_names.yml), one table for every
screen that shows them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

PATH = Path(__file__).with_name("display_names.yml")
KINDS = ("intents", "reasons", "avatars")


@cache
def _table() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(PATH.read_text("utf-8"))
    return {kind: {str(k): str(v) for k, v in (data.get(kind) or {}).items()} for kind in KINDS}


def humanise(code: str) -> str:
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "–"


def display_name(kind: str, code: str | None) -> str:
    """The readable name of an intent, reason or avatar code (`kind`: one of KINDS)."""
    if not code:
        return "–"
    return _table()[kind].get(code) or humanise(code)


def display_names(kind: str, codes: list[str]) -> dict[str, str]:
    return {code: display_name(kind, code) for code in codes}
