"""Routing rules, pure functions (docs/handoff.md "Routing and fair load").

- A conversation needs one skill (billing, technical, general) and its language; an agent sees and
  may claim only conversations matching both. The skill is the record's; records without one go by
  the shared reason → skill table (contracts/escalation/defaults.yml).
- Priority = distress_weight × distress + wait_weight_per_minute × minutes waiting + bonus; the
  queue is served highest first, so a calm conversation rises as it waits and is never starved.
  Every waiting case gains the same per minute, so the order between two never changes: `standing`
  is the priority without that shared part, fixed at arrival, and the ranked index in Redis keeps
  the queue sorted by it (handoff/queue/rank_index.py). Equal priority: the earlier arrival first,
  then the lower conversation id.
- Emotional load: every claimed conversation adds its distress (0..1) to the agent's load, which
  halves every ``load_half_life_seconds``. A heavy case (distress ≥ ``heavy_distress``) is offered
  only to an agent whose current load is below ``load_threshold`` - so heavy cases never come back
  to back - unless it has waited ``heavy_override_seconds``, when the least-loaded eligible agent
  may take it.
"""

from dataclasses import dataclass, field

from contracts.escalation.config import SKILLS, default_config

# Reasons that go ahead of others at equal distress and wait.
REASON_BONUS = {"customer_distress": 20.0, "verification_lockout": 10.0}


@dataclass(frozen=True)
class RoutingRules:
    distress_weight: float = 60.0
    wait_weight_per_minute: float = 10.0
    load_half_life_seconds: float = 900.0
    load_threshold: float = 0.5
    heavy_distress: float = 0.6
    heavy_override_seconds: float = 300.0

    @classmethod
    def from_settings(cls, settings) -> "RoutingRules":  # noqa: ANN001
        return cls(
            distress_weight=settings.distress_weight,
            wait_weight_per_minute=settings.wait_weight_per_minute,
            load_half_life_seconds=settings.load_half_life_seconds,
            load_threshold=settings.load_threshold,
            heavy_distress=settings.heavy_distress,
            heavy_override_seconds=settings.heavy_override_seconds,
        )


@dataclass
class QueuedCase:
    conversation_id: str
    skill: str
    language: str
    distress: float
    requested_at: float
    reason: str = ""
    bonus: float = 0.0


@dataclass
class AgentState:
    username: str
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    load: float = 0.0
    load_ts: float = 0.0
    paused: bool = False
    online: bool = True


def skill_for(reason: str, requested: str | None = None) -> str:
    """The record's skill (the escalation decision's); else the shipped reason → skill table
    (contracts/escalation/defaults.yml `skills`, the one table) for records without one."""
    if requested in SKILLS:
        return requested  # type: ignore[return-value]
    return default_config().skill_for(reason)


def clamp01(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return min(1.0, max(0.0, number)) if number == number else 0.0  # NaN → 0


def priority(case: QueuedCase, now: float, rules: RoutingRules) -> float:
    minutes = max(0.0, now - case.requested_at) / 60.0
    return rules.distress_weight * case.distress + rules.wait_weight_per_minute * minutes + case.bonus


def standing(case: QueuedCase, rules: RoutingRules) -> float:
    """The case's place as one number, lowest first: ``priority(now) = wait_per_second × now −
    standing`` for every case requested by `now` (intake never stores a later requested_at)."""
    per_second = rules.wait_weight_per_minute / 60.0
    return per_second * case.requested_at - rules.distress_weight * case.distress - case.bonus


def current_load(agent: AgentState, now: float, rules: RoutingRules) -> float:
    if agent.load <= 0:
        return 0.0
    elapsed = max(0.0, now - agent.load_ts)
    return agent.load * 0.5 ** (elapsed / rules.load_half_life_seconds)


def load_after_claim(agent: AgentState, case: QueuedCase, now: float, rules: RoutingRules) -> float:
    return current_load(agent, now, rules) + case.distress


def is_heavy(case: QueuedCase, rules: RoutingRules) -> bool:
    return case.distress >= rules.heavy_distress


def eligible(agent: AgentState, case: QueuedCase) -> bool:
    return case.skill in agent.skills and case.language in agent.languages


def overdue(case: QueuedCase, now: float, rules: RoutingRules) -> bool:
    """Whether a heavy case has waited long enough to go to a loaded agent (`least_loaded`)."""
    return now - case.requested_at >= rules.heavy_override_seconds


def least_loaded(
    agent: AgentState, skill: str, language: str, now: float, rules: RoutingRules, others: list[AgentState]
) -> bool:
    """Whether no agent present who serves this skill and language carries less load than `agent`."""
    load = current_load(agent, now, rules)
    route = QueuedCase("", skill, language, 0.0, 0.0)
    candidates = [a for a in others if a.online and not a.paused and eligible(a, route)]
    return all(load <= current_load(other, now, rules) + 1e-9 for other in candidates)


def offer_refusal(
    agent: AgentState, case: QueuedCase, now: float, rules: RoutingRules, others: list[AgentState] = ()
) -> str | None:  # type: ignore[assignment]
    """Why ``agent`` may not take ``case`` now, or None if they may."""
    if not eligible(agent, case):
        return "outside your skills or languages"
    if agent.paused:
        return "you are paused"
    if not is_heavy(case, rules):
        return None
    load = current_load(agent, now, rules)
    if load < rules.load_threshold:
        return None
    if overdue(case, now, rules) and least_loaded(agent, case.skill, case.language, now, rules, others):
        return None  # waited long enough: the least-loaded eligible agent present may take it
    return f"your emotional load ({load:.2f}) is above {rules.load_threshold:.2f}: take a lighter case first"


def takes_any(agent: AgentState, now: float, rules: RoutingRules) -> bool:
    """Whether `offer_refusal` lets this agent take every case of their skills and languages now
    (not paused, load below the threshold): then claim next needs no case's fields, only the best."""
    return not agent.paused and current_load(agent, now, rules) < rules.load_threshold


def rank(cases: list[QueuedCase], rules: RoutingRules) -> list[QueuedCase]:
    """Highest priority first (the same order at any time: `standing`)."""
    return sorted(cases, key=lambda c: (standing(c, rules), c.requested_at, c.conversation_id))


def queue_position(case: QueuedCase, cases: list[QueuedCase], rules: RoutingRules) -> int:
    """1-based position among the cases competing for the same agents (skill and language)."""
    same = [c for c in cases if c.skill == case.skill and c.language == case.language]
    ordered = rank(same, rules)
    for index, other in enumerate(ordered, start=1):
        if other.conversation_id == case.conversation_id:
            return index
    return len(ordered) + 1


def serving_agents(agents: list[AgentState], case: QueuedCase) -> int:
    """How many agents could take this case now: the divisor of its expected wait (wait_estimate.py)."""
    return sum(1 for a in agents if a.online and not a.paused and eligible(a, case))
