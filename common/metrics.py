"""Prometheus metrics every HTTP service shares: responses by status class and requests the
guard refused. Each app has its own registry (several apps may live in one test process);
`render` answers GET /metrics in the text exposition format."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.responses import Response


class ServiceMetrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.http_responses = Counter(
            f"{service}_http_responses_total",
            "HTTP responses by status class (5xx: server errors).",
            ["status_class"],
            registry=self.registry,
        )
        self.http_refused = Counter(
            f"{service}_http_refused_total",
            "Requests the guard refused: rate_limited (429), too_large (413), "
            "unavailable (503: a limit could not be checked).",
            ["reason"],
            registry=self.registry,
        )

    def observe_status(self, status: int) -> None:
        self.http_responses.labels(f"{status // 100}xx").inc()

    def observe_refused(self, reason: str) -> None:
        self.http_refused.labels(reason).inc()

    def render(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
