"""A spoken turn end to end: end of the customer's speech → transcript → the bot's text cue.

Starts a private copy of the whole system (Redis, the action server, the real Rasa with the
trained model in models/, the avatar bridge with the procedural head, the handoff service; as the
system tests do) unless `--bridge` names a running one. Then, one WebSocket session at a time,
it plays espeak-ng utterances (English and German, clean and with white noise at 15 dB SNR, the
clips of scripts/bench/speech_recognition.py plus ~4 s ones) into the bridge in hands-free mode:
`audio_chunk`s of 8192 bytes paced at the real rate, as a microphone delivers them, and
`audio_end` right after the last chunk (the clip ends with 0.5 s of silence). Timed from sending
`audio_end`: the `transcript` frame, and the first `bot_message` replying to the utterance (in
hands-free mode the bridge sends the transcript on as the user message by itself). After each
clean clip the same text is typed as a `user_message` (sent → first `bot_message`): the
same-run baseline, so the table shows what speech adds. Each turn waits for its `turn_complete`.

Prints a Markdown section for docs/benchmarks.md.

    .venv/bin/python scripts/bench/speech_turn.py [--bridge ws://127.0.0.1:8000/ws/v1]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT, ROOT / "tests" / "avatar_bridge"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from scripts.bench.speech_turn_rows import Turn, clip_seconds, table, target_line  # noqa: E402

SAMPLE_RATE = 16000
BYTES_PER_S = SAMPLE_RATE * 2  # pcm_s16le mono
CHUNK_BYTES = 8192  # the widget's chunk (web_client/src/voice/pcm.js), 0.256 s
REPLY_TIMEOUT_S = 60.0
PAUSE_S = 0.5  # between turns, so one turn's speech synthesis has finished before the next
# ~4 s requests the bot answers itself: billing cases and complaints go to a person
# (bot/data/rules/handoff.yml), and a session with an agent has no bot text cue to time.
LONG = {
    "en": [
        "Hello, I would like to know which payment methods I can use in your shop.",
        "How long does the delivery of a normal parcel to Austria usually take?",
        "I forgot the password for my account and now I cannot sign in anymore.",
    ],
    "de": [
        "Guten Tag, welche Zahlungsarten kann ich in Ihrem Shop verwenden?",
        "Wie lange dauert der Versand eines normalen Pakets nach Österreich?",
        "Ich habe das Passwort für mein Konto vergessen und kann mich nicht anmelden.",
    ],
}
SHORT_PER_LANGUAGE = 5
_ids = itertools.count(1)


@dataclass(frozen=True)
class Clip:
    language: str
    text: str
    condition: str  # "clean" | "noise"
    long: bool
    pcm: bytes


def chunk_schedule(byte_count: int, chunk_bytes: int = CHUNK_BYTES, bytes_per_s: int = BYTES_PER_S):
    """(seconds after the stream starts, start, end) for each chunk: a microphone hands a chunk
    over once its last sample has been captured, so chunk i goes at the time its end is spoken."""
    if byte_count <= 0 or chunk_bytes <= 0 or chunk_bytes % 2:
        raise ValueError("need audio and an even, positive chunk size")
    schedule = []
    for start in range(0, byte_count, chunk_bytes):
        end = min(start + chunk_bytes, byte_count)
        schedule.append((end / bytes_per_s, start, end))
    return schedule


def clips() -> list[Clip]:
    from scripts.bench.speech_recognition import SENTENCES, SNR_DB, VOICES, with_noise
    from speech_in.audio_support import spoken

    made = []
    for language, longer in LONG.items():
        texts = [(text, False) for text in SENTENCES[language][:SHORT_PER_LANGUAGE]] + [(t, True) for t in longer]
        for condition in ("clean", "noise"):
            for text, long in texts:
                pcm = spoken(text, VOICES[language])
                if condition == "noise":
                    pcm = with_noise(pcm, SNR_DB)
                made.append(Clip(language, text, condition, long, pcm))
    return made


class Session:
    """One WebSocket session: sends a turn and times the frames that answer it."""

    def __init__(self, socket) -> None:
        self.socket = socket

    async def _send(self, document: dict) -> None:
        await self.socket.send(json.dumps({"v": 1, **document}))

    async def _answer(self, message_id: str, started: float) -> dict[str, float | str | None]:
        """Times (ms after `started`) of the transcript and the first bot_message replying to
        `message_id`; reads until its turn_complete or error."""
        seen: dict[str, float | str | None] = {"transcript_ms": None, "cue_ms": None, "text": None, "error": None}
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while True:
            frame = json.loads(await asyncio.wait_for(self.socket.recv(), timeout=deadline - time.monotonic()))
            elapsed = (time.perf_counter() - started) * 1000
            if frame.get("reply_to") != message_id:
                continue
            if frame["type"] == "transcript" and seen["transcript_ms"] is None:
                seen["transcript_ms"], seen["text"] = elapsed, frame["text"]
            elif frame["type"] == "bot_message" and seen["cue_ms"] is None:
                seen["cue_ms"] = elapsed
            elif frame["type"] == "error":
                seen["error"] = frame["code"]
                return seen
            elif frame["type"] == "turn_complete":
                if frame.get("routed_to") == "agent":
                    seen["error"] = "routed_to_agent"
                return seen

    async def spoken(self, clip: Clip) -> Turn:
        utterance = f"s{next(_ids)}"
        start = {"type": "audio_start", "id": utterance, "sample_rate": SAMPLE_RATE, "codec": "pcm_s16le"}
        await self._send({**start, "mode": "hands_free"})
        streamed = time.perf_counter()
        for seq, (due_s, start, end) in enumerate(chunk_schedule(len(clip.pcm))):
            await asyncio.sleep(max(0.0, streamed + due_s - time.perf_counter()))
            data = base64.b64encode(clip.pcm[start:end]).decode()
            await self._send({"type": "audio_chunk", "id": utterance, "seq": seq, "data": data})
        ended = time.perf_counter()
        await self._send({"type": "audio_end", "id": utterance})
        seen = await self._answer(utterance, ended)
        return Turn(
            language=clip.language,
            condition=clip.condition,
            long=clip.long,
            text=clip.text,
            speech_s=clip_seconds(len(clip.pcm)),
            transcript_ms=seen["transcript_ms"],
            cue_ms=seen["cue_ms"],
            transcript=seen["text"],
            error=seen["error"],
        )

    async def typed(self, text: str) -> tuple[float | None, str | None]:
        message_id = f"t{next(_ids)}"
        started = time.perf_counter()
        await self._send({"type": "user_message", "id": message_id, "text": text})
        seen = await self._answer(message_id, started)
        return seen["cue_ms"], seen["error"]


async def open_session(stack: contextlib.AsyncExitStack, bridge: str, language: str) -> Session:
    from websockets.asyncio.client import connect

    socket = await stack.enter_async_context(connect(bridge, max_size=8 * 1024 * 1024))
    await socket.send(json.dumps({"v": 1, "type": "start", "language": language}))
    started = json.loads(await socket.recv())
    if started.get("type") != "session_started":
        raise RuntimeError(f"the bridge did not start a session: {started}")
    return Session(socket)


async def measure(bridge: str, all_clips: list[Clip]) -> list[Turn]:
    """Per language and condition one spoken session; for clean clips the typed twin of each
    turn follows on a second session (the same text twice in one conversation would be a
    repetition the bot reacts to, not the same turn)."""
    turns: list[Turn] = []
    groups = itertools.groupby(all_clips, key=lambda clip: (clip.language, clip.condition))
    for (language, condition), session_clips in groups:
        async with contextlib.AsyncExitStack() as stack:
            spoken = await open_session(stack, bridge, language)
            typed = await open_session(stack, bridge, language) if condition == "clean" else None
            for clip in session_clips:
                turn = await spoken.spoken(clip)
                await asyncio.sleep(PAUSE_S)
                if typed is not None:
                    turn.typed_ms, typed_error = await typed.typed(clip.text)
                    turn.error = turn.error or typed_error
                    await asyncio.sleep(PAUSE_S)
                turns.append(turn)
                print(f"speech_turn: {turn.progress_line()}", file=sys.stderr, flush=True)
    return turns


async def warm_up(bridge: str, clip: Clip) -> None:
    """One untimed spoken and typed turn: Whisper loads in the background after the bridge is
    ready, and Rasa's first turn pays for lazy set-up."""
    async with contextlib.AsyncExitStack() as stack:
        session = await open_session(stack, bridge, clip.language)
        await session.spoken(clip)
        await session.typed(clip.text)


