"""Helpers for the admin console's model switch on the real cluster (tests/cluster/test_cluster.py).

The switch is driven through the training job's own entry points (`TrainingService.switch_to`,
`rollback`) with a models folder of its own, so the repository's models/CURRENT is never touched
and no `rasa train` runs: the "new" model is the cluster's model under another file name.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from redis.asyncio import Redis

from admin.intents.service import IntentService
from admin.models import create_tables
from admin.settings import AdminSettings
from admin.training.job import TrainingService
from handoff.core.db import create_schema, make_engine, make_session_factory
from launcher.settings import LauncherSettings
from tests.support.rasa_api import rasa_api_auth


def served_model(settings: LauncherSettings, port: int) -> str:
    """The model file one Rasa server reports (its /status wants our services' JWT)."""
    response = httpx.get(f"http://127.0.0.1:{port}/status", timeout=30, auth=rasa_api_auth(settings))
    response.raise_for_status()
    return response.json()["model_file"]


def models_folder(settings: LauncherSettings, folder: Path, other_name: str) -> tuple[Path, Path]:
    """A models folder holding the cluster's model under its own name and under `other_name`
    (symbolic links: Rasa names a model after the path it was given)."""
    folder.mkdir(parents=True, exist_ok=True)
    started_with = settings.current_model()
    original = folder / started_with.name
    original.symlink_to(started_with)
    other = folder / other_name
    other.symlink_to(started_with)
    return original, other


def training_service(
    settings: LauncherSettings, models_dir: Path, redis: Redis, instance_urls: list[str]
) -> TrainingService:
    admin = AdminSettings(models_dir=models_dir, data_root=models_dir.parent)
    engine = make_engine(f"sqlite:///{models_dir.parent / 'handoff.db'}")
    create_schema(engine)
    create_tables(engine)  # the admin console's own tables, in the same database
    sessions = make_session_factory(engine)
    return TrainingService(
        admin,
        redis,
        sessions,
        settings.rasa_url,
        IntentService(admin, sessions),
        key_prefix=f"model-switch-test-{models_dir.parent.name}",
        rasa_instance_urls=instance_urls,
        rasa_auth=rasa_api_auth(settings),
    )


class _RefusingRasaHandler(BaseHTTPRequestHandler):
    model_file = ""

    def do_GET(self) -> None:
        if self.path.split("?")[0] != "/status":
            self._answer(404, {"message": "not found"})
            return
        self._answer(200, {"model_file": self.model_file})

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer(500, {"message": "No space left on device"})

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: object) -> None:
        pass


@contextmanager
def refusing_rasa_stand_in(model_file: str) -> Iterator[str]:
    """A stand-in for a Rasa server that cannot load a new model (its disk is full): it reports
    `model_file` on /status and answers PUT /model with 500, as Rasa does when loading fails.
    Making a real Rasa server of the cluster fail on one model but not on the other is not
    possible on one shared file system; the two real servers are the ones checked."""
    handler = type("RefusingRasa", (_RefusingRasaHandler,), {"model_file": model_file})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="refusing-rasa", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
