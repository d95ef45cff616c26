"""A Rasa event broker that keeps the bot's conversation log in Redis (contracts/redis_keys.py).

Rasa calls ``publish`` with every new event of every conversation (its documented event-broker
interface; bot/endpoints.yml ``event_broker``). Each event is appended to the conversation's list
(capped at ``CONVERSATION_EVENTS_MAX``, kept ``retention_s`` after the last event, like the tracker
store) and the conversation's last-event time is put in an index. The handoff service and the admin
console read this log; Rasa's own tracker store is never read by another service.

A Redis failure is logged and the event dropped from the log: it never fails the customer's turn.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Dict, Optional, Text

import redis
from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from contracts.redis_keys import CONVERSATION_EVENTS_MAX, CONVERSATIONS_BY_LAST_EVENT, conversation_events_key

logger = logging.getLogger(__name__)
DEFAULT_RETENTION_S = 30 * 24 * 3600
MAX_EVENT_BYTES = 200_000


class ConversationLogBroker(EventBroker):
    def __init__(self, client: redis.Redis, retention_s: int = DEFAULT_RETENTION_S) -> None:
        self._redis = client
        self._retention_s = retention_s

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: Any = None
    ) -> Optional["ConversationLogBroker"]:
        settings = broker_config.kwargs
        client = redis.Redis(
            host=broker_config.url or "localhost",
            port=int(settings.get("port") or 6379),
            db=int(settings.get("db") or 0),
            password=settings.get("password") or None,
            socket_timeout=2,
            socket_connect_timeout=2,
            retry_on_timeout=True,
        )
        return cls(client, int(settings.get("retention_s") or DEFAULT_RETENTION_S))

    def publish(self, event: Dict[Text, Any]) -> None:
        sender_id = event.get("sender_id")
        if not sender_id:
            return
        body = json.dumps(event, separators=(",", ":"), default=str)
        if len(body) > MAX_EVENT_BYTES:  # a pathological event: keep the log bounded
            logger.warning("conversation log: an event of %d bytes was not logged", len(body))
            return
        timestamp = event.get("timestamp") if isinstance(event.get("timestamp"), (int, float)) else time.time()
        key = conversation_events_key(str(sender_id))
        try:
            with self._redis.pipeline(transaction=False) as pipe:
                pipe.rpush(key, body)
                pipe.ltrim(key, -CONVERSATION_EVENTS_MAX, -1)
                pipe.expire(key, self._retention_s)
                pipe.zadd(CONVERSATIONS_BY_LAST_EVENT, {str(sender_id): float(timestamp)})
                pipe.zremrangebyscore(CONVERSATIONS_BY_LAST_EVENT, "-inf", time.time() - self._retention_s)
                pipe.execute()
        except redis.RedisError as error:
            logger.warning("conversation log: event not logged (%s)", type(error).__name__)

    def is_ready(self) -> bool:
        try:
            return bool(self._redis.ping())
        except redis.RedisError:
            return False

    async def close(self) -> None:
        self._redis.close()
