"""EscalationPolicy: acts on the escalation decision the action server made for this turn.

The decision itself is not made here. `action_observe_turn` (bot/actions/turn.py, observer in
bot/actions/escalation.py) runs after every user message, applies the escalation rules
(contracts/escalation/rules.py) with the configuration admins can change at run time, and puts the
result into the `escalation` slot. This policy only reads that slot, right after the user spoke:

- `{"escalate": true, "mode": "handoff", ...}` -> `action_handoff` (pass on at once),
- `{"escalate": true, "mode": "offer", ...}`   -> `action_offer_human` (ask first),
- anything else                               -> no prediction; the other policies decide.

After either action it predicts `action_listen`: the stories and rules know these actions only
after the intents that always lead to them, not after whatever the customer said this turn.

Its priority (default 7) is above RulePolicy's (6), so an escalation wins over a rule that would
otherwise answer the message, including inside a form. Nothing is trained: the behaviour follows
the slot, which follows the run-time configuration, so no retraining is needed when thresholds
change.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

ESCALATION_SLOT = "escalation"
ACTIONS_BY_MODE = {"handoff": "action_handoff", "offer": "action_offer_human"}
ESCALATION_ACTIONS = frozenset(ACTIONS_BY_MODE.values())


def escalation_action(decision: Any) -> Optional[str]:
    """The action for the `escalation` slot's value, or None when it asks for nothing."""
    if not isinstance(decision, dict) or decision.get("escalate") is not True:
        return None
    return ACTIONS_BY_MODE.get(decision.get("mode"))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class EscalationPolicy(Policy):
    """Predicts the handoff action when this turn's escalation decision asks for it."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Above RulePolicy (6): an escalation wins a tie at confidence 1.0.
            "priority": 7,
        }

    def train(
        self,
        training_trackers: List[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        # Nothing to learn: the decision comes from the slot at run time.
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        if tracker.latest_action_name in ESCALATION_ACTIONS and self._acted_this_turn(tracker):
            return self._prediction(confidence_scores_for(ACTION_LISTEN_NAME, 1.0, domain))
        if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return self._prediction(self._default_predictions(domain))
        slot = tracker.slots.get(ESCALATION_SLOT)
        action = escalation_action(slot.value if slot is not None else None)
        if action is None or action not in domain.action_names_or_texts:
            if action is not None:
                logger.warning("EscalationPolicy: %s is not in the domain; no prediction.", action)
            return self._prediction(self._default_predictions(domain))
        logger.debug("EscalationPolicy predicts %s", action)
        return self._prediction(confidence_scores_for(action, 1.0, domain))

    @staticmethod
    def _acted_this_turn(tracker: DialogueStateTracker) -> bool:
        """True when this policy predicted the latest action (not a rule or a story)."""
        for event in reversed(tracker.events):
            if isinstance(event, ActionExecuted):
                return (event.policy or "").endswith(EscalationPolicy.__name__)
        return False
