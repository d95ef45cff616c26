"""Screenshots compared with the checked-in references in tests/web_client/reference/.

Regenerate them on purpose with UPDATE_REFERENCES=1 (never silently) and review the new images;
every run also saves its screenshots to results/web_client/ so a failure can be inspected.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIR = Path(__file__).parent / "reference"
OUTPUT_DIR = ROOT / "results" / "web_client"
# Software rendering is deterministic on one machine, but GPUs/drivers and Chromium versions shift
# edges by a pixel: allow a small mean difference and few strongly differing pixels.
MAX_MEAN_DIFFERENCE = 3.0  # per channel, 0..255
MAX_CHANGED_SHARE = 0.01  # pixels differing by more than 48 in any channel


def difference(actual: Image.Image, reference: Image.Image) -> tuple[float, float]:
    diff = ImageChops.difference(actual.convert("RGB"), reference.convert("RGB"))
    mean = sum(ImageStat.Stat(diff).mean) / 3
    strong = diff.convert("L").point(lambda value: 255 if value > 48 else 0)
    changed = ImageStat.Stat(strong).mean[0] / 255
    return mean, changed


def assert_matches_reference(png: bytes, name: str) -> None:
    actual = Image.open(io.BytesIO(png))
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    actual.save(OUTPUT_DIR / f"{name}.png")
    reference_path = REFERENCE_DIR / f"{name}.png"
    if os.environ.get("UPDATE_REFERENCES") == "1":
        actual.save(reference_path)
        return
    assert reference_path.exists(), f"no reference for {name}: run with UPDATE_REFERENCES=1 and review it"
    reference = Image.open(reference_path)
    assert actual.size == reference.size, f"{name}: {actual.size} instead of {reference.size}"
    mean, changed = difference(actual, reference)
    assert mean <= MAX_MEAN_DIFFERENCE and changed <= MAX_CHANGED_SHARE, (
        f"{name}: mean difference {mean:.2f}, {changed:.2%} pixels changed (see {OUTPUT_DIR})"
    )
