"""Language heads: each message is read by its language's head, the joint head covers the rest.

The unit tests build data where one feature means opposite things in two languages, so a head
that ignored the language could not get both right. The component tests check that the
LanguageDetector's reading on the message picks the head, and that a model survives persist → load.
"""

from __future__ import annotations

import numpy as np
import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.language_detector import LANGUAGE_PROPERTY
from bot.emotion.head import HeadError, HeadSettings, LinearEmotionHead, train_head
from bot.emotion.language_heads import LANGUAGES_FOLDER, LanguageRoutedHead, LanguageSettings, train_routed_head

LABELS = ["neutral", "frustrated"]
SETTINGS = HeadSettings(char_ngrams=False, lexicon_weight=0.0, regularisation_c=1.0)


def opposite_languages(per_language: int = 60, seed: int = 3):
    """Feature 0 high means frustrated in English and neutral in German."""
    rng = np.random.default_rng(seed)
    embeddings, labels, languages = [], [], []
    for language, frustrated_sign in (("en", 1.0), ("de", -1.0)):
        for index in range(per_language):
            label = LABELS[index % 2]
            row = rng.normal(0.0, 0.1, 4)
            row[0] = (1.0 if label == "frustrated" else -1.0) * frustrated_sign + rng.normal(0.0, 0.2)
            embeddings.append(row)
            labels.append(label)
            languages.append(language)
    texts = [f"text {index}" for index in range(len(labels))]
    return np.asarray(embeddings, dtype=np.float32), np.zeros((len(labels), 0)), texts, labels, languages


def routed(min_examples: int = 20, enabled: bool = True) -> LanguageRoutedHead:
    embeddings, cues, texts, labels, languages = opposite_languages()
    return train_routed_head(
        embeddings, cues, texts, labels, languages, LABELS, SETTINGS, LanguageSettings(enabled, 0.5, min_examples)
    )


HIGH = np.array([[1.0, 0.0, 0.0, 0.0]], dtype=np.float32)


def label_for(head: LanguageRoutedHead, language) -> str:
    return LABELS[int(np.argmax(head.predict_proba(HIGH, np.zeros((1, 0)), ["x"], [language])[0]))]


def test_each_language_is_read_by_its_own_head():
    head = routed()

    assert sorted(head.by_language) == ["de", "en"]
    assert label_for(head, "en") == "frustrated"
    assert label_for(head, "de") == "neutral"


def test_unknown_or_missing_language_uses_the_joint_head():
    head = routed()
    joint = head.joint.predict_proba(HIGH, np.zeros((1, 0)), ["x"])

    for language in (None, "fr", ""):
        assert np.allclose(head.predict_proba(HIGH, np.zeros((1, 0)), ["x"], [language]), joint)
    assert np.allclose(head.predict_proba(HIGH, np.zeros((1, 0)), ["x"]), joint)


def test_a_batch_of_mixed_languages_keeps_its_order():
    head = routed()
    batch = np.vstack([HIGH, HIGH, HIGH])

    probabilities = head.predict_proba(batch, np.zeros((3, 0)), ["a", "b", "c"], ["de", None, "en"])

    assert [LABELS[i] for i in probabilities.argmax(axis=1)] == ["neutral", label_for(head, None), "frustrated"]
    assert np.allclose(probabilities.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    "min_examples, enabled, expected",
    [(20, True, ["de", "en"]), (61, True, []), (20, False, [])],
)
def test_languages_without_enough_examples_get_no_head(min_examples, enabled, expected):
    assert sorted(routed(min_examples, enabled).by_language) == expected


def test_a_language_missing_a_label_gets_no_head():
    embeddings, cues, texts, labels, languages = opposite_languages()
    # German keeps only its neutral examples.
    keep = [i for i, (label, language) in enumerate(zip(labels, languages)) if language == "en" or label == "neutral"]
    head = train_routed_head(
        embeddings[keep],
        cues[keep],
        [texts[i] for i in keep],
        [labels[i] for i in keep],
        [languages[i] for i in keep],
        LABELS,
        SETTINGS,
        LanguageSettings(True, 0.5, 20),
    )

    assert sorted(head.by_language) == ["en"]


