"""Expression planning: (customer emotion, intensity, reply kind) -> expression, gesture, prosody.

The decisions live in ``table.yml`` (editable without code); this module loads it, checks it
against the protocol's vocabulary and against the brief, and looks plans up. A table that
breaks the brief (a smile for a frustrated customer, say) stops the bridge at start-up.
"""

import itertools
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from avatar_bridge.protocol.messages import Expression, Gesture
from avatar_bridge.protocol.schema_registry import SchemaRegistry
from avatar_bridge.speech.service import Prosody
from contracts.emotion.taxonomy import load_taxonomy

BANDS = ("low", "medium", "high")
# The brief: the avatar never smiles at distress, looks concerned and speaks calmly to an angry
# customer, and mirrors a happy customer's joy.
DISTRESS_EMOTIONS = frozenset(load_taxonomy().distress_names)  # frustrated, anxious, sad
SMILING_EXPRESSIONS = frozenset({"happy", "joyful"})
CALM_EXPRESSIONS = frozenset({"calm", "concerned", "apologetic"})
JOY_REPLY_KINDS = frozenset({"good_news", "info", "greeting", "farewell"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExpressionSpec(_Strict):
    name: str
    intensity: float = Field(ge=0, le=1)
    duration_ms: int = Field(ge=0)


class GestureSpec(_Strict):
    name: str
    intensity: float = Field(0.5, ge=0, le=1)


class ProsodySpec(_Strict):
    rate: float = Field(1.0, ge=0.5, le=1.5)
    pitch: int = Field(0, ge=-30, le=30)
    volume: float = Field(0.9, ge=0, le=1)


class Condition(_Strict):
    emotion: str | list[str] | None = None
    intensity: str | list[str] | None = None
    reply_kind: str | list[str] | None = None


class Rule(_Strict):
    when: Condition
    expression: ExpressionSpec | None = None
    # Explicit null means "no gesture"; left out means "the default".
    gesture: GestureSpec | None = Field(default=None)
    prosody: ProsodySpec | None = None


class Defaults(_Strict):
    expression: ExpressionSpec
    gesture: GestureSpec | None = None
    prosody: ProsodySpec


class Table(_Strict):
    version: int
    intensity_bands: dict[str, float]
    defaults: Defaults
    rules: list[Rule]


@dataclass(frozen=True)
class Plan:
    expression: Expression
    gesture: Gesture | None
    prosody: Prosody


class TableError(ValueError):
    """The expression table is unusable or contradicts the brief."""


class ExpressionPlanner:
    def __init__(self, table: Table, rules_with_gesture: list[bool], vocabulary: dict[str, frozenset[str]]) -> None:
        self._table = table
        self._rules_with_gesture = rules_with_gesture
        self._vocabulary = vocabulary
        self._check_vocabulary()
        self._check_brief()

    @classmethod
    def load(cls, path: Path, schemas: SchemaRegistry) -> "ExpressionPlanner":
        document = yaml.safe_load(path.read_text("utf-8"))
        try:
            table = Table.model_validate(document)
        except ValueError as error:
            raise TableError(f"{path}: {error}") from error
        # pydantic cannot tell "gesture: null" from a missing key; the YAML can.
        rules_with_gesture = ["gesture" in rule for rule in document["rules"]]
        vocabulary = {
            "emotion": frozenset(schemas.shared_enum("emotion_label")),
            "reply_kind": frozenset(schemas.shared_enum("reply_kind")),
            "expression": frozenset(schemas.shared_enum("expression_name")),
            "gesture": frozenset(schemas.shared_enum("gesture_name")),
        }
        return cls(table, rules_with_gesture, vocabulary)

    def adopt(self, other: "ExpressionPlanner") -> None:
        """Take over another planner's (already checked) table: a live tone change."""
        self._table, self._rules_with_gesture, self._vocabulary = (
            other._table,
            other._rules_with_gesture,
            other._vocabulary,
        )

    def intensity_bands(self) -> dict[str, float]:
        """Each band's lower bound of intensity."""
        return dict(self._table.intensity_bands)

    def band(self, intensity: float) -> str:
        bands = sorted(self._table.intensity_bands.items(), key=lambda item: item[1])
        chosen = bands[0][0]
        for name, lower_bound in bands:
            if intensity >= lower_bound:
                chosen = name
        return chosen

    def plan(self, emotion: str, intensity: float, reply_kind: str) -> Plan:
        band = self.band(intensity)
        for index, rule in enumerate(self._table.rules):
            if _matches(rule.when, emotion, band, reply_kind):
                return self._plan_from(rule, self._rules_with_gesture[index])
        return self._plan_from(Rule(when=Condition()), False)

    def _plan_from(self, rule: Rule, sets_gesture: bool) -> Plan:
        defaults = self._table.defaults
        expression = rule.expression or defaults.expression
        gesture = rule.gesture if sets_gesture else defaults.gesture
        prosody = rule.prosody or defaults.prosody
        return Plan(
            expression=Expression(expression.name, expression.intensity, expression.duration_ms),
            gesture=Gesture(gesture.name, gesture.intensity) if gesture else None,
            prosody=Prosody(rate=prosody.rate, pitch=prosody.pitch, volume=prosody.volume),
        )

    # --- start-up checks ----------------------------------------------------------------------

    def _check_vocabulary(self) -> None:
        table = self._table
        if set(table.intensity_bands) != set(BANDS):
            raise TableError(f"intensity_bands must name exactly {BANDS}")
        if not table.rules or table.rules[-1].when != Condition():
            raise TableError("the last rule must have an empty `when`, so every case has a plan")
        specs: list[Defaults | Rule] = [table.defaults, *table.rules]
        for position, rule in enumerate(specs):
            self._known("expression", rule.expression.name if rule.expression else None, position)
            self._known("gesture", rule.gesture.name if rule.gesture else None, position)
            if isinstance(rule, Rule):
                for key in ("emotion", "reply_kind"):
                    for value in _as_list(getattr(rule.when, key)):
                        self._known(key, value, position)
                for value in _as_list(rule.when.intensity):
                    if value not in BANDS:
                        raise TableError(f"rule {position}: unknown intensity band {value!r}")

    def _known(self, kind: str, value: str | None, position: int) -> None:
        if value is not None and value not in self._vocabulary[kind]:
            raise TableError(f"rule {position}: unknown {kind} {value!r} (see contracts/protocol/schemas/common.json)")

    def _check_brief(self) -> None:
        bands = {"low": 0.1, "medium": 0.5, "high": 0.9}
        combinations = itertools.product(self._vocabulary["emotion"], bands, self._vocabulary["reply_kind"])
        for emotion, band, kind in combinations:
            plan = self.plan(emotion, bands[band], kind)
            case = f"{emotion}/{band}/{kind}"
            name = plan.expression.name
            if emotion in DISTRESS_EMOTIONS and name in SMILING_EXPRESSIONS:
                raise TableError(f"{case}: the avatar must not smile at distress (got {name!r})")
            if emotion == "frustrated" and (name not in CALM_EXPRESSIONS or plan.prosody.rate > 1.0):
                raise TableError(f"{case}: a frustrated customer needs a calm, concerned face and voice")
            if emotion == "happy" and kind in JOY_REPLY_KINDS and name not in SMILING_EXPRESSIONS:
                raise TableError(f"{case}: a happy customer's joy should be mirrored (got {name!r})")


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _matches(condition: Condition, emotion: str, band: str, reply_kind: str) -> bool:
    for wanted, actual in (
        (condition.emotion, emotion),
        (condition.intensity, band),
        (condition.reply_kind, reply_kind),
    ):
        if wanted is not None and actual not in _as_list(wanted):
            return False
    return True
