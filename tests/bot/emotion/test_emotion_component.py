"""The EmotionClassifier as Rasa uses it: create → train → persist → load → process."""

from __future__ import annotations

import math
import time
import warnings

import pytest

pytest.importorskip("rasa")

from rasa.shared.nlu.constants import ENTITIES, INTENT  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from bot.components.emotion_classifier import EMOTION, EmotionClassifier  # noqa: E402
from bot.emotion.runtime import EmotionConfigError  # noqa: E402
from contracts.emotion.taxonomy import load_taxonomy  # noqa: E402

from emotion_test_data import write_emotion_data  # noqa: E402

LABELS = load_taxonomy().names
SAMPLE_TEXTS = [
    "WHERE IS MY PARCEL?? third time I'm asking!!!",
    "thank you so much, it works now 😊",
    "Ich mache mir Sorgen, dass die Zahlung doppelt abgebucht wurde",
    "why was I charged twice? I don't get it",
    "I'd like to change my delivery address",
    "das Geschenk kam kaputt an, ich bin so enttäuscht",
]


def messages(*texts):
    return [Message.build(text=text) for text in texts]


def emotions(classifier, texts):
    return [message.get(EMOTION) for message in classifier.process(messages(*texts))]


@pytest.mark.parametrize("quantized", [True, False])
def test_train_persist_load_gives_identical_predictions(create_emotion_classifier, load_emotion_classifier, quantized):
    trained = create_emotion_classifier({"quantized": quantized})
    trained.train(TrainingData())
    before = emotions(trained, SAMPLE_TEXTS)

    loaded = load_emotion_classifier({"quantized": quantized})
    after = emotions(loaded, SAMPLE_TEXTS)

    assert after == before


def test_every_message_gets_the_documented_emotion_shape(trained_emotion_classifier):
    classifier = trained_emotion_classifier

    for emotion in emotions(classifier, SAMPLE_TEXTS):
        assert set(emotion) == {"label", "confidence", "intensity", "scores"}
        assert emotion["label"] in LABELS
        assert list(emotion["scores"]) == LABELS
        assert math.isclose(sum(emotion["scores"].values()), 1.0, abs_tol=1e-3)
        assert emotion["confidence"] == max(emotion["scores"].values())
        assert 0.0 <= emotion["intensity"] <= 1.0


def test_emotion_is_part_of_the_parse_output(trained_emotion_classifier):
    classifier = trained_emotion_classifier
    message = classifier.process(messages("I am really angry about this delay!!"))[0]

    assert EMOTION in message.as_dict(only_output_properties=True)


def test_leaves_intent_entities_and_other_output_intact(trained_emotion_classifier):
    classifier = trained_emotion_classifier
    intent = {"name": "order_status", "confidence": 0.93}
    entities = [
        {"entity": "order_number", "value": "40010002", "start": 13, "end": 21, "extractor": "RegexEntityExtractor"}
    ]
    message = Message.build(text="where is order 40010002?!")
    message.set(INTENT, intent, add_to_output=True)
    message.set(ENTITIES, entities, add_to_output=True)
    message.set("intent_ranking", [intent], add_to_output=True)
    before = {key: value for key, value in message.as_dict(only_output_properties=True).items()}

    classifier.process([message])

    after = message.as_dict(only_output_properties=True)
    assert {key: value for key, value in after.items() if key != EMOTION} == before
    assert after[INTENT] == {"name": "order_status", "confidence": 0.93}
    assert after[ENTITIES] == entities


def test_intensity_follows_cues_for_the_same_complaint(trained_emotion_classifier):
    classifier = trained_emotion_classifier
    calm, loud = emotions(
        classifier,
        [
            "my refund has not arrived yet",
            "MY REFUND HAS NOT ARRIVED YET!!! third time I'm asking, damn it",
        ],
    )

    assert loud["intensity"] > calm["intensity"] + 0.2


def test_button_payloads_carry_no_emotion_evidence(trained_emotion_classifier):
    classifier = trained_emotion_classifier

    (emotion,) = emotions(classifier, ["/affirm"])

    assert emotion["label"] == "neutral"
    assert emotion["confidence"] == 0.0


