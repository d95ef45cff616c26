"""The avatar's expression table and the locale playbooks, edited with the bridge's own checks.

The admin edits a whole YAML document. It is accepted only if it is plain data (no tags, no
anchors or aliases, within the size limit) and the avatar bridge's own loader accepts it
(``ExpressionPlanner.load`` with the protocol's vocabulary, ``load_playbooks`` with the known reply
kinds), run on a temporary copy. The bridge reads these files when it starts: changes apply at
its next start (docs/admin.md).
"""

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from handoff.admin import yamlio
from handoff.admin.settings import AdminSettings


class ToneRejected(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ToneFile:
    id: str
    title: str
    path: Path


def tone_files(settings: AdminSettings) -> dict[str, ToneFile]:
    table = ToneFile("expression-table", "Avatar expression table", settings.expression_table_path)
    files = {table.id: table}
    for path in sorted(settings.playbook_dir.glob("*.yml")):
        files[f"playbook-{path.stem}"] = ToneFile(f"playbook-{path.stem}", f"Locale playbook: {path.stem}", path)
    return files


def _plain_data(text: str, max_bytes: int) -> None:
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


def _check_with_bridge(file: ToneFile, text: str, settings: AdminSettings) -> None:
    from avatar_bridge.dialogue.reply_kinds import ReplyKinds
    from avatar_bridge.expression.planner import ExpressionPlanner
    from avatar_bridge.protocol.schema_registry import SchemaRegistry
    from avatar_bridge.wording.playbooks import load_playbooks

    schemas = SchemaRegistry.load()
    with tempfile.TemporaryDirectory(prefix="admin-tone-") as temp:
        try:
            if file.id == "expression-table":
                candidate = Path(temp) / "table.yml"
                candidate.write_text(text, "utf-8")
                ExpressionPlanner.load(candidate, schemas)
            else:
                directory = Path(temp) / "playbooks"
                shutil.copytree(settings.playbook_dir, directory)
                (directory / file.path.name).write_text(text, "utf-8")
                reply_kinds = ReplyKinds.load(settings.reply_kinds_path, frozenset(schemas.shared_enum("reply_kind")))
                load_playbooks(directory, reply_kinds.known)
        except Exception as error:  # the bridge's loaders raise ValueError/ValidationError/TableError
            raise ToneRejected([str(error)[:3000]]) from None


def read_text(file: ToneFile) -> str:
    return file.path.read_text("utf-8")


def save_text(file: ToneFile, text: str, settings: AdminSettings) -> None:
    _plain_data(text, settings.max_yaml_bytes)
    _check_with_bridge(file, text, settings)
    # The admin edits the whole document: once it is proven plain data that the bridge accepts,
    # it is stored exactly as written (comments and layout included), in one atomic step.
    yamlio.write_atomic(file.path, text if text.endswith("\n") else text + "\n")
