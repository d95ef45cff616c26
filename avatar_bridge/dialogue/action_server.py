"""Is Rasa's action server up, and did a turn need it?

With the action server unreachable, Rasa 3.6 does not fail the turn: `MessageProcessor._run_action`
logs "Encountered an exception while running action ..." and goes on with the action's events
lost. A form whose validation is a custom action stays active with its question unanswered, and a
request that starts with a custom action ends in Rasa's default fallback ("I'm not sure what the
right next step is"), which blames the customer for our outage. The REST channel still answers
200. So the bridge finds out itself: a cached probe of the action server's ``GET /health`` (one
HTTP call per ``action_server_probe_s`` at most, not one per turn), and, only while the probe says
"down", a look at the turn's tracker events for a custom action or an active form.
"""

import asyncio
import logging
import time
from collections.abc import Iterable
from pathlib import Path

import httpx
import yaml

logger = logging.getLogger(__name__)
PROBE_TIMEOUT_S = 2.0
CONFIRM_DELAY_S = 0.5


class ActionServerHealth:
    """The action server's health, probed at most once per `ttl_s` (concurrent turns share a probe)."""

    def __init__(self, base_url: str | None, http: httpx.AsyncClient, ttl_s: float) -> None:
        # Rasa's endpoint URL ends in /webhook; the health route is at the server's root.
        self._health_url = f"{base_url.rstrip('/').removesuffix('/webhook')}/health" if base_url else None
        self._http = http
        self._ttl_s = ttl_s
        self._checked_at = float("-inf")
        self._up = True
        self._lock = asyncio.Lock()

    async def is_down(self) -> bool:
        if self._health_url is None:
            return False
        if time.monotonic() - self._checked_at < self._ttl_s:
            return not self._up
        async with self._lock:
            if time.monotonic() - self._checked_at >= self._ttl_s:
                # A "down" verdict replaces real answers for ttl_s, so one failed probe (a busy
                # machine, an instance restarting behind nginx) is confirmed by a second one.
                self._up = await self._probe() or await self._probe_again()
                self._checked_at = time.monotonic()
        return not self._up

    async def _probe_again(self) -> bool:
        await asyncio.sleep(CONFIRM_DELAY_S)
        return await self._probe()

    async def _probe(self) -> bool:
        assert self._health_url is not None
        try:
            response = await self._http.get(self._health_url, timeout=PROBE_TIMEOUT_S)
        except httpx.HTTPError as error:
            logger.warning("action server unreachable: %s", type(error).__name__)
            return False
        if response.status_code != 200:
            logger.warning("action server health answered HTTP %s", response.status_code)
            return False
        return True


def custom_action_names(paths: Iterable[Path]) -> frozenset[str]:
    """The domain's custom actions and forms (forms validate through a custom action)."""
    names: set[str] = set()
    for path in paths:
        files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
        for file in files:
            try:
                document = yaml.safe_load(file.read_text("utf-8"))
            except (OSError, yaml.YAMLError) as error:
                logger.warning("could not read %s for its actions: %s", file, error)
                continue
            if not isinstance(document, dict):
                continue
            names.update(str(name) for name in document.get("actions") or [] if isinstance(name, str))
            forms = document.get("forms")
            if isinstance(forms, dict):
                names.update(str(name) for name in forms)
    return frozenset(names)


def turn_needed_action_server(tracker: dict | None, custom_actions: frozenset[str]) -> bool:
    """Whether the latest turn ran a custom action or a form, or left a form active.

    The turn starts after the last ``action_listen`` before the latest user message, so a failed
    ``action_session_start`` of a new conversation counts too.
    """
    if not isinstance(tracker, dict):
        return False
    active_loop = tracker.get("active_loop")
    if isinstance(active_loop, dict) and active_loop.get("name"):
        return True
    events = [event for event in tracker.get("events") or [] if isinstance(event, dict)]
    users = [index for index, event in enumerate(events) if event.get("event") == "user"]
    if not users:
        return False
    start = 0
    for index in range(users[-1] - 1, -1, -1):
        if events[index].get("event") == "action" and events[index].get("name") == "action_listen":
            start = index + 1
            break
    return any(event.get("event") == "action" and event.get("name") in custom_actions for event in events[start:])


# Appended to the tracker when a form is stuck: Rasa's own way of deactivating a loop.
RESET_LOOP_EVENTS = [
    {"event": "active_loop", "name": None},
    {"event": "slot", "name": "requested_slot", "value": None},
]
