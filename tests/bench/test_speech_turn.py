"""The speech-turn benchmark's pure parts: microphone pacing, its table rows and the target verdict."""

import pytest

from scripts.bench.speech_turn import chunk_schedule
from scripts.bench.speech_turn_rows import Turn, clip_seconds, row, table, target_line


def _turn(cue_ms, *, language="en", long=True, transcript="where is my order", typed_ms=None, error=None):
    return Turn(
        language=language,
        condition="clean",
        long=long,
        text="Where is my order?",
        speech_s=4.0 if long else 2.0,
        transcript_ms=None if cue_ms is None else cue_ms / 2,
        cue_ms=cue_ms,
        transcript=transcript,
        typed_ms=typed_ms,
        error=error,
    )


def test_each_chunk_goes_when_its_last_sample_has_been_spoken():
    schedule = chunk_schedule(20000, chunk_bytes=8192, bytes_per_s=32000)
    assert [(start, end) for _, start, end in schedule] == [(0, 8192), (8192, 16384), (16384, 20000)]
    assert [due for due, _, _ in schedule] == pytest.approx([0.256, 0.512, 0.625])


@pytest.mark.parametrize(("count", "chunk"), [(0, 8192), (1000, 0), (1000, 8191)])
def test_no_audio_or_an_odd_chunk_size_is_refused(count, chunk):
    with pytest.raises(ValueError):
        chunk_schedule(count, chunk_bytes=chunk)


def test_clip_seconds_leaves_out_the_padding_and_never_goes_negative():
    assert clip_seconds(32000 * 5) == pytest.approx(4.0)
    assert clip_seconds(100) == 0.0


def test_a_row_counts_failed_turns_and_summarises_only_the_timed_ones():
    turns = [_turn(1000.0, typed_ms=100.0), _turn(2000.0), _turn(None, error="routed_to_agent")]
    cells = [cell.strip() for cell in row("en", turns).strip("|").split("|")]
    assert cells[:3] == ["en", "3", "4.0–4.0"]
    assert cells[6:9] == ["1500", "2000", "2000"]  # cue p50, p95, max over the two answered turns
    assert cells[9:13] == ["1", "100", "100", "100"]  # one typed twin
    assert cells[-1] == "1"  # the turn handed to an agent, which had no cue
    assert cells[-2] == "0"  # the transcripts match the text word for word


def test_a_group_without_turns_shows_dashes():
    assert "| de | 0 | – | – | – | – |" in table([_turn(900.0)])


def test_the_target_is_judged_on_the_long_utterances_only():
    fast = [_turn(800.0) for _ in range(19)] + [_turn(2400.0)]
    assert "**met**" in target_line(fast + [_turn(9000.0, long=False)])
    assert "**not met**" in target_line([_turn(800.0), _turn(3000.0)])
    assert "**not met**" in target_line(fast + [_turn(None)])  # a lost reply is no success
    assert "not measured" in target_line([_turn(800.0, long=False)])
