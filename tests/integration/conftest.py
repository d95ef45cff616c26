"""Starts the real system once for the integration tests: Redis, the action server and Rasa with
the trained model, on free loopback ports, with a freshly seeded customer database."""

from __future__ import annotations

import uuid

import httpx
import pytest
import redis

from launcher.settings import LauncherSettings
from launcher.system import System
from tests.support.rasa_api import rasa_api_auth
from tests.support.system import customer_db, settings, system  # noqa: F401 (shared fixtures)


@pytest.fixture(scope="session")
def redis_client(system: System, settings: LauncherSettings) -> redis.Redis:  # noqa: F811 (shared fixtures)
    return redis.Redis(host=settings.redis_host, port=settings.redis_port, db=settings.redis_db, decode_responses=True)


class Conversation:
    """One customer talking to Rasa's REST channel."""

    def __init__(self, base_url: str, api_auth: httpx.Auth, language: str | None = None) -> None:
        self.base_url = base_url
        self.api_auth = api_auth  # Rasa's HTTP API (trackers) wants our services' JWT
        self.sender = f"it-{uuid.uuid4().hex[:10]}"
        self.client = httpx.Client(base_url=base_url, timeout=60)
        # The client's language choice travels as message metadata; Rasa keeps the first
        # message's metadata as the session-start metadata.
        self.metadata = {"language": language} if language else None

    def say(self, text: str) -> list[dict]:
        body: dict = {"sender": self.sender, "message": text}
        if self.metadata:
            body["metadata"] = self.metadata
        response = self.client.post("/webhooks/rest/webhook", json=body)
        response.raise_for_status()
        return response.json()

    def text(self, message: str) -> str:
        return "\n".join(reply.get("text", "") for reply in self.say(message))

    def tracker(self) -> dict:
        response = self.client.get(f"/conversations/{self.sender}/tracker", auth=self.api_auth)
        response.raise_for_status()
        return response.json()

    def slot(self, name: str):
        return self.tracker()["slots"].get(name)


@pytest.fixture
def conversation(system: System, settings: LauncherSettings):  # noqa: F811 (shared fixtures)
    def start(language: str | None = None) -> Conversation:
        return Conversation(settings.rasa_url, rasa_api_auth(settings), language)

    return start
