"""A disk cache of synthesised speech: one WAV plus one JSON timeline per key.

The key is an HMAC of the displayed text, language and voice settings, so the same reply is
synthesised once, the audio URL (``/audio/<key>.wav``) survives a bridge restart, and nobody
can compute the URL of a reply from its text without the server's secret. The methods do
blocking file I/O; the speech service calls them through a thread.
"""

import hashlib
import hmac
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)
KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class CachedSpeech:
    key: str
    wav_path: Path
    timeline: dict  # sample_rate, duration_ms, visemes, words, voice


class SpeechCache:
    def __init__(self, directory: Path, max_entries: int, secret: bytes) -> None:
        self._directory = directory
        self._max_entries = max_entries
        self._secret = secret
        self._writes_since_sweep = 0

    def prepare(self) -> None:
        self._directory.mkdir(parents=True, exist_ok=True)
        self.evict_oldest()

    def key(self, **parts: object) -> str:
        material = json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hmac.new(self._secret, material, hashlib.sha256).hexdigest()

    def wav_path(self, key: str) -> Path | None:
        if not KEY_PATTERN.match(key):
            return None
        return self._directory / key[:2] / f"{key}.wav"

    def get(self, key: str) -> CachedSpeech | None:
        wav_path = self.wav_path(key)
        if wav_path is None:
            return None
        try:
            timeline = json.loads(wav_path.with_suffix(".json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not wav_path.exists():
            return None
        return CachedSpeech(key=key, wav_path=wav_path, timeline=timeline)

    def put(self, key: str, wav: bytes, timeline: dict) -> CachedSpeech:
        wav_path = self.wav_path(key)
        if wav_path is None:
            raise ValueError(f"not a cache key: {key!r}")
        wav_path.parent.mkdir(parents=True, exist_ok=True)
        # Write under temporary names and rename, so a reader never sees half a file; the
        # timeline goes last because `get` treats it as the marker of a complete entry.
        for path, data in ((wav_path, wav), (wav_path.with_suffix(".json"), json.dumps(timeline).encode())):
            temporary = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
            temporary.write_bytes(data)
            temporary.replace(path)
        self._writes_since_sweep += 1
        if self._writes_since_sweep >= max(self._max_entries // 10, 1):
            self.evict_oldest()
        return CachedSpeech(key=key, wav_path=wav_path, timeline=timeline)

    def evict_oldest(self) -> None:
        """Drop the least recently written entries beyond max_entries."""
        self._writes_since_sweep = 0
        entries = sorted(self._directory.glob("*/*.json"), key=_mtime)
        for timeline_path in entries[: max(len(entries) - self._max_entries, 0)]:
            for path in (timeline_path, timeline_path.with_suffix(".wav")):
                try:
                    path.unlink()
                except OSError:
                    logger.debug("speech cache entry %s already gone", path)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
