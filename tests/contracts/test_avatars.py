"""The shipped avatars (contracts/avatars.yml): the same models as the web client's manifest and the
bridge's setting, each with a voice gender and a readable name."""

import json
import typing
from pathlib import Path

import pytest

from contracts.avatars import avatar_gender, avatar_ids, default_avatar, unknown_avatar_problem
from contracts.display_names import display_name

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "web_client" / "public" / "avatars" / "manifest.json"


def test_the_realistic_avatars_are_the_web_clients_models_plus_the_procedural_head() -> None:
    shipped = set(json.loads(MANIFEST.read_text("utf-8"))["avatars"])
    assert set(avatar_ids()) == shipped | {"procedural"}
    assert default_avatar() in avatar_ids()


def test_the_bridge_setting_accepts_exactly_the_shipped_avatars() -> None:
    # The contracts tests also run in the Rasa environment, which has no bridge settings.
    pytest.importorskip("pydantic_settings")
    from avatar_bridge.core.config import Settings

    allowed = typing.get_args(Settings.model_fields["avatar_model"].annotation)
    assert set(allowed) == set(avatar_ids())
    assert Settings.model_fields["avatar_model"].default == default_avatar()


def test_every_avatar_has_a_gender_and_a_readable_name() -> None:
    assert {avatar: avatar_gender(avatar) for avatar in avatar_ids()} == {
        "valid-woman": "female",
        "valid-man": "male",
        "procedural": "female",
    }
    for avatar in avatar_ids():
        name = display_name("avatars", avatar)
        assert name and "-" not in name and name != avatar


def test_an_unknown_avatar_is_named_with_its_field() -> None:
    assert unknown_avatar_problem("avatar", "valid-man") is None
    for bad in ("robot", "", None, 3, ["valid-man"]):
        problem = unknown_avatar_problem("avatar", bad)
        assert problem is not None and problem.startswith("avatar: unknown avatar")
        assert "valid-woman" in problem
