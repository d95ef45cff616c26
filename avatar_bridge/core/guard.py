"""The bridge's HTTP guard (common/http_guard.py) and its security headers.

Headers: the web client page gets a CSP that allows exactly what the widget does (its own
script and model files, inline styles it injects, data:/blob: images and audio, the WebSocket
to its own origin); no frame-ancestors, as sites may frame the assistant. /widget.js is loaded
by other sites' pages, so it gets no policy that would stop that. Everything else is API: no
content, no framing.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping
from typing import Any

from avatar_bridge.core.config import Settings
from avatar_bridge.protocol.errors import ErrorCode
from common.http_guard import API_CSP, BASE_HEADERS, RATE_LIMITED, UNAVAILABLE, GuardHooks, GuardLimits
from common.metrics import ServiceMetrics

WEB_CLIENT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' data: blob:; connect-src 'self'; "
    "worker-src 'self' blob:; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'"
)
EXEMPT_PATHS = frozenset({"/nlg", "/healthz", "/readyz", "/metrics"})
# The page may use the microphone (speech input, docs/protocol.md §7a), itself only: no frame in it.
WEB_CLIENT_PERMISSIONS = "camera=(), microphone=(self), geolocation=(), payment=(), usb=()"


def headers_for(path: str) -> Mapping[str, str]:
    if path == "/":
        return {**BASE_HEADERS, "Content-Security-Policy": WEB_CLIENT_CSP, "Permissions-Policy": WEB_CLIENT_PERMISSIONS}
    if path == "/widget.js":
        return BASE_HEADERS
    return {**BASE_HEADERS, "Content-Security-Policy": API_CSP, "X-Frame-Options": "DENY"}


# Why the guard refused a new socket -> the protocol error (docs/protocol.md §6) that says so.
_REFUSALS = {
    RATE_LIMITED: (ErrorCode.RATE_LIMITED, "Too many new connections from your address; please try again shortly."),
    UNAVAILABLE: (
        ErrorCode.TEMPORARILY_UNAVAILABLE,
        "The assistant is briefly unavailable; please try again in a few seconds.",
    ),
}


def _refusal_frame(refusal: str, wait_s: float) -> str:
    """A protocol error frame (docs/protocol.md §6) for a refused connection; it is then closed."""
    code, message = _REFUSALS[refusal]
    return json.dumps(
        {
            "v": 1,
            "type": "error",
            "ts": time.time(),
            "code": code.value,
            "fatal": True,
            "message": message,
            "retry_after_ms": math.ceil(wait_s * 1000),
        }
    )


def _redis(app: Any) -> Any:
    services = getattr(app.state, "services", None) if app is not None else None
    return services.redis if services is not None else None


def guard_config(settings: Settings, metrics: ServiceMetrics) -> tuple[GuardLimits, GuardHooks]:
    limits = GuardLimits.from_settings(settings, EXEMPT_PATHS)
    hooks = GuardHooks(
        redis=_redis,
        headers=headers_for,
        websocket_refusal=_refusal_frame,
        on_status=metrics.observe_status,
        on_refused=metrics.observe_refused,
    )
    return limits, hooks
