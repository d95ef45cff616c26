"""The bridge's HTTP guard (common/http_guard.py) and its security headers.

Headers: the web client page gets a CSP that allows exactly what the widget does (its own
script and model files, inline styles it injects, data:/blob: images and audio, the configured
logo's https origin, the WebSocket to its own origin, and WebAssembly compilation for the avatar's
mesh decoder, `'wasm-unsafe-eval'`, which allows no JavaScript eval, and `blob:` fetches for the
model's embedded textures); no frame-ancestors, as sites may frame the assistant. /widget.js is
loaded by other sites' pages, so it gets no policy that would stop that. Everything else is API: no
content, no framing.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from avatar_bridge.core.config import Settings
from avatar_bridge.core.widget_look import logo_origin
from avatar_bridge.protocol.errors import ErrorCode
from common.http_guard import API_CSP, BASE_HEADERS, RATE_LIMITED, UNAVAILABLE, GuardHooks, GuardLimits
from common.metrics import ServiceMetrics

EXEMPT_PATHS = frozenset({"/nlg", "/healthz", "/readyz", "/metrics"})
# The page may use the microphone (speech input, docs/protocol.md §7a), itself only: no frame in it.
WEB_CLIENT_PERMISSIONS = "camera=(), microphone=(self), geolocation=(), payment=(), usb=()"


def web_client_csp(logo_url: str | None = None) -> str:
    images = " ".join(filter(None, ("'self' data: blob:", logo_origin(logo_url))))
    return (
        f"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; media-src 'self' data: blob:; connect-src 'self' blob:; "
        "worker-src 'self' blob:; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'"
    )


WEB_CLIENT_CSP = web_client_csp()


def security_headers(settings: Settings) -> Callable[[str], Mapping[str, str]]:
    page = {
        **BASE_HEADERS,
        "Content-Security-Policy": web_client_csp(settings.widget_logo_url),
        "Permissions-Policy": WEB_CLIENT_PERMISSIONS,
    }
    api = {**BASE_HEADERS, "Content-Security-Policy": API_CSP, "X-Frame-Options": "DENY"}

    def headers_for(path: str) -> Mapping[str, str]:
        if path == "/":
            return page
        if path == "/widget.js":
            return BASE_HEADERS
        return api

    return headers_for


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
        headers=security_headers(settings),
        websocket_refusal=_refusal_frame,
        on_status=metrics.observe_status,
        on_refused=metrics.observe_refused,
    )
    return limits, hooks
