"""The bridge load bench's playback stall: silence inside a turn's speech while a later sentence is late."""

import pytest

from scripts.bench.bridge_load import playback_stall_ms


@pytest.mark.parametrize(
    "frames, stall",
    [
        ([(0, 2000)], 0),  # one sentence: nothing to wait for
        ([(0, 2000), (1500, 1000)], 0),  # the second arrived while the first played
        ([(0, 2000), (2300, 1000)], 300),  # 300 ms of silence before the second
        ([(0, 1000), (1500, 1000), (2600, 500)], 600),  # late twice: 500 ms, then 100 ms after the late one
        ([(0, 1000), (4000, 1000), (4200, 500)], 3000),  # the third was in time for the late second
    ],
)
def test_stall_is_the_silence_a_player_would_wait(frames, stall):
    assert playback_stall_ms(frames) == pytest.approx(stall)
