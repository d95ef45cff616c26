"""Reading a `--label-map` argument: a YAML/JSON file, or inline `theirs=ours,theirs2=ours2`."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Optional

import yaml


def parse_label_map(value: Optional[str]) -> Dict[str, str]:
    if not value:
        return {}
    path = Path(value)
    if path.is_file():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise ValueError(f"{value}: a label map must be a mapping of their label to ours")
        return {str(k): str(v) for k, v in loaded.items()}
    pairs = {}
    for part in value.split(","):
        if "=" not in part:
            raise ValueError(f"label map entry {part!r} is not 'theirs=ours'")
        theirs, ours = part.split("=", 1)
        pairs[theirs.strip()] = ours.strip()
    return pairs
