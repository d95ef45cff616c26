"""The soak test's exactly-once checks (scripts/bench/soak_ledger.py) find what they are for:
frames repeated, missing or out of sequence, and agent chat lines lost or seen twice."""

from __future__ import annotations

import pytest

from scripts.bench.soak_ledger import DeliveryLedger, SessionLedger, marked, token_in


def _turn(message_id: str, first_seq: int, replies: int = 1) -> list[dict]:
    """The frames of one answered user message, as the bridge sends them."""
    frames = [{"type": "ack", "seq": first_seq, "reply_to": message_id}]
    frames += [
        {"type": "bot_message", "seq": first_seq + 1 + n, "reply_to": message_id, "message_id": f"{message_id}.{n}"}
        for n in range(replies)
    ]
    frames.append({"type": "turn_complete", "seq": first_seq + 1 + replies, "reply_to": message_id})
    return frames


def _kinds(frames: list[dict]) -> list[str]:
    ledger = SessionLedger("s1")
    for frame in frames:
        ledger.record(frame)
    return [violation.kind for violation in ledger.violations()]


def test_a_clean_session_has_no_violations() -> None:
    frames = (
        _turn("m1", 1, replies=2)
        + _turn("m2", 5)
        + [
            {"type": "status", "seq": 8, "state": "with_agent"},
            {"type": "agent_message", "seq": 9, "message_id": "agent-1", "text": "hi"},
            # Connection frames carry no seq and do not count.
            {"type": "pong"},
            # A message that was not accepted gets an error without seq: not a terminal frame.
            {"type": "error", "code": "rate_limited", "reply_to": "m3"},
        ]
    )
    assert _kinds(frames) == []


@pytest.mark.parametrize(
    ("frames", "expected"),
    [
        # The same frame delivered twice (e.g. by two bridge instances).
        (_turn("m1", 1) + [_turn("m1", 1)[-1]], ["seq_repeated", "terminal_repeated"]),
        # A frame lost between two others.
        ([f for f in _turn("m1", 1, replies=2) if f["seq"] != 2], ["seq_gap"]),
        # An accepted message whose reply sequence never ended.
        (_turn("m1", 1)[:-1], ["terminal_missing"]),
        # A bot message id reused by a later frame.
        (
            _turn("m1", 1) + [{"type": "bot_message", "seq": 4, "reply_to": "m1", "message_id": "m1.0"}],
            ["bot_message_repeated"],
        ),
        # A terminal frame for a message the bridge never acknowledged.
        ([{"type": "turn_complete", "seq": 1, "reply_to": "m9"}], ["terminal_without_ack"]),
        # An agent message emitted twice under two seqs.
        (
            [
                {"type": "agent_message", "seq": 1, "message_id": "agent-1", "text": "x"},
                {"type": "agent_message", "seq": 2, "message_id": "agent-1", "text": "x"},
            ],
            ["agent_message_id_repeated"],
        ),
        # A terminal error with seq counts like turn_complete: two terminal frames for one message.
        (
            _turn("m1", 1) + [{"type": "error", "seq": 4, "code": "internal_error", "reply_to": "m1"}],
            ["terminal_repeated"],
        ),
    ],
)
def test_broken_sequences_are_reported(frames: list[dict], expected: list[str]) -> None:
    assert _kinds(frames) == expected


def test_the_token_marks_a_text_and_is_found_again() -> None:
    assert token_in(marked("Hello there", "abcdefghij")) == "abcdefghij"
    assert token_in("no marker here") is None
    assert token_in("(soak ABC)") is None


def test_agent_and_customer_messages_each_arrive_exactly_once() -> None:
    ledger = DeliveryLedger()
    ledger.agent_sends("s1", "aaaaaaaaaa", at=10.0)
    ledger.customer_receives("s1", marked("Hi, I'm Mia", "aaaaaaaaaa"), at=10.05)
    ledger.customer_sends("s1", "bbbbbbbbbb", at=11.0)
    ledger.agent_reads("s1", [marked("thanks", "bbbbbbbbbb"), "an earlier line"], at=11.5)
    assert ledger.violations() == []
    assert ledger.delivery_ms == [pytest.approx(50.0)]
    assert ledger.agent_seen_ms == {"bbbbbbbbbb": pytest.approx(500.0)}


def test_lost_repeated_and_misrouted_chat_lines_are_reported() -> None:
    ledger = DeliveryLedger()
    ledger.agent_sends("s1", "lostlostxx", at=1.0)  # never arrives
    ledger.agent_sends("s1", "twicetwice", at=1.0)
    ledger.customer_receives("s1", marked("hello", "twicetwice"), at=1.1)
    ledger.customer_receives("s1", marked("hello", "twicetwice"), at=1.2)
    ledger.agent_sends("s2", "elsewherex", at=1.0)
    ledger.customer_receives("s2", marked("hi", "elsewherex"), at=1.1)
    ledger.customer_receives("s1", marked("hi", "elsewherex"), at=1.1)  # the wrong customer
    ledger.customer_sends("s1", "customerxx", at=2.0)  # the agent never sees it
    ledger.customer_sends("s2", "doubledxxx", at=2.0)
    ledger.agent_reads("s2", [marked("a", "doubledxxx"), marked("a", "doubledxxx")], at=3.0)
    kinds = sorted(violation.kind for violation in ledger.violations())
    assert kinds == [
        "agent_message_lost",
        "agent_message_misrouted",
        "agent_message_repeated",
        "customer_message_lost",
        "customer_message_repeated",
    ]
