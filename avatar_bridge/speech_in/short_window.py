"""Whisper on an encoder window fitted to the utterance, instead of always 30 seconds.

faster-whisper's ``transcribe`` pads every utterance with silence to Whisper's 30-second window, and
for a push-to-talk clip the encoder pass over that window is almost all of the work (about 0.8 s of
one core for Whisper base int8, against well under 0.1 s for decoding a sentence). CTranslate2's
encoder also takes fewer frames, and its cost falls with them. So the speech that voice activity
detection finds is encoded in a window of its length plus ``WINDOW_MARGIN_S`` (at least
``MIN_WINDOW_S``, the silence after the speech that Whisper expects to see), then decoded greedily,
without timestamps, in the session's language (another language decodes the same encoding).

Whisper was trained on 30-second windows; too short a window makes it repeat itself (seen with
4-second windows on German). A window of at least 10 seconds gave the word error rates of the full
window on the benchmark's clips (docs/benchmarks.md "Speech recognition"), and every result that
looks like a loop (it hits the token budget, or compresses like repeated text) is decoded again
the standard way. Speech longer than ``MAX_SPEECH_S`` goes the standard way from the start.
"""

import math
import zlib
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16000
FRAMES_PER_SECOND = 100  # Whisper's mel frames (10 ms hop)
WINDOW_MARGIN_S = 5.0
MIN_WINDOW_S = 10.0
MAX_SPEECH_S = 25.0
# Whisper's own "this was not speech" probability above which the result is dropped.
NO_SPEECH_PROBABILITY = 0.6
# faster-whisper's default: text that compresses better than this is a repetition loop.
MAX_COMPRESSION_RATIO = 2.4
# Token budget: generous for speech (about 3 tokens per second of it), tight on a loop.
_BASE_TOKENS = 24
_TOKENS_PER_SECOND = 8


@dataclass(frozen=True)
class Decoded:
    text: str
    confidence: float  # exp of the mean token log-probability, 0..1
    suspicious: bool  # looks like a repetition loop: decode again with the full window


def speech_only(audio: np.ndarray, min_silence_ms: int = 500) -> np.ndarray:
    """The stretches Silero VAD (inside faster-whisper) calls speech, joined; empty if none."""
    from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

    stamps = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=min_silence_ms))
    if not stamps:
        return np.zeros(0, dtype=np.float32)
    chunks, _ = collect_chunks(audio, stamps)
    return np.concatenate(chunks)


class ShortWindowDecoder:
    """Encodes once per utterance; decodes that encoding in any language."""

    def __init__(self, model) -> None:
        self._model = model  # faster_whisper.WhisperModel

    def encode(self, speech: np.ndarray):
        import ctranslate2

        seconds = min(30.0, max(MIN_WINDOW_S, math.ceil(speech.size / SAMPLE_RATE + WINDOW_MARGIN_S)))
        frames = int(seconds * FRAMES_PER_SECOND)
        features = self._model.feature_extractor(speech)[:, :frames]
        features = np.pad(features, ((0, 0), (0, frames - features.shape[1])))
        batch = ctranslate2.StorageView.from_array(np.ascontiguousarray(features[np.newaxis]))
        return self._model.model.encode(batch, to_cpu=False)

    def decode(self, encoded, language: str, speech_s: float) -> Decoded:
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        tokenizer = Tokenizer(self._model.hf_tokenizer, True, task="transcribe", language=language)
        prompt = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
        budget = min(self._model.max_length - len(prompt), _BASE_TOKENS + math.ceil(_TOKENS_PER_SECOND * speech_s))
        result = self._model.model.generate(
            encoded,
            [prompt],
            beam_size=1,
            max_length=len(prompt) + budget,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(tokenizer, [-1]),
        )[0]
        tokens = result.sequences_ids[0]
        if result.no_speech_prob >= NO_SPEECH_PROBABILITY:
            return Decoded("", 0.0, suspicious=False)
        text = tokenizer.decode(tokens).strip()
        if not text:
            return Decoded("", 0.0, suspicious=False)
        # As faster-whisper does: the score is the sum of log-probabilities over the tokens.
        mean_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
        confidence = round(min(1.0, max(0.0, math.exp(mean_logprob))), 3)
        suspicious = len(tokens) >= budget or _compression_ratio(text) > MAX_COMPRESSION_RATIO
        return Decoded(text, confidence, suspicious)


def _compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data))
