"""Round-trip YAML for project files the console edits.

Documents are changed as data and written back by ruamel's round-trip dumper, so comments and
order survive and nothing an admin types is ever pasted into YAML text.
"""

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


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


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` in one step: readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def save(path: Path, document: Any) -> None:
    write_atomic(path, dumps(document))


def load_text(text: str) -> Any:
    return _yaml().load(text)
