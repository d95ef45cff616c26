"""Real servers for tests, on loopback ports: uvicorn in a thread, redis-server in a process."""

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import uvicorn


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThreadedServer:
    """An ASGI app served by a real uvicorn on 127.0.0.1:port in a background thread; `options`
    (e.g. a service's own uvicorn options, avatar_bridge.__main__.uvicorn_options) override the
    defaults."""

    def __init__(self, app, port: int, options: dict | None = None) -> None:
        self.port = port
        config = {
            "host": "127.0.0.1",
            "ws_max_size": 1024 * 1024,
            **(options or {}),
            "port": port,
            "log_level": "warning",
            "lifespan": "on",
        }
        self._server = uvicorn.Server(uvicorn.Config(app, **config))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self, timeout_s: float = 30.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"server on port {self.port} did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)


class RedisServer:
    """A throw-away redis-server (no persistence) on a free loopback port."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self._process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def wait_ready(self, timeout_s: float = 10.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=10)
