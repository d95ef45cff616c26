"""Load test for the avatar bridge, with Rasa's REST channel as the baseline (loopback only).

N WebSocket sessions each send a customer message every INTERVAL seconds (a bounded number of
messages, within a time limit). In the same run, N baseline senders post the same messages
straight to Rasa's REST channel. Measured per user message:
  text cue     : sending the message -> the first bot_message of its reply
  speech ready : sending the message -> the first bot_speech of its reply (and the gap after the text cue)
  baseline     : POST to Rasa's REST channel -> its answer
If Rasa is configured with the bridge as its NLG endpoint, both paths include that call.

Viseme alignment: for a sample of replies the script fetches the served WAV, synthesises the
same text with the same voice settings locally through the bridge's own engine, checks that the
two have the same length (espeak-ng mixes random noise into unvoiced sounds, so the samples are
never bit-identical, but the timing is), and measures how far each served viseme change is from
the nearest phoneme onset the synthesiser reported. As an acoustic cross-check
it also compares each silence->speech viseme change after a pause with the first rise of audio
energy (plosives start with a silent closure, so that one may lag).

Prints a Markdown section for docs/benchmarks.md.

    .venv/bin/python scripts/bench/bridge_load.py --sessions 50 --interval 5 --messages 6
"""

import argparse
import asyncio
import io
import itertools
import json
import math
import random
import statistics
import sys
import time
import wave
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.bench import stats  # after the path change: the repository root

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MESSAGES = {
    "en": [
        "Where is my order 40010002?",
        "I forgot my password and can't get in.",
        "What payment methods do you accept?",
        "This is the third time I'm asking, where is my refund?!",
        "How long does delivery to Austria take?",
        "The app just shows a blank page.",
        "Can I still change the delivery address?",
        "I'm worried my parcel got lost.",
    ],
    "de": [
        "Wo ist meine Bestellung 40010001?",
        "Ich habe mein Passwort vergessen.",
        "Welche Zahlungsarten gibt es?",
        "Das ist jetzt das dritte Mal, wo bleibt meine Erstattung?!",
        "Wie lange dauert der Versand nach Österreich?",
        "Die App zeigt nur eine weiße Seite.",
        "Kann ich die Lieferadresse noch ändern?",
        "Ich mache mir Sorgen, dass mein Paket verloren ist.",
    ],
}


@dataclass
class Results:
    text_cue_ms: list[float] = field(default_factory=list)
    speech_ready_ms: list[float] = field(default_factory=list)
    speech_after_cue: list[tuple[int, float]] = field(default_factory=list)  # (reply words, ms)
    baseline_ms: list[float] = field(default_factory=list)
    speech_samples: list[dict] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, code: str) -> None:
        self.errors[code] = self.errors.get(code, 0) + 1


async def bridge_session(args, index: int, results: Results, deadline: float) -> None:
    language = "de" if index % 2 else "en"
    texts = MESSAGES[language]
    await asyncio.sleep(random.uniform(0, args.interval))
    async with connect(args.bridge, max_size=8 * 1024 * 1024) as socket:
        await socket.send(json.dumps({"v": 1, "type": "start", "language": language}))
        json.loads(await socket.recv())
        for number in range(args.messages):
            if time.monotonic() > deadline:
                return
            started = time.perf_counter()
            message_id = f"b{index}-{number}"
            await socket.send(
                json.dumps(
                    {"v": 1, "type": "user_message", "id": message_id, "text": texts[(index + number) % len(texts)]}
                )
            )
            cue_at, cue_text, words = None, "", 0
            while True:
                frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=60))
                if frame.get("reply_to") != message_id:
                    continue
                now = time.perf_counter()
                if frame["type"] == "bot_message" and cue_at is None:
                    cue_at, cue_text, words = now, frame["text"], len(frame["text"].split())
                    results.text_cue_ms.append((now - started) * 1000)
                elif frame["type"] == "bot_speech" and cue_at is not None and frame["message_id"].endswith(".0"):
                    results.speech_ready_ms.append((now - started) * 1000)
                    results.speech_after_cue.append((words, (now - cue_at) * 1000))
                    if len(results.speech_samples) < args.viseme_samples:
                        results.speech_samples.append(
                            {"speech": frame["speech"], "language": language, "text": cue_text}
                        )
                elif frame["type"] == "error":
                    results.error(frame["code"])
                    break
                elif frame["type"] == "turn_complete":
                    break
            await asyncio.sleep(max(0.0, args.interval - (time.perf_counter() - started)))


