"""Load test for the avatar bridge, with Rasa's REST channel as the baseline (loopback only).

N WebSocket sessions each send a customer message every INTERVAL seconds (a bounded number of
messages, within a time limit). In the same run, N baseline senders post the same messages
straight to Rasa's REST channel. Measured per user message:
  text cue     : sending the message -> the first bot_message of its reply
  speech ready : sending the message -> the first bot_speech of its reply (and the gap after the text cue)
  baseline     : POST to Rasa's REST channel -> its answer
If Rasa is configured with the bridge as its NLG endpoint, both paths include that call.

Viseme alignment: for a sample of replies the script fetches the served WAV, synthesises the
same text with the same voice settings locally through the bridge's own engine (a reference with
its own phoneme onsets), finds those onsets in the served audio by waveform cross-correlation
(espeak-ng's timing differs by up to tens of ms between runs, so a re-synthesis's onsets cannot be
taken at face value; see scripts/bench/viseme_alignment.py), and measures how far each served
viseme change is from the nearest phoneme onset of the served audio. As an acoustic cross-check
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
import numpy
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.bench import stats  # after the path change: the repository root
from scripts.bench.viseme_alignment import measure as measure_alignment

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
    # Per turn with speech: how long playback would stand still waiting for a later sentence.
    speech_stall_ms: list[float] = field(default_factory=list)
    baseline_ms: list[float] = field(default_factory=list)
    # (session index, message number): which turns each path timed, to compare the same turns.
    cue_turns: set[tuple[int, int]] = field(default_factory=set)
    baseline_by_turn: dict[tuple[int, int], float] = field(default_factory=dict)

    def matched_baseline(self) -> list[float]:
        """Baseline latencies of the turns the bridge also timed (a session handed to an agent
        has no bot replies to time, while its baseline twin goes on talking to the bot)."""
        return [ms for turn, ms in self.baseline_by_turn.items() if turn in self.cue_turns]

    speech_samples: list[dict] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    with_agent: int = 0  # turns routed to a human agent after a handoff: no bot reply to time

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
            speech_frames: list[tuple[float, int]] = []  # (arrival, duration ms), in order
            while True:
                frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=60))
                if frame.get("reply_to") != message_id:
                    continue
                now = time.perf_counter()
                if frame["type"] == "bot_message" and cue_at is None:
                    cue_at, cue_text, words = now, frame["text"], len(frame["text"].split())
                    results.text_cue_ms.append((now - started) * 1000)
                    results.cue_turns.add((index, number))
                elif frame["type"] == "bot_speech":
                    speech_frames.append((now * 1000, frame["speech"]["duration_ms"]))
                # First audio: the first sentence (part 0) of the turn's first reply; later
                # sentences count in the stall below (before 2026-12-05 every part of reply 0 counted).
                first_audio = frame["type"] == "bot_speech" and frame["message_id"].endswith(".0")
                if first_audio and frame.get("part", 0) == 0 and cue_at is not None:
                    results.speech_ready_ms.append((now - started) * 1000)
                    results.speech_after_cue.append((words, (now - cue_at) * 1000))
                    if len(results.speech_samples) < args.viseme_samples:
                        results.speech_samples.append(
                            {"speech": frame["speech"], "language": language, "text": cue_text}
                        )
                if frame["type"] == "error":
                    results.error(frame["code"])
                    break
                elif frame["type"] == "turn_complete":
                    results.with_agent += frame.get("routed_to") == "agent"
                    if speech_frames:
                        results.speech_stall_ms.append(playback_stall_ms(speech_frames))
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
            results.baseline_by_turn[(index, number)] = results.baseline_ms[-1]
        except httpx.HTTPError as error:
            results.error(f"baseline:{type(error).__name__}")
        await asyncio.sleep(max(0.0, args.interval - (time.perf_counter() - started)))


# --- viseme alignment -------------------------------------------------------------------------


def _wav_samples(wav: bytes) -> tuple[array, int]:
    with wave.open(io.BytesIO(wav)) as audio:
        return array("h", audio.readframes(audio.getnframes())), audio.getframerate()


async def viseme_alignment(samples: list[dict], http_base: str) -> dict:
    from avatar_bridge.speech.espeak_client import EspeakWorkers, VoiceSettings
    from avatar_bridge.speech.normalise import Lexicon, Normaliser
    from avatar_bridge.speech.visemes import viseme_for

    # espeak-ng replies only (Piper's are measured by scripts/bench/piper_visemes.py). The
    # reference synthesis runs in the same worker program as the bridge's espeak-ng.
    samples = [sample for sample in samples if sample["speech"]["voice"].get("engine", "espeak") == "espeak"]
    workers = EspeakWorkers(1, 30.0, warm_up_voices=())
    offsets, acoustic, located, onsets = [], [], 0, 0
    try:
        async with httpx.AsyncClient(base_url=http_base) as http:
            served_audio = [(await http.get(sample["speech"]["audio"]["url"])).content for sample in samples]
        for sample, served in zip(samples, served_audio, strict=True):
            speech = sample["speech"]
            settings = speech["voice"]
            voice = VoiceSettings(settings["name"], settings["rate_wpm"], settings["pitch"], settings["volume"])
            spoken = Normaliser(Lexicon.load(sample["language"])).normalise(sample["text"]).spoken
            local = await workers.synthesise(spoken, voice)
            audio, rate = _wav_samples(served)
            phonemes = [e for e in local.events if e.kind == "phoneme" and viseme_for(e.phoneme)]
            alignment = measure_alignment(
                speech["visemes"],
                numpy.frombuffer(audio, dtype=numpy.int16),
                numpy.frombuffer(local.pcm, dtype=numpy.int16),
                rate,
                [e.t_ms for e in phonemes],
                [e.t_ms for e in phonemes if not e.phoneme.strip()],
            )
            offsets += alignment.offsets_ms
            located, onsets = located + alignment.located, onsets + alignment.onsets
            level = math.sqrt(sum(s * s for s in audio) / max(len(audio), 1))
            visemes = speech["visemes"]
            for previous, current in itertools.pairwise(visemes):
                if previous["viseme"] == "sil" and current["t_ms"] - previous["t_ms"] >= 100 and previous["t_ms"] > 0:
                    acoustic.append(_energy_onset(audio, rate, previous["t_ms"], level) - current["t_ms"])
    finally:
        await workers.aclose()
    return {"samples": len(samples), "located": located, "onsets": onsets, "offsets": offsets, "acoustic": acoustic}


def _energy_onset(audio: array, rate: int, from_ms: int, level: float) -> float:
    step = rate // 200  # 5 ms frames
    for start in range(from_ms * rate // 1000, len(audio) - step, step):
        frame = audio[start : start + step]
        if math.sqrt(sum(s * s for s in frame) / step) > 0.1 * level:
            return start * 1000 / rate
    return float(from_ms)


# --- report -----------------------------------------------------------------------------------


def playback_stall_ms(frames: list[tuple[float, int]]) -> float:
    """Time a player that starts each sentence as soon as it has it and the one before has ended
    would stand silent inside a turn's speech (a later sentence late), summed over the turn."""
    arrival, duration = frames[0]
    ends, stall = arrival + duration, 0.0
    for arrival, duration in frames[1:]:
        stall += max(0.0, arrival - ends)
        ends = max(ends, arrival) + duration
    return stall


