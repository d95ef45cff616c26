"""Trainings remember sentence embeddings on disk: the same vectors, without running the encoder
again; never mixed between encoder files; never used for a single (serving) message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.emotion.embedding_store import EmbeddingStore, open_store
from bot.emotion.encoder import OnnxSentenceEncoder
from bot.emotion.onnx_bundle import QUANTIZED_MODEL_FILE

ENCODER_DIR = Path(__file__).resolve().parents[3] / "models" / "encoder" / "all-MiniLM-L6-v2"
TEXTS = ["where is my parcel", "I forgot my password", "where is my parcel", "danke, alles gut"]


class BrokenSession:
    """Stands in for the ONNX session once the store should answer everything."""

    def run(self, *_args, **_kwargs):
        raise AssertionError("the encoder ran although the store had the embedding")


@pytest.fixture
def encoder() -> OnnxSentenceEncoder:
    if not (ENCODER_DIR / "manifest.json").is_file():
        pytest.fail("the encoder is not exported: .venv/bin/python scripts/emotion/export_encoder.py")
    return OnnxSentenceEncoder.from_bundle(ENCODER_DIR, model_file=QUANTIZED_MODEL_FILE, max_seq_length=128)


def test_a_batch_is_answered_from_the_store_with_the_same_vectors(encoder, tmp_path: Path) -> None:
    plain = encoder.encode(TEXTS)
    encoder.remember_batches_in(EmbeddingStore(tmp_path / "store.sqlite", "encoder-a", encoder.dimension))
    encoder.forget_recent()
    first = encoder.encode(TEXTS)
    np.testing.assert_allclose(first, plain, atol=1e-6)
    encoder._session = BrokenSession()  # from here on only the store can answer
    encoder.forget_recent()
    again = encoder.encode(list(reversed(TEXTS)))
    np.testing.assert_allclose(again, plain[::-1], atol=1e-6)
    assert again.dtype == np.float32 and again.shape == (4, encoder.dimension)
    with pytest.raises(AssertionError, match="encoder ran"):
        encoder.encode(["a single message is serving, never read from disk"])


def test_another_encoder_file_never_gets_these_vectors(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    EmbeddingStore(path, "encoder-a", 3).put_many([("hello", np.array([1, 2, 3], dtype=np.float32))])
    assert EmbeddingStore(path, "encoder-b", 3).get_many(["hello"]) == {}
    assert EmbeddingStore(path, "encoder-a", 4).get_many(["hello"]) == {}  # wrong size: not used
    found = EmbeddingStore(path, "encoder-a", 3).get_many(["hello", "unknown"])
    assert list(found) == ["hello"] and found["hello"].tolist() == [1.0, 2.0, 3.0]


def test_no_path_or_an_unusable_one_means_no_store(tmp_path: Path) -> None:
    assert open_store(None, "encoder-a", 3) is None
    (tmp_path / "a-file").write_text("not a folder")
    assert open_store(str(tmp_path / "a-file" / "store.sqlite"), "encoder-a", 3) is None
