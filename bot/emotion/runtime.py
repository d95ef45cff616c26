"""Building predictors from a configuration: the one place that knows where models live.

Shared by the Rasa component and the command-line scripts, so `rasa train`, `evaluate.py` and
`bench.py` build exactly the same model from the same settings.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from bot.emotion import onnx_bundle
from bot.emotion.cues import CueSet, load_cues
from bot.emotion.data import Example, data_fingerprint
from bot.emotion.embedding_store import open_store
from bot.emotion.encoder import OnnxSentenceEncoder
from bot.emotion.head import HeadSettings
from bot.emotion.language_heads import LanguageRoutedHead, LanguageSettings, train_routed_head
from bot.emotion.hf_classifier import OnnxTextClassifier
from bot.emotion.lexicon import LEXICON_FILE
from bot.emotion.paths import (
    DEFAULT_EMOTION_DATA_DIR,
    DEFAULT_ENCODER_DIR,
    DEFAULT_HF_EXPORT_ROOT,
    hf_export_dir,
    resolve_repo_path,
)
from bot.emotion.predictor import EmotionPredictor, EncoderHeadScorer, MappedClassifierScorer
from contracts.emotion.taxonomy import Taxonomy, load_taxonomy

logger = logging.getLogger(__name__)

BACKEND_SENTENCE_ENCODER = "sentence_encoder"
BACKEND_TRANSFORMERS = "transformers"
BACKENDS = (BACKEND_SENTENCE_ENCODER, BACKEND_TRANSFORMERS)

# The settings every consumer starts from; the Rasa component documents each key.
DEFAULT_SETTINGS: Dict[str, Any] = {
    "backend": BACKEND_SENTENCE_ENCODER,
    "encoder_path": str(DEFAULT_ENCODER_DIR),
    "quantized": True,
    "max_seq_length": 128,
    "threads": 1,
    "training_data": str(DEFAULT_EMOTION_DATA_DIR),
    "pretrained_head": None,
    "cue_scale": HeadSettings.cue_scale,
    "char_ngrams": HeadSettings.char_ngrams,
    "ngram_weight": HeadSettings.ngram_weight,
    "language_heads": LanguageSettings.enabled,
    "language_regularisation_c": LanguageSettings.regularisation_c,
    "language_head_min_examples": LanguageSettings.min_examples,
    "lexicon_weight": 2.0,
    "neutral_weight": 2.0,
    "neutral_bias": 0.0,
    "regularisation_c": HeadSettings.regularisation_c,
    "random_seed": HeadSettings.random_seed,
    "model": None,
    "export_dir": str(DEFAULT_HF_EXPORT_ROOT),
    "label_map": {},
    "taxonomy_file": None,
    "cues_file": None,
    "vulnerability_data": "nlu_data/vulnerability",
    "vulnerability_threshold": 0.45,
    "vulnerability_regularisation_c": 8.0,
}


class EmotionConfigError(ValueError):
    """The emotion settings cannot work (unknown backend, missing export, ...)."""


def settings_with_defaults(config: Mapping[str, Any]) -> Dict[str, Any]:
    settings = {**DEFAULT_SETTINGS, **{k: v for k, v in config.items() if k in DEFAULT_SETTINGS}}
    if settings["backend"] not in BACKENDS:
        raise EmotionConfigError(f"emotion backend must be one of {BACKENDS}, not {settings['backend']!r}")
    if settings["backend"] == BACKEND_TRANSFORMERS and not settings["model"]:
        raise EmotionConfigError("backend `transformers` needs `model: <hub id or local path>`")
    return settings


def taxonomy_for(settings: Mapping[str, Any]) -> Taxonomy:
    return load_taxonomy(resolve_repo_path(settings["taxonomy_file"]) if settings.get("taxonomy_file") else None)


def cues_for(settings: Mapping[str, Any]) -> CueSet:
    return load_cues(resolve_repo_path(settings["cues_file"]) if settings.get("cues_file") else None)


def encoder_model_file(settings: Mapping[str, Any]) -> str:
    return onnx_bundle.QUANTIZED_MODEL_FILE if settings.get("quantized") else onnx_bundle.MODEL_FILE


# One encoder per bundle file and settings in a process: the intent featurizer and the emotion
# classifier share its session, memory and recent results.
_SHARED_ENCODERS: Dict[Tuple[str, str, Any, int], OnnxSentenceEncoder] = {}


def load_encoder(settings: Mapping[str, Any]) -> OnnxSentenceEncoder:
    """The configured sentence encoder; raises `onnx_bundle.BundleError` with the fix in the message."""
    folder = resolve_repo_path(settings["encoder_path"])
    key = (str(folder), encoder_model_file(settings), settings.get("max_seq_length"), int(settings.get("threads") or 1))
    if key not in _SHARED_ENCODERS:
        encoder = _load_encoder(folder, settings)
        # Trainings remember their embeddings on disk when SENTENCE_EMBEDDING_STORE names a file
        # (scripts/env.sh sets one under var/cache/); see embedding_store.py.
        encoder.remember_batches_in(
            open_store(
                os.environ.get("SENTENCE_EMBEDDING_STORE"),
                f"{encoder_fingerprint(settings)}:{encoder.max_seq_length}",
                encoder.dimension,
            )
        )
        _SHARED_ENCODERS[key] = encoder
    return _SHARED_ENCODERS[key]


def forget_shared_encoders() -> None:
    """Drops the process's shared encoders (the memory benchmark loads one afresh)."""
    _SHARED_ENCODERS.clear()


