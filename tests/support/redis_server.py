"""A real Redis on a free loopback port, with the append-only file on (as the launcher runs it).

Use from a conftest: ``from tests.support.redis_server import redis_server  # noqa: F401``; the
fixture yields a ``RedisServer`` (``url``, ``client()``, ``restart()`` to test durability).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.process import free_port, port_is_open


class RedisServer:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.fail("redis-server not found: run `make setup`")
        self._process = subprocess.Popen(  # noqa: S603 (our command)
            [
                executable,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.data_dir),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not port_is_open(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self, *, crash: bool = False) -> None:
        if self._process is None:
            return
        if crash:
            self._process.kill()
        else:
            self._process.terminate()
        self._process.wait(timeout=10)
        self._process = None

    def restart(self, *, crash: bool = True) -> None:
        """Stops Redis (abruptly by default) and starts it again on the same port and files."""
        self.stop(crash=crash)
        self.start()

    def client(self):  # noqa: ANN201
        import redis

        return redis.Redis.from_url(self.url, decode_responses=True)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
