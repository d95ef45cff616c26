"""Where the emotion models and data live by default, relative to the repository root.

Rasa, the action server and the scripts all run from the repository root, so relative paths in
`bot/config.yml` are resolved against it (and against the working directory as a fallback).
"""

from __future__ import annotations

from pathlib import Path
from typing import Union

from bot.emotion.onnx_bundle import model_slug

# The taxonomy is shared with the other services, so it lives in contracts/emotion/.
from contracts.emotion.taxonomy import TAXONOMY_FILE  # noqa: F401

REPO_ROOT = Path(__file__).resolve().parents[2]

DEFAULT_ENCODER_DIR = Path("models/encoder/all-MiniLM-L6-v2")
DEFAULT_HF_EXPORT_ROOT = Path("models/emotion_hf")
DEFAULT_EMOTION_DATA_DIR = Path("nlu_data/emotion")
CUES_FILE = Path(__file__).resolve().parent / "cues.yml"


def resolve_repo_path(path: Union[str, Path]) -> Path:
    """An absolute path for `path`: as given if absolute, else under the repository root.

    Falls back to the working directory when the file exists there but not under the root,
    so a user who keeps models elsewhere and runs from that folder is not surprised.
    """
    candidate = Path(path).expanduser()
    if candidate.is_absolute():
        return candidate
    under_root = REPO_ROOT / candidate
    if under_root.exists() or not candidate.exists():
        return under_root
    return candidate.resolve()


def hf_export_dir(model: str, export_root: Union[str, Path] = DEFAULT_HF_EXPORT_ROOT) -> Path:
    """The folder where `scripts/emotion/export_hf_classifier.py` puts the export of `model`."""
    return resolve_repo_path(export_root) / model_slug(model)
