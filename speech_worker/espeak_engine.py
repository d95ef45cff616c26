"""espeak-ng synthesis through pyttsx3 (its espeak driver), inside this worker program.

libespeak-ng (GPL) is loaded only here, never into the bridge (README.md). It is one global,
non-thread-safe instance per process, so each worker process owns one synthesiser and answers
one request at a time.

Timing comes from the synthesiser itself. espeak-ng reports an event for every word and, when
initialised with ``espeakINITIALIZE_PHONEME_EVENTS``, for every phoneme; each event carries
``audio_position``, the millisecond offset into the audio it is producing. pyttsx3 initialises
espeak-ng without phoneme events and only passes word starts on, so this module initialises
the library itself (phoneme events on, IPA names) before pyttsx3's driver starts, and puts a
small tap in front of the driver's callback that records every event before pyttsx3 handles
the audio as usual. The result is the audio pyttsx3 wrote plus the events of that very run.

Each event carries ``sample``, its exact sample index in the produced audio (it lies inside the
audio chunk the event arrives with); the bridge turns it into milliseconds (``audio_position``
is the same instant truncated to whole milliseconds).

espeak-ng does not produce identical audio for identical input: pauses and some phoneme lengths
vary by up to tens of milliseconds between runs in one process, depending on what it synthesised
before. Timings are therefore only valid for the audio of the same run, which is why the events
are recorded here and never recomputed by synthesising the text again.

espeak-ng synthesises on its own thread in this output mode, and pyttsx3's ``runAndWait``
can return before a long text is finished (it ends its loop after 10 ms). The tap therefore
also signals the end of the message, and ``synthesise`` waits for that signal.
"""

import base64
import contextlib
import ctypes
import io
import tempfile
import threading
import uuid
import wave
from dataclasses import dataclass
from pathlib import Path

# espeak-ng's speak_lib.h: initialisation options and event types.
_PHONEME_EVENTS = 0x0001
_PHONEME_IPA = 0x0002
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_EVENT_SENTENCE = 2
_EVENT_END = 5
_EVENT_PHONEME = 7
_EVENT_MSG_TERMINATED = 6
_KEPT_EVENTS = {_EVENT_WORD: "word", _EVENT_SENTENCE: "sentence", _EVENT_END: "end", _EVENT_PHONEME: "phoneme"}
_BUFFER_MS = 1000
# Generous: espeak-ng synthesises a 30-second reply in well under a second.
_SYNTHESIS_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class EspeakEvent:
    kind: str  # "word" | "phoneme" | "sentence" | "end"
    sample: int  # sample index into the produced audio
    text_position: int  # 1-based character position in the synthesised text
    length: int  # characters of the word (word events)
    phoneme: str  # IPA (phoneme events); "" is a pause


@dataclass(frozen=True)
class EspeakAudio:
    pcm: bytes  # 16-bit mono little-endian
    sample_rate: int
    events: tuple[EspeakEvent, ...]


