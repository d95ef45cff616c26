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


# The realistic default avatar (VALID woman): the expressions a customer sees most.
# Four of them: each costs a page load and a model decode (~15 s in software WebGL).
REALISTIC = ["neutral", "apologetic", "happy", "sad"]
CASES = [("procedural", name) for name in EXPRESSIONS] + [("valid-woman", name) for name in REALISTIC]


@pytest.mark.parametrize(("model", "name"), CASES)
def test_expression_matches_reference(stage, bridge_url, model, name):
    stage.goto(f"{bridge_url}/?lang=en&pose={name}&avatar={model}&allow_software_webgl")
    kind = "procedural" if model == "procedural" else "valid"
    stage.wait_for_function(
        "kind => { const a = window.__avatarDebug && window.__avatarDebug.avatar(); "
        "return a && a.kind === kind && !a.loading && a.frames > 5; }",
        arg=kind,
        timeout=30_000,
    )
    stage.wait_for_timeout(200)  # a few frames with the model in place
    assert stage.evaluate("window.__avatarDebug.avatar().expression") == name
    actual = Image.open(io.BytesIO(stage.locator(".avatar-host").screenshot()))
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    file_name = f"{name}.png" if model == "procedural" else f"{model}-{name}.png"
    actual.save(OUTPUT_DIR / file_name)
    reference_path = REFERENCE_DIR / file_name
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


@pytest.mark.parametrize("prefix", ["", "valid-woman-"])
def test_expressions_differ_from_each_other(prefix):
    """The comparison can fail: two different expressions are far apart by the same measure."""
    happy = Image.open(REFERENCE_DIR / f"{prefix}happy.png")
    sad = Image.open(REFERENCE_DIR / f"{prefix}sad.png")
    mean, changed = difference(happy, sad)
    assert changed > MAX_CHANGED_SHARE or mean > MAX_MEAN_DIFFERENCE
