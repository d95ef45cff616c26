"""The handoff.v2 JSON Schema (handoff.v2.schema.json, draft-07) and validation against it.

The emotion labels are not spelled in the schema file: they are filled in from the taxonomy when
the schema is loaded, so the label list stays in one place.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List

import jsonschema

from contracts.emotion.taxonomy import load_taxonomy

SCHEMA_FILE = Path(__file__).with_name("handoff.v2.schema.json")
MAX_PROBLEMS = 20


@lru_cache(maxsize=1)
def _schema() -> Dict[str, Any]:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    schema["definitions"]["emotion_label"]["enum"] = list(load_taxonomy().names)
    return schema


def record_schema() -> Dict[str, Any]:
    """The schema with the taxonomy's labels (a copy: callers may change it)."""
    return copy.deepcopy(_schema())


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(_schema())


def record_problems(record: Any) -> List[str]:
    """What is wrong with `record`, one line per problem ([] when it is valid).

    Problems name the field and the rule, never the field's value: a record holds what the customer
    wrote, and these lines go to the logs.
    """
    problems = []
    for error in sorted(_validator().iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path]):
        where = "/".join(str(part) for part in error.absolute_path) or "(record)"
        if error.validator in ("required", "additionalProperties"):
            # These messages name keys only, never values.
            rule = error.message
        else:
            rule = f"fails {error.validator} {json.dumps(error.validator_value, default=str)[:120]}"
        problems.append(f"{where}: {rule}")
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems
