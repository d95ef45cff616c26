"""The admin's avatar choice as the bridge keeps it: stored with who and when, applied to the object
every reader holds, refused when unknown, and a hand-broken file keeps the last good choice."""

from pathlib import Path

import pytest
import yaml

from avatar_bridge.tone.avatar_choice import ADMIN, DEPLOYMENT, AvatarChoiceRejected, LiveAvatar


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "settings" / "avatar.yml"


def test_without_a_choice_the_deployment_setting_holds(path: Path) -> None:
    live = LiveAvatar(path, "valid-woman")
    assert (live.current.avatar, live.current.source, live.current.changed_by) == ("valid-woman", DEPLOYMENT, None)
    assert not path.exists()


def test_a_choice_is_stored_with_who_and_when_and_applied(path: Path) -> None:
    live = LiveAvatar(path, "valid-woman")
    live.store("valid-man", "alex")
    assert live.reload()
    choice = live.current
    assert (choice.avatar, choice.source, choice.changed_by) == ("valid-man", ADMIN, "alex")
    assert live.version == 2 and not live.changed_on_disk()
    stored = yaml.safe_load(path.read_text("utf-8"))
    assert stored["avatar"] == "valid-man" and stored["changed_by"] == "alex"
    assert stored["changed_at"].endswith("+00:00")
    # Another instance (a new object on the same file) starts with it.
    assert LiveAvatar(path, "valid-woman").current.avatar == "valid-man"


def test_an_unknown_avatar_is_refused_and_nothing_stored(path: Path) -> None:
    live = LiveAvatar(path, "procedural")
    with pytest.raises(AvatarChoiceRejected, match="avatar: unknown avatar 'robot'"):
        live.store("robot", "alex")
    assert not path.exists() and live.current.avatar == "procedural" and live.version == 1


def test_a_change_made_elsewhere_is_picked_up_and_a_broken_one_ignored(path: Path) -> None:
    live = LiveAvatar(path, "valid-woman")
    LiveAvatar(path, "valid-woman").store("procedural", "sam")  # another instance
    assert live.changed_on_disk() and live.reload()
    assert live.current.avatar == "procedural" and live.current.changed_by == "sam"
    path.write_text("avatar: robot\n", "utf-8")  # edited by hand
    assert live.changed_on_disk() and live.reload() is False
    assert live.current.avatar == "procedural" and not live.changed_on_disk()  # logged once
    path.unlink()  # the operator removes the choice: the deployment's setting again
    assert live.changed_on_disk() and live.reload()
    assert (live.current.avatar, live.current.source) == ("valid-woman", DEPLOYMENT)


@pytest.mark.parametrize("text", ["avatar: robot\n", "- valid-man\n", "avatar: [valid-man\n", "changed_by: x\n"])
def test_a_broken_file_stops_the_start(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(text, "utf-8")
    with pytest.raises(AvatarChoiceRejected, match="avatar.yml"):
        LiveAvatar(path, "valid-woman")


def test_listeners_hear_of_another_avatar_only(path: Path) -> None:
    live = LiveAvatar(path, "valid-woman")
    heard: list[str] = []
    live.on_change(lambda choice: heard.append(choice.avatar))
    live.store("valid-man", "alex")
    live.reload()
    live.store("valid-man", "sam")  # the same avatar again: who changed, not what is shown
    live.reload()
    assert heard == ["valid-man"] and live.current.changed_by == "sam"
