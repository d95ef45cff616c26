"""The launcher starts real processes, waits for them and stops them; a failing one is reported."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from launcher.process import ManagedProcess, ServiceFailed, ServiceSpec, free_port, http_ok
from launcher.system import System


def http_server_spec(name: str, port: int, tmp_path: Path) -> ServiceSpec:
    return ServiceSpec(
        name=name,
        command=[sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path,
        ready_url=f"http://127.0.0.1:{port}/",
        ready_timeout=20,
    )


def test_starts_waits_and_stops_a_service(tmp_path: Path) -> None:
    port = free_port()
    process = ManagedProcess(http_server_spec("web", port, tmp_path), tmp_path / "log")
    process.start()
    try:
        process.wait_ready()
        assert http_ok(f"http://127.0.0.1:{port}/")
    finally:
        process.stop()
    assert not process.is_running()
    assert not http_ok(f"http://127.0.0.1:{port}/")


def test_a_service_that_exits_is_reported_with_its_log(tmp_path: Path) -> None:
    spec = ServiceSpec(
        name="broken",
        command=[sys.executable, "-c", "import sys; print('bad config: no model'); sys.exit(3)"],
        cwd=tmp_path,
        ready_port=free_port(),
        ready_timeout=10,
    )
    process = ManagedProcess(spec, tmp_path / "log")
    process.start()
    with pytest.raises(ServiceFailed, match="bad config: no model"):
        process.wait_ready()


def test_a_service_that_never_answers_times_out(tmp_path: Path) -> None:
    spec = ServiceSpec(
        name="silent",
        command=[sys.executable, "-c", "import time; time.sleep(60)"],
        cwd=tmp_path,
        ready_port=free_port(),
        ready_timeout=1.5,
    )
    process = ManagedProcess(spec, tmp_path / "log")
    process.start()
    started = time.monotonic()
    with pytest.raises(ServiceFailed, match="not ready"):
        process.wait_ready()
    process.stop()
    assert time.monotonic() - started < 10
    assert not process.is_running()


def test_system_stops_what_it_started_when_a_later_service_fails(tmp_path: Path) -> None:
    port = free_port()
    broken = ServiceSpec(
        name="broken",
        command=[sys.executable, "-c", "raise SystemExit(1)"],
        cwd=tmp_path,
        ready_port=free_port(),
        ready_timeout=5,
    )
    system = System([http_server_spec("web", port, tmp_path), broken], tmp_path / "log")
    with pytest.raises(ServiceFailed):
        system.start()
    assert not system["web"].is_running()
    assert not http_ok(f"http://127.0.0.1:{port}/")
