"""The expression table's choices, and the start-up checks that keep it in line with the brief."""

import itertools
from pathlib import Path

import pytest
import yaml

from avatar_bridge.core.config import PACKAGE_DIR
from avatar_bridge.expression.planner import ExpressionPlanner, TableError
from avatar_bridge.protocol.schema_registry import SchemaRegistry

SCHEMAS = SchemaRegistry.load()
TABLE = PACKAGE_DIR / "expression" / "table.yml"
EMOTIONS = SCHEMAS.shared_enum("emotion_label")
KINDS = SCHEMAS.shared_enum("reply_kind")
INTENSITIES = (0.1, 0.5, 0.9)


@pytest.fixture(scope="module")
def planner() -> ExpressionPlanner:
    return ExpressionPlanner.load(TABLE, SCHEMAS)


@pytest.mark.parametrize(
    "emotion, intensity, kind, expression, gesture",
    [
        ("frustrated", 0.9, "info", "concerned", "slow_nod"),
        ("frustrated", 0.9, "bad_news", "apologetic", "slow_nod"),
        ("frustrated", 0.4, "handoff", "calm", "nod"),
        ("frustrated", 0.2, "good_news", "calm", "slow_nod"),
        ("anxious", 0.6, "good_news", "reassuring", "nod"),
        ("anxious", 0.6, "question", "attentive", "head_tilt"),
        ("sad", 0.9, "good_news", "sympathetic", "slow_nod"),
        ("happy", 0.9, "good_news", "joyful", "nod"),
        ("happy", 0.5, "farewell", "happy", "nod"),
        ("happy", 0.9, "bad_news", "sympathetic", "nod"),
        ("confused", 0.7, "question", "attentive", "head_tilt"),
        ("neutral", 0.0, "good_news", "happy", "nod"),
        ("neutral", 0.0, "question", "attentive", "head_tilt"),
        ("neutral", 0.0, "bad_news", "concerned", None),
        ("neutral", 0.0, "info", "neutral", None),
    ],
)
def test_table_choices(planner, emotion, intensity, kind, expression, gesture):
    plan = planner.plan(emotion, intensity, kind)
    assert plan.expression.name == expression
    assert (plan.gesture.name if plan.gesture else None) == gesture


def test_never_a_smile_at_distress(planner):
    for emotion, intensity, kind in itertools.product(("frustrated", "anxious", "sad"), INTENSITIES, KINDS):
        assert planner.plan(emotion, intensity, kind).expression.name not in {"happy", "joyful"}


def test_angry_customers_get_a_calm_concerned_face_and_a_slower_lower_voice(planner):
    for intensity, kind in itertools.product(INTENSITIES, KINDS):
        plan = planner.plan("frustrated", intensity, kind)
        assert plan.expression.name in {"calm", "concerned", "apologetic"}
        assert plan.prosody.rate < 1.0 and plan.prosody.pitch < 0


def test_joy_is_mirrored(planner):
    for intensity, kind in itertools.product((0.5, 0.9), ("good_news", "info", "greeting", "farewell")):
        assert planner.plan("happy", intensity, kind).expression.name in {"happy", "joyful"}
    assert planner.plan("happy", 0.9, "good_news").prosody.pitch > 0


def test_stronger_feelings_get_a_stronger_response(planner):
    mild, strong = planner.plan("frustrated", 0.2, "info"), planner.plan("frustrated", 0.9, "info")
    assert strong.expression.intensity > mild.expression.intensity
    assert strong.prosody.rate < mild.prosody.rate


def test_every_case_has_a_plan_with_known_names(planner):
    for emotion, intensity, kind in itertools.product(EMOTIONS, INTENSITIES, KINDS):
        plan = planner.plan(emotion, intensity, kind)
        assert plan.expression.name in SCHEMAS.shared_enum("expression_name")
        assert plan.gesture is None or plan.gesture.name in SCHEMAS.shared_enum("gesture_name")


def _broken_table(tmp_path: Path, change) -> Path:
    document = yaml.safe_load(TABLE.read_text("utf-8"))
    change(document)
    path = tmp_path / "table.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    return path


@pytest.mark.parametrize(
    "change, complaint",
    [
        (
            lambda d: d["rules"].insert(
                0, {"when": {"emotion": "sad"}, "expression": {"name": "joyful", "intensity": 0.5, "duration_ms": 1}}
            ),
            "must not smile at distress",
        ),
        (
            lambda d: d["rules"].insert(
                0, {"when": {"emotion": "frustrated"}, "prosody": {"rate": 1.2, "pitch": 0, "volume": 0.9}}
            ),
            "calm, concerned",
        ),
        (
            lambda d: d["rules"].insert(
                0,
                {"when": {"emotion": "happy"}, "expression": {"name": "concerned", "intensity": 0.5, "duration_ms": 1}},
            ),
            "should be mirrored",
        ),
        (
            lambda d: d["rules"].insert(
                0, {"when": {"emotion": "sad"}, "expression": {"name": "wink", "intensity": 0.5, "duration_ms": 1}}
            ),
            "unknown expression",
        ),
        (lambda d: d["rules"].insert(0, {"when": {"reply_kind": "gossip"}}), "unknown reply_kind"),
        (lambda d: d["rules"].pop(), "last rule must have an empty"),
    ],
)
def test_a_table_that_breaks_the_brief_or_the_vocabulary_does_not_load(tmp_path, change, complaint):
    with pytest.raises(TableError, match=complaint):
        ExpressionPlanner.load(_broken_table(tmp_path, change), SCHEMAS)
