"""The model name scripts/train.sh would give the same inputs (keep the two in step).

A model trained from the console under this name is what `make train` finds up to date, so the
next `make run` starts it instead of training again.
"""

import hashlib
from pathlib import Path

TRAINING_INPUTS = (
    "bot/config.yml",
    "bot/domain",
    "bot/data",
    "nlu_data",
    "bot/components",
    "bot/emotion",
    "requirements/rasa.txt",
    "models/encoder/all-MiniLM-L6-v2/manifest.json",
)
SUFFIXES = (".yml", ".yaml", ".py", ".txt", ".json", ".tsv")


def _files(root: Path) -> list[str]:
    found: list[str] = []
    for relative in TRAINING_INPUTS:
        path = root / relative
        if path.is_file():
            candidates = [path]
        elif path.is_dir():
            candidates = [p for p in path.rglob("*") if p.is_file()]
        else:
            continue
        for candidate in candidates:
            if candidate.suffix in SUFFIXES and "__pycache__" not in candidate.parts:
                found.append(candidate.relative_to(root).as_posix())
    # `LC_ALL=C sort` orders by bytes.
    return sorted(found, key=lambda name: name.encode("utf-8"))


def model_name(root: Path) -> str:
    listing = "".join(f"{hashlib.sha256((root / name).read_bytes()).hexdigest()}  {name}\n" for name in _files(root))
    return "assistant-" + hashlib.sha256(listing.encode("utf-8")).hexdigest()[:16]