def _load_encoder(folder: Path, settings: Mapping[str, Any]) -> OnnxSentenceEncoder:
    try:
        return OnnxSentenceEncoder.from_bundle(
            folder,
            model_file=encoder_model_file(settings),
            max_seq_length=settings.get("max_seq_length"),
            threads=int(settings.get("threads") or 1),
        )
    except onnx_bundle.BundleError as error:
        raise onnx_bundle.BundleError(
            f"{error}. Export the encoder with: .venv/bin/python scripts/emotion/export_encoder.py"
        ) from error


def hf_bundle_dir(settings: Mapping[str, Any]) -> Path:
    return hf_export_dir(str(settings["model"]), settings.get("export_dir") or DEFAULT_HF_EXPORT_ROOT)


def hf_export_command(settings: Mapping[str, Any]) -> str:
    return f".venv/bin/python scripts/emotion/export_hf_classifier.py --model {settings['model']}" + (
        f" --export-dir {settings['export_dir']}"
        if settings.get("export_dir") != DEFAULT_SETTINGS["export_dir"]
        else ""
    )


def load_hf_scorer(settings: Mapping[str, Any], taxonomy: Taxonomy) -> MappedClassifierScorer:
    """The exported transformers classifier with its labels mapped; raises with the export command."""
    folder = hf_bundle_dir(settings)
    try:
        classifier = OnnxTextClassifier.from_bundle(
            folder, max_seq_length=settings.get("max_seq_length"), threads=int(settings.get("threads") or 1)
        )
    except onnx_bundle.BundleError as error:
        raise EmotionConfigError(
            f"the transformers model {settings['model']!r} is not exported ({error}). "
            f"Run: {hf_export_command(settings)}"
        ) from error
    mapping = taxonomy.mapping_for(classifier.labels, settings.get("label_map") or {})
    return MappedClassifierScorer(classifier, mapping, taxonomy)


def head_settings(settings: Mapping[str, Any]) -> HeadSettings:
    return HeadSettings.from_config(dict(settings))


def train_head_on_examples(
    examples: Sequence[Example],
    encoder: OnnxSentenceEncoder,
    taxonomy: Taxonomy,
    cues: CueSet,
    settings: Mapping[str, Any],
    provenance: Optional[Dict[str, Any]] = None,
) -> LanguageRoutedHead:
    """Encodes the examples and fits the joint and language heads (a few seconds per thousand examples)."""
    started = time.perf_counter()
    texts = [example.text for example in examples]
    embeddings = encoder.encode(texts)
    cue_vectors = np.array([cues.read(text).vector(taxonomy.names) for text in texts], dtype=np.float32)
    head = train_routed_head(
        embeddings,
        cue_vectors,
        texts,
        [example.label for example in examples],
        [example.language for example in examples],
        taxonomy.names,
        head_settings(settings),
        LanguageSettings.from_config(dict(settings)),
        provenance={
            **(provenance or {}),
            "examples": len(examples),
            "encoder": encoder_fingerprint(settings),
        },
    )
    logger.info(
        "Trained the emotion head on %d examples (language heads: %s) in %.1f s.",
        len(examples),
        ", ".join(sorted(head.by_language)) or "none",
        time.perf_counter() - started,
    )
    return head


def build_predictor(
    settings: Mapping[str, Any],
    head: Optional[LanguageRoutedHead] = None,
    encoder: Optional[OnnxSentenceEncoder] = None,
) -> EmotionPredictor:
    """A predictor for the configured backend; raises when a model is missing (callers decide to degrade)."""
    taxonomy = taxonomy_for(settings)
    cues = cues_for(settings)
    if settings["backend"] == BACKEND_TRANSFORMERS:
        return EmotionPredictor(taxonomy, cues, load_hf_scorer(settings, taxonomy))
    if head is None:
        raise EmotionConfigError("the sentence-encoder backend needs a trained head")
    encoder = encoder or load_encoder(settings)
    if head.embedding_dim != encoder.dimension:
        raise EmotionConfigError(
            f"the head expects {head.embedding_dim}-dimensional embeddings, the encoder gives {encoder.dimension}"
        )
    trained_with = head.provenance.get("encoder")
    if trained_with and trained_with != encoder_fingerprint(settings):
        logger.warning("The emotion head was trained with another encoder file; retrain for best results.")
    return EmotionPredictor(taxonomy, cues, EncoderHeadScorer(encoder, head, taxonomy))


def encoder_fingerprint(settings: Mapping[str, Any]) -> str:
    """The checksum of the configured encoder file from its manifest ('missing' when not exported)."""
    try:
        manifest = onnx_bundle.read_manifest(resolve_repo_path(settings["encoder_path"]))
    except onnx_bundle.BundleError:
        return "missing"
    return manifest.files.get(encoder_model_file(settings), "missing")


def settings_fingerprint(settings: Mapping[str, Any]) -> str:
    """Everything outside Rasa's view that changes the trained model: data, encoder, cue and taxonomy files."""
    from bot.emotion.paths import CUES_FILE, TAXONOMY_FILE

    parts: List[str] = [encoder_fingerprint(settings)]
    parts.append(data_fingerprint(resolve_repo_path(settings["training_data"])))
    for key, default in (("taxonomy_file", TAXONOMY_FILE), ("cues_file", CUES_FILE)):
        path = resolve_repo_path(settings[key]) if settings.get(key) else default
        parts.append(_file_digest(path))
    parts.append(_file_digest(LEXICON_FILE))
    if settings.get("pretrained_head"):
        folder = resolve_repo_path(settings["pretrained_head"])
        parts.extend(_file_digest(path) for path in sorted(folder.rglob("head.*")))
    if settings["backend"] == BACKEND_TRANSFORMERS:
        parts.append(_file_digest(hf_bundle_dir(settings) / onnx_bundle.MANIFEST_FILE))
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def _file_digest(path: Path) -> str:
    try:
        return onnx_bundle.file_sha256(Path(path))
    except OSError:
        return "missing"