def percentile(values: list[float], p: float) -> float:
    return stats.percentile(values, p / 100) if values else float("nan")


def report(args, results: Results, alignment: dict, elapsed_s: float) -> str:
    twenty = [ms for words, ms in results.speech_after_cue if 15 <= words <= 25]
    rows = [
        ("user message → bot text cue", results.text_cue_ms),
        ("Rasa REST baseline (same messages)", results.matched_baseline()),
        ("Rasa REST baseline (all its turns)", results.baseline_ms),
        ("user message → speech ready", results.speech_ready_ms),
        ("text cue → speech ready (all replies)", [ms for _, ms in results.speech_after_cue]),
        ("text cue → speech ready (15–25-word replies)", twenty),
        ("silence waiting for a later sentence (per turn)", results.speech_stall_ms),
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
    text_ok = percentile(results.text_cue_ms, 95) <= percentile(results.matched_baseline(), 95) + 30
    speech_ok = percentile(twenty, 95) <= 250
    offsets, acoustic = alignment["offsets"], alignment["acoustic"]
    viseme_ok = bool(offsets) and percentile(offsets, 95) <= 30
    lines += [
        "",
        "Targets:",
        f"- text cue p95 ≤ Rasa baseline p95 (same turns) + 30 ms: {'met' if text_ok else 'NOT met'}",
        f"- speech ready ≤ 250 ms after the text cue (p95, 15–25-word replies): {'met' if speech_ok else 'NOT met'}",
        f"- viseme onsets within 30 ms of phoneme onsets (p95): {'met' if viseme_ok else 'NOT met'}",
        "",
        f"Viseme alignment, {alignment['samples']} replies: {len(offsets)} viseme changes, distance to the "
        f"nearest phoneme onset in the served audio p50 {percentile(offsets, 50):.1f} ms, "
        f"p95 {percentile(offsets, 95):.1f} ms, max {max(offsets, default=float('nan')):.0f} ms "
        f"({alignment['located']} of {alignment['onsets']} reference phoneme onsets located in the served audio "
        f"by cross-correlation, the rest placed by the drift of a located neighbour; method in "
        f"scripts/bench/viseme_alignment.py). Acoustic cross-check ({len(acoustic)} "
        f"speech starts after pauses): energy rises {statistics.median(acoustic) if acoustic else float('nan'):.0f} "
        f"ms after the viseme change (median; p95 of |Δ| {percentile([abs(a) for a in acoustic], 95):.0f} ms).",
        "",
        f"Errors: {results.errors or 'none'}. Turns routed to a human agent after a handoff (no bot reply, "
        f"not timed): {results.with_agent}.",
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
    alignment = await viseme_alignment(results.speech_samples, http_base)
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
