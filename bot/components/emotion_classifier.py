"""Rasa NLU component: how does the customer feel? Adds `emotion` to every parsed user message.

Pipeline entry (after the tokenizer; its position among the classifiers does not matter, it
reads only the text and writes only the `emotion` key):

    - name: bot.components.emotion_classifier.EmotionClassifier

Every parse result (`/model/parse`, the tracker's `latest_message`) then carries

    "emotion": {"label": "frustrated", "confidence": 0.91, "intensity": 0.83,
                "scores": {"neutral": 0.02, "frustrated": 0.91, ...}}

Registered as an intent classifier so that Rasa trains it but does not run it over the whole NLU
training data during training (as it would a featurizer); it does not touch intents or entities.
The models and the cue logic live in `bot.emotion`; this class only adapts them to Rasa's graph.
See docs/emotion.md.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
import rasa.shared.utils.io

from bot.components.language_detector import LANGUAGE_PROPERTY
from bot.components.trained_component import TrainedComponent
from bot.emotion import runtime, vulnerability
from bot.emotion.data import EmotionDataError, data_fingerprint, load_yaml_dir
from bot.emotion.head import HeadError, LinearEmotionHead
from bot.emotion.language_heads import LanguageRoutedHead
from bot.emotion.onnx_bundle import BundleError
from bot.emotion.paths import resolve_repo_path
from bot.emotion.predictor import EmotionPredictor

logger = logging.getLogger(__name__)

EMOTION = "emotion"
# Set only when the message shows a vulnerable situation: {"kind": ..., "confidence": ...}.
VULNERABILITY = "vulnerability"
VULNERABILITY_FOLDER = "vulnerability"
# Texts starting with this are button payloads ("/affirm"), not words the customer typed.
INTENT_PAYLOAD_PREFIX = "/"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EmotionClassifier(TrainedComponent):
    """Classifies the emotion of each user message and estimates its intensity."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {
            # Which model scores the labels: "sentence_encoder" (the ONNX export of
            # all-MiniLM-L6-v2 plus a head trained on our examples at `rasa train`) or
            # "transformers" (an exported Hugging Face text-classification model, see `model`).
            "backend": "sentence_encoder",
            # Folder of the exported encoder (scripts/emotion/export_encoder.py), relative to
            # the repository root.
            "encoder_path": "models/encoder/all-MiniLM-L6-v2",
            # Use the int8-quantised encoder: about half the latency at the same accuracy on
            # our held-out data (numbers in docs/emotion.md). False uses the fp32 model.
            "quantized": True,
            # Longest input in tokens; longer messages keep their start and their end.
            "max_seq_length": 128,
            # onnxruntime threads per message; one keeps latency steady on a shared small CPU.
            "threads": 1,
            # Emotion examples (<dir>/<lang>/<label>.yml) the head is trained on.
            "training_data": "nlu_data/emotion",
            # A head trained elsewhere (scripts/emotion/train_head.py --out DIR). When set, it
            # is used as it is and `training_data` is ignored.
            "pretrained_head": None,
            # Weight of the cue features (shouting, "!!!", swearing, emoji, ...) in the head.
            "cue_scale": 1.0,
            # Add hashed character n-grams to the head's features: they carry German
            # inflections, compounds and typos that the English encoder reads poorly.
            "char_ngrams": True,
            # Weight of the n-gram block relative to the (unit-length) embedding.
            "ngram_weight": 2.0,
            # Weight of the valence lexicon's two scores (bot/emotion/lexicon.yml, English and
            # German words with negation); 0 leaves the lexicon out.
            "lexicon_weight": 2.0,
            # Neutral is the common case, so weak evidence for an emotion should not win
            # (docs/emotion.md, "Decision rule"): neutral's class weight in training, relative
            # to the balanced weights of the other labels ...
            "neutral_weight": 2.0,
            # ... and log-odds added to `neutral` when predicting (0: none).
            "neutral_bias": 0.0,
            # Inverse regularisation strength of the logistic regression.
            "regularisation_c": 2.0,
            # A head per language next to the joint one (bot/emotion/language_heads.py): the
            # LanguageDetector's reading of each message picks it; messages whose language it
            # cannot tell use the joint head.
            "language_heads": True,
            # Inverse regularisation of each language head (stronger: each sees one language).
            "language_regularisation_c": 0.5,
            # A language gets its own head from this many examples (and all labels) on.
            "language_head_min_examples": 500,
            # Seed of the head's solver, for reproducible training.
            "random_seed": 42,
            # backend "transformers": hub id or local path of the model. It must be exported
            # first: .venv/bin/python scripts/emotion/export_hf_classifier.py --model <model>
            "model": None,
            # Where exported transformers models are looked up (<export_dir>/<slug>).
            "export_dir": "models/emotion_hf",
            # The model's labels → our labels, for labels the taxonomy's Ekman and GoEmotions
            # tables do not know (e.g. {"LABEL_0": "neutral", "annoyed": "frustrated"}).
            "label_map": {},
            # Examples of vulnerable customers (bot/emotion/vulnerability.py); None switches the
            # detector off. A kind is reported from this probability on.
            "vulnerability_data": "nlu_data/vulnerability",
            "vulnerability_threshold": 0.45,
            # Inverse regularisation of the vulnerability head (its classes are few and distinct).
            "vulnerability_regularisation_c": 8.0,
            # Alternative taxonomy / cue files (None: contracts/emotion/taxonomy.yml, bot/emotion/cues.yml).
            "taxonomy_file": None,
            "cues_file": None,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        head: Optional[LanguageRoutedHead] = None,
        vulnerability_head: Optional[LinearEmotionHead] = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self._settings = runtime.settings_with_defaults(self._config)
        self._head = head
        self._predictor: Optional[EmotionPredictor] = None
        self._vulnerability_head = vulnerability_head
        self._vulnerability: Optional[vulnerability.VulnerabilityDetector] = None

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Retrain when the emotion examples, the encoder, the cue or taxonomy files change.

        They live outside Rasa's training data, so Rasa's cache would not notice otherwise.
        """
        settings = runtime.settings_with_defaults({**cls.get_default_config(), **config})
        folder = settings.get("vulnerability_data")
        extra = data_fingerprint(resolve_repo_path(folder)) if folder else "off"
        return f"{runtime.settings_fingerprint(settings)}:{extra}"

    @staticmethod
    def required_packages() -> List[Text]:
        """Any extra python dependencies required for this component to run."""
        return ["onnxruntime", "tokenizers"]

    # -- training -------------------------------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        """Trains the head on the emotion examples (not on `training_data`, the intent examples).

        The transformers backend has nothing to train; its export is checked here so that a
        missing export fails the training with the command that fixes it.
        """
        if self._settings["backend"] == runtime.BACKEND_TRANSFORMERS:
            runtime.load_hf_scorer(self._settings, runtime.taxonomy_for(self._settings))
            return self._resource
        try:
            self._head = self._obtain_head()
        except (BundleError, EmotionDataError, HeadError, runtime.EmotionConfigError) as error:
            rasa.shared.utils.io.raise_warning(
                f"The emotion classifier could not be trained ({error}). Messages will get "
                f"'neutral' with confidence 0 until it is trained."
            )
            return self._resource
        try:
            self._vulnerability_head = self._train_vulnerability()
        except (BundleError, EmotionDataError, HeadError, vulnerability.VulnerabilityDataError, OSError) as error:
            rasa.shared.utils.io.raise_warning(f"The vulnerability detector could not be trained ({error}).")
        self.persist()
        return self._resource

    def _obtain_head(self) -> LanguageRoutedHead:
        if self._settings.get("pretrained_head"):
            return LanguageRoutedHead.load(resolve_repo_path(self._settings["pretrained_head"]))
        data_dir = resolve_repo_path(self._settings["training_data"])
        taxonomy = runtime.taxonomy_for(self._settings)
        examples = load_yaml_dir(data_dir, taxonomy)
        encoder = runtime.load_encoder(self._settings)
        return runtime.train_head_on_examples(
            examples,
            encoder,
            taxonomy,
            runtime.cues_for(self._settings),
            self._settings,
            provenance={"trained_on": str(self._settings["training_data"])},
        )

    def _train_vulnerability(self) -> Optional[LinearEmotionHead]:
        if not self._settings.get("vulnerability_data"):
            return None
        examples = vulnerability.load_examples(resolve_repo_path(self._settings["vulnerability_data"]))
        taxonomy = runtime.taxonomy_for(self._settings)
        calm = [
            example.text
            for example in load_yaml_dir(resolve_repo_path(self._settings["training_data"]), taxonomy)
            if example.label in vulnerability.NEGATIVE_EMOTIONS
        ]
        settings = runtime.head_settings(
            {**self._settings, "regularisation_c": self._settings["vulnerability_regularisation_c"]}
        )
        return vulnerability.train(examples, calm, runtime.load_encoder(self._settings), settings)

    def persist(self) -> None:
        """Stores the heads with the model; the encoder is referenced by path, not copied."""
        if self._head is None:
            return
        with self._model_storage.write_to(self._resource) as model_dir:
            self._head.save(Path(model_dir))
            if self._vulnerability_head is not None:
                self._vulnerability_head.save(Path(model_dir) / VULNERABILITY_FOLDER)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EmotionClassifier:
        """Loads the trained component (see parent class for full docstring)."""
        head = vulnerability_head = None
        backend = {**cls.get_default_config(), **config}.get("backend")
        if backend != runtime.BACKEND_TRANSFORMERS:
            try:
                with model_storage.read_from(resource) as model_dir:
                    head = LanguageRoutedHead.load(Path(model_dir))
                    vulnerability_head = _load_optional_head(Path(model_dir) / VULNERABILITY_FOLDER)
            except (ValueError, FileNotFoundError, HeadError) as error:
                rasa.shared.utils.io.raise_warning(
                    f"Failed to load the emotion head from the model ({error}); messages will "
                    f"get 'neutral' with confidence 0. Retrain to fix this."
                )
        component = cls(config, model_storage, resource, head=head, vulnerability_head=vulnerability_head)
        # Load the encoder now, so that the first customer does not wait for it.
        component._ensure_predictor()
        return component

    # -- prediction -----------------------------------------------------------------------------
    def process(self, messages: List[Message]) -> List[Message]:
        """Sets `emotion` on every message; leaves everything else as it is."""
        predictor = self._ensure_predictor()
        # A button payload says nothing about feelings: it gets the "no evidence" result of "".
        texts = ["" if is_intent_payload(message.get(TEXT)) else message.get(TEXT) for message in messages]
        languages = [language_code(message) for message in messages]
        for message, text, result in zip(messages, texts, predictor.predict(texts, languages)):
            message.set(EMOTION, result.as_dict(), add_to_output=True)
            found = self._detect_vulnerability(text)
            if found is not None:
                message.set(VULNERABILITY, found.as_dict(), add_to_output=True)
        return messages

    def _detect_vulnerability(self, text: Any) -> Optional[vulnerability.Vulnerability]:
        if self._vulnerability_head is None or not isinstance(text, str) or not text.strip():
            return None
        if self._vulnerability is None:
            self._vulnerability = vulnerability.VulnerabilityDetector(
                self._vulnerability_head,
                runtime.load_encoder(self._settings),
                float(self._settings["vulnerability_threshold"]),
            )
        try:
            return self._vulnerability.detect(text)
        except Exception as error:  # noqa: BLE001 - a broken detector must not take NLU down
            logger.warning("vulnerability detection failed: %s", error)
            return None

    def _ensure_predictor(self) -> EmotionPredictor:
        """Builds the predictor on first use; without a usable model, one that only reads cues."""
        if self._predictor is None:
            self._predictor = build_predictor_or_degrade(self._settings, self._head)
        return self._predictor


def _load_optional_head(folder: Path) -> Optional[LinearEmotionHead]:
    """The vulnerability head when the model has one (models trained before it do not)."""
    return LinearEmotionHead.load(folder) if (folder / "head.json").exists() else None


def language_code(message: Message) -> Optional[str]:
    """The code the LanguageDetector set on this message, or None when it could not tell."""
    detected = message.get(LANGUAGE_PROPERTY)
    code = detected.get("code") if isinstance(detected, dict) else None
    return code if isinstance(code, str) else None


def build_predictor_or_degrade(settings: Dict[str, Any], head: Optional[LanguageRoutedHead]) -> EmotionPredictor:
    try:
        return runtime.build_predictor(settings, head)
    except (BundleError, runtime.EmotionConfigError, HeadError, OSError, ValueError) as error:
        rasa.shared.utils.io.raise_warning(
            f"The emotion classifier has no usable model ({error}). Messages get 'neutral' with "
            f"confidence 0; intensity still reads cues."
        )
        return EmotionPredictor(runtime.taxonomy_for(settings), runtime.cues_for(settings), None)
    except Exception as error:  # noqa: BLE001 - onnxruntime raises its own types on damaged files
        rasa.shared.utils.io.raise_warning(f"The emotion model failed to load ({error}); degrading to neutral.")
        return EmotionPredictor(runtime.taxonomy_for(settings), runtime.cues_for(settings), None)


def is_intent_payload(text: Any) -> bool:
    """True for button payloads such as "/affirm" that Rasa's RegexMessageHandler resolves."""
    return isinstance(text, str) and text.startswith(INTENT_PAYLOAD_PREFIX)
