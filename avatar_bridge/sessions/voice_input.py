"""A socket's speech input: audio frames -> an utterance -> the recogniser -> a transcript.

One utterance streams at a time and one recognition runs at a time per socket (the per-session
limit); the recogniser bounds them across sessions. Recognition runs in a task tracked here, so
the socket keeps reading (a barge-in, a typed message) meanwhile. Closing the socket drops the
utterance and any result still to come: nothing of the audio is kept.
"""

import asyncio
import logging
import wave
from collections.abc import Awaitable, Callable
from pathlib import Path

from avatar_bridge.core.config import Settings
from avatar_bridge.protocol.errors import ErrorCode, ProtocolError
from avatar_bridge.protocol.messages import AudioChunk, AudioEnd, AudioMessage, AudioStart, TranscriptFrame
from avatar_bridge.sessions.hub import SessionRuntime
from avatar_bridge.speech_in.notices import notice
from avatar_bridge.speech_in.recognise import SAMPLE_RATE
from avatar_bridge.speech_in.recogniser import RecogniserBusy, RecogniserUnavailable, SpeechRecogniser
from avatar_bridge.speech_in.utterance import Utterance, UtteranceStream

logger = logging.getLogger(__name__)

SendError = Callable[[ErrorCode, str, str | None, int | None], Awaitable[None]]
SendFrame = Callable[[TranscriptFrame], Awaitable[None]]
SendText = Callable[[SessionRuntime, str, str], Awaitable[None]]


class VoiceInput:
    def __init__(
        self,
        recogniser: SpeechRecogniser | None,
        settings: Settings,
        send_error: SendError,
        send_frame: SendFrame,
        send_text: SendText,
    ) -> None:
        self._recogniser = recogniser
        self._settings = settings
        self._send_error = send_error
        self._send_frame = send_frame
        self._send_text = send_text
        self._stream = UtteranceStream(settings.speech_in_max_utterance_s)
        self._task: asyncio.Task | None = None

    async def handle(self, runtime: SessionRuntime, message: AudioMessage) -> None:
        language = runtime.record.language
        try:
            if self._recogniser is None:
                raise self._refusal(ErrorCode.SPEECH_UNAVAILABLE, language, message.id)
            if isinstance(message, AudioStart):
                if self._task is not None and not self._task.done():
                    raise self._refusal(ErrorCode.SPEECH_BUSY, language, message.id, retry_after_ms=1000)
                self._stream.start(message.id, message.mode)
            elif isinstance(message, AudioChunk):
                if self._stream.add(message.id, message.seq, message.pcm):
                    text = notice(language, ErrorCode.AUDIO_TOO_LONG, limit=f"{self._stream.max_seconds:g}")
                    await self._send_error(ErrorCode.AUDIO_TOO_LONG, text, message.id, None)
            elif isinstance(message, AudioEnd):
                if message.cancel:
                    self._stream.cancel(message.id)
                    return
                utterance = self._stream.finish(message.id)
                if utterance is not None:
                    self._task = asyncio.create_task(self._recognise(runtime, utterance), name="speech-in")
        except ProtocolError as error:
            if error.code == ErrorCode.AUDIO_INTERRUPTED:
                error.message = notice(language, error.code)
            raise

    def _refusal(
        self, code: ErrorCode, language: str, reply_to: str, retry_after_ms: int | None = None
    ) -> ProtocolError:
        return ProtocolError(code, notice(language, code), reply_to, retry_after_ms)

    async def _recognise(self, runtime: SessionRuntime, utterance: Utterance) -> None:
        language = runtime.record.language
        assert self._recogniser is not None
        pcm = bytes(utterance.pcm)
        utterance.pcm = bytearray()
        keep_dir = self._settings.speech_in_keep_audio_dir
        if keep_dir is not None:
            await asyncio.to_thread(_keep, keep_dir, runtime.session_id, utterance.id, pcm)
        try:
            transcript = await self._recogniser.recognise(pcm, language)
        except RecogniserBusy as busy:
            await self._send_error(
                ErrorCode.SPEECH_BUSY, notice(language, ErrorCode.SPEECH_BUSY), utterance.id, busy.retry_after_ms
            )
            return
        except RecogniserUnavailable:
            await self._send_error(
                ErrorCode.SPEECH_UNAVAILABLE, notice(language, ErrorCode.SPEECH_UNAVAILABLE), utterance.id, 5000
            )
            return
        except Exception:
            logger.exception("speech recognition failed")
            await self._send_error(
                ErrorCode.SPEECH_UNAVAILABLE, notice(language, ErrorCode.SPEECH_UNAVAILABLE), utterance.id, 5000
            )
            return
        finally:
            del pcm
        if not transcript.text:
            await self._send_error(ErrorCode.NO_SPEECH, notice(language, ErrorCode.NO_SPEECH), utterance.id, None)
            return
        # Only lengths and timings are logged, never the audio or the words.
        seconds, compute_s = transcript.duration_s, transcript.compute_s
        logger.info("recognised %.1f s of speech in %.2f s (%s)", seconds, compute_s, transcript.language)
        text = transcript.text[: self._settings.max_text_chars]
        hands_free = utterance.mode == "hands_free"
        await self._send_frame(
            TranscriptFrame(
                reply_to=utterance.id,
                text=text,
                language=transcript.language,
                confidence=transcript.confidence,
                detected_language=transcript.detected_language,
                sent=hands_free,
            )
        )
        if hands_free:
            await self._send_text(runtime, utterance.id, text)

    async def aclose(self) -> None:
        """The socket closed: the utterance and any recognition still running are dropped."""
        self._stream.drop()
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._task = None


def _keep(directory: Path, session_id: str, utterance_id: str, pcm: bytes) -> None:
    """The operator's diagnostic copy (speech_in_keep_audio_dir); never written otherwise."""
    directory.mkdir(parents=True, exist_ok=True)
    with wave.open(str(directory / f"{session_id}-{utterance_id}.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm)
