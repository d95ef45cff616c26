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


@pytest.mark.parametrize("name", EXPRESSIONS)
def test_expression_matches_reference(stage, bridge_url, name):
    """The procedural head (the light fallback), one page load per expression."""
    stage.goto(f"{bridge_url}/?lang=en&pose={name}&avatar=procedural")
    stage.wait_for_function(
        "() => { const a = window.__avatarDebug && window.__avatarDebug.avatar(); "
        "return a && a.kind === 'procedural' && !a.loading && a.frames > 5; }",
        timeout=30_000,
    )
    stage.wait_for_timeout(200)  # a few frames with the model in place
    assert stage.evaluate("window.__avatarDebug.avatar().expression") == name
    assert_matches_reference(stage.locator(".avatar-host").screenshot(), name)


# The realistic avatars in the face preview page (one model decode per avatar; each expression is a
# message to the page, as the admin console's tone page sends it): every expression on the default
# woman, the four a customer sees most on the man (each shot costs about 3 s of software rendering).
MAN_EXPRESSIONS = ["neutral", "apologetic", "happy", "sad"]
REALISTIC_CASES = [("valid-woman", name) for name in EXPRESSIONS] + [("valid-man", name) for name in MAN_EXPRESSIONS]


@pytest.fixture(scope="module")
def realistic_previews(chromium, bridge_url):
    """One preview page per realistic avatar, opened when first asked for."""
    context = chromium.new_context(viewport={"width": 900, "height": 560}, bypass_csp=True)  # see conftest
    pages = {}

    def preview(model: str):
        if model not in pages:
            page = pages[model] = context.new_page()
            page.goto(f"{bridge_url}/?preview=face&pose=neutral&avatar={model}")
            page.wait_for_selector(".face-preview[data-ready='true']", timeout=60_000)
        return pages[model]

    yield preview
    context.close()


@pytest.mark.parametrize(("model", "name"), REALISTIC_CASES)
def test_realistic_expression_matches_reference(realistic_previews, model, name):
    page = realistic_previews(model)
    page.evaluate("name => window.postMessage({ type: 'avatar-preview', expression: name, intensity: 1 }, '*')", name)
    page.wait_for_selector(f".face-preview[data-expression='{name}']", timeout=5_000)
    page.wait_for_timeout(1_200)  # the blend (0.2 s time constant) settles
    assert page.locator(".face-preview").get_attribute("data-model").startswith("White_")
    assert_matches_reference(page.locator(".face-preview").screenshot(), f"{model}-{name}")


@pytest.mark.parametrize("prefix", ["", "valid-woman-", "valid-man-"])
def test_expressions_differ_from_each_other(prefix):
    """The comparison can fail: two different expressions are far apart by the same measure."""
    happy = Image.open(REFERENCE_DIR / f"{prefix}happy.png")
    sad = Image.open(REFERENCE_DIR / f"{prefix}sad.png")
    mean, changed = difference(happy, sad)
    assert changed > MAX_CHANGED_SHARE or mean > MAX_MEAN_DIFFERENCE
