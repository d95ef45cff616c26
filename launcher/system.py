"""A group of managed services started in order and stopped in reverse order."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from launcher.process import ManagedProcess, ServiceSpec


class System:
    def __init__(self, specs: list[ServiceSpec], log_dir: Path) -> None:
        self.processes = {spec.name: ManagedProcess(spec, log_dir) for spec in specs}

    def __getitem__(self, name: str) -> ManagedProcess:
        return self.processes[name]

    def start(self) -> None:
        """Starts every service and waits until it answers; on failure stops what was started."""
        try:
            for process in self.processes.values():
                process.start()
                process.wait_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()

    def failed(self) -> list[ManagedProcess]:
        return [p for p in self.processes.values() if p.pid is not None and not p.is_running()]

    def __enter__(self) -> "System":
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
