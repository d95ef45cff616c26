"""Running an exported Hugging Face text-classification model (see `export_hf_classifier.py`).

The export happens in the torch environment; here only onnxruntime and tokenizers are needed.
Class probabilities come back in the model's own label order (`labels`); mapping them onto the
taxonomy is the predictor's job.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Sequence

import numpy as np

from bot.emotion import onnx_bundle
from bot.emotion.encoder import make_session
from bot.emotion.head import softmax
from bot.emotion.text_input import encode_batch, load_tokenizer

MULTI_LABEL = "multi_label_classification"


class OnnxTextClassifier:
    def __init__(
        self, session, tokenizer, manifest: onnx_bundle.BundleManifest, max_seq_length: int, pad_id: int
    ) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._manifest = manifest
        self.max_seq_length = max_seq_length
        self._pad_id = pad_id
        self.labels: List[str] = [manifest.id2label[str(i)] for i in range(len(manifest.id2label))]

    @classmethod
    def from_bundle(cls, folder: Path, max_seq_length: Optional[int] = None, threads: int = 1) -> "OnnxTextClassifier":
        folder = Path(folder)
        manifest = onnx_bundle.read_manifest(folder)
        if manifest.kind != onnx_bundle.KIND_TEXT_CLASSIFIER:
            raise onnx_bundle.BundleError(f"{folder} holds a {manifest.kind}, not a text classifier")
        if not manifest.id2label:
            raise onnx_bundle.BundleError(f"{folder}: the manifest has no id2label")
        model_path = onnx_bundle.verify_file(folder, manifest, onnx_bundle.MODEL_FILE)
        tokenizer = load_tokenizer(folder / onnx_bundle.TOKENIZER_FILE)
        length = min(int(max_seq_length or manifest.max_seq_length), manifest.max_seq_length)
        pad_id = int(manifest.extra.get("pad_token_id") or 0)
        return cls(make_session(model_path, threads), tokenizer, manifest, length, pad_id)

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Raw model outputs, shape (len(texts), len(labels)).

        One text per run: for fp32 padding changes nothing, and memory stays flat for long batches.
        """
        rows = []
        for text in texts:
            inputs = encode_batch(
                self._tokenizer, [text], self.max_seq_length, self._manifest.input_names, self._pad_id
            )
            (logits,) = self._session.run([self._manifest.output_name], inputs)
            rows.append(logits[0])
        if not rows:
            return np.zeros((0, len(self.labels)))
        return np.vstack(rows).astype(np.float64)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Shape (len(texts), len(labels)); softmax, or sigmoid for multi-label models."""
        logits = self.logits(texts)
        if self._manifest.problem_type == MULTI_LABEL:
            return 1.0 / (1.0 + np.exp(-logits))
        return softmax(logits)
