"""InputGuard: wordless and unknown input becomes nlu_fallback; normal messages are untouched."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.input_guard import InputGuard

TRAINING_TEXTS = [
    "where is my order",
    "I forgot my password",
    "wo ist meine Bestellung",
    "ich habe mein Passwort vergessen",
    "you charged me twice",
    "can I pay with paypal",
    "my parcel has not arrived yet",
    "hello",
    "yes please",
]


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


@pytest.fixture
def trained_guard(storage: LocalModelStorage) -> Callable[[Dict[str, Any]], InputGuard]:
    def create(config: Dict[str, Any]) -> InputGuard:
        guard = InputGuard.create(
            {**InputGuard.get_default_config(), **config},
            storage,
            Resource("guard"),
            ExecutionContext(graph_schema=None, model_id="t"),
        )  # type: ignore[arg-type]
        guard.train(TrainingData([Message(data={"text": t, "intent": "x"}) for t in TRAINING_TEXTS]))
        return guard

    return create


def classified(text: str, intent: str = "affirm") -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.99}, add_to_output=True)
    message.set("intent_ranking", [{"name": intent, "confidence": 0.99}], add_to_output=True)
    return message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no_words"),
        ("   ", "no_words"),
        ("🙈🙈🙈", "no_words"),
        ("?!?!", "no_words"),
        ("\x00\x01\x02", "no_words"),
        ("'; DROP TABLE customers; --", "unknown_words"),
        ("<script>alert('x')</script>", "unknown_words"),
        ("lorem ipsum dolor sit amet " * 400, "unknown_words"),
    ],
)
def test_input_the_model_cannot_know_falls_back(trained_guard, text: str, reason: str) -> None:
    message = classified(text)
    trained_guard({}).process([message])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert message.get("input_guard") == {"reason": reason}
    # The original guess stays in the ranking, behind the fallback.
    assert [r["name"] for r in message.get("intent_ranking")] == ["nlu_fallback", "affirm"]


@pytest.mark.parametrize(
    "text",
    [
        "where is my order 40010002",
        "wo ist meine Bestellung?",
        "7315",
        "ok",
        "james.carter@example.com",
        "yes please, my parcel has not arrived",
        "C100001",
    ],
)
def test_normal_messages_keep_their_intent(trained_guard, text: str) -> None:
    message = classified(text, "order_status")
    trained_guard({}).process([message])
    assert message.get("intent")["name"] == "order_status"
    assert message.get("input_guard") is None


def test_vocabulary_survives_persist_and_load(trained_guard, storage: LocalModelStorage) -> None:
    trained_guard({})
    loaded = InputGuard.load(
        InputGuard.get_default_config(), storage, Resource("guard"), ExecutionContext(graph_schema=None, model_id="t")
    )  # type: ignore[arg-type]
    messages: List[Message] = [classified("'; DROP TABLE customers; --"), classified("where is my parcel")]
    loaded.process(messages)
    assert [m.get("intent")["name"] for m in messages] == ["nlu_fallback", "affirm"]


def test_missing_vocabulary_degrades_to_the_wordless_check(
    storage: LocalModelStorage, caplog: pytest.LogCaptureFixture
) -> None:
    guard = InputGuard.load(
        InputGuard.get_default_config(),
        storage,
        Resource("never-trained"),
        ExecutionContext(graph_schema=None, model_id="t"),
    )  # type: ignore[arg-type]
    messages = [classified("🙈"), classified("completely unknown words here")]
    guard.process(messages)
    assert [m.get("intent")["name"] for m in messages] == ["nlu_fallback", "affirm"]
    assert "no vocabulary" in caplog.text
