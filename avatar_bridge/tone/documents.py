"""The tone documents: which files they are, and how a replacement is checked and stored.

A replacement is a whole YAML document. It is accepted only when it is plain data (no tags, no
anchors or aliases, within the size limit) and the bridge's own loaders accept it together with
the other files (``ExpressionPlanner.load`` with the protocol's vocabulary, ``load_playbooks`` with
the known reply kinds), checked on a temporary copy. It is then stored exactly as written
(comments and layout included), in one atomic step.
"""

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from avatar_bridge.dialogue.reply_kinds import ReplyKinds
from avatar_bridge.expression.planner import ExpressionPlanner
from avatar_bridge.protocol.schema_registry import SchemaRegistry
from avatar_bridge.wording.playbooks import Playbook, load_playbooks
from common.files import write_atomic

EXPRESSION_TABLE = "expression-table"
PLAYBOOK_PREFIX = "playbook-"
MAX_DOCUMENT_BYTES = 60_000


class ToneRejected(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ToneDocument:
    id: str
    title: str
    path: Path


@dataclass(frozen=True)
class ToneFiles:
    expression_table: Path
    playbook_dir: Path
    reply_kinds: Path

    def documents(self) -> dict[str, ToneDocument]:
        table = ToneDocument(EXPRESSION_TABLE, "Avatar expression table", self.expression_table)
        found = {table.id: table}
        for path in sorted(self.playbook_dir.glob("*.yml")):
            document_id = f"{PLAYBOOK_PREFIX}{path.stem}"
            found[document_id] = ToneDocument(document_id, f"Locale playbook: {path.stem}", path)
        return found

    def load(self, schemas: SchemaRegistry) -> tuple[ExpressionPlanner, dict[str, Playbook]]:
        """The planner and the playbooks as stored now (the loaders' errors propagate)."""
        reply_kinds = ReplyKinds.load(self.reply_kinds, frozenset(schemas.shared_enum("reply_kind")))
        return ExpressionPlanner.load(self.expression_table, schemas), load_playbooks(
            self.playbook_dir, reply_kinds.known
        )

    def fingerprint(self) -> tuple:
        """Changes when any tone file changes (size and modification time of each)."""
        paths = [self.expression_table, *sorted(self.playbook_dir.glob("*.yml"))]
        return tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in paths if path.exists())

    def replace(self, document: ToneDocument, text: str, schemas: SchemaRegistry) -> None:
        check_plain_data(text, MAX_DOCUMENT_BYTES)
        self._check_with_loaders(document, text, schemas)
        write_atomic(document.path, text if text.endswith("\n") else text + "\n")

    def _check_with_loaders(self, document: ToneDocument, text: str, schemas: SchemaRegistry) -> None:
        with tempfile.TemporaryDirectory(prefix="bridge-tone-") as temp:
            candidate = ToneFiles(Path(temp) / "table.yml", Path(temp) / "playbooks", self.reply_kinds)
            shutil.copyfile(self.expression_table, candidate.expression_table)
            shutil.copytree(self.playbook_dir, candidate.playbook_dir)
            target = (
                candidate.expression_table
                if document.id == EXPRESSION_TABLE
                else candidate.playbook_dir / document.path.name
            )
            target.write_text(text, "utf-8")
            try:
                candidate.load(schemas)
            except Exception as error:  # the loaders raise ValueError / ValidationError / TableError
                raise ToneRejected([str(error).replace(temp, "")[:3000]]) from None


def check_plain_data(text: str, max_bytes: int) -> None:
    if len(text.encode("utf-8")) > max_bytes:
        raise ToneRejected([f"the document is larger than {max_bytes} bytes"])
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ToneRejected(["anchors and aliases (&, *) are not allowed"])
            tag = getattr(event, "tag", None)
            if tag and not getattr(event, "implicit", True) and not str(tag).startswith("tag:yaml.org,2002:"):
                raise ToneRejected([f"YAML tags are not allowed ({tag})"])
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ToneRejected([f"not valid YAML: {error}"]) from None
    if not isinstance(data, dict):
        raise ToneRejected(["the document must be a mapping"])
