"""The handoff service's Prometheus metrics (GET /metrics; docs/operations.md "Metrics").

Queue figures are read from Redis when scraped, so every instance reports the same shared
values (aggregate them with max(), not sum()):
- ``handoff_queue_length``: conversations waiting for an agent.
- ``handoff_live_conversations``: handed-off conversations not yet finished.
- ``handoff_requests_total``: handoff records ever added to the request stream (Redis 7's
  ``entries-added``, which trimming does not lower).
Plus ``handoff_http_responses_total{status_class}`` and ``handoff_http_refused_total{reason}``.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.responses import Response

from common.metrics import ServiceMetrics
from handoff.core.config import HandoffSettings


class _QueueFigures:
    """A collector showing the figures read last (collect() is synchronous; reading is not)."""

    def __init__(self) -> None:
        self.queue_length: float | None = None
        self.live: float | None = None
        self.requests: float | None = None

    def collect(self) -> Iterator:
        if self.queue_length is not None:
            yield GaugeMetricFamily(
                "handoff_queue_length", "Conversations waiting for an agent.", value=self.queue_length
            )
        if self.live is not None:
            yield GaugeMetricFamily(
                "handoff_live_conversations", "Handed-off conversations not finished.", value=self.live
            )
        if self.requests is not None:
            yield CounterMetricFamily(
                "handoff_requests", "Handoff requests received (stream entries added).", value=self.requests
            )

    def describe(self) -> list:
        return []


class HandoffMetrics(ServiceMetrics):
    def __init__(self, settings: HandoffSettings) -> None:
        super().__init__("handoff")
        self._settings = settings
        self._figures = _QueueFigures()
        self.registry.register(self._figures)

    async def refresh(self, redis: Redis) -> None:
        settings = self._settings
        try:
            self._figures.queue_length = float(await redis.zcard(settings.key("queue")))
            self._figures.live = float(await redis.zcard(settings.key("live")))
            try:
                info = await redis.xinfo_stream(settings.requests_stream)
                self._figures.requests = float(info.get("entries-added", info.get("length", 0)))
            except RedisError:  # no stream yet: nothing requested
                self._figures.requests = 0.0
        except (RedisError, OSError):
            self._figures.queue_length = self._figures.live = self._figures.requests = None

    async def render_from(self, redis: Redis) -> Response:
        await self.refresh(redis)
        return self.render()
