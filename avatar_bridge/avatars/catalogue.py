"""The realistic avatars the web client ships (web_client/public/avatars/manifest.json, copied into
the build) and which one this deployment shows.

The page asks `GET /avatar.json` for the choice: the avatar an admin chose in the console
(tone/avatar_choice.py), else the setting ``AVATAR_BRIDGE_AVATAR_MODEL`` (`valid-woman`,
`valid-man` or `procedural`, the light head built in code; the ids: contracts/avatars.yml).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROCEDURAL = "procedural"
MANIFEST = "manifest.json"
# Served from the avatars folder besides the models the manifest names.
EXTRA_FILES = frozenset({MANIFEST, "LICENSE.VALID"})


class CatalogueError(ValueError):
    """The manifest is unreadable or does not name the configured avatar."""


@dataclass(frozen=True)
class AvatarModel:
    model_id: str
    file: str
    family: str
    label: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Catalogue:
    models: dict[str, AvatarModel]
    max_bytes: int

    @classmethod
    def load(cls, avatars_dir: Path) -> Catalogue:
        path = avatars_dir / MANIFEST
        try:
            document = json.loads(path.read_text("utf-8"))
            models = {
                model_id: AvatarModel(
                    model_id=model_id,
                    file=str(entry["file"]),
                    family=str(entry["family"]),
                    label=str(entry["label"]),
                    bytes=int(entry["bytes"]),
                    sha256=str(entry["sha256"]),
                )
                for model_id, entry in document["avatars"].items()
            }
            return cls(models=models, max_bytes=int(document["max_bytes"]))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CatalogueError(f"{path}: {error}") from error

    def files(self) -> frozenset[str]:
        """Every file name the avatars folder may serve."""
        return frozenset(model.file for model in self.models.values()) | EXTRA_FILES

    def page_config(self, chosen: str, test_hooks: bool) -> dict[str, Any]:
        """What the page needs: the deployment's choice and every shipped model (a page switch
        `?avatar=<id>` may pick another shipped one, e.g. for previews)."""
        if chosen != PROCEDURAL and chosen not in self.models:
            raise CatalogueError(f"avatar {chosen!r} is not in the manifest (known: {sorted(self.models)})")
        return {
            "model": chosen,
            "max_bytes": self.max_bytes,
            "test_hooks": test_hooks,
            "models": {
                model.model_id: {
                    "url": f"/avatars/{model.file}",
                    "family": model.family,
                    "label": model.label,
                    "bytes": model.bytes,
                }
                for model in self.models.values()
            },
        }
