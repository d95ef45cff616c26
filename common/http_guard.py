"""The HTTP guard: one ASGI middleware in front of a service (docs/operations.md "Hardening").

- per-IP rate limits, in Redis (common/redis_bucket.py) so they hold across instances: one
  bucket for HTTP requests, one for new WebSocket connections. Over the limit an HTTP request
  gets 429 with Retry-After and a JSON ``detail``; a WebSocket is accepted, told why in one frame
  the service supplies (the bridge: a protocol ``error`` frame ``rate_limited``) and closed with
  1013 (try again later).
- a limit that cannot be checked (Redis unreachable, its connection pool exhausted) fails
  closed: an HTTP request gets 503 with Retry-After and a JSON ``detail``, a WebSocket the
  service's frame (the bridge: ``temporarily_unavailable``) and 1013. Letting requests pass
  unchecked would switch the limits off exactly when the service is under the most load.
- request size: a body over ``max_body_bytes`` gets 413, with or without Content-Length (a
  chunked body is read up to the limit, then replayed to the app).
- security headers on every HTTP response (the service's policy per path; headers a route sets
  itself win).
- every response's status goes to an optional observer (the services count 5xx in /metrics).

The client address is the ASGI ``client``: the connection's peer, or, from a proxy listed in the
service's ``trusted_proxies`` setting, what that proxy put in X-Forwarded-For (uvicorn's proxy
headers, configured by ``forwarding_options``). X-Forwarded-For from anyone else is ignored, so a
client can neither dodge its own limit nor spend someone else's.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import AfterValidator
from redis.asyncio import Redis
from redis.exceptions import RedisError

from common.redis_bucket import RedisTokenBucket

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# WebSocket close code "try again later" (RFC 6455 registry).
CLOSE_TRY_AGAIN_LATER = 1013
# When a limit could not be checked: Redis restarts in a second or two, a busy pool frees sooner.
UNCHECKED_RETRY_AFTER_S = 3
# Why a request was refused (the metrics' `reason` label; the WebSocket refusal frame's subject).
RATE_LIMITED, TOO_LARGE, UNAVAILABLE = "rate_limited", "too_large", "unavailable"
_CLOSE_REASONS = {
    RATE_LIMITED: "too many new connections from your address",
    UNAVAILABLE: "briefly unavailable, try again shortly",
}
_HTTP_REFUSALS = {
    RATE_LIMITED: (429, "Too many requests from your address; try again in {seconds} s."),
    UNAVAILABLE: (503, "The service is briefly unavailable; please try again in {seconds} s."),
}


@dataclass(frozen=True)
class GuardLimits:
    max_body_bytes: int
    requests_per_second: float
    request_burst: int
    connections_per_second: float
    connection_burst: int
    # Paths never rate limited: health checks, metrics, calls from our own services.
    exempt_paths: frozenset[str] = frozenset()
    key_prefix: str = "ratelimit"

    @classmethod
    def from_settings(cls, settings: Any, exempt_paths: frozenset[str]) -> "GuardLimits":
        """The limits from a service's settings; every service names them the same way."""
        return cls(
            max_body_bytes=settings.max_request_bytes,
            requests_per_second=settings.ip_requests_per_second,
            request_burst=settings.ip_request_burst,
            connections_per_second=settings.ip_connections_per_second,
            connection_burst=settings.ip_connection_burst,
            exempt_paths=exempt_paths,
            key_prefix=settings.key("ratelimit"),
        )


@dataclass
class GuardHooks:
    """What the guard needs from its service, looked up per request (the app's state exists only
    after start-up)."""

    redis: Callable[[Any], Redis | None]
    headers: Callable[[str], Mapping[str, str]]
    # The text of the one frame a refused WebSocket gets, from why (RATE_LIMITED / UNAVAILABLE)
    # and the seconds to wait (None: closed without a frame).
    websocket_refusal: Callable[[str, float], str] | None = None
    on_status: Callable[[int], None] | None = None
    on_refused: Callable[[str], None] | None = None  # RATE_LIMITED / TOO_LARGE / UNAVAILABLE
    _buckets: dict[tuple[int, str], RedisTokenBucket] = field(default_factory=dict)


