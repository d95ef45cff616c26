"""The escalation decision: pure functions from a conversation's facts and the config.

    facts = facts_from_events(tracker_events)      # Rasa tracker events (dicts), oldest first
    decision = decide(config, facts)
    decision.escalate, decision.mode, decision.reasons, decision.skill, decision.priority

No I/O: the action server calls this on every customer turn, the admin console replays stored
conversations through it to preview new thresholds. Reasons are written for agents, in English
(the texts, also in German, are in reasons.yml). A message's distress is the one formula of
contracts/emotion/distress.py with the config's per-label weights.

The window: only customer turns since the assistant last offered a person or handed over count,
so a declined offer is not repeated on the next message, and a second run of misunderstandings
is counted afresh.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from contracts.emotion.distress import parse_turn_emotion, unit_float
from contracts.emotion.distress import turn_distress as distress_formula
from contracts.emotion.taxonomy import load_taxonomy
from contracts.escalation.config import EscalationConfig
from contracts.escalation.reasons import has_text, reason_template, reason_text, times_in_words

FALLBACK_INTENT = "nlu_fallback"
LOCKOUT = "verification_lockout"
VULNERABLE = "vulnerable_customer"
VULNERABILITY_KINDS = ("financial_hardship", "bereavement", "illness", "crisis")


@dataclass(frozen=True)
class CustomerTurn:
    """One customer message as the escalation rules see it."""

    intent: Optional[str]
    label: Optional[str] = None  # None: the message carried no emotion evidence
    intensity: float = 0.0
    confidence: float = 0.0
    detail: Optional[str] = None  # retrieval intents: the full key, e.g. "faq/returns"
    vulnerability: Optional[str] = None  # financial_hardship, bereavement, illness or crisis

    @property
    def topic(self) -> Optional[str]:
        """What the message asked for, as precisely as known (loops compare this)."""
        return self.detail or self.intent

    @property
    def fallback(self) -> bool:
        return self.intent == FALLBACK_INTENT

    @property
    def has_emotion(self) -> bool:
        return self.label is not None


@dataclass(frozen=True)
class ConversationFacts:
    turns: Tuple[CustomerTurn, ...] = ()  # in the window (see module docstring)
    verification_locked: bool = False
    handoff_pending: bool = False  # already handed over, waiting for a person
    acted_reasons: frozenset = frozenset()  # reasons already offered or handed over


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    mode: str = "handoff"


@dataclass(frozen=True)
class Decision:
    escalate: bool
    reasons: List[Reason] = field(default_factory=list)
    skill: str = "general"
    priority: str = "normal"

    @property
    def mode(self) -> Optional[str]:
        """ "handoff" when any reason hands over at once, "offer" when all ask first, None: no escalation."""
        if not self.escalate:
            return None
        return "handoff" if any(reason.mode == "handoff" for reason in self.reasons) else "offer"

    def to_dict(self) -> Dict[str, Any]:
        return {
            "escalate": self.escalate,
            "mode": self.mode,
            "reasons": [asdict(reason) for reason in self.reasons],
            "skill": self.skill,
            "priority": self.priority,
        }


# --- facts from Rasa tracker events ------------------------------------------------------------


def turn_from_parse_data(parse_data: Mapping[str, Any]) -> CustomerTurn:
    intent = (parse_data.get("intent") or {}).get("name") if isinstance(parse_data.get("intent"), Mapping) else None
    label, intensity, confidence = _emotion(parse_data.get("emotion"))
    return CustomerTurn(
        intent=intent,
        label=label,
        intensity=intensity,
        confidence=confidence,
        detail=_retrieval_key(parse_data, intent),
        vulnerability=_vulnerability(parse_data.get("vulnerability")),
    )


def _vulnerability(raw: Any) -> Optional[str]:
    kind = raw.get("kind") if isinstance(raw, Mapping) else None
    return kind if kind in VULNERABILITY_KINDS else None


def _retrieval_key(parse_data: Mapping[str, Any], intent: Optional[str]) -> Optional[str]:
    """ "faq/returns" for a retrieval intent `faq` (Rasa's response selector output), else None."""
    selector = parse_data.get("response_selector")
    if not intent or not isinstance(selector, Mapping):
        return None
    chosen = selector.get(intent)
    response = chosen.get("response") if isinstance(chosen, Mapping) else None
    key = response.get("intent_response_key") if isinstance(response, Mapping) else None
    return key[:128] if isinstance(key, str) and key.startswith(f"{intent}/") else None


def facts_from_events(events: Iterable[Mapping[str, Any]]) -> ConversationFacts:
    """The facts the rules need, from Rasa tracker events in order (JSON dicts)."""
    turns: List[CustomerTurn] = []
    locked = False
    pending = False
    acted: Set[str] = set()
    offered_reason: Optional[str] = None
    for event in events:
        if not isinstance(event, Mapping):
            continue
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            turns, locked, pending, offered_reason = [], False, False, None
        elif kind == "user":
            turns.append(turn_from_parse_data(event.get("parse_data") or {}))
        elif kind == "slot":
            name, value = event.get("name"), event.get("value")
            if name == "handoff_reason":
                offered_reason = value if isinstance(value, str) else None
                if value == LOCKOUT:
                    locked = True
            elif name == "verification_failures" and unit_float(value) == 0.0:
                locked = False
            elif name == "human_offered" and value is True:
                turns = []
                if offered_reason:
                    acted.add(offered_reason)
            elif name == "human_offered" and value is False:
                turns = []
            elif name == "handoff_requested":
                pending = value is True
                if pending:
                    turns = []
                    if offered_reason:
                        acted.add(offered_reason)
            elif name == "escalation_acted" and isinstance(value, list):
                acted.update(str(code) for code in value)
    return ConversationFacts(
        turns=tuple(turns), verification_locked=locked, handoff_pending=pending, acted_reasons=frozenset(acted)
    )


def _emotion(raw: Any) -> Tuple[Optional[str], float, float]:
    turn = parse_turn_emotion(raw, load_taxonomy())
    if turn is None:
        return None, 0.0, 0.0
    return turn.label, turn.intensity, turn.confidence


# --- the rules ---------------------------------------------------------------------------------


def turn_distress(config: EscalationConfig, turn: CustomerTurn) -> float:
    """Distress of one message: the shared formula, with the config's per-label weights. The rules
    see one label per message, so its scores are {label: confidence} (1 when unknown)."""
    if not turn.has_emotion:
        return 0.0
    scores = {turn.label: turn.confidence or 1.0}
    return distress_formula(scores, turn.intensity, config.emotion.distress_weights)


def decide(config: EscalationConfig, facts: ConversationFacts) -> Decision:
    """Whether the conversation goes to a person now, why, to which skill, how urgently."""
    reasons: List[Reason] = []
    latest = facts.turns[-1] if facts.turns else None
    if latest is not None and latest.intent in config.always_escalate.intents:
        reasons.append(Reason(latest.intent, _intent_text(latest.intent), config.always_escalate.mode))
    explicit = config.explicit_request
    if explicit.enabled and latest is not None and latest.intent in explicit.intents:
        reasons.append(Reason("customer_request", reason_text("customer_request"), explicit.mode))
    lockout = config.verification_lockout
    if lockout.enabled and facts.verification_locked and LOCKOUT not in facts.acted_reasons:
        reasons.append(Reason(LOCKOUT, reason_text(LOCKOUT), lockout.mode))
    reasons.extend(_vulnerability_reasons(config, facts))
    reasons.extend(_emotion_reasons(config, facts.turns))
    reasons.extend(_fallback_reasons(config, facts.turns))
    reasons.extend(_loop_reasons(config, facts.turns))
    if facts.handoff_pending or not reasons:
        return Decision(
            escalate=False,
            reasons=reasons,
            skill=_skill(config, reasons),
            priority=_priority(config, facts.turns, reasons),
        )
    return Decision(
        escalate=True, reasons=reasons, skill=_skill(config, reasons), priority=_priority(config, facts.turns, reasons)
    )


def _intent_text(intent: str) -> str:
    if has_text(intent):
        return reason_text(intent)
    return reason_template("always_escalated_intent").format(request=intent.replace("_", " "))


def _emotional_turns(turns: Sequence[CustomerTurn]) -> List[CustomerTurn]:
    return [turn for turn in turns if turn.has_emotion]


def _emotion_reasons(config: EscalationConfig, turns: Sequence[CustomerTurn]) -> List[Reason]:
    rule = config.emotion
    if not rule.enabled:
        return []
    felt = _emotional_turns(turns)
    reasons = []
    for label, threshold in rule.labels.items():
        run = felt[-threshold.consecutive_turns :]
        if len(run) == threshold.consecutive_turns and all(
            turn.label == label and turn.intensity >= threshold.min_intensity for turn in run
        ):
            values = ", ".join(f"{turn.intensity:.2f}" for turn in run)
            template = reason_template(
                "emotion_one_message" if threshold.consecutive_turns == 1 else "emotion_messages"
            )
            text = template.format(label=label, count=threshold.consecutive_turns, values=values)
            reasons.append(Reason(f"emotion_{label}", text, rule.mode))
    trend = rule.rising_trend
    if trend.enabled and len(felt) >= trend.turns:
        scores = [turn_distress(config, turn) for turn in felt[-trend.turns :]]
        rising = all(later - earlier >= trend.min_step for earlier, later in zip(scores, scores[1:], strict=False))
        if rising and scores[-1] >= trend.min_distress:
            path = " → ".join(f"{score:.2f}" for score in scores)
            text = reason_template("distress_rising").format(count=trend.turns, path=path)
            reasons.append(Reason("distress_rising", text, rule.mode))
    return reasons


def _vulnerability_reasons(config: EscalationConfig, facts: ConversationFacts) -> List[Reason]:
    """A person, offered once per stretch, when the latest message shows a vulnerable situation."""
    rule = config.vulnerable_customers
    latest = facts.turns[-1] if facts.turns else None
    if not rule.enabled or latest is None or not latest.vulnerability or VULNERABLE in facts.acted_reasons:
        return []
    kind = latest.vulnerability.replace("_", " ")
    return [Reason(VULNERABLE, reason_template(VULNERABLE).format(kind=kind), rule.mode)]


def _fallback_reasons(config: EscalationConfig, turns: Sequence[CustomerTurn]) -> List[Reason]:
    rule = config.fallbacks
    if not rule.enabled or not turns or not turns[-1].fallback:
        return []
    misses = sum(1 for turn in turns if turn.fallback)
    if misses < rule.max_fallbacks:
        return []
    text = reason_template("repeated_misunderstanding").format(times=times_in_words(misses))
    return [Reason("repeated_misunderstanding", text, rule.mode)]


def _loop_reasons(config: EscalationConfig, turns: Sequence[CustomerTurn]) -> List[Reason]:
    rule = config.loops
    if not rule.enabled or len(turns) < rule.max_repeats:
        return []
    run = turns[-rule.max_repeats :]
    intent, topic = run[-1].intent, run[-1].topic
    if not intent or intent in rule.ignore_intents or any(turn.topic != topic for turn in run):
        return []
    text = reason_template("conversation_loop").format(topic=topic.replace("_", " "), count=rule.max_repeats)
    return [Reason("conversation_loop", text, rule.mode)]


def _skill(config: EscalationConfig, reasons: Sequence[Reason]) -> str:
    for reason in reasons:
        skill = config.skill_for(reason.code)
        if skill != config.default_skill:
            return skill
    return config.default_skill


def _priority(config: EscalationConfig, turns: Sequence[CustomerTurn], reasons: Sequence[Reason]) -> str:
    if any(reason.code.startswith("emotion_") or reason.code in ("distress_rising", VULNERABLE) for reason in reasons):
        return "high"
    if any(turn.vulnerability for turn in turns):
        return "high"
    felt = _emotional_turns(turns)
    if felt and turn_distress(config, felt[-1]) >= config.high_distress:
        return "high"
    return "normal"


def decision_for_reason(config: EscalationConfig, code: str, facts: Optional[ConversationFacts] = None) -> Decision:
    """The decision for a handoff whose reason is already known (an accepted offer)."""
    reason = Reason(code, reason_text(code), "handoff")
    turns = facts.turns if facts else ()
    return Decision(
        escalate=True, reasons=[reason], skill=config.skill_for(code), priority=_priority(config, turns, [reason])
    )
