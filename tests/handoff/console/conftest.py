"""The real system for the console end-to-end test: Redis, the handoff service, the avatar bridge,
the action server and Rasa with the trained model, all on free ports in a temporary directory."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from handoff.core.config import HandoffSettings
from handoff.core.db import create_schema, make_engine, make_session_factory
from handoff.users import seed_demo
from tests.support.system import services_for_tests
from launcher.settings import LauncherSettings
from launcher.system import System


# Package scope: the console test modules share one system (starting it costs most of their time);
# each test leaves no conversation waiting or assigned.
@pytest.fixture(scope="package")
def system_settings(tmp_path_factory: pytest.TempPathFactory) -> LauncherSettings:
    work = tmp_path_factory.mktemp("handoff-system")
    return LauncherSettings.on_free_ports(work)


@pytest.fixture(scope="package")
def running_system(system_settings: LauncherSettings) -> Iterator[System]:
    from customer_db.seed import seed_database
    from customer_db.sql import SqlCustomerConnector

    connector = SqlCustomerConnector(system_settings.customer_db_url)
    connector.create_schema()
    seed_database(connector)
    connector.close()
    # The demo users, as the setup hook seeds them for `make run`.
    handoff_settings = HandoffSettings(database_url=f"sqlite:///{Path(system_settings.var_dir) / 'handoff.db'}")
    engine = make_engine(handoff_settings.database_url)
    create_schema(engine)
    seed_demo(make_session_factory(engine), handoff_settings)
    engine.dispose()
    with System(services_for_tests(system_settings), Path(system_settings.var_dir) / "log") as system:
        yield system


class CustomerSocket:
    """A customer's widget: one bridge WebSocket, every received frame kept in order."""

    def __init__(self, url: str) -> None:
        from websockets.sync.client import connect

        self._connection = connect(url, open_timeout=20)
        self._socket = self._connection.__enter__()
        self.frames: list[dict] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._ids = 0

    def _read(self) -> None:
        try:
            while True:
                raw = self._socket.recv()
                with self._lock:
                    self.frames.append(json.loads(raw))
        except Exception:  # noqa: BLE001 (socket closed)
            return

    def send(self, frame: dict) -> None:
        self._socket.send(json.dumps({"v": 1, **frame}))

    def say(self, text: str) -> str:
        self._ids += 1
        message_id = f"m{self._ids}"
        self.send({"type": "user_message", "id": message_id, "text": text})
        return message_id

    def wait_for(self, predicate: Callable[[dict], bool], timeout: float = 60.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = next((frame for frame in self.frames if predicate(frame)), None)
            if found:
                return found
            time.sleep(0.05)
        with self._lock:
            kinds = [(f.get("type"), f.get("state") or f.get("text", "")[:60]) for f in self.frames]
        raise AssertionError(f"no matching frame within {timeout} s; received {kinds}")

    def close(self) -> None:
        self._connection.__exit__(None, None, None)
