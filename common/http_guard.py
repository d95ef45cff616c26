"""The HTTP guard: one ASGI middleware in front of a service (docs/operations.md "Hardening").

- per-IP rate limits, in Redis (common/redis_bucket.py) so they hold across instances: one
  bucket for HTTP requests, one for new WebSocket connections. Over the limit an HTTP request
  gets 429 with Retry-After and a JSON ``detail``; a WebSocket is accepted, told why in one frame
  the service supplies (the bridge: a protocol ``error`` frame ``rate_limited``) and closed with
  1013 (try again later).
- request size: a body over ``max_body_bytes`` gets 413, with or without Content-Length (a
  chunked body is read up to the limit, then replayed to the app).
- security headers on every HTTP response (the service's policy per path; headers a route sets
  itself win).
- every response's status goes to an optional observer (the services count 5xx in /metrics).

The client address is the ASGI ``client`` (behind a proxy, start uvicorn with
``--forwarded-allow-ips`` so that it is the real customer's). If Redis does not answer, requests
pass (a limit must not take the service down with it) and a warning is logged.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

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
    # The text of the one frame a refused WebSocket gets (None: closed without a frame).
    websocket_refusal: Callable[[float], str] | None = None
    on_status: Callable[[int], None] | None = None
    on_refused: Callable[[str], None] | None = None  # "rate_limited" / "too_large"
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
        wait = 0.0 if path in self._limits.exempt_paths else await self._wait(scope, kind)
        if kind == "websocket":
            if wait > 0:
                await self._refuse_websocket(receive, send, wait)
                return
            await self.app(scope, receive, send)
            return
        headers = dict(self._hooks.headers(path))
        if wait > 0:
            self._refused("rate_limited")
            await _json_response(
                send, 429, {"detail": f"Too many requests from your address; try again in {math.ceil(wait)} s.",
                            "retry_after_s": math.ceil(wait)},
                {**headers, "Retry-After": str(math.ceil(wait))}, self._hooks.on_status,
            )
            return
        receive_body = await self._checked_body(scope, receive)
        if receive_body is None:
            self._refused("too_large")
            await _json_response(
                send, 413, {"detail": f"The request body is larger than {self._limits.max_body_bytes} bytes."},
                {**headers, "Connection": "close"}, self._hooks.on_status,
            )
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name.lower().encode("latin-1"), value.encode("latin-1"))
                         for name, value in headers.items() if name.lower().encode("latin-1") not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
                if self._hooks.on_status is not None:
                    self._hooks.on_status(int(message["status"]))
            await send(message)

        await self.app(scope, receive_body, send_with_headers)

    # --- rate limits -------------------------------------------------------------------------

    async def _wait(self, scope: Scope, kind: str) -> float:
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if kind == "websocket":
            rate, burst, name = self._limits.connections_per_second, self._limits.connection_burst, "ws"
        else:
            rate, burst, name = self._limits.requests_per_second, self._limits.request_burst, "http"
        try:
            redis = self._hooks.redis(scope.get("app"))
            if redis is None:
                return 0.0
            bucket = self._bucket(redis, name, rate, burst)
            return await bucket.take(f"{self._limits.key_prefix}:{name}:{address}")
        except (RedisError, OSError, AttributeError) as error:
            logger.warning("rate limit not checked (%s); letting the request pass", type(error).__name__)
            return 0.0

    def _bucket(self, redis: Redis, name: str, rate: float, burst: int) -> RedisTokenBucket:
        key = (id(redis), name)
        bucket = self._hooks._buckets.get(key)
        if bucket is None:
            bucket = self._hooks._buckets[key] = RedisTokenBucket(redis, rate, burst)
        return bucket

    async def _refuse_websocket(self, receive: Receive, send: Send, wait: float) -> None:
        self._refused("rate_limited")
        message = await receive()
        if message["type"] != "websocket.connect":
            return
        await send({"type": "websocket.accept"})
        if self._hooks.websocket_refusal is not None:
            await send({"type": "websocket.send", "text": self._hooks.websocket_refusal(wait)})
        await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER,
                    "reason": "too many new connections from your address"})

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


async def _json_response(send: Send, status: int, body: dict, headers: Mapping[str, str],
                         on_status: Callable[[int], None] | None) -> None:
    payload = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
           *[(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]]
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
