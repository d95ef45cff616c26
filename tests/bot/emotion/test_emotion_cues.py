"""Cue-based intensity in English and German, and how it combines with the model."""

from __future__ import annotations

import numpy as np
import pytest

from bot.emotion.cues import combine_intensity, load_cues
from bot.emotion.predictor import EmotionPredictor
from contracts.emotion.taxonomy import load_taxonomy

CUES = load_cues()

CUE_TABLE = [
    # text, cue that must fire
    ("WHERE IS MY ORDER", "shouting"),
    ("I want my money back NOW", "shouting"),
    ("ICH WARTE SEIT EINER WOCHE", "shouting"),
    ("still nothing!!!", "exclamations"),
    ("Das kann doch nicht wahr sein!!", "exclamations"),
    ("what???", "questions"),
    ("wie bitte???", "questions"),
    ("this is damn annoying", "swearing"),
    ("what the fuck is going on", "swearing"),
    ("so ein Scheißladen", "swearing"),
    ("verdammt nochmal", "swearing"),
    ("I am really, extremely annoyed", "intensifiers"),
    ("ich bin echt total genervt", "intensifiers"),
    ("This is the third time I'm asking", "repeated_contact"),
    ("how many times do I have to call you", "repeated_contact"),
    ("still no refund", "repeated_contact"),
    ("I've called you three times already", "repeated_contact"),
    ("Ich frage zum dritten Mal nach", "repeated_contact"),
    ("schon wieder kein Paket", "repeated_contact"),
    ("immer noch keine Antwort", "repeated_contact"),
    ("wie oft denn noch", "repeated_contact"),
    ("ich habe schon dreimal angerufen", "repeated_contact"),
    ("pleeeease help", "elongation"),
    ("bitteeee", "elongation"),
    ("thanks 😊", "emoji"),
    ("na toll 🙄", "emoji"),
]


@pytest.mark.parametrize("text, cue", CUE_TABLE)
def test_cue_is_found(text, cue):
    assert CUES.read(text).scores[cue] > 0.0


CALM_TABLE = [
    "I'd like to change my delivery address",
    "Ich möchte meine Lieferadresse ändern",
    "My order from DHL, tracking PDF attached",
    "Mein PIN und meine IBAN stimmen nicht",
    "see https://example.com/help:/faq",
    "Can you help me with my password?",
    "Was kostet der Versand nach Österreich?",
]


@pytest.mark.parametrize("text", CALM_TABLE)
def test_calm_messages_raise_no_intensity(text):
    assert CUES.boost(CUES.read(text)) < 0.15


@pytest.mark.parametrize(
    "calmer, louder",
    [
        ("where is my order", "where is my order!!"),
        ("where is my order!!", "WHERE IS MY ORDER!!!"),
        ("WHERE IS MY ORDER!!!", "WHERE IS MY DAMN ORDER!!! third time I'm asking"),
        ("wo ist meine Bestellung", "wo ist meine Bestellung?!"),
        ("wo ist meine Bestellung?!", "WO IST MEINE BESTELLUNG?! Ich frage zum dritten Mal"),
        (
            "WO IST MEINE BESTELLUNG?! Ich frage zum dritten Mal",
            "WO IST MEINE VERDAMMTE BESTELLUNG?! Ich frage zum dritten Mal",
        ),
    ],
)
def test_more_cues_mean_more_intensity(calmer, louder):
    assert CUES.boost(CUES.read(louder)) > CUES.boost(CUES.read(calmer))


def test_emoji_vote_for_their_emotion():
    reading = CUES.read("ok 😡 😢😢")

    assert reading.emoji_votes["frustrated"] > 0
    assert reading.emoji_votes["sad"] > reading.emoji_votes["frustrated"]
    assert "happy" not in reading.emoji_votes


def test_text_emoticons_count_only_as_separate_tokens():
    assert CUES.read("thanks :)").emoji_votes == {"happy": 0.6}
    assert CUES.read("https://shop.example.com:/path").emoji_votes == {}


@pytest.mark.parametrize("model_part, cue_boost", [(0.0, 0.0), (0.5, 0.0), (0.0, 0.5), (0.9, 0.9), (1.0, 1.0)])
def test_combined_intensity_stays_in_range_and_never_falls_below_either_part(model_part, cue_boost):
    combined = combine_intensity(model_part, cue_boost)

    assert 0.0 <= combined <= 1.0
    assert combined >= max(model_part, cue_boost) - 1e-9


class FixedScorer:
    """A stand-in model that always gives the same scores, to isolate the cue effect."""

    def __init__(self, scores):
        self.scores = np.asarray(scores, dtype=float)

    def score(self, texts, readings, languages=None):
        return np.tile(self.scores, (len(texts), 1))


def test_predictor_intensity_rises_with_cues_at_equal_model_scores():
    taxonomy = load_taxonomy()
    predictor = EmotionPredictor(taxonomy, CUES, FixedScorer([0.1, 0.7, 0.05, 0.05, 0.05, 0.05]))

    plain, loud = predictor.predict(["my refund is late", "MY REFUND IS LATE!!! zum dritten Mal, verdammt"])

    assert plain.label == loud.label == "frustrated"
    assert plain.confidence == loud.confidence
    assert loud.intensity > plain.intensity + 0.3
