"""Screenshots compared with checked-in references: the avatar's expressions, the widget and the
console pages. A small mean difference and few strongly differing pixels are allowed (software
rendering is deterministic on one machine, but GPUs, drivers and Chromium versions shift edges).

Regenerate on purpose with UPDATE_REFERENCES=1 and look at the new images before committing them.
Every run saves its screenshots (under results/screens/ unless told otherwise) so a failure can be
inspected.
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
    """The mean difference per channel and the share of strongly differing pixels."""
    diff = ImageChops.difference(actual.convert("RGB"), reference.convert("RGB"))
    mean = sum(ImageStat.Stat(diff).mean) / 3
    strong = diff.convert("L").point(lambda value: 255 if value > 48 else 0)
    return mean, ImageStat.Stat(strong).mean[0] / 255


def check_screenshot(
    png: bytes,
    reference_path: Path,
    *,
    max_changed_share: float = MAX_CHANGED_SHARE,
    output_dir: Path = OUTPUT_DIR,
) -> None:
    """Compares a screenshot with its reference (or writes it, with UPDATE_REFERENCES=1)."""
    actual = Image.open(io.BytesIO(png))
    output_dir.mkdir(parents=True, exist_ok=True)
    actual.save(output_dir / reference_path.name)
    if os.environ.get("UPDATE_REFERENCES") == "1":
        reference_path.parent.mkdir(parents=True, exist_ok=True)
        actual.save(reference_path)
        return
    assert reference_path.exists(), f"no reference {reference_path.name}: run with UPDATE_REFERENCES=1, review it"
    reference = Image.open(reference_path)
    assert actual.size == reference.size, f"{reference_path.name}: size {actual.size} != {reference.size}"
    mean, changed = difference(actual, reference)
    assert mean <= MAX_MEAN_DIFFERENCE and changed <= max_changed_share, (
        f"{reference_path.name}: mean difference {mean:.2f}, {changed:.2%} pixels changed (see {output_dir})"
    )
