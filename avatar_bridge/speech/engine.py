"""Speech synthesis with pyttsx3 (espeak-ng driver), run inside the speech worker processes.

libespeak-ng is one global instance per process and is not thread-safe, so each worker
process owns one synthesiser, and the event loop hands work to a process pool.

Timing comes from the synthesiser itself. espeak-ng reports an event for every word and, when
initialised with ``espeakINITIALIZE_PHONEME_EVENTS``, for every phoneme; each event carries
``audio_position``, the millisecond offset into the audio it is producing. pyttsx3 initialises
espeak-ng without phoneme events and only passes word starts on, so this module initialises
the library itself (phoneme events on, IPA names) before pyttsx3's driver starts, and puts a
small tap in front of the driver's callback that records every event before pyttsx3 handles
the audio as usual. The result is the WAV pyttsx3 wrote plus the events of that very run.

Each event also carries ``sample``, its exact sample index in the produced audio (it lies
inside the audio chunk the event arrives with); ``t_ms`` is that index in milliseconds,
rounded (``audio_position`` is the same instant truncated to whole milliseconds).

espeak-ng does not produce identical audio for identical input: pauses and some phoneme lengths
vary by up to tens of milliseconds between runs in one process, depending on what it synthesised
before. Timings are therefore only valid for the audio of the same run, which is why the events
are recorded here and never recomputed by synthesising the text again.

espeak-ng synthesises on its own thread in this output mode, and pyttsx3's ``runAndWait``
can return before a long text is finished (it ends its loop after 10 ms). The tap therefore
also signals the end of the message, and ``synthesise`` waits for that signal.
"""

import contextlib
import ctypes
import io
import tempfile
import threading
import uuid
import wave
from dataclasses import dataclass
from pathlib import Path

from common import log_privacy

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
class VoiceSettings:
    voice: str  # espeak-ng voice, e.g. "en" or "de"
    rate_wpm: int
    pitch: int  # 0..100, espeak-ng's scale (50 is the voice's normal pitch)
    volume: float  # 0..1


@dataclass(frozen=True)
class SynthesisEvent:
    kind: str  # "word" | "phoneme" | "sentence" | "end"
    t_ms: int  # offset into the produced audio (rounded from `sample`)
    text_position: int  # 1-based character position in the synthesised text
    length: int  # characters of the word (word events)
    phoneme: str  # IPA (phoneme events); "" is a pause
    sample: int = 0  # sample index into the produced audio


@dataclass(frozen=True)
class SynthesisResult:
    wav: bytes
    sample_rate: int
    duration_ms: int
    events: tuple[SynthesisEvent, ...]


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
        self._events: list[SynthesisEvent] = []
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
                sample = max(int(event.sample), 0)
                self._events.append(
                    SynthesisEvent(
                        kind=kind,
                        t_ms=round(sample * 1000 / self._sample_rate),
                        text_position=int(event.text_position),
                        length=int(event.length),
                        phoneme=self._phoneme_name(event) if event.type == _EVENT_PHONEME else "",
                        sample=sample,
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

    def synthesise(self, text: str, settings: VoiceSettings) -> SynthesisResult:
        self._events = []
        self._finished.clear()
        engine = self._engine
        # Voice settings go straight to pyttsx3's driver and espeak-ng is given time to apply
        # them: queued through pyttsx3, they reach espeak-ng's command queue just before
        # pyttsx3's end-of-loop command, which cancels everything still queued (the rate of a
        # reply would then silently be the previous reply's).
        for name, value in (
            ("voice", settings.voice),
            ("rate", settings.rate_wpm),
            ("pitch", settings.pitch),
            ("volume", settings.volume),
        ):
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
            wav = self._with_true_sample_rate(path.read_bytes())
        finally:
            path.unlink(missing_ok=True)
        with wave.open(io.BytesIO(wav)) as audio:
            duration_ms = round(audio.getnframes() * 1000 / audio.getframerate())
        return SynthesisResult(
            wav=wav, sample_rate=self._sample_rate, duration_ms=duration_ms, events=tuple(self._events)
        )

    def _with_true_sample_rate(self, wav: bytes) -> bytes:
        """pyttsx3 writes 22050 Hz into the header whatever espeak-ng produced."""
        with wave.open(io.BytesIO(wav)) as audio:
            if audio.getframerate() == self._sample_rate:
                return wav
            frames = audio.readframes(audio.getnframes())
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as fixed:
            fixed.setnchannels(1)
            fixed.setsampwidth(2)
            fixed.setframerate(self._sample_rate)
            fixed.writeframes(frames)
        return buffer.getvalue()


# --- process-pool entry points ----------------------------------------------------------------

_synthesiser: PyttsxSynthesiser | None = None


def initialise_worker() -> None:
    global _synthesiser
    # A speech worker is a spawned process: it does not inherit the bridge's masked logging, and
    # what it logs (or prints) can quote the reply's text.
    log_privacy.install()
    _synthesiser = PyttsxSynthesiser()


def synthesise(text: str, settings: VoiceSettings) -> SynthesisResult:
    if _synthesiser is None:
        initialise_worker()
    assert _synthesiser is not None
    return _synthesiser.synthesise(text, settings)
