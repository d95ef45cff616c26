"""Tone changes applied while the bridge runs, without a restart.

The turn runner and the NLG composer hold the planner and the playbooks by reference; a change
is applied by updating those same objects in place, between two awaits, so a turn sees the old
settings or the new ones, never a mix within one call. Every instance watches the files (a
change saved through another instance, or by an operator), and the instance that stored a change
applies it at once.
"""

import asyncio
import logging
from typing import Protocol

from avatar_bridge.expression.planner import ExpressionPlanner
from avatar_bridge.protocol.schema_registry import SchemaRegistry
from avatar_bridge.tone.documents import ToneFiles
from avatar_bridge.wording.playbooks import Playbook

logger = logging.getLogger(__name__)


class LiveTone:
    def __init__(
        self, files: ToneFiles, schemas: SchemaRegistry, planner: ExpressionPlanner, playbooks: dict[str, Playbook]
    ) -> None:
        self.files = files
        self.schemas = schemas
        self.planner = planner
        self.playbooks = playbooks
        self._seen = files.fingerprint()
        self._applied = self._seen  # the files' state the settings in use came from
        self.version = 1

    def reload(self) -> bool:
        """Apply the files as stored now; False (old settings kept, logged) when they do not load.
        Files already applied are not applied again: the watch may have got there first, while the
        instance that stored them was still writing, and that is one change (one version)."""
        seen = self.files.fingerprint()
        if seen == self._applied:
            self._seen = seen
            return True
        try:
            planner, playbooks = self.files.load(self.schemas)
        except Exception as error:  # a broken file edited by hand: keep serving the last good one
            logger.error("tone files not applied, the last good settings stay: %s", str(error)[:500])
            self._seen = seen
            return False
        self.planner.adopt(planner)
        self.playbooks.clear()
        self.playbooks.update(playbooks)
        self._seen = self._applied = seen
        self.version += 1
        logger.info("tone settings applied (version %d)", self.version)
        return True

    def changed_on_disk(self) -> bool:
        return self.files.fingerprint() != self._seen

    async def watch(self, interval_s: float) -> None:
        await watch_for_changes(self, interval_s, "tone files")


class Watched(Protocol):
    def changed_on_disk(self) -> bool: ...

    def reload(self) -> bool: ...


async def watch_for_changes(live: Watched, interval_s: float, what: str) -> None:
    """Applies a change stored by another instance or an operator (the tone files, the avatar choice)."""
    while True:
        await asyncio.sleep(interval_s)
        try:
            if live.changed_on_disk():
                live.reload()
        except OSError as error:  # a file replaced mid-check: look again next time
            logger.warning("%s could not be checked: %s", what, error)
