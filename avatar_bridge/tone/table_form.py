"""The expression table as a form: each rule's face (expression and its intensity, how long it
holds) and voice (speaking rate, pitch, volume), edited as values rather than YAML.

The conditions (`when`), the intensity bands and the gestures stay as they are; a form carries the
defaults and one entry per rule, in the table's order. Values are checked here field by field (so
an error names the rule and the field), then the whole table goes through the same loaders as a
YAML replacement (documents.py), so a form can never store what the planner would refuse.
"""

from __future__ import annotations

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from avatar_bridge.tone.documents import ToneRejected

HEADER = """\
# How the avatar looks and sounds for each bot reply (saved from the admin console's form).
#
# Keys of a rule's `when`: emotion (the customer's), intensity (band of that emotion) and
# reply_kind (what the bot is saying). The first matching rule wins; the last rule catches the rest.
# Values: expression {name, intensity 0..1, duration_ms}, gesture {name, intensity} or null,
# prosody {rate: multiplier of the base speed, pitch: added to the base pitch, volume 0..1}.
#
# Every saved table is checked: the avatar never smiles at a frustrated, anxious or sad customer;
# it looks calm or concerned and speaks no faster than normal to a frustrated one; it mirrors a
# happy customer's joy.
"""


# The ranges the form's sliders offer: the same as the checks below.
FORM_LIMITS = {
    "intensity": [0, 1],
    "duration_ms": [500, 10_000],
    "rate": [0.5, 1.5],
    "pitch": [-30, 30],
    "volume": [0, 1],
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FaceValues(_Strict):
    name: str = Field(min_length=1, max_length=32)
    intensity: float = Field(ge=0, le=1)
    duration_ms: int = Field(ge=500, le=10_000)


class VoiceValues(_Strict):
    rate: float = Field(ge=0.5, le=1.5)
    pitch: int = Field(ge=-30, le=30)
    volume: float = Field(ge=0, le=1)


class RuleValues(_Strict):
    expression: FaceValues
    prosody: VoiceValues | None = None


class TableForm(_Strict):
    defaults: RuleValues
    rules: list[RuleValues] = Field(max_length=200)


def form_of(text: str) -> dict:
    """The table's editable values, with each rule's condition for display."""
    table = yaml.safe_load(text)
    rules = [
        {"when": rule.get("when") or {}, "expression": rule.get("expression"), "prosody": rule.get("prosody")}
        for rule in table["rules"]
    ]
    defaults = table["defaults"]
    return {"defaults": {"expression": defaults["expression"], "prosody": defaults["prosody"]}, "rules": rules}


def _problems(error: ValidationError, labels: list[str]) -> list[str]:
    problems = []
    for item in error.errors():
        location = list(item["loc"])
        where = "defaults" if location[:1] == ["defaults"] else ""
        if location[:1] == ["rules"] and len(location) > 1 and isinstance(location[1], int):
            index = location[1]
            where = f"rule {index + 1} ({labels[index]})" if index < len(labels) else f"rule {index + 1}"
            location = location[2:]
        else:
            location = location[1:]
        field = ".".join(str(part) for part in location)
        problems.append(f"{where}: {field}: {item['msg']}".replace(": :", ":"))
    return problems


def condition_label(when: dict) -> str:
    parts = []
    for key in ("emotion", "intensity", "reply_kind"):
        value = when.get(key)
        if value is not None:
            parts.append(" or ".join(value) if isinstance(value, list) else str(value))
    return " · ".join(parts) or "any other case"


def apply_form(text: str, submitted: object) -> str:
    """The table's YAML with the form's values; ToneRejected names each bad field."""
    table = yaml.safe_load(text)
    labels = [condition_label(rule.get("when") or {}) for rule in table["rules"]]
    try:
        form = TableForm.model_validate(submitted)
    except ValidationError as error:
        raise ToneRejected(_problems(error, labels)) from None
    if len(form.rules) != len(table["rules"]):
        raise ToneRejected([f"the form has {len(form.rules)} rules, the table {len(table['rules'])}: reload the page"])
    table["defaults"]["expression"] = form.defaults.expression.model_dump()
    if form.defaults.prosody:
        table["defaults"]["prosody"] = form.defaults.prosody.model_dump()
    for rule, values in zip(table["rules"], form.rules, strict=True):
        rule["expression"] = values.expression.model_dump()
        if values.prosody:
            rule["prosody"] = values.prosody.model_dump()
    return render(table)


def _flow(value: object) -> str:
    if value is None:
        return "null"
    return yaml.safe_dump(value, default_flow_style=True, width=10_000, sort_keys=False).strip()


def render(table: dict) -> str:
    lines = [HEADER, f"version: {table['version']}", "", "intensity_bands:  # lower bounds"]
    lines += [f"  {name}: {bound}" for name, bound in table["intensity_bands"].items()]
    lines += ["", "defaults:"]
    lines += [f"  {key}: {_flow(value)}" for key, value in table["defaults"].items()]
    lines += ["", "rules:"]
    for rule in table["rules"]:
        lines.append(f"  - when: {_flow(rule.get('when') or {})}")
        for key in ("expression", "gesture", "prosody"):
            if key in rule:
                lines.append(f"    {key}: {_flow(rule[key])}")
    return "\n".join(lines) + "\n"
