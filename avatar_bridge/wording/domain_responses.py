"""The domain's responses, rendered the way Rasa 3.6 renders them.

When Rasa has an NLG endpoint it no longer renders responses itself, so the endpoint must do
what Rasa's TemplatedNaturalLanguageGenerator does (rasa/core/nlg/response.py and
generator.py in 3.6): pick the variations whose conditions match the filled slots (and the
output channel), choose one at random, and fill ``{slot}`` placeholders in text, buttons,
image, custom, attachment and quick replies from the slots and the action's arguments.
"""

import logging
import random
import re
from pathlib import Path

import yaml

logger = logging.getLogger(__name__)
_PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")
_INTERPOLATED_KEYS = ("text", "image", "custom", "buttons", "attachment", "quick_replies")


class DomainResponses:
    """All ``responses:`` sections under the given files/folders, reloaded when they change."""

    def __init__(self, paths: list[Path], chooser: random.Random | None = None) -> None:
        self._paths = paths
        self._chooser = chooser or random.Random()
        self._signature: tuple = ()
        self._responses: dict[str, list[dict]] = {}

    def _files(self) -> list[Path]:
        files: list[Path] = []
        for path in self._paths:
            if path.is_dir():
                files += sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml"))
            elif path.is_file():
                files.append(path)
        return files

    def reload_if_changed(self) -> None:
        files = self._files()
        signature = tuple((str(path), path.stat().st_mtime_ns) for path in files)
        if signature == self._signature:
            return
        responses: dict[str, list[dict]] = {}
        for path in files:
            try:
                document = yaml.safe_load(path.read_text("utf-8"))
            except (OSError, yaml.YAMLError) as error:
                logger.warning("skipping unreadable domain file %s: %s", path, error)
                continue
            section = document.get("responses") if isinstance(document, dict) else None
            if isinstance(section, dict):
                responses.update({name: list(variations) for name, variations in section.items()})
        self._responses = responses
        self._signature = signature
        logger.info("loaded %d domain responses from %d files", len(responses), len(files))

    def names(self) -> frozenset[str]:
        self.reload_if_changed()
        return frozenset(self._responses)

    def variations(self) -> list[tuple[str, dict]]:
        """(response name, variation) for every variation of every response."""
        self.reload_if_changed()
        return [(name, dict(variation)) for name, variations in self._responses.items() for variation in variations]

    def choose(self, name: str, slots: dict, channel: str | None, cost=None) -> dict | None:
        """One variation of response `name`, as Rasa's ResponseVariationFilter would allow.

        `cost` (variation -> number), when given, narrows the random choice to the cheapest
        variations (the NLG endpoint uses it to prefer wordings the customer has not heard).
        """
        self.reload_if_changed()
        variations = self._responses.get(name)
        if not variations:
            return None
        eligible = eligible_variations(variations, slots, channel)
        if eligible and cost is not None:
            costs = [cost(variation) for variation in eligible]
            eligible = [variation for variation, value in zip(eligible, costs) if value == min(costs)]
        return dict(self._chooser.choice(eligible)) if eligible else None


def eligible_variations(variations: list[dict], slots: dict, channel: str | None) -> list[dict]:
    """Rasa's preference order: conditional+channel, default+channel, conditional, default."""
    conditional = [v for v in variations if v.get("condition") and _conditions_hold(v["condition"], slots)]
    default = [v for v in variations if not v.get("condition")]
    for group, on_channel in ((conditional, True), (default, True), (conditional, False), (default, False)):
        matching = [v for v in group if (v.get("channel") == channel if on_channel else v.get("channel") is None)]
        if matching:
            return matching
    return []


def _conditions_hold(conditions: list[dict], slots: dict) -> bool:
    for condition in conditions:
        wanted = condition.get("value")
        actual = slots.get(condition.get("name"))
        if isinstance(actual, str) and isinstance(wanted, str):
            if actual.casefold() != wanted.casefold():
                return False
        elif actual != wanted:
            return False
    return True


def render(variation: dict, values: dict) -> dict:
    """Fill placeholders like Rasa's interpolator: a text naming an unknown value stays as written."""
    rendered = dict(variation)
    rendered.pop("condition", None)
    rendered.pop("channel", None)
    for key in _INTERPOLATED_KEYS:
        if key in rendered:
            rendered[key] = _interpolate(rendered[key], values)
    return rendered


def _interpolate(value: object, values: dict) -> object:
    if isinstance(value, str):
        return interpolate_text(value, values)
    if isinstance(value, dict):
        return {key: _interpolate(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_interpolate(item, values) for item in value]
    return value


def interpolate_text(text: str, values: dict) -> str:
    # "{{" and "}}" are literal braces, as in str.format.
    protected = text.replace("{{", "\0").replace("}}", "\1")
    names = _PLACEHOLDER.findall(protected)
    if any(name not in values for name in names):
        return text.replace("{{", "{").replace("}}", "}")
    filled = _PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), protected)
    return filled.replace("\0", "{").replace("\1", "}")
