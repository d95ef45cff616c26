"""The escalation configuration: typed, validated, and turned back into plain data.

    config = parse_config(yaml.safe_load(text))   # raises ConfigError listing every problem
    config.to_dict()                              # the same shape again (stored as JSON)
    default_config()                              # defaults.yml

Shared by the action server (applies it on every turn) and the admin console (edits it); the
stored form is in stored.py. Every value an admin can set is checked here, with a message that
names the field. Emotion labels are the taxonomy's (contracts/emotion/taxonomy.yml).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Tuple

import yaml

from contracts.emotion.taxonomy import load_taxonomy
from contracts.escalation.reading import NAME, FieldReader, kind_of

SCHEMA = "escalation-config.v1"
DEFAULTS_FILE = Path(__file__).with_name("defaults.yml")
SKILLS = ("billing", "technical", "general")


class ConfigError(ValueError):
    """The configuration is invalid; `problems` lists every problem in words an admin understands."""

    def __init__(self, problems: List[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid escalation config: " + "; ".join(self.problems))


@dataclass(frozen=True)
class IntentRule:
    intents: Tuple[str, ...]
    mode: str = "handoff"
    enabled: bool = True


@dataclass(frozen=True)
class EmotionThreshold:
    min_intensity: float
    consecutive_turns: int


@dataclass(frozen=True)
class RisingTrend:
    enabled: bool
    turns: int
    min_step: float
    min_distress: float


@dataclass(frozen=True)
class EmotionRule:
    enabled: bool
    mode: str
    labels: Mapping[str, EmotionThreshold]
    rising_trend: RisingTrend
    distress_weights: Mapping[str, float]


@dataclass(frozen=True)
class FallbackRule:
    enabled: bool
    max_fallbacks: int
    mode: str


@dataclass(frozen=True)
class LoopRule:
    enabled: bool
    max_repeats: int
    ignore_intents: Tuple[str, ...]
    mode: str


@dataclass(frozen=True)
class SwitchRule:
    enabled: bool
    mode: str


@dataclass(frozen=True)
class EscalationConfig:
    always_escalate: IntentRule
    explicit_request: IntentRule
    emotion: EmotionRule
    fallbacks: FallbackRule
    loops: LoopRule
    verification_lockout: SwitchRule
    default_skill: str
    skill_by_reason: Mapping[str, str]
    high_distress: float
    # Customers in a vulnerable situation (hardship, bereavement, illness, crisis) are offered a
    # person with priority; optional in stored configs written before it existed.
    vulnerable_customers: SwitchRule = SwitchRule(enabled=True, mode="offer")
    schema: str = SCHEMA

    def skill_for(self, reason_code: str) -> str:
        return self.skill_by_reason.get(reason_code, self.default_skill)

    def to_dict(self) -> Dict[str, Any]:
        """Plain data in the shape `parse_config` accepts (and defaults.yml uses)."""
        emotion = self.emotion
        return {
            "schema": self.schema,
            "always_escalate_intents": {
                "intents": list(self.always_escalate.intents),
                "mode": self.always_escalate.mode,
            },
            "explicit_request": {
                "enabled": self.explicit_request.enabled,
                "intents": list(self.explicit_request.intents),
                "mode": self.explicit_request.mode,
            },
            "emotion": {
                "enabled": emotion.enabled,
                "mode": emotion.mode,
                "labels": {name: asdict(rule) for name, rule in emotion.labels.items()},
                "rising_trend": asdict(emotion.rising_trend),
                "distress_weights": dict(emotion.distress_weights),
            },
            "fallbacks": asdict(self.fallbacks),
            "loops": {**asdict(self.loops), "ignore_intents": list(self.loops.ignore_intents)},
            "verification_lockout": asdict(self.verification_lockout),
            "vulnerable_customers": asdict(self.vulnerable_customers),
            "skills": {"default": self.default_skill, "reasons": dict(self.skill_by_reason)},
            "priority": {"high_distress": self.high_distress},
        }


KNOWN_SECTIONS = {
    "schema",
    "always_escalate_intents",
    "explicit_request",
    "emotion",
    "fallbacks",
    "loops",
    "verification_lockout",
    "vulnerable_customers",
    "skills",
    "priority",
}


# Intents that go to a person by design (docs/handoff.md): admins can add intents, not remove these.
BUILT_IN_HUMAN_INTENTS = (
    "billing_double_charge",
    "billing_wrong_amount",
    "billing_refund_dispute",
    "billing_failed_payment",
    "warranty_claim",
)


def parse_config(data: Any) -> EscalationConfig:
    """Validate `data` (parsed YAML/JSON) and return the config; ConfigError lists all problems."""
    if not isinstance(data, Mapping):
        raise ConfigError([f"the configuration must be a mapping (got {kind_of(data)})"])
    read = FieldReader()
    unknown = sorted(str(key)[:40] for key in data if key not in KNOWN_SECTIONS)
    if unknown:
        read.problems.append(f"unknown sections: {', '.join(unknown)}")
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        read.problems.append(f"schema: must be {SCHEMA} (got {str(schema)[:40]!r})")

    section = read.section(data, "always_escalate_intents")
    always = IntentRule(
        intents=read.names(section, "intents", "always_escalate_intents."),
        mode=read.mode(section, "always_escalate_intents."),
    )

    section = read.section(data, "explicit_request")
    explicit = IntentRule(
        enabled=read.flag(section, "enabled", "explicit_request."),
        intents=read.names(section, "intents", "explicit_request."),
        mode=read.mode(section, "explicit_request."),
    )

    emotion = _parse_emotion(read, read.section(data, "emotion"))

    section = read.section(data, "fallbacks")
    fallbacks = FallbackRule(
        enabled=read.flag(section, "enabled", "fallbacks."),
        max_fallbacks=read.count(section, "max_fallbacks", "fallbacks.", 1, 20),
        mode=read.mode(section, "fallbacks.", "offer"),
    )

    section = read.section(data, "loops")
    loops = LoopRule(
        enabled=read.flag(section, "enabled", "loops."),
        max_repeats=read.count(section, "max_repeats", "loops.", 2, 20),
        ignore_intents=read.names(section, "ignore_intents", "loops."),
        mode=read.mode(section, "loops.", "offer"),
    )

    section = read.section(data, "verification_lockout")
    lockout = SwitchRule(
        enabled=read.flag(section, "enabled", "verification_lockout."),
        mode=read.mode(section, "verification_lockout.", "offer"),
    )

    section = read.section({"vulnerable_customers": {}, **data}, "vulnerable_customers")
    vulnerable = SwitchRule(
        enabled=read.flag(section, "enabled", "vulnerable_customers."),
        mode=read.mode(section, "vulnerable_customers.", "offer"),
    )

    section = read.section(data, "skills")
    default_skill = section.get("default", "general")
    if default_skill not in SKILLS:
        read.problems.append(f"skills.default: must be one of {', '.join(SKILLS)} (got {str(default_skill)[:40]!r})")
        default_skill = "general"
    skill_by_reason: Dict[str, str] = {}
    reasons = section.get("reasons", {})
    if not isinstance(reasons, Mapping):
        read.problems.append(f"skills.reasons: must be a mapping of reason to skill (got {kind_of(reasons)})")
        reasons = {}
    for reason, skill in reasons.items():
        if not isinstance(reason, str) or not NAME.match(reason):
            read.problems.append(f"skills.reasons: {str(reason)[:40]!r} is not a reason code")
        elif skill not in SKILLS:
            read.problems.append(
                f"skills.reasons.{reason}: must be one of {', '.join(SKILLS)} (got {str(skill)[:40]!r})"
            )
        else:
            skill_by_reason[reason] = skill

    section = read.section(data, "priority")
    high_distress = read.number(section, "high_distress", "priority.", 0.0, 1.0, 0.7)

    # The assistant has no self-service flow for these, and its trained rules hand them over
    # whatever the configuration says: a configuration without them would promise what the bot
    # does not do.
    missing = [name for name in BUILT_IN_HUMAN_INTENTS if name not in always.intents]
    if missing:
        read.problems.append(
            "always_escalate_intents.intents: the assistant has no automated flow for "
            f"{', '.join(missing)}; these always go to a person and cannot be removed"
        )
    if explicit.enabled is False or (explicit.intents and "request_human" not in explicit.intents):
        read.problems.append(
            "explicit_request: a customer who asks for a person always gets one, so it "
            "must stay enabled and include request_human"
        )

    overlap = set(always.intents) & set(loops.ignore_intents)
    if overlap:
        read.problems.append(
            f"loops.ignore_intents: these always go to a person, so they cannot loop: {', '.join(sorted(overlap))}"
        )
    if read.problems:
        raise ConfigError(read.problems)
    return EscalationConfig(
        always_escalate=always,
        explicit_request=explicit,
        emotion=emotion,
        fallbacks=fallbacks,
        loops=loops,
        verification_lockout=lockout,
        default_skill=default_skill,
        skill_by_reason=skill_by_reason,
        high_distress=high_distress,
        vulnerable_customers=vulnerable,
    )


def _parse_emotion(read: FieldReader, section: Mapping[str, Any]) -> EmotionRule:
    where = "emotion."
    labels: Dict[str, EmotionThreshold] = {}
    raw_labels = section.get("labels", {})
    if not isinstance(raw_labels, Mapping):
        read.problems.append(
            f"{where}labels: must be a mapping of emotion label to threshold (got {kind_of(raw_labels)})"
        )
        raw_labels = {}
    known = load_taxonomy().names
    for label, rule in raw_labels.items():
        path = f"{where}labels.{str(label)[:40]}."
        if label not in known:
            read.problems.append(f"{path[:-1]}: unknown emotion label (known: {', '.join(known)})")
            continue
        if not isinstance(rule, Mapping):
            read.problems.append(f"{path[:-1]}: must be a mapping with min_intensity and consecutive_turns")
            continue
        labels[label] = EmotionThreshold(
            min_intensity=read.number(rule, "min_intensity", path, 0.0, 1.0),
            consecutive_turns=read.count(rule, "consecutive_turns", path, 1, 20),
        )
    trend_section = read.section(section, "rising_trend", where) if section else {}
    trend_where = f"{where}rising_trend."
    trend = RisingTrend(
        enabled=read.flag(trend_section, "enabled", trend_where),
        turns=read.count(trend_section, "turns", trend_where, 2, 20),
        min_step=read.number(trend_section, "min_step", trend_where, 0.0, 1.0),
        min_distress=read.number(trend_section, "min_distress", trend_where, 0.0, 1.0),
    )
    weights: Dict[str, float] = {}
    raw_weights = section.get("distress_weights", {}) if section else {}
    if not isinstance(raw_weights, Mapping):
        read.problems.append(f"{where}distress_weights: must be a mapping of label to weight")
        raw_weights = {}
    for label, _ in raw_weights.items():
        if label not in known:
            read.problems.append(f"{where}distress_weights.{str(label)[:40]}: unknown emotion label")
        else:
            weights[label] = read.number(raw_weights, label, f"{where}distress_weights.", 0.0, 1.0)
    return EmotionRule(
        enabled=read.flag(section, "enabled", where),
        mode=read.mode(section, where),
        labels=labels,
        rising_trend=trend,
        distress_weights=weights,
    )


def load_yaml(text: str) -> EscalationConfig:
    """Parse YAML text; a syntax error becomes a ConfigError too."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError([f"not valid YAML: {str(error).splitlines()[0][:200]}"]) from None
    return parse_config(data)


@lru_cache(maxsize=1)
def default_config() -> EscalationConfig:
    """The shipped defaults (defaults.yml), read once."""
    return load_yaml(DEFAULTS_FILE.read_text(encoding="utf-8"))
