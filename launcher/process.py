"""One managed child process: start it, wait until it answers, stop it cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


class ServiceFailed(RuntimeError):
    """A service exited or did not become ready; the message carries the end of its log."""


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    command: list[str]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    # Readiness: an HTTP URL that must answer 200, or else a TCP port that must accept.
    ready_url: str | None = None
    ready_port: int | None = None
    ready_timeout: float = 120.0
    # What a person opens or calls; printed by `make run`.
    public_url: str | None = None


def port_is_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback only)
            return 200 <= response.status < 300
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


class ManagedProcess:
    """A service started in its own process group, logging to `log_dir/<name>.log`."""

    def __init__(self, spec: ServiceSpec, log_dir: Path) -> None:
        self.spec = spec
        self.log_path = log_dir / f"{spec.name}.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def exit_code(self) -> int | None:
        """The exit status once the process has ended (negative: the signal that ended it)."""
        return self._process.poll() if self._process else None

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.spec.env}
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 (commands are ours)
                self.spec.command,
                cwd=self.spec.cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def is_ready(self) -> bool:
        if self.spec.ready_url:
            return http_ok(self.spec.ready_url)
        if self.spec.ready_port:
            return port_is_open(self.spec.ready_port)
        return self.is_running()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.spec.ready_timeout
        while time.monotonic() < deadline:
            if not self.is_running():
                raise ServiceFailed(f"{self.spec.name} exited during start-up\n{self.log_tail()}")
            if self.is_ready():
                return
            time.sleep(0.5)
        raise ServiceFailed(f"{self.spec.name} was not ready after {self.spec.ready_timeout:.0f} s\n{self.log_tail()}")

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM to the whole process group, then SIGKILL if it does not go in time."""
        if not self._process or self._process.poll() is not None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self._process.wait(timeout=5)

    def kill(self) -> None:
        """Ends the service abruptly, as a crash would (used by fault tests)."""
        if self.is_running():
            self._signal_group(signal.SIGKILL)
            assert self._process is not None
            self._process.wait(timeout=5)

    def _signal_group(self, sig: signal.Signals) -> None:
        assert self._process is not None
        try:
            os.killpg(self._process.pid, sig)
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no log)"
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(f"    {line}" for line in text[-lines:])
