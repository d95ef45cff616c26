"""With real Piper: the mouth closes where the served audio goes quiet before a pause.

The audio's edge is found here the simple way (5 ms frames against a tenth of the reply's RMS,
as scripts/bench/viseme_landmarks.py does), not with the bridge's own edge finder."""

import wave

import numpy as np

from avatar_bridge.speech.service import Prosody, SpeechService

FRAME_MS = 5
TOLERANCE_MS = 30  # issue #16: visemes within 30 ms of the served audio


def _served(service: SpeechService, key: str) -> tuple[np.ndarray, int]:
    with wave.open(str(service.audio_path(key))) as served:
        return np.frombuffer(served.readframes(served.getnframes()), "<i2").astype(np.float64), served.getframerate()


def _sound_ends_before(audio: np.ndarray, rate: int, middle_ms: float) -> float:
    """End (ms) of the last loud 5 ms frame before the pause's middle."""
    step = rate * FRAME_MS // 1000
    frames = audio[: audio.size // step * step].reshape(-1, step)
    loud = np.flatnonzero(np.sqrt(np.mean(frames**2, axis=1)) > 0.1 * np.sqrt(np.mean(audio**2)))
    loud = loud[loud * step * 1000 / rate < middle_ms]
    return float((loud[-1] + 1) * step * 1000 / rate)


def test_the_mouth_closes_where_the_voice_stops_before_each_pause(piper_speech):
    service, loop = piper_speech
    text = "Sure, I can help with that, and if you like, I can also check your other order."
    result = loop.run_until_complete(service.speak(text, "en", Prosody()))
    assert result.voice["engine"] == "piper"
    audio, rate = _served(service, result.key)
    visemes = result.visemes
    pauses = [
        (pause["t_ms"], after["t_ms"])
        for pause, after in zip(visemes, visemes[1:], strict=False)
        if pause["viseme"] == "sil" and pause["t_ms"] > 0 and after["t_ms"] - pause["t_ms"] >= 100
    ]
    assert len(pauses) >= 2  # the commas
    for closes, opens in pauses:
        voice_stops = _sound_ends_before(audio, rate, (closes + opens) / 2)
        assert abs(voice_stops - closes) <= TOLERANCE_MS, (closes, voice_stops)