def test_persist_and_load_give_the_same_probabilities(tmp_path):
    head = routed()
    head.save(tmp_path)
    loaded = LanguageRoutedHead.load(tmp_path)
    batch = np.vstack([HIGH, -HIGH])

    assert sorted(loaded.by_language) == ["de", "en"]
    assert (tmp_path / LANGUAGES_FOLDER / "de" / "head.json").is_file()
    for language in ("en", "de", None):
        assert np.allclose(
            loaded.predict_proba(batch, np.zeros((2, 0)), ["a", "b"], [language] * 2),
            head.predict_proba(batch, np.zeros((2, 0)), ["a", "b"], [language] * 2),
        )


def test_a_plain_head_from_an_older_model_loads_without_language_heads(tmp_path):
    embeddings, cues, texts, labels, _ = opposite_languages()
    plain = train_head(embeddings, cues, texts, labels, LABELS, SETTINGS)
    plain.save(tmp_path)

    loaded = LanguageRoutedHead.load(tmp_path)

    assert loaded.by_language == {}
    assert np.allclose(
        loaded.predict_proba(HIGH, np.zeros((1, 0)), ["x"], ["de"]), plain.predict_proba(HIGH, np.zeros((1, 0)), ["x"])
    )


def test_language_heads_that_do_not_fit_are_refused():
    head = routed()
    other_labels = LinearEmotionHead(
        labels=["neutral", "happy"],
        settings=SETTINGS,
        embedding_dim=4,
        coef=np.zeros((2, 4), dtype=np.float32),
        intercept=np.zeros(2, dtype=np.float32),
    )

    with pytest.raises(HeadError, match="does not fit"):
        LanguageRoutedHead(head.joint, {"de": other_labels})
    with pytest.raises(HeadError, match="language code"):
        LanguageRoutedHead(head.joint, {"../etc": head.joint})


def test_a_damaged_language_head_fails_loading_with_a_clear_error(tmp_path):
    routed().save(tmp_path)
    (tmp_path / LANGUAGES_FOLDER / "de" / "head.npz").write_bytes(b"not a numpy archive")

    with pytest.raises(HeadError, match="cannot read"):
        LanguageRoutedHead.load(tmp_path)


def test_one_language_per_text_is_required():
    with pytest.raises(ValueError, match="2 languages for 1 texts"):
        routed().predict_proba(HIGH, np.zeros((1, 0)), ["x"], ["en", "de"])


# -- in the Rasa component ---------------------------------------------------------------------
GERMAN_COMPLAINT = "Das ist jetzt schon das dritte Mal, dass die Lieferung nicht kommt"


def with_language(text: str, code=None) -> Message:
    message = Message.build(text=text)
    if code:
        message.set(LANGUAGE_PROPERTY, {"code": code, "confidence": 0.9})
    return message


def test_the_component_reads_each_message_with_its_detected_language(create_emotion_classifier):
    classifier = create_emotion_classifier({"language_head_min_examples": 5})
    classifier.train(TrainingData())
    head = classifier._head
    assert sorted(head.by_language) == ["de", "en"]

    german, unknown = classifier.process([with_language(GERMAN_COMPLAINT, "de"), with_language(GERMAN_COMPLAINT)])

    predictor = classifier._ensure_predictor()
    expected_german = predictor.predict([GERMAN_COMPLAINT], ["de"])[0].as_dict()
    expected_joint = predictor.predict([GERMAN_COMPLAINT], [None])[0].as_dict()
    assert german.get("emotion") == expected_german
    assert unknown.get("emotion") == expected_joint
    assert expected_german["scores"] != expected_joint["scores"]


def test_language_heads_survive_persist_and_load(create_emotion_classifier, load_emotion_classifier):
    config = {"language_head_min_examples": 5}
    trained = create_emotion_classifier(config)
    trained.train(TrainingData())
    loaded = load_emotion_classifier(config)

    assert sorted(loaded._head.by_language) == ["de", "en"]
    for code in ("de", "en", None):
        before = trained.process([with_language(GERMAN_COMPLAINT, code)])[0].get("emotion")
        after = loaded.process([with_language(GERMAN_COMPLAINT, code)])[0].get("emotion")
        assert after == before


def test_a_malformed_language_on_the_message_falls_back_to_the_joint_head(create_emotion_classifier):
    classifier = create_emotion_classifier({"language_head_min_examples": 5})
    classifier.train(TrainingData())
    joint = classifier.process([with_language(GERMAN_COMPLAINT)])[0].get("emotion")

    for odd in ("de", {"code": 7}, {"confidence": 1.0}, ["de"]):
        message = Message.build(text=GERMAN_COMPLAINT)
        message.set(LANGUAGE_PROPERTY, odd)
        assert classifier.process([message])[0].get("emotion") == joint
