"""One expression per sentence: an apology is spoken with an apologetic face, good news with a smile
(for a calm customer), and a distressed customer never gets a smile in any sentence."""

import pytest

from avatar_bridge.core.config import PACKAGE_DIR
from avatar_bridge.expression.planner import SMILING_EXPRESSIONS, ExpressionPlanner
from avatar_bridge.expression.sentences import SentenceCues, SentencePlanner, split_sentences
from avatar_bridge.protocol.schema_registry import SchemaRegistry

APOLOGY_THEN_GOOD_NEWS = (
    "I'm sorry, your order 40010002 is running late. Good news: it is out for delivery on 24.12.2026!"
)


@pytest.fixture(scope="module")
def sentences() -> SentencePlanner:
    planner = ExpressionPlanner.load(PACKAGE_DIR / "expression" / "table.yml", SchemaRegistry.load())
    return SentencePlanner(planner, SentenceCues.load(PACKAGE_DIR / "expression" / "sentence_kinds.yml"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two? Three!", ["One.", "Two?", "Three!"]),
        ("Due on 24.12.2026 at 3.5 kg. Next", ["Due on 24.12.2026 at 3.5 kg.", "Next"]),
        ("  Line one\nLine two…  Three ", ["Line one", "Line two…", "Three"]),
    ],
)
def test_split_sentences(text, expected):
    assert [text[offset : offset + length] for offset, length in split_sentences(text)] == expected


def test_apology_then_good_news_gets_two_faces(sentences):
    plan = sentences.plan(APOLOGY_THEN_GOOD_NEWS, "apology", "en", "neutral", 0.0, {})
    assert [(s["reply_kind"], s["expression"]["name"]) for s in plan] == [
        ("apology", "apologetic"),
        ("good_news", "happy"),
    ]
    first = plan[0]
    assert APOLOGY_THEN_GOOD_NEWS[first["offset"] : first["offset"] + first["length"]].endswith("running late.")


@pytest.mark.parametrize("emotion", ["frustrated", "anxious", "sad"])
@pytest.mark.parametrize("intensity", [0.2, 0.5, 0.9])
def test_a_distressed_customer_never_gets_a_smile(sentences, emotion, intensity):
    for text, kind in [(APOLOGY_THEN_GOOD_NEWS, "apology"), ("Great, done! Anything else?", "good_news")]:
        for sentence in sentences.plan(text, kind, "en", emotion, intensity, {}):
            assert sentence["expression"]["name"] not in SMILING_EXPRESSIONS


def test_the_cues_acknowledgement_and_apology_are_known_without_patterns(sentences):
    cue = {"acknowledgement": "I understand how annoying this is.", "apology": "We apologise for that."}
    text = "I understand how annoying this is. We apologise for that. Your new password link is on its way."
    plan = sentences.plan(text, "good_news", "en", "frustrated", 0.5, cue)
    assert [s["reply_kind"] for s in plan] == ["bad_news", "apology", "good_news"]
    assert plan[0]["expression"]["name"] in {"apologetic", "concerned", "calm"}


def test_german_patterns(sentences):
    plan = sentences.plan("Es tut mir leid. Ihre Bestellung ist unterwegs.", "info", "de", "neutral", 0.0, {})
    assert [s["reply_kind"] for s in plan] == ["apology", "good_news"]
