"""The JSON Schemas of the protocol, loaded once and compiled into validators.

One schema file per message type lives in ``contracts/protocol/schemas/`` (the protocol is a
contract between the bridge, the widget and the handoff service); ``common.json`` holds shared
definitions that the others reference. The server validates every incoming frame with these
(and outgoing frames when ``validate_outgoing`` is on); the tests validate what they receive.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from contracts.protocol import SCHEMA_DIR

SHARED_SCHEMA = "common"


@dataclass(frozen=True)
class SchemaRegistry:
    validators: dict[str, Draft202012Validator]
    directions: dict[str, str]  # message type -> "client" | "server"
    documents: dict[str, dict]

    @classmethod
    def load(cls, directory: Path = SCHEMA_DIR) -> "SchemaRegistry":
        documents = {path.stem: json.loads(path.read_text("utf-8")) for path in sorted(directory.glob("*.json"))}
        registry = Registry().with_resources(
            (document["$id"], Resource.from_contents(document)) for document in documents.values()
        )
        validators = {}
        directions = {}
        for name, document in documents.items():
            if name == SHARED_SCHEMA:
                continue
            Draft202012Validator.check_schema(document)
            validators[name] = Draft202012Validator(document, registry=registry)
            directions[name] = document["x-direction"]
        return cls(validators=validators, directions=directions, documents=documents)

    def types(self, direction: str) -> frozenset[str]:
        return frozenset(name for name, side in self.directions.items() if side == direction)

    def errors(self, message_type: str, document: object) -> list[ValidationError]:
        """Validation errors, the most specific (deepest path) first."""
        found = self.validators[message_type].iter_errors(document)
        return sorted(found, key=lambda error: (-len(error.absolute_path), str(error.message)))

    def validate(self, message_type: str, document: object) -> None:
        errors = self.errors(message_type, document)
        if errors:
            raise errors[0]

    def shared_enum(self, definition: str) -> tuple[str, ...]:
        """Values of an enum in common.json, e.g. the expression names the client knows."""
        return tuple(self.documents[SHARED_SCHEMA]["$defs"][definition]["enum"])
