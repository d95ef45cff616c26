"""Reading typed values out of a parsed escalation configuration, collecting every problem with
the field's path instead of stopping at the first (contracts/escalation/config.py uses it)."""

from __future__ import annotations

import re
from typing import Any, List, Mapping, Tuple

MODES = ("handoff", "offer")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_INTENTS = 100


class FieldReader:
    """Reads typed values out of nested dicts and collects problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: List[str] = []

    def section(self, data: Mapping[str, Any], key: str, where: str = "") -> Mapping[str, Any]:
        path = f"{where}{key}"
        value = data.get(key)
        if not isinstance(value, Mapping):
            self.problems.append(f"{path}: must be a mapping (got {kind_of(value)})")
            return {}
        return value

    def flag(self, data: Mapping[str, Any], key: str, where: str, default: bool = True) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problems.append(f"{where}{key}: must be true or false (got {kind_of(value)})")
            return default
        return value

    def mode(self, data: Mapping[str, Any], where: str, default: str = "handoff") -> str:
        value = data.get("mode", default)
        if value not in MODES:
            self.problems.append(f"{where}mode: must be one of {', '.join(MODES)} (got {value!r})"[:300])
            return default
        return value

    def number(
        self, data: Mapping[str, Any], key: str, where: str, low: float, high: float, default: float = 0.0
    ) -> float:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            self.problems.append(f"{where}{key}: must be a number between {low} and {high} (got {kind_of(value)})")
            return default
        if not low <= value <= high:
            self.problems.append(f"{where}{key}: must be between {low} and {high} (got {value})")
            return default
        return float(value)

    def count(self, data: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.append(
                f"{where}{key}: must be a whole number between {low} and {high} (got {kind_of(value)})"
            )
            return low
        if not low <= value <= high:
            self.problems.append(f"{where}{key}: must be between {low} and {high} (got {value})")
            return low
        return value

    def names(self, data: Mapping[str, Any], key: str, where: str, allow_empty: bool = True) -> Tuple[str, ...]:
        value = data.get(key, [])
        path = f"{where}{key}"
        if not isinstance(value, list):
            self.problems.append(f"{path}: must be a list of intent names (got {kind_of(value)})")
            return ()
        if len(value) > MAX_INTENTS:
            self.problems.append(f"{path}: at most {MAX_INTENTS} entries (got {len(value)})")
            return ()
        good: List[str] = []
        for item in value:
            if not isinstance(item, str) or not NAME.match(item):
                self.problems.append(
                    f"{path}: {str(item)[:40]!r} is not an intent name (lower-case letters, digits and _)"
                )
            elif item not in good:
                good.append(item)
        if not good and not allow_empty:
            self.problems.append(f"{path}: must name at least one intent")
        return tuple(good)


def kind_of(value: Any) -> str:
    """What a wrong value was, for a problem message (never the whole value)."""
    if value is None:
        return "nothing"
    if isinstance(value, (bool, int, float)):
        return repr(value)
    return type(value).__name__