async def baseline_sender(args, index: int, http: httpx.AsyncClient, results: Results, deadline: float) -> None:
    language = "de" if index % 2 else "en"
    texts = MESSAGES[language]
    sender = f"bench-baseline-{int(time.time())}-{index}"
    await asyncio.sleep(random.uniform(0, args.interval))
    for number in range(args.messages):
        if time.monotonic() > deadline:
            return
        started = time.perf_counter()
        try:
            response = await http.post(
                f"{args.rasa}/webhooks/rest/webhook",
                json={
                    "sender": sender,
                    "message": texts[(index + number) % len(texts)],
                    "metadata": {"language": language},
                },
            )
            response.raise_for_status()
            results.baseline_ms.append((time.perf_counter() - started) * 1000)
        except httpx.HTTPError as error:
            results.error(f"baseline:{type(error).__name__}")
        await asyncio.sleep(max(0.0, args.interval - (time.perf_counter() - started)))


# --- viseme alignment -------------------------------------------------------------------------


def _wav_samples(wav: bytes) -> tuple[array, int]:
    with wave.open(io.BytesIO(wav)) as audio:
        return array("h", audio.readframes(audio.getnframes())), audio.getframerate()


def viseme_alignment(samples: list[dict], http_base: str) -> dict:
    from avatar_bridge.speech import engine
    from avatar_bridge.speech.normalise import Lexicon, Normaliser
    from avatar_bridge.speech.visemes import viseme_for

    engine.initialise_worker()
    offsets, acoustic, same_length = [], [], 0
    for sample in samples:
        speech = sample["speech"]
        served = httpx.get(http_base + speech["audio"]["url"]).content
        voice = engine.VoiceSettings(
            speech["voice"]["name"], speech["voice"]["rate_wpm"], speech["voice"]["pitch"], speech["voice"]["volume"]
        )
        spoken = Normaliser(Lexicon.load(sample["language"])).normalise(sample["text"]).spoken
        local = engine.synthesise(spoken, voice)
        same_length += abs(local.duration_ms - len(_wav_samples(served)[0]) * 1000 / speech["sample_rate"]) <= 2
        phoneme_onsets = sorted(e.t_ms for e in local.events if e.kind == "phoneme" and viseme_for(e.phoneme))
        for entry in speech["visemes"][1:-1]:
            offsets.append(min(abs(entry["t_ms"] - onset) for onset in phoneme_onsets))
        audio, rate = _wav_samples(served)
        level = math.sqrt(sum(s * s for s in audio) / max(len(audio), 1))
        visemes = speech["visemes"]
        for previous, current in itertools.pairwise(visemes):
            if previous["viseme"] == "sil" and current["t_ms"] - previous["t_ms"] >= 100 and previous["t_ms"] > 0:
                acoustic.append(_energy_onset(audio, rate, previous["t_ms"], level) - current["t_ms"])
    return {"samples": len(samples), "same_length": same_length, "offsets": offsets, "acoustic": acoustic}