BAD_INPUTS = {
    "empty": "",
    "whitespace": "   \n\t ",
    "emoji only": "😡😡😡",
    "neutral emoji": "📦",
    "ten thousand characters": "x" * 10_000,
    "ten thousand characters of text": ("Where is my order? I have been waiting. " * 260)[:10_000],
    "cyrillic": "Где мой заказ? Я жду уже две недели.",
    "chinese": "我的包裹在哪里？我已经等了两个星期了。",
    "arabic": "أين طلبي؟ أنا أنتظر منذ أسبوعين",
    "binary junk": bytes(range(256)).decode("latin-1"),
    "replacement characters": "\ufffd" * 50,
    "lone surrogate": "refund \ud800 please",
    "control characters": "\x00\x01\x02\x1b[31m",
    "digits only": "40010002",
}


@pytest.mark.parametrize("text", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_neutral_or_low_confidence_and_never_crashes(trained_emotion_classifier, text):
    classifier = trained_emotion_classifier
    message = Message.build(text=text)
    message.set(INTENT, {"name": "nlu_fallback", "confidence": 0.3}, add_to_output=True)

    started = time.perf_counter()
    classifier.process([message])
    elapsed = time.perf_counter() - started

    emotion = message.get(EMOTION)
    assert emotion["label"] in LABELS
    assert emotion["label"] == "neutral" or emotion["confidence"] <= 0.6
    assert 0.0 <= emotion["intensity"] <= 1.0
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 0.3}
    assert elapsed < 2.0


@pytest.mark.parametrize(
    "text, expected", [("😡😡", "frustrated"), ("🙏😰", "anxious"), ("😢", "sad"), ("🎉👍", "happy")]
)
def test_emoji_only_messages_follow_their_emoji(trained_emotion_classifier, text, expected):
    classifier = trained_emotion_classifier

    (emotion,) = emotions(classifier, [text])

    assert emotion["label"] == expected
    assert emotion["confidence"] <= 0.6


def test_missing_encoder_degrades_with_a_warning(create_emotion_classifier, tmp_path):
    classifier = create_emotion_classifier({"encoder_path": str(tmp_path / "nowhere")})

    with pytest.warns(UserWarning, match="could not be trained"):
        classifier.train(TrainingData())
    with pytest.warns(UserWarning, match="no usable model"):
        (emotion,) = emotions(classifier, ["WHY IS NOTHING WORKING!!!"])

    assert emotion["label"] == "neutral"
    assert emotion["confidence"] == 0.0
    assert emotion["intensity"] > 0.3  # the cues still read the shouting


def test_missing_training_data_degrades_with_a_warning(create_emotion_classifier, tmp_path):
    classifier = create_emotion_classifier({"training_data": str(tmp_path / "no_data")})

    with pytest.warns(UserWarning, match="could not be trained"):
        classifier.train(TrainingData())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (emotion,) = emotions(classifier, ["hello"])

    assert emotion == {
        "label": "neutral",
        "confidence": 0.0,
        "intensity": 0.0,
        "scores": {label: float(label == "neutral") for label in LABELS},
    }


def test_loading_without_a_persisted_head_degrades_with_a_warning(load_emotion_classifier):
    with pytest.warns(UserWarning, match="Failed to load the emotion head"):
        classifier = load_emotion_classifier(resource_name="never_trained")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (emotion,) = emotions(classifier, ["I love it, thanks!"])

    assert emotion["label"] == "neutral"
    assert emotion["confidence"] == 0.0


def test_transformers_backend_without_export_fails_training_with_the_command(create_emotion_classifier, tmp_path):
    classifier = create_emotion_classifier(
        {"backend": "transformers", "model": "some-org/emotion-model", "export_dir": str(tmp_path)}
    )

    with pytest.raises(EmotionConfigError, match="export_hf_classifier.py --model some-org/emotion-model"):
        classifier.train(TrainingData())


def test_transformers_backend_needs_a_model_name(create_emotion_classifier):
    with pytest.raises(EmotionConfigError, match="needs `model"):
        create_emotion_classifier({"backend": "transformers"})


def test_fingerprint_changes_when_the_emotion_examples_change(tmp_path):
    data = write_emotion_data(tmp_path / "data")
    config = {**EmotionClassifier.get_default_config(), "training_data": str(data)}
    first = EmotionClassifier.fingerprint_addon(config)

    assert EmotionClassifier.fingerprint_addon(config) == first
    with (data / "en" / "happy.yml").open("a", encoding="utf-8") as handle:
        handle.write("- cheers, that was quick\n")
    assert EmotionClassifier.fingerprint_addon(config) != first
