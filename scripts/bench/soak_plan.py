"""The soak test's inputs (what to run against, how much load) and what one run collects."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlparse

from scripts.bench.soak_ledger import DeliveryLedger, SessionLedger, Violation

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class AgentAccount:
    username: str
    password: str


@dataclass(frozen=True)
class Targets:
    """Where the load goes: the bridge's WebSocket through the load balancer, and the handoff service."""

    bridge_ws: str
    handoff_url: str
    agents: tuple[AgentAccount, ...]

    def __post_init__(self) -> None:
        for url in (self.bridge_ws, self.handoff_url):
            if urlparse(url).hostname not in LOOPBACK:
                raise ValueError(f"{url}: the soak test only talks to loopback addresses")


@dataclass(frozen=True)
class LoadPlan:
    customers: int = 60
    duration_s: float = 210.0
    # Think time between a customer's messages (uniform), and before answering an agent.
    think_s: tuple[float, float] = (4.0, 8.0)
    reply_think_s: tuple[float, float] = (1.0, 3.0)
    # Customers start spread over this many seconds.
    ramp_s: float = 20.0
    # Share of conversations that ask for a person (each customer's first one decides it for the
    # first round(customers * share) customers, so small runs take the handoff path for sure).
    person_share: float = 0.2
    # Share of sessions with speech (audio synthesis in the bridge), the rest text only.
    audio_share: float = 0.3
    max_messages_per_customer: int = 40
    agent_messages: int = 2
    turn_timeout_s: float = 60.0
    # How long a customer waits for an agent before giving up (counted as an error).
    handoff_timeout_s: float = 120.0
    # After `duration_s` nobody starts anything new; running turns and agent chats get this long.
    drain_s: float = 90.0
    seed: int = 8

    def __post_init__(self) -> None:
        if self.customers < 1 or self.duration_s <= 0:
            raise ValueError("a soak run needs at least one customer and a positive duration")
        if not (0 <= self.person_share <= 1 and 0 <= self.audio_share <= 1):
            raise ValueError("shares are between 0 and 1")
        if self.think_s[0] < 1.0 or self.think_s[0] > self.think_s[1]:
            # The bridge allows one user message per second per session after a burst of five.
            raise ValueError("think time must be at least 1 s and min ≤ max")


@dataclass
class Results:
    sessions: dict[str, SessionLedger] = field(default_factory=dict)
    deliveries: DeliveryLedger = field(default_factory=DeliveryLedger)
    text_cue_ms: list[float] = field(default_factory=list)
    turn_ms: list[float] = field(default_factory=list)
    handoff_wait_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    turns: int = 0
    turns_to_agent: int = 0
    conversations: int = 0
    handoffs_served: int = 0
    load_seconds: float = 0.0
    # Monotonic times: the start of the run and each completed turn (for the steady-state rate).
    started_at: float = 0.0
    turn_done_at: list[float] = field(default_factory=list)

    def steady_turns_per_s(self, plan: LoadPlan) -> float:
        """Completed turns per second between the end of the ramp and the end of the load phase."""
        window = (self.started_at + plan.ramp_s, self.started_at + plan.duration_s)
        if window[1] <= window[0]:
            return self.turns / self.load_seconds if self.load_seconds else 0.0
        done = sum(1 for at in self.turn_done_at if window[0] <= at < window[1])
        return done / (window[1] - window[0])

    def error(self, kind: str) -> None:
        self.errors[kind] += 1

    def ledger(self, session_id: str) -> SessionLedger:
        return self.sessions.setdefault(session_id, SessionLedger(session_id))

    def violations(self) -> list[Violation]:
        found = [v for ledger in self.sessions.values() for v in ledger.violations()]
        return found + self.deliveries.violations()
