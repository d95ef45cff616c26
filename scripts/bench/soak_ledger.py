"""Exactly-once bookkeeping for the soak test (scripts/bench/soak.py).

`SessionLedger` watches the frames one customer session receives (docs/protocol.md §3):
conversation frames numbered 1, 2, 3, ... without gaps or repeats, no `bot_message` id twice, and
exactly one terminal frame (`turn_complete`, or an `error` with `reply_to` and `seq`) for every
user message the bridge accepted (`ack`). `DeliveryLedger` follows the handoff path across the
two sides of the run: every message an agent sent reaches its customer once, and every message a
customer sent to an agent (`turn_complete.routed_to == "agent"`) shows up once in the agent's view
of the conversation. Both only record; `violations()` says what broke.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

# Agents and customers mark their texts with a token, so each text can be found on the other side.
TOKEN_PATTERN = re.compile(r"\(soak ([a-z]{10})\)")


def marked(text: str, token: str) -> str:
    return f"{text} (soak {token})"


def token_in(text: str) -> str | None:
    found = TOKEN_PATTERN.search(text or "")
    return found.group(1) if found else None


@dataclass(frozen=True)
class Violation:
    kind: str
    session_id: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} in {self.session_id}: {self.detail}"


@dataclass
class SessionLedger:
    session_id: str
    # The `seq` of the last conversation frame seen (a fresh session starts at 0).
    last_seq: int = 0
    acks: Counter[str] = field(default_factory=Counter)
    terminals: Counter[str] = field(default_factory=Counter)
    bot_message_ids: Counter[str] = field(default_factory=Counter)
    agent_message_ids: Counter[str] = field(default_factory=Counter)
    found: list[Violation] = field(default_factory=list)

    def record(self, frame: dict) -> None:
        seq = frame.get("seq")
        if isinstance(seq, int):
            self._check_seq(seq, frame["type"])
        kind, reply_to = frame.get("type"), frame.get("reply_to")
        if kind == "ack":
            self._count(self.acks, reply_to, "ack_repeated")
        elif kind == "bot_message":
            self._count(self.bot_message_ids, frame.get("message_id"), "bot_message_repeated")
        elif kind == "agent_message":
            self._count(self.agent_message_ids, frame.get("message_id"), "agent_message_id_repeated")
        elif kind == "turn_complete" or (kind == "error" and reply_to and isinstance(seq, int)):
            if reply_to not in self.acks:
                self._violate("terminal_without_ack", f"{kind} for {reply_to!r}, which was never acknowledged")
            self._count(self.terminals, reply_to, "terminal_repeated")

    def violations(self) -> list[Violation]:
        """What was found while recording, plus accepted messages that never got their terminal frame."""
        missing = [
            Violation("terminal_missing", self.session_id, f"no terminal frame for {message_id!r}")
            for message_id in self.acks
            if not self.terminals[message_id]
        ]
        return self.found + missing

    def _check_seq(self, seq: int, kind: str) -> None:
        if seq <= self.last_seq:
            self._violate("seq_repeated", f"{kind} seq {seq} after {self.last_seq}")
        elif seq != self.last_seq + 1:
            self._violate("seq_gap", f"{kind} seq {seq} after {self.last_seq}")
        self.last_seq = max(self.last_seq, seq)

    def _count(self, counter: Counter[str], key: str | None, violation: str) -> None:
        counter[key or ""] += 1
        if counter[key or ""] > 1:
            self._violate(violation, f"{key!r} {counter[key or '']} times")

    def _violate(self, kind: str, detail: str) -> None:
        self.found.append(Violation(kind, self.session_id, detail))


@dataclass
class DeliveryLedger:
    """Both directions of the agent chat, keyed by the token in each text."""

    # token -> (session id, monotonic time the agent sent it)
    agent_sent: dict[str, tuple[str, float]] = field(default_factory=dict)
    # session id -> tokens of agent messages the customer received (with repeats)
    customer_received: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    delivery_ms: list[float] = field(default_factory=list)
    # token -> session id, for customer messages the bridge routed to the agent
    customer_sent: dict[str, str] = field(default_factory=dict)
    customer_sent_at: dict[str, float] = field(default_factory=dict)
    # session id -> tokens in the agent's last full read of the conversation (with repeats)
    agent_view: dict[str, Counter[str]] = field(default_factory=dict)
    # token -> ms from the customer's send to the agent first seeing it
    agent_seen_ms: dict[str, float] = field(default_factory=dict)

    def agent_sends(self, session_id: str, token: str, at: float) -> None:
        self.agent_sent[token] = (session_id, at)

    def customer_receives(self, session_id: str, text: str, at: float) -> None:
        token = token_in(text)
        if token is None:
            return
        self.customer_received[session_id][token] += 1
        sent = self.agent_sent.get(token)
        if sent and self.customer_received[session_id][token] == 1:
            self.delivery_ms.append((at - sent[1]) * 1000)

    def customer_sends(self, session_id: str, token: str, at: float) -> None:
        self.customer_sent[token] = session_id
        self.customer_sent_at[token] = at

    def agent_reads(self, session_id: str, texts: list[str], at: float) -> Counter[str]:
        """The agent's full read of the conversation's customer lines; returns the tokens in it."""
        seen = Counter(token for token in map(token_in, texts) if token)
        self.agent_view[session_id] = seen
        for token in seen:
            if token in self.customer_sent_at and token not in self.agent_seen_ms:
                self.agent_seen_ms[token] = (at - self.customer_sent_at[token]) * 1000
        return seen

    def expected_by_agent(self, session_id: str) -> set[str]:
        return {token for token, session in self.customer_sent.items() if session == session_id}

    def violations(self) -> list[Violation]:
        found = []
        for token, (session_id, _) in self.agent_sent.items():
            count = self.customer_received.get(session_id, Counter())[token]
            if count != 1:
                kind = "agent_message_lost" if count == 0 else "agent_message_repeated"
                found.append(Violation(kind, session_id, f"agent message {token} reached the customer {count} times"))
        for session_id, received in self.customer_received.items():
            for token in received:
                if self.agent_sent.get(token, (None,))[0] != session_id:
                    found.append(Violation("agent_message_misrouted", session_id, f"{token} was not sent to it"))
        for token, session_id in self.customer_sent.items():
            count = self.agent_view.get(session_id, Counter())[token]
            if count != 1:
                kind = "customer_message_lost" if count == 0 else "customer_message_repeated"
                found.append(Violation(kind, session_id, f"customer message {token} seen by the agent {count} times"))
        return found