class HttpGuard:
    def __init__(self, app: Callable, limits: GuardLimits, hooks: GuardHooks) -> None:
        self.app = app
        self._limits = limits
        self._hooks = hooks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        refusal, wait_s = (None, 0.0) if path in self._limits.exempt_paths else await self._check_limit(scope, kind)
        if kind == "websocket":
            if refusal is not None:
                await self._refuse_websocket(receive, send, refusal, wait_s)
                return
            await self.app(scope, receive, send)
            return
        headers = dict(self._hooks.headers(path))
        if refusal is not None:
            self._refused(refusal)
            seconds = math.ceil(wait_s)
            status, detail = _HTTP_REFUSALS[refusal]
            await _json_response(
                send,
                status,
                {"detail": detail.format(seconds=seconds), "retry_after_s": seconds},
                {**headers, "Retry-After": str(seconds)},
                self._hooks.on_status,
            )
            return
        receive_body = await self._checked_body(scope, receive)
        if receive_body is None:
            self._refused(TOO_LARGE)
            await _json_response(
                send,
                413,
                {"detail": f"The request body is larger than {self._limits.max_body_bytes} bytes."},
                {**headers, "Connection": "close"},
                self._hooks.on_status,
            )
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (name.lower().encode("latin-1"), value.encode("latin-1"))
                    for name, value in headers.items()
                    if name.lower().encode("latin-1") not in present
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
                if self._hooks.on_status is not None:
                    self._hooks.on_status(int(message["status"]))
            await send(message)

        await self.app(scope, receive_body, send_with_headers)

    # --- rate limits -------------------------------------------------------------------------

    async def _check_limit(self, scope: Scope, kind: str) -> tuple[str | None, float]:
        """(None, 0.0) within the limit, else why it is refused and the seconds to wait."""
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if kind == "websocket":
            rate, burst, name = self._limits.connections_per_second, self._limits.connection_burst, "ws"
        else:
            rate, burst, name = self._limits.requests_per_second, self._limits.request_burst, "http"
        redis = self._hooks.redis(scope.get("app"))
        if redis is None:  # the service's start-up has not made its client (yet)
            return _unchecked("no Redis client")
        try:
            wait = await self._bucket(redis, name, rate, burst).take(f"{self._limits.key_prefix}:{name}:{address}")
        except (RedisError, OSError) as error:
            return _unchecked(type(error).__name__)
        return (RATE_LIMITED, wait) if wait > 0 else (None, 0.0)

    def _bucket(self, redis: Redis, name: str, rate: float, burst: int) -> RedisTokenBucket:
        key = (id(redis), name)
        bucket = self._hooks._buckets.get(key)
        if bucket is None:
            bucket = self._hooks._buckets[key] = RedisTokenBucket(redis, rate, burst)
        return bucket

    async def _refuse_websocket(self, receive: Receive, send: Send, refusal: str, wait: float) -> None:
        self._refused(refusal)
        message = await receive()
        if message["type"] != "websocket.connect":
            return
        await send({"type": "websocket.accept"})
        if self._hooks.websocket_refusal is not None:
            await send({"type": "websocket.send", "text": self._hooks.websocket_refusal(refusal, wait)})
        await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER, "reason": _CLOSE_REASONS[refusal]})

    def _refused(self, reason: str) -> None:
        if self._hooks.on_refused is not None:
            self._hooks.on_refused(reason)

    # --- request size ------------------------------------------------------------------------

    async def _checked_body(self, scope: Scope, receive: Receive) -> Receive | None:
        """The receive callable for the app, or None when the body is too large."""
        limit = self._limits.max_body_bytes
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None:
            text = length.decode("latin-1").strip()
            if not text.isdigit() or int(text) > limit:
                return None
            return receive
        if b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            return receive
        # Chunked: read up to the limit, then hand the app the same messages.
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                return None
            if not message.get("more_body", False):
                break
        replay = iter(messages)

        async def replayed() -> Message:
            for message in replay:
                return message
            return await receive()

        return replayed


def _unchecked(cause: str) -> tuple[str, float]:
    # No client address in the message: logs must not carry personal data.
    logger.warning("rate limit not checked (%s); refusing the request, retry in %d s", cause, UNCHECKED_RETRY_AFTER_S)
    return UNAVAILABLE, UNCHECKED_RETRY_AFTER_S


async def _json_response(
    send: Send, status: int, body: dict, headers: Mapping[str, str], on_status: Callable[[int], None] | None
) -> None:
    payload = json.dumps(body).encode()
    raw = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        *[(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()],
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})
    if on_status is not None:
        on_status(status)


# --- security headers ---------------------------------------------------------------------------

BASE_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
# JSON APIs: nothing to render, nothing to frame.
API_CSP = "default-src 'none'; frame-ancestors 'none'"


# --- the client address behind a proxy --------------------------------------------------------


def _proxy_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _check_trusted_proxies(value: str) -> str:
    """Every entry an IP address or network; uvicorn would take anything else as a host name
    that never matches, so a typo would silently trust nobody."""
    for entry in _proxy_list(value):
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or network (CIDR)") from None
    return ",".join(_proxy_list(value))


# A settings field: comma-separated IPs / CIDRs of the proxies whose X-Forwarded-For is believed.
TrustedProxies = Annotated[str, AfterValidator(_check_trusted_proxies)]


def forwarding_options(trusted_proxies: str) -> dict[str, Any]:
    """uvicorn's settings for X-Forwarded-For: believed from `trusted_proxies` only, from nobody
    when empty (uvicorn's own default believes any local process: 127.0.0.1)."""
    proxies = _proxy_list(trusted_proxies)
    if not proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": proxies}
