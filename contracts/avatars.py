"""The shipped avatars and their voice genders (contracts/avatars.yml): the bridge shows and voices
them, the admin console offers them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

PATH = Path(__file__).with_name("avatars.yml")
GENDERS = ("female", "male")


@cache
def _document() -> dict:
    data = yaml.safe_load(PATH.read_text("utf-8"))
    avatars = {str(k): str(v["gender"]) for k, v in data["avatars"].items()}
    if any(gender not in GENDERS for gender in avatars.values()) or data["default"] not in avatars:
        raise ValueError(f"{PATH}: every avatar needs a gender in {GENDERS}, and the default must be one of them")
    return {"default": str(data["default"]), "avatars": avatars}


def avatar_ids() -> tuple[str, ...]:
    """Every shipped avatar id, in the file's order."""
    return tuple(_document()["avatars"])


def default_avatar() -> str:
    return _document()["default"]


def avatar_gender(avatar_id: str) -> str:
    """The voice gender of a shipped avatar (KeyError for an unknown id)."""
    return _document()["avatars"][avatar_id]


def unknown_avatar_problem(field: str, avatar_id: object) -> str | None:
    """The one wording of a refused avatar id, naming the field; None when the id is shipped."""
    if isinstance(avatar_id, str) and avatar_id in avatar_ids():
        return None
    return f"{field}: unknown avatar {str(avatar_id)[:64]!r} (one of: {', '.join(avatar_ids())})"
