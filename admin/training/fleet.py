"""Every Rasa server of the deployment switched to one model together, or none of them.

In cluster mode several Rasa servers sit behind the load balancer (docs/deployment.md); a
conversation is pinned to one of them, so a model loaded on only one server would make the
assistant's understanding depend on which server a customer landed on. The fleet loads the model
on each server in turn (one at a time: a load takes a core and a model's memory, and the other
servers keep answering meanwhile), checks each one's `/status`, and when any server refuses or
does not answer, puts the servers it already switched back on the model each had before.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

logger = logging.getLogger(__name__)

# Loading a model takes tens of seconds on a small machine; a stuck load must still end.
MODEL_LOAD_TIMEOUT_SECONDS = 600.0


class FleetSwitchFailed(RuntimeError):
    """A server refused or missed the model; the message says which and what was put back."""


@dataclass(frozen=True)
class RasaServer:
    url: str

    def __str__(self) -> str:
        return self.url


class RasaFleet:
    def __init__(
        self,
        urls: Sequence[str],
        models_dir: Path,
        auth: httpx.Auth | None = None,
        timeout: float = 30.0,
        load_timeout: float = MODEL_LOAD_TIMEOUT_SECONDS,
    ) -> None:
        servers = [RasaServer(url.strip().rstrip("/")) for url in urls if url.strip()]
        if not servers:
            raise ValueError("no Rasa server to switch models on")
        self.servers = tuple(dict.fromkeys(servers))  # once each, in the configured order
        self._models_dir = models_dir
        self._auth = auth  # Rasa's API wants our services' JWT (common/rasa_http.py)
        self._timeout = timeout
        self._load_timeout = load_timeout

    async def active_models(self) -> dict[RasaServer, str | None]:
        """The model file each server serves; fails naming the first server that does not answer."""
        async with httpx.AsyncClient(timeout=self._timeout, auth=self._auth) as client:
            return {server: await self._active_model(client, server) for server in self.servers}

    async def activate(self, model: Path) -> dict[RasaServer, str | None]:
        """Loads `model` on every server; returns what each served before.

        Nothing starts unless every server answers. If a server fails half-way, the servers
        already switched (and the failing one, if it did switch) go back to their previous model,
        and FleetSwitchFailed says which server failed and how the rollback went."""
        model_file = await asyncio.to_thread(os.path.abspath, model)
        async with httpx.AsyncClient(timeout=self._timeout, auth=self._auth) as client:
            previous = {server: await self._active_model(client, server) for server in self.servers}
            touched: list[RasaServer] = []
            for server in self.servers:
                touched.append(server)
                try:
                    await self._load(client, server, model_file, model.name)
                except FleetSwitchFailed as error:
                    restored = await self._restore(client, touched, previous)
                    raise FleetSwitchFailed(f"{error}; {restored}") from None
        return previous

    async def _restore(
        self, client: httpx.AsyncClient, servers: list[RasaServer], previous: dict[RasaServer, str | None]
    ) -> str:
        """Puts `servers` back on their previous models; says what happened, in one sentence."""
        problems: list[str] = []
        for server in servers:
            before = previous[server]
            try:
                if await self._active_model(client, server) == before:
                    continue  # the failing server kept its model: Rasa swaps only after loading
                if before is None:
                    raise FleetSwitchFailed(f"{server} reported no model before the switch")
                await self._load(client, server, str(self._models_dir / before), before)
            except FleetSwitchFailed as error:
                logger.error("rollback after a failed model switch: %s", error)
                problems.append(str(error))
        if problems:
            return (
                "not every server could be confirmed back on its previous model (check them before "
                "the next switch): " + "; ".join(problems)
            )
        return "every server is back on the model it had"

    async def _active_model(self, client: httpx.AsyncClient, server: RasaServer) -> str | None:
        try:
            response = await client.get(f"{server.url}/status")
            response.raise_for_status()
            return response.json().get("model_file")
        except (httpx.HTTPError, ValueError) as error:
            raise FleetSwitchFailed(f"Rasa does not answer at {server}: {error}") from None

    async def _load(self, client: httpx.AsyncClient, server: RasaServer, model_file: str, name: str) -> None:
        # Rasa loads the new model next to the old one and swaps only when it has loaded.
        try:
            response = await client.put(
                f"{server.url}/model", json={"model_file": model_file}, timeout=self._load_timeout
            )
        except httpx.HTTPError as error:
            raise FleetSwitchFailed(f"Rasa at {server} could not be asked to load {name}: {error}") from None
        if response.status_code >= 300:
            raise FleetSwitchFailed(f"Rasa at {server} refused {name} ({response.status_code}): {response.text[:300]}")
        if (active := await self._active_model(client, server)) != name:
            raise FleetSwitchFailed(f"Rasa at {server} reports {active} instead of {name} after loading it")
