"""Puts the repository root on `sys.path` so the scripts run as `python scripts/emotion/X.py`."""

import sys
from pathlib import Path


def add_repo_root_to_path() -> Path:
    root = Path(__file__).resolve().parents[2]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return root
