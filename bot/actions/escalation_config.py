"""The escalation configuration as the action server reads it: from Redis, cached briefly.

The admin console writes the key (handoff service); the action server only reads it, through the
stored form both share (contracts/escalation/stored.py). A change is seen within `cache_seconds`.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional, Tuple

from contracts.escalation.config import EscalationConfig
from contracts.escalation.stored import ESCALATION_CONFIG_KEY, config_from_stored


class EscalationConfigReader:
    def __init__(
        self, redis_client: Any, cache_seconds: float = 0.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._redis = redis_client
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cached: Optional[Tuple[float, EscalationConfig, int]] = None

    @property
    def redis(self) -> Any:
        return self._redis

    def current(self) -> Tuple[EscalationConfig, int]:
        """The config in force and its version (0 = the shipped defaults). Redis errors propagate
        (the caller degrades to the defaults); a stored value that does not parse gives the defaults."""
        now = self._clock()
        if self._cached and now - self._cached[0] < self._cache_seconds:
            return self._cached[1], self._cached[2]
        config, version = config_from_stored(self._redis.get(ESCALATION_CONFIG_KEY))
        self._cached = (now, config, version)
        return config, version
