"""Sentence embeddings from an exported ONNX bundle (see `onnx_bundle`), with onnxruntime only."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple

import numpy as np

from bot.emotion import onnx_bundle
from bot.emotion.text_input import encode_batch, load_tokenizer

if TYPE_CHECKING:
    from bot.emotion.embedding_store import EmbeddingStore

RECENT_TEXTS = 32


def make_session(model_path: Path, threads: int):
    """An onnxruntime CPU session with a bounded thread pool (the box is shared with Rasa)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = max(int(threads), 1)
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(model_path), sess_options=options, providers=["CPUExecutionProvider"])


class OnnxSentenceEncoder:
    """Encodes texts to (optionally normalised) pooled embeddings, like sentence-transformers."""

    def __init__(self, session, tokenizer, manifest: onnx_bundle.BundleManifest, max_seq_length: int) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._manifest = manifest
        self.max_seq_length = max_seq_length
        self.dimension = int(manifest.dimension or 0)
        # The last few texts' results: the intent featurizer and the emotion classifier encode the
        # same message one after the other, and the second gets it for free.
        self._recent: "OrderedDict[str, Tuple[np.ndarray, np.ndarray]]" = OrderedDict()
        self._store: Optional["EmbeddingStore"] = None

    @classmethod
    def from_bundle(
        cls,
        folder: Path,
        model_file: Optional[str] = None,
        max_seq_length: Optional[int] = None,
        threads: int = 1,
    ) -> "OnnxSentenceEncoder":
        """Loads a bundle; raises `onnx_bundle.BundleError` when it is missing or damaged."""
        folder = Path(folder)
        manifest = onnx_bundle.read_manifest(folder)
        if manifest.kind != onnx_bundle.KIND_SENTENCE_ENCODER:
            raise onnx_bundle.BundleError(f"{folder} holds a {manifest.kind}, not a sentence encoder")
        model_path = onnx_bundle.verify_file(folder, manifest, model_file or onnx_bundle.MODEL_FILE)
        tokenizer = load_tokenizer(folder / onnx_bundle.TOKENIZER_FILE)
        length = min(int(max_seq_length or manifest.max_seq_length), manifest.max_seq_length)
        return cls(make_session(model_path, threads), tokenizer, manifest, length)

    def remember_batches_in(self, store: Optional["EmbeddingStore"]) -> None:
        """Batches (trainings) look up and keep their embeddings in `store` (embedding_store.py)."""
        self._store = store

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of shape (len(texts), dimension), float32."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        store = self._store if len(texts) > 1 else None  # a single message is serving: no disk
        known = store.get_many(texts) if store is not None else {}
        # One text per run: an int8 model's activation scales depend on the padded batch, and
        # training and serving must see identical embeddings (serving is a batch of one).
        fresh = {text: self._encode_one(text)[0] for text in dict.fromkeys(texts) if text not in known}
        if store is not None and fresh:
            store.put_many(fresh.items())
        return np.vstack([known[text] if text in known else fresh[text] for text in texts]).astype(np.float32)

    def _encode_one(self, text: str) -> np.ndarray:
        return self.encode_with_token_states(text)[0]

    def encode_with_token_states(self, text: str) -> Tuple[np.ndarray, np.ndarray]:
        """The pooled embedding (1, dimension) and the model's word-piece states (pieces, dimension).

        The states include the special tokens; `piece_offsets` says where each piece sits in the text.
        """
        cached = self._recent.get(text)
        if cached is not None:
            self._recent.move_to_end(text)
            return cached
        inputs = encode_batch(self._tokenizer, [text], self.max_seq_length, self._manifest.input_names)
        (token_embeddings,) = self._session.run([self._manifest.output_name], inputs)
        embeddings = pool(token_embeddings, inputs["attention_mask"], self._manifest.pooling)
        if self._manifest.normalize:
            embeddings = l2_normalize(embeddings)
        result = (embeddings.astype(np.float32), token_embeddings[0].astype(np.float32))
        self._recent[text] = result
        if len(self._recent) > RECENT_TEXTS:
            self._recent.popitem(last=False)
        return result

    def forget_recent(self) -> None:
        """Drops the remembered results (benchmarks time the encoder itself)."""
        self._recent.clear()

    def piece_offsets(self, text: str) -> List[Tuple[int, int]]:
        """Character spans of the word pieces `encode_with_token_states` sees, specials as (0, 0)."""
        return list(self._tokenizer.encode(text, add_special_tokens=True).offsets)


def pool(token_embeddings: np.ndarray, attention_mask: np.ndarray, mode: Optional[str]) -> np.ndarray:
    if mode == "cls":
        return token_embeddings[:, 0, :]
    mask = attention_mask[:, :, None].astype(token_embeddings.dtype)
    summed = (token_embeddings * mask).sum(axis=1)
    counts = np.clip(mask.sum(axis=1), 1e-9, None)
    return summed / counts


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.clip(norms, 1e-12, None)
