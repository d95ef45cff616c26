"""What the process that mounts the admin console provides (docs/architecture.md).

The console is its own part: it imports ``contracts`` and ``common`` only. Whatever it needs from
the service that hosts it (today the handoff service) comes through this one object, built by the
host when it mounts the console:

- who is signed in: the host owns users and sign-in; ``authenticate_admin`` returns the signed-in
  admin (anything with a ``username``) or raises an HTTP 401/403, ``authenticate_supervisor``
  the same for a supervisor or an admin (incidents);
- where things are: Redis, Rasa's HTTP API (every instance, for model switches), the avatar
  bridge's internal tone interface, and how to sign a request to them;
- runtime objects the host creates in its lifespan (the SQL session factory, the Redis client),
  as callables because they exist only once the app has started;
- the conversation outcomes the host records, as plain mappings (``outcome_records``).
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from fastapi import Request
from redis.asyncio import Redis as AsyncRedis
from sqlalchemy.orm import Session, sessionmaker


class SignedIn(Protocol):
    username: str


@dataclass(frozen=True)
class AdminHost:
    authenticate_admin: Callable[[Request], Awaitable[SignedIn]]
    # Supervisors (and admins) may publish incidents; everything else is for admins.
    authenticate_supervisor: Callable[[Request], Awaitable[SignedIn]]
    session_factory: Callable[[], sessionmaker]
    redis: Callable[[], AsyncRedis]
    outcome_records: Callable[[Session, datetime, datetime], Sequence[Mapping[str, Any]]]
    redis_url: str
    redis_password: str | None
    # The host's key prefix: the training job's lock and model-switch notices live under it.
    key_prefix: str
    rasa_url: str
    rasa_instance_urls: tuple[str, ...]
    # Signs requests to our services' internal interfaces with a short-lived service token:
    # Rasa's HTTP API and the avatar bridge's /internal/tone (common.rasa_http.RasaApiAuth).
    rasa_auth: Any
    # The avatar bridge's base URL: it keeps the expression table and the playbooks.
    bridge_url: str
