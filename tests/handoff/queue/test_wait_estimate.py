"""The expected wait (pure functions): measured handle times, staffing, ranges, the long-wait offer."""

import pytest

from handoff.queue.wait_estimate import (
    WaitEstimate,
    WaitPolicy,
    estimate_wait,
    expected_wait_seconds,
    typical_handle_seconds,
    wait_range_seconds,
)

POLICY = WaitPolicy(default_handle_seconds=240, window=5, min_samples=3, long_wait_seconds=900)


def test_the_handle_time_is_the_median_of_the_newest_samples() -> None:
    # Newest first; the window keeps the first five: 300, 360, 3600, 420, 30 -> median 360.
    assert typical_handle_seconds(["300", "360", "3600", "420", "30", "9999"], POLICY) == 360
    # An even count takes the mean of the middle two: (300 + 420) / 2.
    assert typical_handle_seconds([300, 420, 600, 60], POLICY) == 360


def test_one_outlier_or_a_run_of_instant_hand_backs_barely_moves_it() -> None:
    steady = [300.0] * 5
    assert typical_handle_seconds([7200.0, *steady[:4]], POLICY) == 300
    assert typical_handle_seconds([2.0, 3.0, *steady[:3]], POLICY) == 300


@pytest.mark.parametrize(
    "samples",
    [[], ["300", "360"], ["x", None, "-5", "0", "nan", "inf", "300"]],
    ids=["none", "too few", "garbage ignored"],
)
def test_too_few_usable_samples_fall_back_to_the_default(samples) -> None:  # noqa: ANN001
    assert typical_handle_seconds(samples, POLICY) == 240


def test_the_wait_is_position_times_handle_time_over_the_agents_serving() -> None:
    assert expected_wait_seconds(3, 240, 2) == 360
    assert expected_wait_seconds(1, 240, 4) == 60
    assert expected_wait_seconds(2, 300, 0) == 600  # nobody serving counts as one
    assert expected_wait_seconds(0, 300, 1) == 300  # a position is at least 1


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, (0, 120)),
        (119, (0, 120)),
        (120, (120, 300)),
        (360, (300, 600)),
        (899, (600, 900)),
        (900, (900, 1200)),
        (7199, (5400, 7200)),
        (7200, (7200, None)),
        (39600, (7200, None)),  # the 660 minutes once shown: "more than 120 minutes"
        (-5, (0, 120)),
    ],
)
def test_waits_are_told_as_ranges(seconds: float, expected: tuple) -> None:
    assert wait_range_seconds(seconds) == expected


def test_the_same_position_keeps_its_range_while_the_handle_time_drifts() -> None:
    # Position 3, two agents: medians from 240 s to 380 s all give 6-9.5 min -> "5 to 10".
    labels = {estimate_wait(3, [median] * 5, 2, POLICY).label for median in range(240, 381, 20)}
    assert labels == {"5-10"}


def test_a_long_wait_offers_a_call_back_or_an_e_mail_reply() -> None:
    short = estimate_wait(2, [300] * 5, 2, POLICY)  # 300 s -> 5-10 min
    assert short == WaitEstimate(position=2, low_seconds=300, high_seconds=600, long=False)
    assert short.contact_options == ()
    long = estimate_wait(4, [300] * 5, 1, POLICY)  # 1200 s -> 20-30 min, from 15 min on it is long
    assert (long.low_seconds, long.high_seconds, long.long) == (1200, 1800, True)
    assert long.contact_options == ("callback", "email")
    # Nobody with the skill and language online: long, whatever the arithmetic says.
    assert estimate_wait(1, [60] * 5, 0, POLICY).long


def test_the_reported_wait_from_the_evidence_is_now_steady() -> None:
    """Position 165 with one agent once read 660, 265 and 143 minutes as an average drifted; with
    a median over the same samples and ranges it reads the same every time."""
    samples = [240.0] * 3 + [20.0, 30.0]  # two instant hand-backs among the measured ones
    first = estimate_wait(165, samples, 1, POLICY)
    again = estimate_wait(165, [25.0, *samples[:4]], 1, POLICY)
    assert first.label == again.label == "120-" and first.long
