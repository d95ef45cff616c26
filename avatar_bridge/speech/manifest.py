"""The voice manifest: which model files the speech service may load, pinned by SHA-256.

Nothing is downloaded at run time: a voice is a pair of files (Piper's ``.onnx`` model and its
``.onnx.json`` configuration) that setup installed from PyPI, or that an operator placed on
disk and listed in a manifest of their own (``AVATAR_BRIDGE_VOICE_MANIFEST``, same format, with
absolute paths). A file whose checksum differs from the manifest is refused at start-up.
"""

import hashlib
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

BUILT_IN_MANIFEST = Path(__file__).resolve().parent / "voice_manifest.json"
_CHUNK = 1 << 20


class ManifestError(ValueError):
    """A voice is missing, unknown or its files do not match their checksums."""


@dataclass(frozen=True)
class PiperVoiceFiles:
    voice_id: str
    language: str
    gender: str  # "female" | "male"
    licence: str
    model: Path
    config: Path
    model_sha256: str
    config_sha256: str

    def verify(self) -> None:
        for path, expected in ((self.model, self.model_sha256), (self.config, self.config_sha256)):
            if not path.is_file():
                raise ManifestError(f"voice {self.voice_id}: {path} is missing (run `make setup`)")
            actual = sha256_of(path)
            if actual != expected:
                raise ManifestError(f"voice {self.voice_id}: {path.name} has SHA-256 {actual}, not {expected}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def load_manifest(extra: Path | None = None) -> dict[str, PiperVoiceFiles | None]:
    """{voice id: its files} from the built-in manifest and the operator's; None where a built-in
    voice's package is not installed."""
    voices: dict[str, PiperVoiceFiles | None] = {}
    for manifest_path in (BUILT_IN_MANIFEST, extra):
        if manifest_path is None:
            continue
        try:
            document = json.loads(Path(manifest_path).read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise ManifestError(f"voice manifest {manifest_path}: {error}") from error
        for voice_id, entry in document.get("voices", {}).items():
            voices[voice_id] = _entry(voice_id, entry)
    return voices


def _entry(voice_id: str, entry: dict) -> PiperVoiceFiles | None:
    if entry.get("engine") != "piper":
        raise ManifestError(f"voice {voice_id}: only Piper voices are listed (engine: piper)")
    base = Path("/")
    if entry.get("package"):
        spec = importlib.util.find_spec(entry["package"])
        if spec is None or not spec.submodule_search_locations:
            return None
        base = Path(list(spec.submodule_search_locations)[0])
    try:
        return PiperVoiceFiles(
            voice_id=voice_id,
            language=entry["language"],
            gender=entry["gender"],
            licence=entry["licence"],
            model=base / entry["model"],
            config=base / entry["config"],
            model_sha256=entry["sha256"]["model"],
            config_sha256=entry["sha256"]["config"],
        )
    except (KeyError, TypeError) as error:
        raise ManifestError(f"voice {voice_id}: manifest entry lacks {error}") from error
