"""Round-trip YAML for project files the console edits.

Documents are changed as data and written back by ruamel's round-trip dumper, so comments and
order survive and nothing an admin types is ever pasted into YAML text.
"""

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from common.files import write_atomic


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def load(path: Path) -> Any:
    with path.open("r", encoding="utf-8") as handle:
        return _yaml().load(handle)


def dumps(document: Any) -> str:
    buffer = io.StringIO()
    _yaml().dump(document, buffer)
    return buffer.getvalue()


def save(path: Path, document: Any) -> None:
    write_atomic(path, dumps(document))


def load_text(text: str) -> Any:
    return _yaml().load(text)
