"""Sentence embeddings from an exported ONNX bundle (see `onnx_bundle`), with onnxruntime only."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from bot.emotion import onnx_bundle
from bot.emotion.text_input import encode_batch, load_tokenizer


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

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of shape (len(texts), dimension), float32."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # One text per run: an int8 model's activation scales depend on the padded batch, and
        # training and serving must see identical embeddings (serving is a batch of one).
        return np.vstack([self._encode_one(text) for text in texts])

    def _encode_one(self, text: str) -> np.ndarray:
        inputs = encode_batch(self._tokenizer, [text], self.max_seq_length, self._manifest.input_names)
        (token_embeddings,) = self._session.run([self._manifest.output_name], inputs)
        embeddings = pool(token_embeddings, inputs["attention_mask"], self._manifest.pooling)
        if self._manifest.normalize:
            embeddings = l2_normalize(embeddings)
        return embeddings.astype(np.float32)


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
