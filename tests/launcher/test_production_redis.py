"""In production mode the launcher's Redis demands the password (docs/operations.md "Threat
model"); in development it stays open on loopback only."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from launcher.process import ManagedProcess, free_port
from launcher.services import redis_spec
from launcher.settings import LauncherSettings

PASSWORD = "a-real-redis-password-" + "x" * 16


def _started(tmp_path: Path, **overrides: object) -> tuple[ManagedProcess, int]:
    port = free_port()
    settings = LauncherSettings.from_env(redis_port=port, var_dir=tmp_path, **overrides)
    process = ManagedProcess(redis_spec(settings), tmp_path / "log")
    (tmp_path / "log").mkdir(exist_ok=True)
    process.start()
    process.wait_ready()
    return process, port


def test_production_redis_refuses_clients_without_the_password(tmp_path: Path) -> None:
    process, port = _started(
        tmp_path,
        production=True,
        redis_password=PASSWORD,
        rasa_jwt_secret="j" * 32,
        action_server_token="a" * 32,
        nlg_token="n" * 32,
    )
    try:
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(port=port).ping()
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(port=port, password="guessed").ping()
        assert redis.Redis(port=port, password=PASSWORD).ping() is True
        # The password is in a file only this user can read, not on Redis's command line.
        assert PASSWORD not in Path(f"/proc/{process.pid}/cmdline").read_text()
    finally:
        process.stop()


def test_development_redis_needs_no_password(tmp_path: Path) -> None:
    process, port = _started(tmp_path)
    try:
        assert redis.Redis(port=port).ping() is True
    finally:
        process.stop()
