"""Splitting a reply into sentences for streaming, and Piper's output as timelines."""

import pytest

from avatar_bridge.speech.piper_client import PiperAudio
from avatar_bridge.speech.piper_timeline import (
    LENGTH_SCALE_RANGE,
    NOISE_SCALE_RANGE,
    events_from_alignment,
    piper_request,
)
from avatar_bridge.speech.sentences import split_sentences
from avatar_bridge.speech.timeline import viseme_timeline


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "I am sorry. Your order 40010002 arrives on 6.12.2026. It costs €49.90!",
            ["I am sorry.", "Your order 40010002 arrives on 6.12.2026.", "It costs €49.90!"],
        ),
        ("Write to james.carter@example.com, e.g. today.", ["Write to james.carter@example.com, e.g. today."]),
        ("Das ist z. B. gut. Nr. 5 ist da.", ["Das ist z. B. gut.", "Nr. 5 ist da."]),
        ("Hi. Thanks for waiting.", ["Hi. Thanks for waiting."]),  # too short to stand alone
        ("", []),
    ],
)
def test_sentences(text, expected):
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.offset : s.offset + len(s.text)] == s.text for s in sentences)


def test_prosody_follows_the_expression_within_the_voices_range():
    apology = piper_request("x", rate=0.86, pitch=-6, volume=0.8)
    neutral = piper_request("x", rate=1.0, pitch=0, volume=0.9)
    good_news = piper_request("x", rate=1.02, pitch=3, volume=0.9)
    assert apology.length_scale > neutral.length_scale > good_news.length_scale  # slower for an apology
    assert apology.noise_scale < neutral.noise_scale < good_news.noise_scale  # flatter vs brighter
    extreme = piper_request("x", rate=0.2, pitch=-90, volume=3)
    assert (extreme.length_scale, extreme.noise_scale, extreme.volume) == (
        LENGTH_SCALE_RANGE[1],
        NOISE_SCALE_RANGE[0],
        1.0,
    )


def test_visemes_and_words_come_from_pipers_phoneme_durations():
    # "hi, bob": ^ h a ɪ , (pause) b ˈ ɑ b $ — durations in samples at 1000 Hz = milliseconds.
    phonemes = [("^", 50), ("h", 60), ("a", 80), ("ɪ", 40), (",", 100), (" ", 20), ("b", 30), ("ˈ", 10), ("ɑ", 90)]
    audio = PiperAudio(pcm=b"\0\0" * 600, sample_rate=1000, phonemes=[*phonemes, ("b", 40), ("$", 80)])
    events = events_from_alignment(audio, "hi, bob")
    visemes = viseme_timeline(events, 600)
    assert [(v["t_ms"], v["viseme"]) for v in visemes] == [
        (0, "sil"),
        (50, "kk"),
        (110, "aa"),
        (190, "I"),
        (230, "sil"),
        (350, "PP"),
        (390, "aa"),  # the stress mark's 10 ms belong to no mouth shape
        (480, "PP"),
        (520, "sil"),
    ]
    words = [(e.t_ms, e.text_position, e.length) for e in events if e.kind == "word"]
    assert words == [(50, 1, 2), (350, 5, 3)]
