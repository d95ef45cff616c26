"""The risk score and the roster's heavy-case run: pure rules, table-driven."""

import pytest

from handoff.assist.lines import Line
from handoff.supervision.risk import RiskInputs, rise_of, score, unanswered_since
from handoff.supervision.roster import handled_since, heavy_run, parse_history


def line(kind: str, text: str, at: float = 0.0) -> Line:
    return Line(kind, text, at, "")


@pytest.mark.parametrize(
    ("inputs", "expected", "level"),
    [
        (RiskInputs(distress=0.0, rise=0.0, waited_s=0, queued=True), 0.0, "low"),
        (RiskInputs(distress=1.0, rise=0.0, waited_s=0, queued=True), 40.0, "medium"),
        (RiskInputs(distress=0.0, rise=0.4, waited_s=0, queued=False), 20.0, "low"),
        (RiskInputs(distress=0.0, rise=0.0, waited_s=300, queued=True), 12.5, "low"),
        (RiskInputs(distress=0.0, rise=0.0, waited_s=180, queued=False), 25.0, "low"),
        (RiskInputs(distress=0.0, rise=0.0, waited_s=0, queued=False, agent_struggling=True), 15.0, "low"),
        (RiskInputs(distress=1.0, rise=1.0, waited_s=9999, queued=True, agent_struggling=True), 100.0, "high"),
    ],
)
def test_score_is_the_documented_weighted_sum(inputs: RiskInputs, expected: float, level: str) -> None:
    risk = score(inputs)
    assert (risk.score, risk.level) == (expected, level)


def test_reasons_name_what_raised_the_score() -> None:
    risk = score(RiskInputs(distress=0.8, rise=0.4, waited_s=240, queued=False, agent_struggling=True))
    assert risk.reasons == ["high distress", "distress rising", "no answer for 4 min", "agent under strain"]


def test_rise_and_unanswered_wait_come_from_the_chat_lines() -> None:
    lines = [
        line("customer", "hello", 10),
        line("agent", "hi", 20),
        line("customer", "this is annoying", 30),
        line("customer", "UNACCEPTABLE!!", 40),
    ]
    assert rise_of(lines) == pytest.approx(1.0)  # 0 → 0.4 → 1.0
    assert rise_of(list(reversed(lines))) == 0.0  # calming down is no risk
    assert unanswered_since(lines) == 30
    assert unanswered_since([*lines, line("agent", "sorry", 50)]) is None


def test_a_light_case_or_a_pause_ends_a_heavy_run() -> None:
    # newest first, as the store keeps them
    history = ["50:0.9", "40:0.7", "30:0.2", "20:0.8", "10:0.9", "bad", "x:1"]
    claims = parse_history(history)
    assert heavy_run(claims, since=0, heavy_distress=0.6) == 2
    assert heavy_run(claims, since=45, heavy_distress=0.6) == 1  # the shift started in between
    assert heavy_run(parse_history(["60:pause", *history]), since=0, heavy_distress=0.6) == 0
    assert handled_since(claims, since=25) == 3