class PyttsxSynthesiser:
    """One per process: pyttsx3's espeak driver with an event tap; see the module docstring."""

    def __init__(self) -> None:
        # Imported here: loading the module loads libespeak-ng, which belongs in the worker.
        import pyttsx3
        from pyttsx3.drivers import _espeak
        from pyttsx3.drivers.espeak import EspeakDriver

        self._espeak = _espeak
        self._sample_rate = _espeak.Initialize(
            _espeak.AUDIO_OUTPUT_RETRIEVAL, _BUFFER_MS, None, _PHONEME_EVENTS | _PHONEME_IPA
        )
        if self._sample_rate <= 0:
            raise RuntimeError("espeak-ng could not be initialised")
        # espeak-ng can be initialised once per process; tell pyttsx3 it has been.
        EspeakDriver._moduleInitialized = True
        EspeakDriver._defaultVoice = "en"
        self._engine = pyttsx3.init("espeak")
        self._driver = self._engine.proxy._driver
        self._id_offset = _espeak.EVENT.id.offset
        self._events: list[EspeakEvent] = []
        self._finished = threading.Event()
        self._workdir = Path(tempfile.mkdtemp(prefix="avatar-bridge-speech-"))
        _espeak.SetSynthCallback(self._tap)

    def _tap(self, wav, sample_count, events) -> int:
        index = 0
        finished = False
        while events[index].type != _EVENT_LIST_TERMINATED:
            event = events[index]
            finished = finished or event.type == _EVENT_MSG_TERMINATED
            kind = _KEPT_EVENTS.get(event.type)
            if kind is not None:
                self._events.append(
                    EspeakEvent(
                        kind=kind,
                        sample=max(int(event.sample), 0),
                        text_position=int(event.text_position),
                        length=int(event.length),
                        phoneme=self._phoneme_name(event) if event.type == _EVENT_PHONEME else "",
                    )
                )
            index += 1
        result = self._driver._onSynth(wav, sample_count, events)  # writes the WAV at the end
        if finished:
            self._finished.set()
        return result

    def _phoneme_name(self, event) -> str:
        # The name is an 8-byte char array inside a union that pyttsx3 declares as int/pointer.
        raw = ctypes.string_at(ctypes.addressof(event) + self._id_offset, 8)
        return raw.split(b"\0", 1)[0].decode("utf-8", "replace")

    @property
    def sample_rate(self) -> int:
        return self._sample_rate

    def synthesise(self, text: str, voice: str, rate_wpm: int, pitch: int, volume: float) -> EspeakAudio:
        self._events = []
        self._finished.clear()
        engine = self._engine
        # Voice settings go straight to pyttsx3's driver and espeak-ng is given time to apply
        # them: queued through pyttsx3, they reach espeak-ng's command queue just before
        # pyttsx3's end-of-loop command, which cancels everything still queued (the rate of a
        # reply would then silently be the previous reply's).
        for name, value in (("voice", voice), ("rate", rate_wpm), ("pitch", pitch), ("volume", volume)):
            self._driver.setProperty(name, value)
        self._espeak.Synchronize()
        path = self._workdir / f"{uuid.uuid4().hex}.wav"
        # pyttsx3 prints a line for every saved file; keep worker output clean.
        with contextlib.redirect_stdout(io.StringIO()):
            engine.save_to_file(text, str(path))
            engine.runAndWait()
            if not self._finished.wait(_SYNTHESIS_TIMEOUT_S):
                raise RuntimeError("espeak-ng did not finish the message in time")
            self._espeak.Synchronize()  # espeak-ng's thread is idle again for the next message
        try:
            with wave.open(str(path)) as audio:
                # pyttsx3 writes 22050 Hz into the header whatever espeak-ng produced: the frames
                # are what counts, at espeak-ng's own rate.
                pcm = audio.readframes(audio.getnframes())
        finally:
            path.unlink(missing_ok=True)
        return EspeakAudio(pcm=pcm, sample_rate=self._sample_rate, events=tuple(self._events))


# --- the worker's request handler ---------------------------------------------------------------

_synthesiser: PyttsxSynthesiser | None = None


def handle(request: dict) -> dict:
    """{"engine": "espeak", "text", "voice", "rate_wpm", "pitch", "volume"}; without "text" it only
    starts espeak-ng (warm-up)."""
    global _synthesiser
    if _synthesiser is None:
        _synthesiser = PyttsxSynthesiser()
    if "text" not in request:
        return {"id": request["id"], "ok": True, "sample_rate": _synthesiser.sample_rate}
    audio = _synthesiser.synthesise(
        str(request["text"]),
        voice=str(request["voice"]),
        rate_wpm=int(request["rate_wpm"]),
        pitch=int(request["pitch"]),
        volume=float(request["volume"]),
    )
    return {
        "id": request["id"],
        "ok": True,
        "sample_rate": audio.sample_rate,
        "pcm_base64": base64.b64encode(audio.pcm).decode("ascii"),
        "events": [[e.kind, e.sample, e.text_position, e.length, e.phoneme] for e in audio.events],
    }
