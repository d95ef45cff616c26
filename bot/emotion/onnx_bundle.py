"""The on-disk contract between the export scripts (Python 3.11, torch) and the runtime (onnxruntime).

An exported bundle is a folder with an ONNX graph, the Hugging Face `tokenizer.json` and a
`manifest.json` that says how to use them. Only the standard library is used here so that both
environments can import it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

MANIFEST_FILE = "manifest.json"
TOKENIZER_FILE = "tokenizer.json"
MODEL_FILE = "model.onnx"
QUANTIZED_MODEL_FILE = "model.int8.onnx"

# Bumped when the meaning of a manifest field changes, so old bundles are re-exported.
MANIFEST_SCHEMA = "emotion-onnx-bundle.v1"

KIND_SENTENCE_ENCODER = "sentence_encoder"
KIND_TEXT_CLASSIFIER = "text_classifier"


@dataclass
class BundleManifest:
    """What the runtime needs to know about an exported model.

    `files` maps each ONNX file name to its SHA-256 so that a half-written or swapped file is
    noticed when the model is loaded, not as strange predictions later.
    """

    kind: str
    source: str
    max_seq_length: int
    input_names: List[str]
    output_name: str
    files: Dict[str, str]
    # sentence encoders
    pooling: Optional[str] = None
    normalize: bool = False
    dimension: Optional[int] = None
    # text classifiers
    id2label: Dict[str, str] = field(default_factory=dict)
    problem_type: Optional[str] = None
    schema: str = MANIFEST_SCHEMA
    extra: Dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "BundleManifest":
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{key: value for key, value in data.items() if key in known})


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(folder: Path, manifest: BundleManifest) -> Path:
    path = Path(folder) / MANIFEST_FILE
    path.write_text(manifest.to_json() + "\n", encoding="utf-8")
    return path


def read_manifest(folder: Path) -> BundleManifest:
    """Reads and checks a bundle's manifest; raises `BundleError` with the reason."""
    path = Path(folder) / MANIFEST_FILE
    if not path.is_file():
        raise BundleError(f"no {MANIFEST_FILE} in {folder}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BundleError(f"unreadable manifest {path}: {error}") from error
    if data.get("schema") != MANIFEST_SCHEMA:
        raise BundleError(f"{path} has schema {data.get('schema')!r}, expected {MANIFEST_SCHEMA!r}")
    try:
        return BundleManifest.from_dict(data)
    except TypeError as error:
        raise BundleError(f"incomplete manifest {path}: {error}") from error


def verify_file(folder: Path, manifest: BundleManifest, file_name: str) -> Path:
    """Returns the path of `file_name` after checking it against the manifest checksum."""
    path = Path(folder) / file_name
    expected = manifest.files.get(file_name)
    if expected is None:
        raise BundleError(f"{file_name} is not listed in the manifest of {folder}")
    if not path.is_file():
        raise BundleError(f"{path} is missing")
    if file_sha256(path) != expected:
        raise BundleError(f"{path} does not match its checksum; export it again")
    return path


def model_slug(model: str) -> str:
    """A folder name for a hub id or a local path: `j-hartmann/emotion-english` → `j-hartmann--emotion-english`."""
    text = str(model).strip().rstrip("/\\")
    if Path(text).is_absolute() or text.startswith("."):
        text = Path(text).name
    slug = re.sub(r"[^A-Za-z0-9._-]+", "--", text.replace("/", "--")).strip("-.")
    return slug or "model"


class BundleError(Exception):
    """An exported bundle is missing, incomplete or does not match its manifest."""
