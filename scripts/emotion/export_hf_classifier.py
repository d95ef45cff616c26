#!/usr/bin/env python
"""Export a Hugging Face text-classification model to ONNX for the emotion component.

    .venv/bin/python scripts/emotion/export_hf_classifier.py --model ID_OR_LOCAL_PATH

Loads the model with transformers (AutoTokenizer / AutoModelForSequenceClassification, from a
local folder or the hub cache), exports it with torch.onnx (opset 17, dynamic batch and sequence)
and writes models/emotion_hf/<slug>/ with model.onnx, tokenizer.json and a manifest holding the
model's id2label. The component (`backend: transformers`, `model: ID_OR_LOCAL_PATH`) runs it
with onnxruntime and maps its labels onto the taxonomy. The export is checked against torch.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from _bootstrap import add_repo_root_to_path

add_repo_root_to_path()

from bot.emotion import onnx_bundle  # noqa: E402
from bot.emotion.paths import DEFAULT_HF_EXPORT_ROOT, hf_export_dir, resolve_repo_path  # noqa: E402

OPSET = 17
MAX_ABS_DIFFERENCE = 1e-3
CHECK_SENTENCES = [
    "ok",
    "This is the third time I'm asking about my refund!!",
    "Vielen Dank, das Paket ist endlich angekommen.",
]
# Models whose position ids start after the padding index, so two positions are unusable.
OFFSET_POSITION_MODELS = {"roberta", "xlm-roberta", "camembert", "longformer"}


def usable_max_length(tokenizer, config, requested: int | None) -> int:
    limits = [512]
    if 0 < getattr(tokenizer, "model_max_length", 0) < 100_000:
        limits.append(int(tokenizer.model_max_length))
    positions = getattr(config, "max_position_embeddings", None)
    if positions:
        offset = 2 if getattr(config, "model_type", "") in OFFSET_POSITION_MODELS else 0
        limits.append(int(positions) - offset)
    if requested:
        limits.append(int(requested))
    return min(limits)


def export(model_name: str, out_dir: Path, max_seq_length: int | None) -> float:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_name)
    if not getattr(tokenizer, "is_fast", False):
        raise SystemExit(f"{model_name}: a fast (tokenizers) tokenizer is needed for the export")
    model = AutoModelForSequenceClassification.from_pretrained(model_name)
    model.eval()
    input_names = [
        name for name in tokenizer.model_input_names if name in ("input_ids", "attention_mask", "token_type_ids")
    ]

    class Logits(torch.nn.Module):
        def __init__(self, classifier):
            super().__init__()
            self.classifier = classifier

        def forward(self, *inputs):
            return self.classifier(**dict(zip(input_names, inputs))).logits

    # The wrapper must be in eval mode too: the exporter restores the wrapper's mode on every
    # submodule afterwards, and a training-mode wrapper would switch dropout back on.
    wrapper = Logits(model).eval()
    sample = tokenizer(["a short sample", "a slightly longer sample text"], padding=True, return_tensors="pt")
    sample_inputs = tuple(sample[name] for name in input_names)
    dynamic_axes = {name: {0: "batch", 1: "sequence"} for name in input_names}
    dynamic_axes["logits"] = {0: "batch"}

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=out_dir.name + ".", dir=out_dir.parent))
    try:
        with torch.no_grad():
            torch.onnx.export(
                wrapper,
                sample_inputs,
                str(staging / onnx_bundle.MODEL_FILE),
                input_names=input_names,
                output_names=["logits"],
                dynamic_axes=dynamic_axes,
                opset_version=OPSET,
                dynamo=False,
                do_constant_folding=True,
            )
        tokenizer.backend_tokenizer.save(str(staging / onnx_bundle.TOKENIZER_FILE))
        id2label = {str(int(key)): str(value) for key, value in model.config.id2label.items()}
        manifest = onnx_bundle.BundleManifest(
            kind=onnx_bundle.KIND_TEXT_CLASSIFIER,
            source=str(model_name),
            max_seq_length=usable_max_length(tokenizer, model.config, max_seq_length),
            input_names=input_names,
            output_name="logits",
            files={onnx_bundle.MODEL_FILE: onnx_bundle.file_sha256(staging / onnx_bundle.MODEL_FILE)},
            id2label=id2label,
            problem_type=getattr(model.config, "problem_type", None),
            extra={"opset": OPSET, "pad_token_id": tokenizer.pad_token_id or 0, "model_type": model.config.model_type},
        )
        onnx_bundle.write_manifest(staging, manifest)
        difference = compare_with_torch(model, tokenizer, staging)
        if difference > MAX_ABS_DIFFERENCE:
            raise SystemExit(f"export check failed: max logit difference {difference:.2e}")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
        out_dir.chmod(0o755)
        return difference
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def compare_with_torch(model, tokenizer, bundle: Path) -> float:
    """Largest absolute logit difference between torch and the exported model on a few texts."""
    import numpy as np
    import torch

    from bot.emotion.hf_classifier import OnnxTextClassifier

    exported = OnnxTextClassifier.from_bundle(bundle)
    with torch.no_grad():
        reference = np.vstack(
            [
                model(**tokenizer([text], return_tensors="pt", truncation=True)).logits.numpy()
                for text in CHECK_SENTENCES
            ]
        )
    return float(np.max(np.abs(reference - exported.logits(CHECK_SENTENCES))))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="hub id or local folder of a text-classification model")
    parser.add_argument(
        "--export-dir", type=Path, default=DEFAULT_HF_EXPORT_ROOT, help="root of exports (default: %(default)s)"
    )
    parser.add_argument("--out", type=Path, help="exact output folder (default: <export-dir>/<slug of model>)")
    parser.add_argument("--max-seq-length", type=int, help="cap on input tokens")
    parser.add_argument("--force", action="store_true", help="export again even when the export exists")
    args = parser.parse_args(argv)

    out_dir = resolve_repo_path(args.out) if args.out else hf_export_dir(args.model, args.export_dir)
    if (out_dir / onnx_bundle.MANIFEST_FILE).is_file() and not args.force:
        print(f"{out_dir} already has a manifest; nothing to do (use --force to export again)")
        return 0
    model_name = args.model
    if Path(model_name).expanduser().exists():
        model_name = str(Path(model_name).expanduser().resolve())
    difference = export(model_name, out_dir, args.max_seq_length)
    print(f"max |onnx - torch| logit difference: {difference:.2e}")
    print(f"exported {args.model} to {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
