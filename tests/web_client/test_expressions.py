"""A screenshot of every expression, compared with the stored references.

Regenerate the references on purpose with UPDATE_REFERENCES=1 (never silently): the new images
are written to tests/web_client/reference/ for review. Every run saves its screenshots to
results/web_client/ so a failure can be inspected.
"""

from __future__ import annotations

import pytest
from PIL import Image

from tests.support.screens import MAX_MEAN_DIFFERENCE, difference
from tests.web_client.references import MAX_CHANGED_SHARE, REFERENCE_DIR, assert_matches_reference

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
    file_name = name if model == "procedural" else f"{model}-{name}"
    assert_matches_reference(stage.locator(".avatar-host").screenshot(), file_name)


@pytest.mark.parametrize("prefix", ["", "valid-woman-"])
def test_expressions_differ_from_each_other(prefix):
    """The comparison can fail: two different expressions are far apart by the same measure."""
    happy = Image.open(REFERENCE_DIR / f"{prefix}happy.png")
    sad = Image.open(REFERENCE_DIR / f"{prefix}sad.png")
    mean, changed = difference(happy, sad)
    assert changed > MAX_CHANGED_SHARE or mean > MAX_MEAN_DIFFERENCE
