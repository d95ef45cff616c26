"""The utterance a socket is streaming: chunks in order, bounded in memory, gone when dropped.

One open utterance per socket. Its audio is kept only in this object's buffer (never on disk,
never logged) until it is handed to the recogniser or dropped (cancel, a lost chunk, the
length limit, a closed socket).
"""

from dataclasses import dataclass, field

from avatar_bridge.protocol.errors import ErrorCode, ProtocolError
from avatar_bridge.speech_in.recognise import SAMPLE_RATE

BYTES_PER_SECOND = SAMPLE_RATE * 2  # 16-bit mono


@dataclass
class Utterance:
    id: str
    mode: str  # "push_to_talk" | "hands_free"
    pcm: bytearray = field(default_factory=bytearray)
    next_seq: int = 0
    over_limit: bool = False


class UtteranceStream:
    def __init__(self, max_seconds: float) -> None:
        self.max_seconds = max_seconds
        self._max_bytes = int(max_seconds * BYTES_PER_SECOND)
        self.current: Utterance | None = None

    def start(self, utterance_id: str, mode: str) -> None:
        # A new start replaces an unfinished one (the client gave up on it).
        self.current = Utterance(utterance_id, mode)

    def add(self, utterance_id: str, seq: int, pcm: bytes) -> bool:
        """Append a chunk; True exactly once, when the utterance goes over the length limit."""
        utterance = self._open(utterance_id)
        if utterance.over_limit:
            return False  # already cut off and answered: the rest of the stream is ignored
        if seq != utterance.next_seq or len(pcm) % 2:
            self.current = None
            raise ProtocolError(ErrorCode.AUDIO_INTERRUPTED, "audio chunk missing or out of order", utterance_id)
        utterance.next_seq += 1
        if len(utterance.pcm) + len(pcm) > self._max_bytes:
            utterance.over_limit = True
            utterance.pcm = bytearray()  # memory goes back now, not at audio_end
            return True
        utterance.pcm += pcm
        return False

    def finish(self, utterance_id: str) -> Utterance | None:
        """The finished utterance, or None when it was cut off (already answered)."""
        utterance = self._open(utterance_id)
        self.current = None
        return None if utterance.over_limit else utterance

    def cancel(self, utterance_id: str) -> None:
        if self.current is not None and self.current.id == utterance_id:
            self.current = None

    def drop(self) -> None:
        self.current = None

    def _open(self, utterance_id: str) -> Utterance:
        if self.current is None or self.current.id != utterance_id:
            raise ProtocolError(ErrorCode.AUDIO_INTERRUPTED, "no open audio stream with this id", utterance_id)
        return self.current
