"""Rasa over HTTP: the REST channel for turns, the HTTP API for the tracker and health."""

import logging

import httpx

from common.conversation_routing import conversation_headers
from common.service_auth import RasaJwt

logger = logging.getLogger(__name__)


class DialogueUnavailable(Exception):
    """Rasa did not answer a turn (down, timed out, or failed inside)."""


class RasaClient:
    def __init__(self, base_url: str, http: httpx.AsyncClient, jwt: RasaJwt) -> None:
        self._base_url = base_url.rstrip("/")
        self._http = http
        self._jwt = jwt  # Rasa's HTTP API (tracker) wants a JWT; its REST channel does not look

    def _api_headers(self, sender: str) -> dict[str, str]:
        return {**conversation_headers(sender), **self._jwt.headers()}

    async def send_message(self, sender: str, text: str, metadata: dict) -> list[dict]:
        """One user turn through the REST channel; Rasa's bot messages in order."""
        try:
            response = await self._http.post(
                f"{self._base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata},
                headers=conversation_headers(sender),
            )
        except httpx.HTTPError as error:
            raise DialogueUnavailable(f"Rasa unreachable: {type(error).__name__}") from error
        if response.status_code != 200:
            raise DialogueUnavailable(f"Rasa answered HTTP {response.status_code}")
        try:
            messages = response.json()
        except ValueError as error:
            raise DialogueUnavailable("Rasa answered with something that is not JSON") from error
        if not isinstance(messages, list):
            raise DialogueUnavailable("Rasa's REST channel answered with something that is not a list")
        return [message for message in messages if isinstance(message, dict)]

    async def tracker(self, sender: str) -> dict | None:
        """The tracker state without events (slots and latest_message), or None when unavailable."""
        return await self._tracker(sender, "NONE")

    async def tracker_with_events(self, sender: str) -> dict | None:
        """The tracker with the events of the current session (after the latest restart), or None."""
        return await self._tracker(sender, "AFTER_RESTART")

    async def _tracker(self, sender: str, include_events: str) -> dict | None:
        try:
            response = await self._http.get(
                f"{self._base_url}/conversations/{sender}/tracker",
                params={"include_events": include_events},
                headers=self._api_headers(sender),
            )
        except httpx.HTTPError as error:
            logger.warning("tracker of a conversation unavailable: %s", type(error).__name__)
            return None
        if response.status_code != 200:
            logger.warning("tracker request answered HTTP %s", response.status_code)
            return None
        return response.json()

    async def append_events(self, sender: str, events: list[dict]) -> bool:
        """Append events to the conversation's tracker (Rasa's HTTP API); False when that failed."""
        try:
            response = await self._http.post(
                f"{self._base_url}/conversations/{sender}/tracker/events",
                params={"include_events": "NONE"},
                json=events,
                headers=self._api_headers(sender),
            )
        except httpx.HTTPError as error:
            logger.warning("could not append tracker events: %s", type(error).__name__)
            return False
        if response.status_code != 200:
            logger.warning("appending tracker events answered HTTP %s", response.status_code)
            return False
        return True

    async def is_reachable(self) -> bool:
        try:
            response = await self._http.get(f"{self._base_url}/", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200
