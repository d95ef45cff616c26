"""Restarting crashed cluster instances with exponential backoff (`make run-cluster`).

An instance that crashes at start-up (a broken model, a port taken, Redis refusing) would
otherwise be restarted every second forever, filling its log and taking a core from the others.
Each further crash in a row doubles the wait before the next restart, up to a cap; an instance
that stayed up for `stable_s` starts again from the shortest wait.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from launcher.process import ManagedProcess


@dataclass
class RestartBackoff:
    """The wait before each restart, per instance name; times are `time.monotonic()` values."""

    base_s: float = 1.0
    cap_s: float = 60.0
    stable_s: float = 60.0
    _streak: dict[str, int] = field(default_factory=dict)
    _started_at: dict[str, float] = field(default_factory=dict)
    _due_at: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.base_s <= 0 or self.cap_s < self.base_s or self.stable_s <= 0:
            raise ValueError("backoff needs 0 < base_s <= cap_s and stable_s > 0")

    def crashed(self, name: str, now: float) -> float:
        """Records a crash and returns the wait before the restart."""
        started = self._started_at.get(name)
        if started is not None and now - started >= self.stable_s:
            self._streak[name] = 0  # it ran long enough: this crash is a new story
        streak = self._streak.get(name, 0) + 1
        self._streak[name] = streak
        delay = min(self.base_s * 2 ** (streak - 1), self.cap_s)
        self._due_at[name] = now + delay
        return delay

    def waiting(self, name: str) -> bool:
        return name in self._due_at

    def due(self, name: str, now: float) -> bool:
        return name in self._due_at and now >= self._due_at[name]

    def restarted(self, name: str, now: float) -> None:
        self._due_at.pop(name, None)
        self._started_at[name] = now

    def streak(self, name: str) -> int:
        return self._streak.get(name, 0)


# Instances that nginx balances over (launcher/cluster.py names them <kind>-<n>).
BALANCED_PREFIXES = ("avatar-bridge-", "rasa-", "action-server-")


class InstanceRestarter:
    """One round of the cluster's watch loop: schedule restarts of crashed instances, start the
    ones whose wait is over. `refresh` may give a process a new spec before it starts again (Rasa
    servers load the model models/CURRENT names now, not the one they started with)."""

    def __init__(
        self,
        backoff: RestartBackoff,
        log: Callable[[str], None],
        refresh: Callable[[ManagedProcess], None] = lambda _process: None,
    ) -> None:
        self._backoff = backoff
        self._log = log
        self._refresh = refresh

    def step(self, crashed: Iterable[ManagedProcess], now: float) -> list[ManagedProcess]:
        """Returns the processes started again in this round."""
        started: list[ManagedProcess] = []
        for process in crashed:
            name = process.spec.name
            if not self._backoff.waiting(name):
                delay = self._backoff.crashed(name, now)
                self._log(
                    f"{name} stopped unexpectedly (exit code {process.exit_code}); restart "
                    f"#{self._backoff.streak(name)} in {delay:g} s (the wait doubles with each "
                    f"crash in a row, up to {self._backoff.cap_s:g} s); log: {process.log_path}\n"
                    f"{process.log_tail(10)}"
                )
            elif self._backoff.due(name, now):
                self._refresh(process)
                process.start()
                self._backoff.restarted(name, now)
                behind_nginx = name.startswith(BALANCED_PREFIXES)
                self._log(
                    f"{name} restarted (pid {process.pid})"
                    + ("; nginx sends it traffic once it answers" if behind_nginx else "")
                )
                started.append(process)
        return started
