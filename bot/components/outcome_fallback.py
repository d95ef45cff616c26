"""Rasa NLU component: the fallback threshold, judged on what happens next rather than on the intent.

Pipeline entry (in place of Rasa's FallbackClassifier, with the same settings):

    - name: bot.components.outcome_fallback.OutcomeFallbackClassifier
      threshold: 0.4
      ambiguity_threshold: 0.05

Rasa's FallbackClassifier asks the customer to rephrase when the top intent is below `threshold`
or less than `ambiguity_threshold` ahead of the second. "I want help filing a customer claim"
came out as complaint 0.48 / request_human 0.49: "ambiguous", so the customer was asked to say it
again, although both intents hand the conversation to a person in the same way. Here intents that
lead to the same outcome count as one answer:

- the top intent's confidence is the sum over its outcome group (so a message split between
  complaint and a refund dispute is a confident handoff);
- the runner-up is the best intent outside that group.

The groups are the escalation contract's intents handed over, one group per mode (`handoff`
passes the conversation on at once, `offer` asks first; contracts/escalation/defaults.yml), or
`same_outcome` in the config: a list of intent lists. Everything else behaves as Rasa's component:
the parse keeps the top intent and its own confidence, and a fallback goes in front of the ranking.
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

SAME_OUTCOME_KEY = "same_outcome"


def handover_groups() -> List[FrozenSet[str]]:
    """The contract's intents that go to a person, one group per mode (handoff / offer)."""
    from contracts.escalation.config import default_config

    config = default_config()
    rules = [config.always_escalate] + ([config.explicit_request] if config.explicit_request.enabled else [])
    by_mode: Dict[str, set] = {}
    for rule in rules:
        by_mode.setdefault(rule.mode, set()).update(rule.intents)
    return [frozenset(intents) for intents in by_mode.values() if intents]


def outcome_confidences(
    ranking: Sequence[Dict[str, Any]], groups: Sequence[FrozenSet[str]]
) -> Optional[Tuple[float, float]]:
    """(confidence of the top intent's outcome, confidence of the best other outcome), or None
    for an empty ranking."""
    if not ranking:
        return None
    top = ranking[0].get(INTENT_NAME_KEY)
    group = next((group for group in groups if top in group), frozenset([top]))
    scored = [(entry.get(INTENT_NAME_KEY), float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0)) for entry in ranking]
    mine = sum(confidence for name, confidence in scored if name in group)
    return mine, max((confidence for name, confidence in scored if name not in group), default=0.0)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OutcomeFallbackClassifier(FallbackClassifier):
    """FallbackClassifier whose threshold and ambiguity count intents with one outcome as one."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # None: the escalation contract's groups (handover_groups).
        return {**FallbackClassifier.get_default_config(), SAME_OUTCOME_KEY: None}

    def __init__(self, config: Dict[Text, Any], groups: Optional[List[FrozenSet[str]]] = None) -> None:
        super().__init__(config)
        configured = config.get(SAME_OUTCOME_KEY)
        if groups is None:
            groups = [frozenset(group) for group in configured] if configured else handover_groups()
        self._groups = groups

    def _confidences(self, message: Message) -> Tuple[float, Optional[float]]:
        ranking = message.data.get(INTENT_RANKING_KEY) or [message.data.get(INTENT) or {}]
        top = message.data.get(INTENT) or {}
        if not ranking or ranking[0].get(INTENT_NAME_KEY) != top.get(INTENT_NAME_KEY):
            # A component put an intent on the message without a ranking behind it.
            ranking = [top]
        mine, other = outcome_confidences(ranking, self._groups) or (0.0, 0.0)
        return mine, (other if len(ranking) > 1 else None)

    def _nlu_confidence_below_threshold(self, message: Message) -> Tuple[bool, float]:
        confidence, _ = self._confidences(message)
        return confidence < self.component_config["threshold"], confidence

    def _nlu_prediction_ambiguous(self, message: Message) -> Tuple[bool, Optional[float]]:
        confidence, other = self._confidences(message)
        if other is None:
            return False, None
        difference = confidence - other
        return difference < self.component_config["ambiguity_threshold"], difference
