"""The handoff service's HTTP guard (common/http_guard.py) and security headers.

The console pages set their own CSP (handoff/api/pages.py); everything gets the base headers
and ``X-Frame-Options: DENY`` (the consoles are never framed); API responses get a CSP that
allows nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from common.http_guard import API_CSP, BASE_HEADERS, GuardHooks, GuardLimits
from common.metrics import ServiceMetrics
from handoff.core.config import HandoffSettings

EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
_HEADERS = {**BASE_HEADERS, "Content-Security-Policy": API_CSP, "X-Frame-Options": "DENY"}


def headers_for(_path: str) -> Mapping[str, str]:
    return _HEADERS


def _redis(app: Any) -> Any:
    return getattr(app.state, "redis", None) if app is not None else None


def guard_config(settings: HandoffSettings, metrics: ServiceMetrics) -> tuple[GuardLimits, GuardHooks]:
    limits = GuardLimits.from_settings(settings, EXEMPT_PATHS)
    hooks = GuardHooks(
        redis=_redis, headers=headers_for, on_status=metrics.observe_status, on_refused=metrics.observe_refused
    )
    return limits, hooks
