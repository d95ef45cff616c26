"""The emotion of every message reaches Rasa's parse result and the conversation state."""

from __future__ import annotations

import httpx
import pytest

from launcher.settings import LauncherSettings
from tests.support.rasa_api import rasa_api_auth


def parse(settings: LauncherSettings, text: str) -> dict:
    response = httpx.post(
        f"{settings.rasa_url}/model/parse", json={"text": text}, timeout=30, auth=rasa_api_auth(settings)
    )
    response.raise_for_status()
    return response.json()


@pytest.mark.parametrize(
    ("text", "label", "language"),
    [
        ("THIS IS THE THIRD TIME I'M ASKING!!! Where is my parcel???", "frustrated", "en"),
        ("Ich mache mir echt Sorgen, kommt das Geschenk noch rechtzeitig zum Geburtstag?", "anxious", "de"),
        ("Thank you so much, that was really helpful!", "happy", "en"),
        ("Ich möchte meine Lieferadresse ändern.", "neutral", "de"),
    ],
)
def test_parse_carries_emotion_and_language(
    system, settings: LauncherSettings, text: str, label: str, language: str
) -> None:
    parsed = parse(settings, text)
    emotion = parsed["emotion"]
    assert emotion["label"] == label
    assert 0 <= emotion["intensity"] <= 1 and 0 < emotion["confidence"] <= 1
    assert set(emotion["scores"]) >= {"neutral", "frustrated", "anxious", "sad", "confused", "happy"}
    assert parsed["language"]["code"] == language
    assert parsed["intent"]["name"]  # the intent is still there


def test_shouting_reads_as_more_intense_than_the_same_words_calmly(system, settings: LauncherSettings) -> None:
    calm = parse(settings, "this is the third time i am asking about my refund")
    loud = parse(settings, "THIS IS THE THIRD TIME I AM ASKING ABOUT MY REFUND!!!")
    assert loud["emotion"]["intensity"] > calm["emotion"]["intensity"]


def test_distress_builds_up_over_an_angry_conversation(conversation) -> None:
    chat = conversation()
    chat.text("hi, where is my order?")
    calm_level = chat.slot("distress_level") or 0.0
    chat.text("It was supposed to arrive last week and it still isn't here!")
    chat.text("This is ridiculous, I've been waiting forever, I'm so angry!!!")
    assert chat.slot("emotion") == "frustrated"
    assert chat.slot("distress_level") > calm_level
    assert chat.slot("distress_trend") == "rising"
