"""The sentence-encoder featurizer: dense features for DIET, and one embedding per message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.sentence_features import (
    SENTENCE_EMBEDDING,
    SentenceEncoderFeaturizer,
    encoder_id,
    stored_embedding,
    token_states,
)

ENCODER_DIR = Path(__file__).resolve().parents[3] / "models" / "encoder" / "all-MiniLM-L6-v2"


def test_each_token_gets_the_mean_of_its_word_pieces():
    tokens = [Token("unbelievable", 0), Token("ok", 13)]
    offsets = [(0, 0), (0, 2), (2, 12), (13, 15), (0, 0)]  # [CLS] un ##believable ok [SEP]
    states = np.arange(10, dtype=np.float32).reshape(5, 2)
    rows = token_states(tokens, offsets, states, fallback=np.array([-1.0, -1.0], dtype=np.float32))
    assert rows.tolist() == [[3.0, 4.0], [6.0, 7.0]]


def test_when_the_pieces_no_longer_line_up_every_token_gets_the_sentence_vector():
    tokens = [Token("a", 0), Token("b", 2)]
    rows = token_states(tokens, [(0, 1)], np.zeros((3, 2), dtype=np.float32), np.array([1.0, 2.0]))
    assert rows.tolist() == [[1.0, 2.0], [1.0, 2.0]]


@pytest.fixture(scope="module")
def featurize():
    if not (ENCODER_DIR / "manifest.json").is_file():
        pytest.fail("the encoder is not exported: .venv/bin/python scripts/emotion/export_encoder.py")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = SentenceEncoderFeaturizer({"sequence_features": True}, "sentence_features")

    def run(text: str) -> Message:
        message = Message(data={TEXT: text})
        tokenizer.process([message])
        featurizer.process([message])
        return message

    return run


def test_a_message_gets_unit_length_sentence_features_and_one_vector_per_token(featurize):
    message = featurize("I can't get into my account")
    sequence, sentence = message.get_dense_features(TEXT)
    assert sentence.features.shape == (1, 384)
    assert np.linalg.norm(sentence.features) == pytest.approx(1.0, abs=1e-3)
    assert sequence.features.shape == (len(message.get("text_tokens")), 384)
    stored = message.get(SENTENCE_EMBEDDING)
    assert np.allclose(stored["vector"], sentence.features[0])


def test_meaning_is_closer_than_words(featurize):
    def vector(text: str) -> np.ndarray:
        return featurize(text).get(SENTENCE_EMBEDDING)["vector"]

    forgot = vector("I forgot my password")
    locked = vector("the sign-in keeps rejecting me and I no longer know my login")
    weather = vector("will it rain in Lisbon tomorrow")
    assert float(forgot @ locked) > float(forgot @ weather) + 0.1


def test_empty_text_is_left_alone(featurize):
    message = featurize("")
    assert message.get(SENTENCE_EMBEDDING) is None
    assert message.get_dense_features(TEXT) == (None, None)


def test_an_embedding_from_another_encoder_is_not_reused(featurize):
    message = featurize("hello")
    settings = {**SentenceEncoderFeaturizer.get_default_config()}
    assert stored_embedding(message, encoder_id(settings)) is not None
    assert stored_embedding(message, encoder_id({**settings, "quantized": False})) is None


def test_training_data_in_one_batch_gets_the_features_a_single_message_gets():
    from rasa.shared.nlu.training_data.training_data import TrainingData

    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = SentenceEncoderFeaturizer({}, "sentence_features")
    texts = ["where is my order", "ich habe mein Passwort vergessen", "Where is my order?", ""]
    examples = [Message(data={TEXT: text}) for text in texts]
    tokenizer.process(examples)
    featurizer.process_training_data(TrainingData(training_examples=examples))
    for text, example in zip(texts[:3], examples):
        single = Message(data={TEXT: text})
        tokenizer.process([single])
        featurizer.process([single])
        batch_sentence = example.get_dense_features(TEXT)[1].features
        np.testing.assert_allclose(batch_sentence, single.get_dense_features(TEXT)[1].features, atol=1e-6)
        np.testing.assert_allclose(example.get("sentence_embedding")["vector"], batch_sentence[0], atol=1e-6)
    assert examples[3].get_dense_features(TEXT) == (None, None)
