"""The valence lexicon (bot/emotion/lexicon.yml): words, negation, intensifiers, categories, in both languages."""

from __future__ import annotations

import pytest

from bot.emotion.lexicon import FEATURE_NAMES, LexiconError, lexicon_from_dict, load_lexicon


def features(text: str) -> dict:
    return dict(zip(FEATURE_NAMES, load_lexicon().scores(text)))


@pytest.mark.parametrize(
    "text, strongest",
    [
        ("thanks, that was brilliant", "positive"),
        ("Danke, das war großartig", "positive"),
        ("this is ridiculous", "anger"),
        ("Das ist eine Frechheit", "anger"),
        ("Schon wieder Verspätungen", "anger"),  # inflected form of "verspät*"
        ("I'm worried about the payment", "fear"),
        ("Ich mache mir Sorgen wegen der Zahlung", "fear"),
        ("sadly it came too late", "sadness"),
        ("Ich bin so enttäuscht", "sadness"),
        ("this is confusing", "confusion"),
        ("Das ist verwirrend", "confusion"),
    ],
)
def test_words_count_for_their_valence_and_category(text, strongest):
    scores = features(text)

    assert max(scores, key=lambda name: (scores[name], name == strongest)) in (strongest, "negative")
    assert scores[strongest] > 0
    if strongest != "positive":
        assert scores["negative"] > 0 and scores["positive"] == 0


@pytest.mark.parametrize(
    "negated, plain",
    [
        ("not bad", "bad"),
        ("nicht schlecht", "schlecht"),
        ("kein Problem", "Problem"),
        ("I'm not worried", "I'm worried"),
        ("that isn't great", "that is great"),
        ("das ist nicht gut", "das ist gut"),
    ],
)
def test_a_negation_flips_the_word(negated, plain):
    negated_scores, plain_scores = features(negated), features(plain)

    assert (negated_scores["positive"] > 0) == (plain_scores["negative"] > 0)
    assert (negated_scores["negative"] > 0) == (plain_scores["positive"] > 0)
    assert all(negated_scores[name] == 0 for name in ("anger", "fear", "sadness", "confusion"))


@pytest.mark.parametrize(
    "intensified, plain", [("really bad", "bad"), ("echt schlecht", "schlecht"), ("so gut", "gut")]
)
def test_an_intensifier_strengthens_the_word(intensified, plain):
    assert max(features(intensified).values()) > max(features(plain).values())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12345",
        "Bestellnummer 40010012",
        "Wir sind gestern nach Hamburg gefahren",
        "I'd like to change my address",
        "the parcel shop is on Main Street",
        # Words of the other language and compounds that a too-short prefix would catch:
        "Mein Freund holt das Paket ab",  # not "freu*" (joy)
        "Das Kind hat einige Fragen",  # not English "kind", not "einig*" (agreement)
        "Im Flur ist es hell und der Zug ist fast da",  # not English "hell" or "fast"
        "Ich habe die Frage auf gutefrage gestellt",  # not "gute*"
        "I'm painting the fence, then buying crypto",  # not "pain*" or "cry*"
    ],
)
def test_plain_text_scores_nothing(text):
    assert set(features(text).values()) == {0.0}


def minimal(**changes) -> dict:
    raw = {
        "schema": "emotion-lexicon.v1",
        "negations": {"en": ["not"]},
        "intensifiers": {"en": ["very"]},
        "positive": {"en": ["good"]},
        "anger": {"en": ["bad"]},
        "fear": {"en": []},
        "sadness": {"en": []},
        "confusion": {"en": []},
    }
    return {**raw, **changes}


@pytest.mark.parametrize(
    "raw, message",
    [
        (minimal(schema="other"), "schema"),
        (minimal(fear=None), "fear"),
        (minimal(anger={"en": ["good"]}), "both positive and negative"),
    ],
)
def test_a_broken_lexicon_file_fails_loudly(raw, message):
    with pytest.raises(LexiconError, match=message):
        lexicon_from_dict(raw)
