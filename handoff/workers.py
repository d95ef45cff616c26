"""The service's background tasks, started and stopped by the app's lifespan."""

import asyncio
import logging

from fastapi import FastAPI
from redis.exceptions import RedisError

from contracts.redis_keys import BRIDGE_AGENT_INBOX, BRIDGE_CSAT, BRIDGE_SESSION_ENDS
from handoff.core.config import HandoffSettings
from handoff.intake.handlers import ContextBuilder, Handlers
from handoff.intake.streams import StreamConsumer
from handoff.outcomes.bot_sessions import BotSessionSweeper
from handoff.queue.service import HandoffService

logger = logging.getLogger(__name__)
GROUP = "handoff"
STOP_TIMEOUT_SECONDS = 5.0


class Workers:
    def __init__(self, app: FastAPI, settings: HandoffSettings) -> None:
        self._settings = settings
        self._queue = app.state.queue
        self._rank_index_ready = getattr(app.state, "rank_index_ready", True)
        self._tasks: list[asyncio.Task] = []
        self.service = HandoffService(app.state.queue, settings, app.state.session_factory, background_positions=True)
        app.state.service = self.service
        handlers = Handlers(self.service, ContextBuilder(settings.customer_db_url), app.state.session_factory)
        redis = app.state.redis
        rejected = settings.key("rejected")
        self.sweeper = BotSessionSweeper(
            redis, app.state.session_factory, settings.idle_end_seconds, settings.key("swept_until")
        )
        # The instance's own consumer name (HANDOFF_INSTANCE_ID), stable so that a restart picks up
        # the entries it had read but not acknowledged.
        consumer = settings.instance_id
        self.consumers = [
            StreamConsumer(redis, settings.requests_stream, GROUP, consumer, handlers.handoff_request, rejected),
            StreamConsumer(
                redis, settings.bridge_key(BRIDGE_AGENT_INBOX), GROUP, consumer, handlers.agent_inbox, rejected
            ),
            StreamConsumer(redis, settings.bridge_key(BRIDGE_CSAT), GROUP, consumer, handlers.csat, rejected),
            StreamConsumer(
                redis, settings.bridge_key(BRIDGE_SESSION_ENDS), GROUP, consumer, handlers.session_end, rejected
            ),
        ]

    def start(self) -> None:
        for consumer in self.consumers:
            self._tasks.append(asyncio.create_task(consumer.run(), name=f"consume {consumer.stream}"))
        self._tasks.append(asyncio.create_task(self._housekeeping(), name="housekeeping"))
        self._tasks.append(asyncio.create_task(self._sweep_bot_sessions(), name="bot sessions"))

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self.service.settle(), STOP_TIMEOUT_SECONDS)
        except TimeoutError:
            logger.warning("queue position refresh did not finish within %s s", STOP_TIMEOUT_SECONDS)
        for task in self._tasks:
            task.cancel()
        # Bounded: a task cancelled inside a Redis client call that never returns (seen when the
        # service stops within a second of starting) must not hold up the shutdown forever.
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(self._tasks, timeout=STOP_TIMEOUT_SECONDS)
        for task in pending:
            logger.warning(
                "background task %r did not stop within %s s; leaving it", task.get_name(), STOP_TIMEOUT_SECONDS
            )
        self._tasks.clear()

    async def _housekeeping(self) -> None:
        """Returns abandoned claims to the queue and keeps waiting customers' positions current."""
        interval = min(self._settings.status_interval_seconds, self._settings.claim_timeout_seconds / 3)
        while True:
            await asyncio.sleep(interval)
            try:
                if not self._rank_index_ready:
                    await self._queue.ensure_rank_index()
                    self._rank_index_ready = True
                await self.service.requeue_abandoned()
                await self.service.refresh_positions()
            except (RedisError, OSError) as error:
                logger.warning("housekeeping skipped: %s", type(error).__name__)

    async def _sweep_bot_sessions(self) -> None:
        """Records bot-only conversations once they have been idle for idle_end_seconds."""
        interval = max(5.0, min(60.0, self._settings.idle_end_seconds / 4))
        while True:
            await asyncio.sleep(interval)
            try:
                await self.sweeper.sweep()
            except (RedisError, OSError) as error:
                logger.warning("bot session sweep skipped: %s", type(error).__name__)
