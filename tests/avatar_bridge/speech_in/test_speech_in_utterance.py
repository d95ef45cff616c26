"""The per-socket utterance buffer: chunks in order, memory bounded, nothing kept after a drop."""

import pytest

from avatar_bridge.protocol.errors import ErrorCode, ProtocolError
from avatar_bridge.speech_in.utterance import BYTES_PER_SECOND, UtteranceStream

CHUNK = b"\x01\x00" * 4096


def test_chunks_in_order_make_the_utterance():
    stream = UtteranceStream(max_seconds=30)
    stream.start("a1", "push_to_talk")
    for seq in range(3):
        assert stream.add("a1", seq, CHUNK) is False
    utterance = stream.finish("a1")
    assert utterance is not None and bytes(utterance.pcm) == CHUNK * 3
    assert stream.current is None


def test_a_ten_minute_stream_is_cut_off_once_and_memory_stays_bounded():
    stream = UtteranceStream(max_seconds=1)
    stream.start("long", "hands_free")
    cut_offs = [stream.add("long", seq, CHUNK) for seq in range(600 * BYTES_PER_SECOND // len(CHUNK))]
    assert cut_offs.count(True) == 1  # answered once, then the rest is ignored
    assert len(stream.current.pcm) == 0  # the audio so far was let go at the cut
    assert stream.finish("long") is None  # nothing to recognise


@pytest.mark.parametrize(
    ("seq", "pcm"),
    [(1, CHUNK), (0, b"\x01\x00\x02")],  # a lost chunk; half a sample
    ids=["gap", "odd-bytes"],
)
def test_a_broken_stream_drops_the_utterance(seq, pcm):
    stream = UtteranceStream(max_seconds=30)
    stream.start("a2", "push_to_talk")
    with pytest.raises(ProtocolError) as raised:
        stream.add("a2", seq, pcm)
    assert raised.value.code == ErrorCode.AUDIO_INTERRUPTED
    assert stream.current is None


def test_chunks_for_no_open_utterance_are_refused():
    stream = UtteranceStream(max_seconds=30)
    with pytest.raises(ProtocolError):
        stream.add("ghost", 0, CHUNK)
    stream.start("a3", "push_to_talk")
    stream.cancel("a3")
    with pytest.raises(ProtocolError):
        stream.finish("a3")
