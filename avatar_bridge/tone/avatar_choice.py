"""The avatar an admin chose in the console, kept by the bridge and applied without a restart.

Stored like the tone files: a small YAML file the bridge owns, written in one atomic step, which
every instance watches (``tone_watch_s``, tone/live.py). It records who chose and when. Without the
file the deployment's setting (``AVATAR_MODEL``) holds. What follows the choice: ``GET /avatar.json``
for the next page load, and the voice for the next sentence spoken (speech/voices.py); without
WIDGET_NAME also the assistant's name (Settings.assistant_name) on the page and in the next reply.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

from common.files import write_atomic
from contracts.avatars import unknown_avatar_problem

logger = logging.getLogger(__name__)
FIELD = "avatar"
ADMIN, DEPLOYMENT = "admin", "deployment"


class AvatarChoiceRejected(ValueError):
    """An id that is not a shipped avatar, or a file that does not hold a choice."""


@dataclass(frozen=True)
class AvatarChoice:
    avatar: str
    source: str  # ADMIN (the console's file) or DEPLOYMENT (the setting)
    changed_by: str | None = None
    changed_at: str | None = None  # ISO 8601, UTC


def read_choice(path: Path, default: str) -> AvatarChoice:
    """The stored choice, or the deployment's when there is none; AvatarChoiceRejected when the file
    does not hold a shipped avatar."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return AvatarChoice(default, DEPLOYMENT)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise AvatarChoiceRejected(f"{path.name}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise AvatarChoiceRejected(f"{path.name}: must be a mapping with the key {FIELD!r}")
    problem = unknown_avatar_problem(FIELD, data.get(FIELD))
    if problem:
        raise AvatarChoiceRejected(f"{path.name}: {problem}")
    by, at = data.get("changed_by"), data.get("changed_at")
    return AvatarChoice(data[FIELD], ADMIN, str(by) if by else None, str(at) if at else None)


class LiveAvatar:
    """The avatar shown now; the same object is read by /avatar.json and the speech service."""

    def __init__(self, path: Path, default: str) -> None:
        self.path = path
        self.default = default
        self._seen = self._fingerprint()
        self.current = read_choice(path, default)  # a broken file stops the start (services.py)
        self.version = 1
        self._listeners: list[Callable[[AvatarChoice], None]] = []

    def on_change(self, listener: Callable[[AvatarChoice], None]) -> None:
        """Called with the new choice whenever another avatar is applied (e.g. to load its voice)."""
        self._listeners.append(listener)

    def store(self, avatar: str, changed_by: str) -> None:
        """Checks and stores an admin's choice (AvatarChoiceRejected: nothing stored). Blocking file
        I/O, safe in a worker thread; ``reload`` then applies it (on the event loop)."""
        problem = unknown_avatar_problem(FIELD, avatar)
        if problem:
            raise AvatarChoiceRejected(problem)
        stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        record = {FIELD: avatar, "changed_by": changed_by[:128], "changed_at": stamp}
        header = "# The avatar chosen in the admin console (avatar_bridge/tone/avatar_choice.py).\n"
        write_atomic(self.path, header + yaml.safe_dump(record, sort_keys=False, allow_unicode=True))

    def reload(self) -> bool:
        """Apply the file as stored now; False (last good choice kept, logged) when it is broken."""
        seen = self._fingerprint()
        try:
            choice = read_choice(self.path, self.default)
        except (AvatarChoiceRejected, OSError) as error:  # edited by hand: keep the last good one
            logger.error("avatar choice not applied, %s stays: %s", self.current.avatar, error)
            self._seen = seen
            return False
        self._seen = seen
        if choice != self.current:
            changed_avatar = choice.avatar != self.current.avatar
            self.current = choice
            self.version += 1
            logger.info("avatar %s applied (%s, version %d)", choice.avatar, choice.source, self.version)
            for listener in self._listeners if changed_avatar else ():
                listener(choice)
        return True

    def changed_on_disk(self) -> bool:
        return self._fingerprint() != self._seen

    def describe(self) -> dict:
        return {**asdict(self.current), "default": self.default, "version": self.version}

    def _fingerprint(self) -> tuple | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_mtime_ns, stat.st_size)
