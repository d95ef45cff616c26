"""Pooled sentence embeddings remembered on disk between trainings.

Every training encodes the same few thousand texts again (the intents for DIET and the scope
guard, the emotion and vulnerability examples), and so does each fold of the cross-validation and
each retraining from the admin console: about a minute of CPU each time on 2 cores. The store keeps
each text's embedding under the checksum of the encoder file that made it, so a changed encoder
never serves an old vector. SQLite (standard library), one file; only batches (training) use it,
never a single customer message, so serving neither reads nor grows it.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from pathlib import Path
from typing import Dict, Iterable, Sequence, Tuple

import numpy as np

logger = logging.getLogger(__name__)


def _text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", errors="replace")).digest()


class EmbeddingStore:
    def __init__(self, path: Path, encoder_key: str, dimension: int) -> None:
        self._path = Path(path)
        self._encoder = encoder_key
        self._dimension = dimension
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS embeddings ("
                " encoder TEXT NOT NULL, text_key BLOB NOT NULL, vector BLOB NOT NULL,"
                " PRIMARY KEY (encoder, text_key))"
            )

    def _connect(self) -> sqlite3.Connection:
        # Several processes may train at once (cross-validation, a retraining): wait, do not fail.
        return sqlite3.connect(self._path, timeout=30)

    def get_many(self, texts: Sequence[str]) -> Dict[str, np.ndarray]:
        keys = {_text_key(text): text for text in texts}
        found: Dict[str, np.ndarray] = {}
        wanted = list(keys)
        with self._connect() as connection:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT text_key, vector FROM embeddings WHERE encoder = ? AND text_key IN ({marks})"
                rows = connection.execute(query, [self._encoder, *chunk]).fetchall()
                for key, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape == (self._dimension,):
                        found[keys[bytes(key)]] = vector
        return found

    def put_many(self, items: Iterable[Tuple[str, np.ndarray]]) -> None:
        rows = [
            (self._encoder, _text_key(text), np.asarray(vector, dtype=np.float32).reshape(-1).tobytes())
            for text, vector in items
        ]
        if not rows:
            return
        with self._connect() as connection:
            connection.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)", rows)


def open_store(path: str | None, encoder_key: str, dimension: int) -> EmbeddingStore | None:
    """The store at `path`, or None (no path, or it cannot be opened: training just encodes)."""
    if not path:
        return None
    try:
        return EmbeddingStore(Path(path), encoder_key, dimension)
    except (sqlite3.Error, OSError) as error:
        logger.warning("Sentence embedding store %s not used: %s", path, error)
        return None
