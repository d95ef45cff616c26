"""What runs inside a recogniser worker process: the model, loaded once, and one utterance at a time.

These functions are called by ``recogniser.SpeechRecogniser`` through a process pool (spawned
processes: CTranslate2 and threads do not survive a fork). The audio arrives as bytes, lives in
this process's memory for the length of one call and is never written or logged.
"""

import math
import time

import numpy as np

from avatar_bridge.speech_in.model_files import load_model_files
from avatar_bridge.speech_in.short_window import MAX_SPEECH_S, ShortWindowDecoder, speech_only

SAMPLE_RATE = 16000
# Below this level (dBFS, RMS over the utterance) there is nothing to recognise: skip the model.
SILENCE_DBFS = -55.0
# Whisper's own "this was not speech" probability above which a segment is dropped.
NO_SPEECH_PROBABILITY = 0.6
# A detected language replaces the session's only when Whisper is at least this sure of it.
LANGUAGE_SWITCH_PROBABILITY = 0.7
# Language detection costs a second pass of the encoder, so it runs only for a transcript the model
# was unsure of: speech in the other language, forced into the session's, comes out below this
# (measured on en/de clips, 0.28-0.43 against 0.49-0.87 for the right language).
LANGUAGE_CHECK_BELOW = 0.6

_model = None


def init_worker(cpu_threads: int) -> None:
    """Process-pool initialiser: check the model files and load the model (once per worker)."""
    global _model
    from faster_whisper import WhisperModel

    files = load_model_files()
    _model = WhisperModel("whisper-base", device="cpu", compute_type="int8", cpu_threads=cpu_threads, files=files)


def ready() -> bool:
    """A no-op call that makes the pool start (and so load) a worker."""
    return _model is not None


def level_dbfs(audio: np.ndarray) -> float:
    if audio.size == 0:
        return -math.inf
    rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
    return 20 * math.log10(rms) if rms > 0 else -math.inf


def recognise(pcm: bytes, language: str, languages: tuple[str, ...], check_language: bool) -> dict:
    """Text of one utterance (16 kHz mono s16le) in ``language``; ``text`` is "" when no speech."""
    started, cpu_started = time.perf_counter(), time.process_time()
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    result = {
        "text": "",
        "language": language,
        "confidence": 0.0,
        "detected_language": None,
        "detected_probability": None,
        "duration_s": round(audio.size / SAMPLE_RATE, 3),
        "level_dbfs": round(max(level_dbfs(audio), -120.0), 1),
    }
    if result["level_dbfs"] < SILENCE_DBFS:
        result["compute_s"] = result["cpu_s"] = round(time.perf_counter() - started, 3)
        return result
    speech = speech_only(audio)
    if speech.size == 0:
        text, confidence = "", 0.0
    elif speech.size / SAMPLE_RATE > MAX_SPEECH_S:
        text, confidence = _full_window(audio, language, languages, check_language, result)
    else:
        text, confidence = _short_window(audio, speech, language, languages, check_language, result)
    result["text"], result["confidence"] = text, confidence
    result["compute_s"] = round(time.perf_counter() - started, 3)
    result["cpu_s"] = round(time.process_time() - cpu_started, 3)  # all of the worker's threads
    return result


def _short_window(
    audio: np.ndarray, speech: np.ndarray, language: str, languages: tuple[str, ...], check: bool, result: dict
) -> tuple[str, float]:
    """One encoder pass over a window fitted to the speech (short_window.py). The language check,
    for an uncertain transcript only, still uses Whisper's full window: detection from the short
    one was less sure (15 of the benchmark's 24 clips in the other language switched, against 19),
    and a switch then decodes the short encoding again, without another encoder pass."""
    decoder = ShortWindowDecoder(_model)
    encoded = decoder.encode(speech)
    speech_s = speech.size / SAMPLE_RATE
    decoded = decoder.decode(encoded, language, speech_s)
    if decoded.text and check and decoded.confidence < LANGUAGE_CHECK_BELOW:
        detected, probability, all_probabilities = _model.detect_language(audio)
        result["detected_language"], result["detected_probability"] = detected, round(probability, 3)
        other = _likelier_language(all_probabilities, language, languages)
        if other is not None:
            decoded = decoder.decode(encoded, other, speech_s)
            result["language"] = language = other
    if decoded.suspicious:  # a repetition loop: Whisper's own 30-second window instead
        return _transcribe(audio, language)
    return decoded.text, decoded.confidence


def _full_window(
    audio: np.ndarray, language: str, languages: tuple[str, ...], check: bool, result: dict
) -> tuple[str, float]:
    """faster-whisper's own transcription (30-second windows), for long speech."""
    text, confidence = _transcribe(audio, language)
    if text and check and confidence < LANGUAGE_CHECK_BELOW:
        detected, probability, all_probabilities = _model.detect_language(audio)
        result["detected_language"], result["detected_probability"] = detected, round(probability, 3)
        other = _likelier_language(all_probabilities, language, languages)
        if other is not None:
            text, confidence = _transcribe(audio, other)
            result["language"] = other
    return text, confidence


def _transcribe(audio: np.ndarray, language: str) -> tuple[str, float]:
    segments, _info = _model.transcribe(
        audio,
        language=language,
        # Greedy, one pass: no beam and no retries at higher temperatures keep the time per
        # utterance bounded (docs/benchmarks.md has what this costs in word errors).
        beam_size=1,
        temperature=0.0,
        without_timestamps=True,
        condition_on_previous_text=False,
        # Silero VAD (shipped inside faster-whisper): noise alone yields no segment at all.
        vad_filter=True,
        vad_parameters={"min_silence_duration_ms": 500},
    )
    kept = [segment for segment in segments if segment.no_speech_prob < NO_SPEECH_PROBABILITY]
    text = " ".join(segment.text.strip() for segment in kept).strip()
    if not text:
        return "", 0.0
    weights = [max(len(segment.text), 1) for segment in kept]
    mean_logprob = sum(s.avg_logprob * w for s, w in zip(kept, weights, strict=True)) / sum(weights)
    return text, round(min(1.0, max(0.0, math.exp(mean_logprob))), 3)


def _likelier_language(probabilities: list[tuple[str, float]], language: str, languages: tuple[str, ...]) -> str | None:
    """Another supported language Whisper is sure the customer spoke, else None."""
    scores = dict(probabilities)
    best = max(languages, key=lambda code: scores.get(code, 0.0))
    if best != language and scores.get(best, 0.0) >= LANGUAGE_SWITCH_PROBABILITY:
        return best
    return None
