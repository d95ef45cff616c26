"""The bridge's Prometheus metrics (GET /metrics; docs/operations.md "Metrics").

- ``bridge_turn_latency_seconds``: from the start of a user turn (the message taken up by its
  session) to its first text cue going out.
- ``bridge_error_frames_total{code}``: error frames sent, by protocol error code.
- ``bridge_http_responses_total{status_class}``, ``bridge_http_refused_total{reason}`` (common).

Observed without touching the session code: the turn handler and the codec are wrapped.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import Counter, Histogram

from avatar_bridge.protocol.messages import BotMessage, ErrorFrame, ServerFrame
from common.metrics import ServiceMetrics

_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0, 30.0)


class BridgeMetrics(ServiceMetrics):
    def __init__(self) -> None:
        super().__init__("bridge")
        self.turn_latency = Histogram(
            "bridge_turn_latency_seconds",
            "User message to the first text cue of its answer.",
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.error_frames = Counter(
            "bridge_error_frames_total",
            "Error frames sent to clients, by code.",
            ["code"],
            registry=self.registry,
        )
        self._turn_started: dict[str, float] = {}

    def wrap_turn_handler(
        self, handler: Callable[[Any, Any], Awaitable[None]]
    ) -> Callable[[Any, Any], Awaitable[None]]:
        async def timed(runtime: Any, message: Any) -> None:
            self._turn_started[message.id] = time.monotonic()
            try:
                await handler(runtime, message)
            finally:
                self._turn_started.pop(message.id, None)

        return timed

    def observe_frame(self, frame: ServerFrame) -> None:
        if isinstance(frame, ErrorFrame):
            self.error_frames.labels(str(frame.code)).inc()
        elif isinstance(frame, BotMessage):
            started = self._turn_started.pop(frame.reply_to, None)
            if started is not None:
                self.turn_latency.observe(time.monotonic() - started)


class MeteredCodec:
    """The protocol codec, telling the metrics about every frame it encodes."""

    def __init__(self, codec: Any, metrics: BridgeMetrics) -> None:
        self._codec = codec
        self._metrics = metrics

    def encode(self, frame: ServerFrame, validate: bool = False) -> str:
        payload = self._codec.encode(frame, validate=validate)
        self._metrics.observe_frame(frame)
        return payload

    def __getattr__(self, name: str) -> Any:
        return getattr(self._codec, name)
