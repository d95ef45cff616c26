"""What every trainable NLU component of ours needs for Rasa's graph: a constructor that keeps the
config, the model storage and its resource, and the `create` Rasa calls before training."""

from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


class TrainedComponent(GraphComponent):
    """Base of components that store what they learn in their `resource`."""

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TrainedComponent":
        """A new, untrained component (see parent class for full docstring)."""
        return cls(config, model_storage, resource)
