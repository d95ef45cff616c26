"""A screenshot of every expression, compared with the stored references.

Regenerate the references on purpose with UPDATE_REFERENCES=1 (never silently): the new images
are written to tests/web_client/reference/ for review. Every run saves its screenshots to
results/web_client/ so a failure can be inspected.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

ROOT = Path(__file__).resolve().parents[2]

REFERENCE_DIR = Path(__file__).parent / "reference"
OUTPUT_DIR = ROOT / "results" / "web_client"
EXPRESSIONS = [
    "neutral",
    "attentive",
    "calm",
    "concerned",
    "sympathetic",
    "apologetic",
    "reassuring",
    "happy",
    "joyful",
    "sad",
    "surprised",
    "thinking",
]
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


@pytest.fixture(scope="module")
def stage(chromium, bridge_url):
    context = chromium.new_context(viewport={"width": 900, "height": 560}, bypass_csp=True)  # see conftest
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("name", EXPRESSIONS)
def test_expression_matches_reference(stage, bridge_url, name):
    stage.goto(f"{bridge_url}/?lang=en&pose={name}")
    stage.wait_for_function("window.__avatarDebug && window.__avatarDebug.avatar().frames > 5", timeout=20_000)
    assert stage.evaluate("window.__avatarDebug.avatar().expression") == name
    actual = Image.open(io.BytesIO(stage.locator(".avatar-host").screenshot()))
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    actual.save(OUTPUT_DIR / f"{name}.png")
    reference_path = REFERENCE_DIR / f"{name}.png"
    if os.environ.get("UPDATE_REFERENCES") == "1":
        actual.save(reference_path)
        return
    assert reference_path.exists(), f"no reference for {name}: run with UPDATE_REFERENCES=1 and review it"
    reference = Image.open(reference_path)
    assert actual.size == reference.size
    mean, changed = difference(actual, reference)
    assert mean <= MAX_MEAN_DIFFERENCE and changed <= MAX_CHANGED_SHARE, (
        f"{name}: mean difference {mean:.2f}, {changed:.2%} pixels changed (see {OUTPUT_DIR})"
    )


def test_expressions_differ_from_each_other():
    """The comparison can fail: two different expressions are far apart by the same measure."""
    happy = Image.open(REFERENCE_DIR / "happy.png")
    sad = Image.open(REFERENCE_DIR / "sad.png")
    mean, changed = difference(happy, sad)
    assert changed > MAX_CHANGED_SHARE or mean > MAX_MEAN_DIFFERENCE