@contextlib.contextmanager
def private_system() -> Iterator[str]:
    """The whole local system on free ports, as the system tests run it; yields the bridge's URL."""
    from launcher.services import local_services
    from launcher.settings import LauncherSettings
    from launcher.system import System
    from tests.support.system import with_light_bridges

    work = Path(tempfile.mkdtemp(prefix="speech-turn-"))
    try:
        if (ROOT / "var" / "customer.db").exists():
            shutil.copy(ROOT / "var" / "customer.db", work / "customer.db")
        settings = LauncherSettings.on_free_ports(work)
        with System(with_light_bridges(local_services(settings)), work / "log"):
            yield f"ws://127.0.0.1:{settings.bridge_port}/ws/v1"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def section(turns: list[Turn], load_start: tuple[float, ...], load_end: tuple[float, ...], own_system: bool) -> str:
    from scripts.bench import machine

    def load(values: tuple[float, ...]) -> str:
        return " ".join(f"{value:.2f}" for value in values)

    system = (
        "a private copy of the whole system started by the script (Redis, action server, Rasa 3.6 with "
        "the trained model in models/, the avatar bridge with the procedural head and espeak-ng speech, "
        "the handoff service; all on loopback)"
        if own_system
        else "the running system given with `--bridge`"
    )
    sessions = len({(turn.language, turn.condition) for turn in turns})
    return (
        "## Speech turn end to end\n\n"
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {machine.cpu_model()}, {os.cpu_count()} cores, "
        f"a shared machine (load average at the start {load(load_start)}, at the end {load(load_end)}). "
        f"Through the WebSocket of {system}. {len(turns)} espeak-ng utterances (English and German, the "
        "first five sentences per language of the speech recognition section and three ~4 s requests each that "
        "the bot answers itself, each clean and with white noise at "
        f"15 dB SNR; 0.5 s of silence either side) in {sessions} spoken sessions one after another, each streamed "
        "in hands-free mode as a microphone would: 8192-byte `audio_chunk`s (0.256 s) paced at the real rate, "
        "`audio_end` right after the last one. Timed from sending `audio_end`: the `transcript` frame and the "
        "first `bot_message` of the reply (hands-free: the bridge sends the transcript on as the customer's "
        "message itself; push-to-talk shows it for editing and waits for the customer to send it, so its "
        "bot cue is the typed turn below plus the customer's own time). Typed: the same text sent as a "
        "`user_message` right after the spoken turn, on a second session of the same language (so the bot "
        "does not see a repetition; sent → first `bot_message`). Every "
        "turn waits for its `turn_complete` and 0.5 s before the next. Whisper's and Rasa's first turns "
        "are paid by an untimed warm-up turn. Method: scripts/bench/speech_turn.py.\n\n"
        f"{table(turns)}\n\n"
        f"{target_line(turns)} The clip's last 0.5 s is silence, so the customer stopped speaking 0.5 s "
        "before `audio_end`; in hands-free mode the widget's voice detector adds its own hang-over before it "
        "sends `audio_end` (web_client/src/voice/vad.js), which is not in these figures. p95 is the nearest "
        "rank, so in a row of fewer than 20 utterances it is the largest. Word error rate as in the speech "
        "recognition section; a misheard request still gets a reply (often the fallback), so the cue times "
        "the answer, not a right one. What speech adds over typing is the recogniser's time: compare the "
        "transcript column with the speech recognition section (German espeak takes Whisper longer there "
        "too); the step from transcript to cue is about the typed turn.\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bridge", help="ws://…/ws/v1 of a running system (default: start a private one)")
    args = parser.parse_args()
    all_clips = clips()
    system = contextlib.nullcontext(args.bridge) if args.bridge else private_system()
    with system as bridge:
        asyncio.run(warm_up(bridge, all_clips[0]))
        load_start = os.getloadavg()
        turns = asyncio.run(measure(bridge, all_clips))
        load_end = os.getloadavg()
    print(section(turns, load_start, load_end, own_system=not args.bridge))
    return 0


if __name__ == "__main__":
    sys.exit(main())
