"""The recogniser's short encoder window (avatar_bridge/speech_in/short_window.py) against Whisper's
own 30-second window, with the real model loaded in this process: the same words for a clip, a
repetition loop decoded again the standard way, and long speech never shortened."""

import numpy as np
import pytest
from speech_in.audio_support import spoken, words

from avatar_bridge.speech_in import recognise, short_window
from avatar_bridge.speech_in.short_window import Decoded, ShortWindowDecoder, speech_only

ENGLISH = "Please send me a new invoice for last month."


@pytest.fixture(scope="module")
def model():
    recognise.init_worker(cpu_threads=1)
    return recognise._model


@pytest.fixture(scope="module")
def clip() -> bytes:
    return spoken(ENGLISH, "en-us")


def _audio(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, "<i2").astype(np.float32) / 32768.0


def test_the_short_window_reads_the_words_whisper_reads_in_its_full_window(model, clip):
    audio = _audio(clip)
    speech = speech_only(audio)
    assert 1.0 < speech.size / 16000 < audio.size / 16000  # the silence either side is gone
    decoder = ShortWindowDecoder(model)
    short = decoder.decode(decoder.encode(speech), "en", speech.size / 16000)
    full_text, _ = recognise._transcribe(audio, "en")
    assert words(short.text) == words(full_text) == words(ENGLISH)
    assert 0.5 < short.confidence <= 1 and not short.suspicious


def test_a_repetition_loop_compresses_like_one():
    loop_text = "I want to I want to I want to I want to I want to I want to I want to."
    assert short_window._compression_ratio(loop_text) > short_window.MAX_COMPRESSION_RATIO
    assert short_window._compression_ratio(ENGLISH) < short_window.MAX_COMPRESSION_RATIO


def test_a_flagged_result_is_decoded_again_with_the_full_window(model, clip, monkeypatch):
    monkeypatch.setattr(ShortWindowDecoder, "decode", lambda *_: Decoded("la la la la la la", 0.9, suspicious=True))
    result = recognise.recognise(clip, "en", ("en", "de"), True)
    assert words(result["text"]) == words(ENGLISH)


def test_long_speech_goes_through_whisper_s_own_windows(model, clip, monkeypatch):
    monkeypatch.setattr(recognise, "MAX_SPEECH_S", 1.0)

    def never(*_):
        raise AssertionError("long speech must not be shortened")

    monkeypatch.setattr(ShortWindowDecoder, "encode", never)
    result = recognise.recognise(clip, "en", ("en", "de"), True)
    assert words(result["text"]) == words(ENGLISH)


def test_silence_after_the_level_check_is_no_speech(model):
    quiet_noise = (np.random.default_rng(1).normal(0, 0.004, 32000) * 32767).astype("<i2").tobytes()
    result = recognise.recognise(quiet_noise, "en", ("en", "de"), True)
    assert result["text"] == ""
