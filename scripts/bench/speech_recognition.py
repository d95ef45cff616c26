"""Speech recognition: Whisper base (faster-whisper, int8) through the bridge's own recogniser pool.

Utterances are synthesised here with espeak-ng (in memory; English and German, 2–4 s of speech
with half a second of silence either side, as a push-to-talk clip has), each once clean and once
mixed with white noise at about 15 dB SNR. Latency = from the end of the customer's speech (the
recogniser is handed the finished utterance, as after `audio_end`) until the text is back: what
the customer waits for before the transcript shows, network excluded. Word error rate =
word-level edit distance / reference words, after lower-casing and dropping punctuation.

Prints a Markdown section for docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "avatar_bridge"))

from avatar_bridge.core.config import Settings  # noqa: E402
from avatar_bridge.speech_in.recogniser import SpeechRecogniser  # noqa: E402
from scripts.bench import machine  # noqa: E402
from scripts.bench.stats import summary  # noqa: E402
from speech_in.audio_support import spoken  # noqa: E402

SENTENCES = {
    "en": [
        "I would like to know where my order is.",
        "I forgot my password and cannot sign in.",
        "Please send me a new invoice for last month.",
        "I want to change my delivery address.",
        "How do I return a pair of shoes?",
        "The parcel arrived damaged, what can I do?",
    ],
    "de": [
        "Ich habe mein Passwort vergessen.",
        "Guten Tag, ich brauche eine neue Rechnung.",
        "Wo ist meine Bestellung?",
        "Ich möchte meine Adresse ändern.",
        "Wie kann ich die Schuhe zurückschicken?",
        "Das Paket ist beschädigt angekommen.",
    ],
}
# Longer English requests, about 4 s of speech each: the length the latency target names.
LONG_ENGLISH = [
    "I ordered a blue winter jacket last week and it still has not arrived.",
    "Could you please tell me when the refund for my returned shoes will be paid?",
    "My invoice shows the wrong address, can you send me a corrected one today?",
]
VOICES = {"en": "en-us", "de": "de"}
SNR_DB = 15.0


def with_noise(pcm: bytes, snr_db: float) -> bytes:
    speech = np.frombuffer(pcm, "<i2").astype(np.float64)
    power = np.mean(speech[speech != 0] ** 2)
    noise = np.random.default_rng(3).normal(0, np.sqrt(power / 10 ** (snr_db / 10)), speech.size)
    return (speech + noise).clip(-32768, 32767).astype("<i2").tobytes()


def words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    row = list(range(len(hypothesis) + 1))
    for i, word in enumerate(reference, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(hypothesis, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1]


async def main() -> None:
    defaults = Settings()
    recogniser = SpeechRecogniser(
        workers=1, queue_limit=4, cpu_threads=defaults.speech_in_cpu_threads, languages=("en", "de")
    )
    load_started = time.perf_counter()
    await recogniser.warm_up()
    load_s = time.perf_counter() - load_started
    latency: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    errors: dict[str, list[int]] = {}
    reference_words: dict[str, int] = {}
    speech_s: list[float] = []
    groups = [(language, language, sentences) for language, sentences in SENTENCES.items()]
    groups.append(("en ~4 s", "en", LONG_ENGLISH))
    for label, language, sentences in groups:
        for sentence in sentences:
            clean = spoken(sentence, VOICES[language])
            speech_s.append(len(clean) / 32000 - 1.0)
            for condition, pcm in (("clean", clean), (f"noise {SNR_DB:g} dB", with_noise(clean, SNR_DB))):
                key = f"{label}, {condition}"
                started = time.perf_counter()
                transcript = await recogniser.recognise(pcm, language)
                latency.setdefault(key, []).append((time.perf_counter() - started) * 1000)
                cpu.setdefault(key, []).append(transcript.cpu_s * 1000)
                expected = words(sentence)
                errors.setdefault(key, []).append(edit_distance(expected, words(transcript.text)))
                reference_words[key] = reference_words.get(key, 0) + len(expected)
    await recogniser.aclose()
    rows = []
    for key in latency:
        rows.append(_row(key, latency[key], cpu[key], 100 * sum(errors[key]) / reference_words[key]))
    rows.append(_row("**all**", sum(latency.values(), []), sum(cpu.values(), []), None))
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    threads = defaults.speech_in_cpu_threads
    print(
        "## Speech recognition\n\n"
        f"{machine.cpu_model()}, {os.cpu_count()} cores (load average at the end: {load}); Whisper base "
        f"(CTranslate2 int8) in one recogniser worker process with {threads} thread(s), loaded before "
        f"measuring ({load_s:.1f} s to start the worker, check the model's SHA-256 and load it); greedy "
        "decoding, Silero VAD, encoder window of the speech + 5 s (at least 10 s), language check on (the "
        "bridge's defaults). "
        f"{len(speech_s)} espeak-ng sentences ({min(speech_s):.1f}–{max(speech_s):.1f} s of speech, "
        f"mean {sum(speech_s) / len(speech_s):.1f} s, plus 0.5 s silence either side), each clean and "
        f"with white noise at {SNR_DB:g} dB SNR. Method: scripts/bench/speech_recognition.py.\n\n"
        "| language, audio | utterances | end of speech → text p50 ms | p95 ms | worker CPU ms p50 "
        "| word error rate % |\n|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        "Target: p95 ≤ 2500 ms for a ~4 s utterance. Worker CPU is the recogniser's own CPU time (all "
        "its threads), which other load on the machine does not inflate: what an idle core needs. "
        "Synthetic espeak-ng speech is harder for Whisper than a person's voice (German espeak "
        "especially), so the word error rates are pessimistic for people and say nothing about accents "
        "or real rooms. The WebSocket hop and the bot's text cue after a hands-free transcript, through "
        'the real bot: see "Speech turn end to end" (scripts/bench/speech_turn.py).\n'
    )


def _row(label: str, latency_ms: list[float], cpu_ms: list[float], wer: float | None) -> str:
    s, c = summary(latency_ms), summary(cpu_ms)
    wer_text = "–" if wer is None else f"{wer:.1f}"
    return f"| {label} | {s['n']} | {s['p50']:.0f} | {s['p95']:.0f} | {c['p50']:.0f} | {wer_text} |"


if __name__ == "__main__":
    asyncio.run(main())
