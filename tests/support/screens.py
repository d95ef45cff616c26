"""Reference screenshots of console pages, compared like the avatar's (tests/web_client/
test_expressions.py): a small mean difference and few strongly differing pixels are allowed.

Regenerate on purpose with UPDATE_REFERENCES=1 and look at the new images before committing them.
Every run saves its screenshots under results/screens/ so a failure can be inspected.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "results" / "screens"
MAX_MEAN_DIFFERENCE = 3.0  # per channel, 0..255
MAX_CHANGED_SHARE = 0.02  # pixels differing by more than 48 in any channel


def difference(actual: Image.Image, reference: Image.Image) -> tuple[float, float]:
    diff = ImageChops.difference(actual.convert("RGB"), reference.convert("RGB"))
    mean = sum(ImageStat.Stat(diff).mean) / 3
    strong = diff.convert("L").point(lambda value: 255 if value > 48 else 0)
    return mean, ImageStat.Stat(strong).mean[0] / 255


def check_screenshot(png: bytes, reference_path: Path) -> None:
    """Compares a screenshot with its reference (or writes it, with UPDATE_REFERENCES=1)."""
    actual = Image.open(io.BytesIO(png))
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    actual.save(OUTPUT_DIR / reference_path.name)
    if os.environ.get("UPDATE_REFERENCES") == "1":
        reference_path.parent.mkdir(parents=True, exist_ok=True)
        actual.save(reference_path)
        return
    assert reference_path.exists(), f"no reference {reference_path.name}: run with UPDATE_REFERENCES=1, review it"
    reference = Image.open(reference_path)
    assert actual.size == reference.size, f"{reference_path.name}: size {actual.size} != {reference.size}"
    mean, changed = difference(actual, reference)
    assert mean <= MAX_MEAN_DIFFERENCE and changed <= MAX_CHANGED_SHARE, (
        f"{reference_path.name}: mean difference {mean:.2f}, {changed:.2%} pixels changed (see {OUTPUT_DIR})"
    )
