"""The shipped avatars, their voice genders and the assistant's name for each (contracts/avatars.yml):
the bridge shows and voices them, the admin console offers them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

PATH = Path(__file__).with_name("avatars.yml")
GENDERS = ("female", "male")
_MAX_NAME = 40  # the bridge's WIDGET_NAME allows no longer a name either


@cache
def _document() -> dict:
    data = yaml.safe_load(PATH.read_text("utf-8"))
    avatars = {
        str(avatar): {"gender": str(entry["gender"]), "name": _name(avatar, entry.get("name"))}
        for avatar, entry in data["avatars"].items()
    }
    if any(avatar["gender"] not in GENDERS for avatar in avatars.values()) or data["default"] not in avatars:
        raise ValueError(f"{PATH}: every avatar needs a gender in {GENDERS}, and the default must be one of them")
    return {"default": str(data["default"]), "avatars": avatars}


def _name(avatar_id: object, name: object) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > _MAX_NAME or not name.isprintable():
        raise ValueError(f"{PATH}: avatar {avatar_id!r} needs a name of one line (1 to {_MAX_NAME} characters)")
    return name.strip()


def avatar_ids() -> tuple[str, ...]:
    """Every shipped avatar id, in the file's order."""
    return tuple(_document()["avatars"])


def default_avatar() -> str:
    return _document()["default"]


def avatar_gender(avatar_id: str) -> str:
    """The voice gender of a shipped avatar (KeyError for an unknown id)."""
    return _document()["avatars"][avatar_id]["gender"]


def avatar_name(avatar_id: str) -> str:
    """What the assistant is called while this avatar is shown (KeyError for an unknown id)."""
    return _document()["avatars"][avatar_id]["name"]


def unknown_avatar_problem(field: str, avatar_id: object) -> str | None:
    """The one wording of a refused avatar id, naming the field; None when the id is shipped."""
    if isinstance(avatar_id, str) and avatar_id in avatar_ids():
        return None
    return f"{field}: unknown avatar {str(avatar_id)[:64]!r} (one of: {', '.join(avatar_ids())})"