def _energy_onset(audio: array, rate: int, from_ms: int, level: float) -> float:
    step = rate // 200  # 5 ms frames
    for start in range(from_ms * rate // 1000, len(audio) - step, step):
        frame = audio[start : start + step]
        if math.sqrt(sum(s * s for s in frame) / step) > 0.1 * level:
            return start * 1000 / rate
    return float(from_ms)


# --- report -----------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    return stats.percentile(values, p / 100) if values else float("nan")


def report(args, results: Results, alignment: dict, elapsed_s: float) -> str:
    twenty = [ms for words, ms in results.speech_after_cue if 15 <= words <= 25]
    rows = [
        ("user message → bot text cue", results.text_cue_ms),
        ("Rasa REST baseline (same messages)", results.baseline_ms),
        ("user message → speech ready", results.speech_ready_ms),
        ("text cue → speech ready (all replies)", [ms for _, ms in results.speech_after_cue]),
        ("text cue → speech ready (15–25-word replies)", twenty),
    ]
    lines = [
        "## Avatar bridge: WebSocket sessions, with Rasa's REST channel as the baseline (issue 4)",
        "",
        f"{args.sessions} WebSocket sessions, one message every {args.interval:g} s, {args.messages} messages "
        f"each (plus {args.sessions} baseline senders to Rasa's REST channel in the same run); "
        f"{elapsed_s:.0f} s wall time on loopback.",
        "",
        stats.TABLE_HEADER,
    ]
    lines += [stats.markdown_row(name, values) for name, values in rows]
    text_ok = percentile(results.text_cue_ms, 95) <= percentile(results.baseline_ms, 95) + 30
    speech_ok = percentile(twenty, 95) <= 250
    offsets, acoustic = alignment["offsets"], alignment["acoustic"]
    viseme_ok = bool(offsets) and max(offsets) <= 30
    lines += [
        "",
        "Targets:",
        f"- text cue p95 ≤ Rasa baseline p95 + 30 ms: {'met' if text_ok else 'NOT met'}",
        f"- speech ready ≤ 250 ms after the text cue (p95, 15–25-word replies): {'met' if speech_ok else 'NOT met'}",
        f"- viseme onsets within 30 ms of phoneme onsets: {'met' if viseme_ok else 'NOT met'}",
        "",
        f"Viseme alignment, {alignment['samples']} replies ({alignment['same_length']} re-synthesised to the "
        f"served WAV's length ±2 ms): {len(offsets)} viseme changes, distance to the nearest phoneme onset "
        f"p50 {percentile(offsets, 50):.0f} ms, p95 {percentile(offsets, 95):.0f} ms, "
        f"max {max(offsets, default=float('nan')):.0f} ms. Acoustic cross-check ({len(acoustic)} "
        f"speech starts after pauses): energy rises {statistics.median(acoustic) if acoustic else float('nan'):.0f} "
        f"ms after the viseme change (median; p95 of |Δ| {percentile([abs(a) for a in acoustic], 95):.0f} ms).",
        "",
        f"Errors: {results.errors or 'none'}",
    ]
    return "\n".join(lines)


async def run(args) -> None:
    results = Results()
    deadline = time.monotonic() + args.max_duration
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=args.sessions * 2)) as http:
        tasks = [bridge_session(args, i, results, deadline) for i in range(args.sessions)]
        tasks += [baseline_sender(args, i, http, results, deadline) for i in range(args.sessions)]
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            results.error(type(outcome).__name__)
    elapsed = time.perf_counter() - started
    http_base = args.bridge.replace("ws://", "http://").rsplit("/ws/", 1)[0]
    alignment = await asyncio.to_thread(viseme_alignment, results.speech_samples, http_base)
    print(report(args, results, alignment, elapsed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bridge", default="ws://127.0.0.1:8765/ws/v1")
    parser.add_argument("--rasa", default="http://127.0.0.1:5005")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--messages", type=int, default=6, help="messages per session")
    parser.add_argument("--max-duration", type=float, default=180.0, help="seconds; stop sending after this")
    parser.add_argument("--viseme-samples", type=int, default=20)
    args = parser.parse_args()
    for url in (args.bridge, args.rasa):
        if urlparse(url).hostname not in LOOPBACK:
            parser.error(f"{url}: this load generator only talks to loopback addresses")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
