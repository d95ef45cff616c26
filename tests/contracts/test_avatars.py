"""The shipped avatars (contracts/avatars.yml): the same models as the web client's manifest and the
bridge's setting, each with a voice gender and a readable name."""

import json
import typing
from pathlib import Path

import pytest

from contracts.avatars import avatar_gender, avatar_ids, avatar_name, default_avatar, unknown_avatar_problem
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
    # The contract is the one source of the default, read when the settings are made (at start).
    assert Settings.model_fields["avatar_model"].default_factory is default_avatar
    assert Settings().avatar_model == default_avatar()


def test_every_avatar_has_a_gender_and_a_readable_name() -> None:
    assert {avatar: avatar_gender(avatar) for avatar in avatar_ids()} == {
        "valid-woman": "female",
        "valid-man": "male",
        "procedural": "female",
    }
    for avatar in avatar_ids():
        name = display_name("avatars", avatar)
        assert name and "-" not in name and name != avatar


def test_the_default_is_the_man_whose_voice_setup_installs_and_each_avatar_has_a_fitting_name() -> None:
    # The only Piper voice setup installs (en_US-joe-medium) is a man's (issue #16).
    assert default_avatar() == "valid-man"
    assert {avatar: avatar_name(avatar) for avatar in avatar_ids()} == {
        "valid-woman": "Mila",
        "valid-man": "Theo",
        "procedural": "Mila",
    }
    with pytest.raises(KeyError):
        avatar_name("robot")


@pytest.mark.parametrize(
    "entry",
    ["{gender: male}", "{gender: male, name: ''}", "{gender: male, name: 7}", '{gender: male, name: "A\\nB"}'],
)
def test_an_avatar_without_a_usable_name_stops_the_load(entry, tmp_path, monkeypatch) -> None:
    from contracts import avatars

    broken = tmp_path / "avatars.yml"
    broken.write_text(f"schema: avatars.v1\ndefault: valid-man\navatars:\n  valid-man: {entry}\n", "utf-8")
    monkeypatch.setattr(avatars, "PATH", broken)
    avatars._document.cache_clear()
    try:
        with pytest.raises(ValueError, match="needs a name"):
            avatars.avatar_ids()
    finally:
        monkeypatch.undo()
        avatars._document.cache_clear()


def test_an_unknown_avatar_is_named_with_its_field() -> None:
    assert unknown_avatar_problem("avatar", "valid-man") is None
    for bad in ("robot", "", None, 3, ["valid-man"]):
        problem = unknown_avatar_problem("avatar", bad)
        assert problem is not None and problem.startswith("avatar: unknown avatar")
        assert "valid-woman" in problem
