"""LanguageDetector: English or German when the message shows it, nothing when it does not."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from bot.components.language_detector import LanguageDetector

DetectorFactory = Callable[[Dict[str, Any]], LanguageDetector]


@pytest.fixture
def create_detector(tmp_path: Path) -> DetectorFactory:
    def create(config: Dict[str, Any]) -> LanguageDetector:
        return LanguageDetector.create(
            {**LanguageDetector.get_default_config(), **config},
            LocalModelStorage(tmp_path),
            Resource("language_detector"),
            ExecutionContext(graph_schema=None, model_id="test"),  # type: ignore[arg-type]
        )

    return create


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hallo, wo ist mein Paket?", "de"),
        ("Ich habe mein Passwort vergessen", "de"),
        ("moin", "de"),
        ("danke dir!", "de"),
        ("Mein Paket ist kaputt!!!", "de"),
        ("where is my parcel", "en"),
        ("I forgot my password", "en"),
        ("thanks", "en"),
        ("Why was I charged twice??", "en"),
    ],
)
def test_detects_the_language_of_clear_messages(create_detector: DetectorFactory, text: str, language: str) -> None:
    message = Message(data={"text": text})
    create_detector({}).process([message])
    assert message.get("language")["code"] == language
    assert 0 < message.get("language")["confidence"] <= 1


@pytest.mark.parametrize(
    "text",
    ["40010002", "ok", "😡😡😡", "", "   ", "C100001", "\x00\x01\x02", "'; DROP TABLE orders; --", "我的包裹在哪里"],
)
def test_says_nothing_when_the_message_shows_no_language(create_detector: DetectorFactory, text: str) -> None:
    message = Message(data={"text": text})
    create_detector({}).process([message])
    assert message.get("language") is None


def test_long_messages_are_read_only_up_to_the_limit(create_detector: DetectorFactory) -> None:
    text = "Ich habe eine Frage zu meiner Bestellung. " + "the order and the parcel " * 2000
    message = Message(data={"text": text})
    create_detector({"max_chars": 42}).process([message])
    assert message.get("language")["code"] == "de"


def test_output_is_on_the_parse_data_and_other_output_is_kept(create_detector: DetectorFactory) -> None:
    message = Message(data={"text": "wo ist meine Bestellung", "intent": {"name": "order_status", "confidence": 0.9}})
    message.set("entities", [{"entity": "order_number", "value": "40010001"}], add_to_output=True)
    create_detector({}).process([message])
    parsed = message.as_dict(only_output_properties=True)
    assert parsed["language"]["code"] == "de"
    assert parsed["entities"] == [{"entity": "order_number", "value": "40010001"}]
    assert message.get("intent") == {"name": "order_status", "confidence": 0.9}


def test_a_missing_cues_file_degrades_with_a_warning(
    create_detector: DetectorFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    detector = create_detector({"cues_file": str(tmp_path / "missing.yml")})
    message = Message(data={"text": "wo ist mein Paket"})
    detector.process([message])
    assert message.get("language") is None
    assert "detection is off" in caplog.text


def test_custom_cues_file_is_used(create_detector: DetectorFactory, tmp_path: Path) -> None:
    cues = tmp_path / "cues.yml"
    cues.write_text("en: [parcel]\nde: [paket, päckchen]\n")
    message = Message(data={"text": "päckchen"})
    create_detector({"cues_file": str(cues)}).process([message])
    assert message.get("language")["code"] == "de"
