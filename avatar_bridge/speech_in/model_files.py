"""The recogniser's model files, read into memory and checked against their SHA-256 pins.

The model comes from two PyPI packages (setup installs them; nothing is downloaded at run
time). The worker process that loads the model reads and checks the very bytes it loads, so a
file changed after a check can never slip in; ``model.bin``'s two parts are joined in memory and
the whole is checked too. Files are handed to faster-whisper as bytes: nothing is written.
"""

import hashlib
import importlib.util
import json
from pathlib import Path

BUILT_IN_MANIFEST = Path(__file__).resolve().parent / "model_manifest.json"


class ModelFilesError(ValueError):
    """A model file is missing or does not match its checksum."""


def package_path(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelFilesError(f"package {package} is not installed (run `make setup`)")
    return Path(list(spec.submodule_search_locations)[0]) / relative


def _checked(entry: dict) -> bytes:
    path = package_path(entry["package"], entry["path"])
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ModelFilesError(f"{path}: {error.strerror}") from error
    _check(path.name, data, entry["sha256"])
    return data


def _check(name: str, data: bytes, expected: str) -> None:
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise ModelFilesError(f"speech recogniser model file {name} has SHA-256 {actual}, not {expected}")


def load_model_files(manifest: Path = BUILT_IN_MANIFEST) -> dict[str, bytes]:
    """{file name: contents} for faster-whisper's ``files=``, every file checked."""
    document = json.loads(manifest.read_text("utf-8"))
    files: dict[str, bytes] = {}
    for name, entry in document["files"].items():
        if "parts" in entry:
            data = b"".join(_checked(part) for part in entry["parts"])
            _check(name, data, entry["sha256"])
        else:
            data = _checked(entry)
        files[name] = data
    return files
