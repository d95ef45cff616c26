"""The escalation decision: pure functions from a conversation's facts and the config.

    facts = facts_from_events(tracker_events)      # Rasa tracker events (dicts), oldest first
    decision = decide(config, facts)
    decision.escalate, decision.mode, decision.reasons, decision.skill, decision.priority

No I/O: the action server calls this on every customer turn, the admin console replays stored
conversations through it to preview new thresholds. Reasons are written for agents, in English.

The window: only customer turns since the assistant last offered a person or handed over count,
so a declined offer is not repeated on the next message, and a second run of misunderstandings
is counted afresh.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from handoff.escalation.config import EMOTION_LABELS, EscalationConfig

FALLBACK_INTENT = "nlu_fallback"
LOCKOUT = "verification_lockout"

# What the agent reads first, for reasons with a fixed text (the situation in one sentence).
REASON_TEXTS = {
    "billing_double_charge": "The customer reports being charged twice for one order.",
    "billing_wrong_amount": "The customer reports being charged the wrong amount.",
    "billing_refund_dispute": "The customer disputes a refund (missing, too small or refused).",
    "billing_failed_payment": "A payment failed or was declined, or an order is blocked by payment.",
    "warranty_claim": "The customer reports a broken product and wants a warranty claim.",
    "customer_request": "The customer asked to speak to a person.",
    LOCKOUT: (
        "The customer could not verify their identity (three failed attempts or account "
        "locked). Verify them another way before discussing the account."
    ),
    "troubleshooting_failed": (
        "Guided troubleshooting did not solve the customer's sign-in or loading problem; "
        "see what the bot tried for the steps already done."
    ),
    "repeated_misunderstanding": "The assistant failed to understand the customer twice.",
    "address_change_after_dispatch": (
        "The customer wants to change the delivery address of an order that has already been "
        "dispatched; the carrier may be able to redirect it."
    ),
    "lost_parcel": "The carrier lost the customer's parcel; arrange a replacement or refund.",
    "system_unavailable": "The customer database was unreachable while serving the customer.",
    "customer_distress": (
        "The customer is strongly upset or their distress keeps rising; take over with care."
    ),
    # Queued by the avatar bridge itself (avatar_bridge/dialogue/bridge_handoff.py): no Rasa tracker.
    "assistant_unavailable": (
        "The assistant was down, so the customer could not get an answer and accepted a person. "
        "The transcript is what the customer's window showed; intents and slots are unknown."
    ),
    "lookups_unavailable": (
        "The assistant could not look anything up (its action server was down), so the customer "
        "accepted a person. Nothing was checked or changed for them; the customer is not verified."
    ),
}


def reason_text(code: str) -> str:
    return REASON_TEXTS.get(code, f"Handed over by the assistant (reason: {code}).")


@dataclass(frozen=True)
class CustomerTurn:
    """One customer message as the escalation rules see it."""

    intent: Optional[str]
    label: Optional[str] = None          # None: the message carried no emotion evidence
    intensity: float = 0.0
    confidence: float = 0.0
    detail: Optional[str] = None         # retrieval intents: the full key, e.g. "faq/returns"

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
    turns: Tuple[CustomerTurn, ...] = ()               # in the window (see module docstring)
    verification_locked: bool = False
    handoff_pending: bool = False                      # already handed over, waiting for a person
    acted_reasons: frozenset = frozenset()             # reasons already offered or handed over


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
        """"handoff" when any reason hands over at once, "offer" when all ask first, None: no escalation."""
        if not self.escalate:
            return None
        return "handoff" if any(reason.mode == "handoff" for reason in self.reasons) else "offer"

    def to_dict(self) -> Dict[str, Any]:
        return {"escalate": self.escalate, "mode": self.mode,
                "reasons": [asdict(reason) for reason in self.reasons],
                "skill": self.skill, "priority": self.priority}


# --- facts from Rasa tracker events ------------------------------------------------------------

def turn_from_parse_data(parse_data: Mapping[str, Any]) -> CustomerTurn:
    intent = (parse_data.get("intent") or {}).get("name") if isinstance(parse_data.get("intent"), Mapping) else None
    label, intensity, confidence = _emotion(parse_data.get("emotion"))
    return CustomerTurn(intent=intent, label=label, intensity=intensity, confidence=confidence,
                        detail=_retrieval_key(parse_data, intent))


def _retrieval_key(parse_data: Mapping[str, Any], intent: Optional[str]) -> Optional[str]:
    """"faq/returns" for a retrieval intent `faq` (Rasa's response selector output), else None."""
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
            elif name == "verification_failures" and _number(value) == 0.0:
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
    return ConversationFacts(turns=tuple(turns), verification_locked=locked,
                             handoff_pending=pending, acted_reasons=frozenset(acted))


def _emotion(raw: Any) -> Tuple[Optional[str], float, float]:
    if not isinstance(raw, Mapping):
        return None, 0.0, 0.0
    label = raw.get("label")
    confidence = _number(raw.get("confidence"))
    intensity = _number(raw.get("intensity"))
    if label not in EMOTION_LABELS or confidence is None or intensity is None or confidence <= 0.0:
        return None, 0.0, 0.0
    return label, _clip(intensity), _clip(confidence)


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _clip(value: float) -> float:
    return min(max(value, 0.0), 1.0)


# --- the rules ---------------------------------------------------------------------------------

def turn_distress(config: EscalationConfig, turn: CustomerTurn) -> float:
    """Distress of one message: the label's distress weight times the intensity."""
    if not turn.has_emotion:
        return 0.0
    return config.emotion.distress_weights.get(turn.label, 0.0) * turn.intensity


def decide(config: EscalationConfig, facts: ConversationFacts) -> Decision:
    """Whether the conversation goes to a person now, why, to which skill, how urgently."""
    reasons: List[Reason] = []
    latest = facts.turns[-1] if facts.turns else None
    if latest is not None and latest.intent in config.always_escalate.intents:
        reasons.append(Reason(latest.intent, _intent_text(latest.intent), config.always_escalate.mode))
    explicit = config.explicit_request
    if explicit.enabled and latest is not None and latest.intent in explicit.intents:
        reasons.append(Reason("customer_request", REASON_TEXTS["customer_request"], explicit.mode))
    lockout = config.verification_lockout
    if lockout.enabled and facts.verification_locked and LOCKOUT not in facts.acted_reasons:
        reasons.append(Reason(LOCKOUT, REASON_TEXTS[LOCKOUT], lockout.mode))
    reasons.extend(_emotion_reasons(config, facts.turns))
    reasons.extend(_fallback_reasons(config, facts.turns))
    reasons.extend(_loop_reasons(config, facts.turns))
    if facts.handoff_pending or not reasons:
        return Decision(escalate=False, reasons=reasons, skill=_skill(config, reasons),
                        priority=_priority(config, facts.turns, reasons))
    return Decision(escalate=True, reasons=reasons, skill=_skill(config, reasons),
                    priority=_priority(config, facts.turns, reasons))


def _intent_text(intent: str) -> str:
    if intent in REASON_TEXTS:
        return REASON_TEXTS[intent]
    return f"The customer's request ({intent.replace('_', ' ')}) always goes to a person."


def _emotional_turns(turns: Sequence[CustomerTurn]) -> List[CustomerTurn]:
    return [turn for turn in turns if turn.has_emotion]


def _emotion_reasons(config: EscalationConfig, turns: Sequence[CustomerTurn]) -> List[Reason]:
    rule = config.emotion
    if not rule.enabled:
        return []
    felt = _emotional_turns(turns)
    reasons = []
    for label, threshold in rule.labels.items():
        run = felt[-threshold.consecutive_turns:]
        if len(run) == threshold.consecutive_turns and all(
            turn.label == label and turn.intensity >= threshold.min_intensity for turn in run
        ):
            values = ", ".join(f"{turn.intensity:.2f}" for turn in run)
            if threshold.consecutive_turns == 1:
                text = f"The customer's last message was strongly {label} (intensity {values})."
            else:
                text = (f"The customer has been strongly {label} in their last "
                        f"{threshold.consecutive_turns} messages (intensity {values}).")
            reasons.append(Reason(f"emotion_{label}", text + " Take over with care.", rule.mode))
    trend = rule.rising_trend
    if trend.enabled and len(felt) >= trend.turns:
        scores = [turn_distress(config, turn) for turn in felt[-trend.turns:]]
        rising = all(later - earlier >= trend.min_step for earlier, later in zip(scores, scores[1:], strict=False))
        if rising and scores[-1] >= trend.min_distress:
            path = " → ".join(f"{score:.2f}" for score in scores)
            reasons.append(Reason(
                "distress_rising",
                f"The customer's distress has risen over their last {trend.turns} messages ({path}).",
                rule.mode))
    return reasons


def _fallback_reasons(config: EscalationConfig, turns: Sequence[CustomerTurn]) -> List[Reason]:
    rule = config.fallbacks
    if not rule.enabled or not turns or not turns[-1].fallback:
        return []
    misses = sum(1 for turn in turns if turn.fallback)
    if misses < rule.max_fallbacks:
        return []
    times = "twice" if misses == 2 else f"{misses} times"
    return [Reason("repeated_misunderstanding",
                   f"The assistant failed to understand the customer {times}.", rule.mode)]


def _loop_reasons(config: EscalationConfig, turns: Sequence[CustomerTurn]) -> List[Reason]:
    rule = config.loops
    if not rule.enabled or len(turns) < rule.max_repeats:
        return []
    run = turns[-rule.max_repeats:]
    intent, topic = run[-1].intent, run[-1].topic
    if not intent or intent in rule.ignore_intents or any(turn.topic != topic for turn in run):
        return []
    return [Reason(
        "conversation_loop",
        f"The customer asked for the same thing ({topic.replace('_', ' ')}) {rule.max_repeats} "
        "times in a row; the assistant's answers did not help.",
        rule.mode)]


def _skill(config: EscalationConfig, reasons: Sequence[Reason]) -> str:
    for reason in reasons:
        skill = config.skill_for(reason.code)
        if skill != config.default_skill:
            return skill
    return config.default_skill


def _priority(config: EscalationConfig, turns: Sequence[CustomerTurn], reasons: Sequence[Reason]) -> str:
    if any(reason.code.startswith("emotion_") or reason.code == "distress_rising" for reason in reasons):
        return "high"
    felt = _emotional_turns(turns)
    if felt and turn_distress(config, felt[-1]) >= config.high_distress:
        return "high"
    return "normal"


def decision_for_reason(config: EscalationConfig, code: str, facts: Optional[ConversationFacts] = None) -> Decision:
    """The decision for a handoff whose reason is already known (an accepted offer)."""
    reason = Reason(code, reason_text(code), "handoff")
    turns = facts.turns if facts else ()
    return Decision(escalate=True, reasons=[reason], skill=config.skill_for(code),
                    priority=_priority(config, turns, [reason]))
