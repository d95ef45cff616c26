"""Claim next with agents racing: one atomic step among the agent's best candidates, so 20 agents
asking at the same moment get 20 different conversations, each once, best first, none refused
while something they may take is waiting; and the customers' positions follow in the background."""

import asyncio

from handoff.auth.tokens import AuthUser
from handoff.core.db import create_schema, make_engine, make_session_factory
from handoff.core.redis import async_redis
from handoff.queue.service import HandoffError, HandoffService
from handoff.queue.store import QueueStore
from tests.handoff.conftest import handoff_record, make_settings

RACERS = [AuthUser(f"racer{n}", f"Racer {n}", "agent", ["billing", "general"], ["en"]) for n in range(20)]


def test_twenty_agents_racing_each_get_a_different_conversation(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)

    async def scenario() -> tuple[list[str | None], list[str], dict]:
        engine = make_engine(settings.database_url)
        create_schema(engine)
        redis = async_redis(settings.redis_url)
        service = HandoffService(
            QueueStore(redis, settings), settings, make_session_factory(engine), background_positions=True
        )
        for n in range(25):
            await service.intake(handoff_record(f"race-{n:02d}", distress=0.1 + n * 0.01), {})

        async def take(user: AuthUser) -> str | None:
            try:
                return (await service.claim_next(user))["conversation_id"]
            except HandoffError:
                return None

        taken = await asyncio.gather(*(take(user) for user in RACERS))
        await service.settle()  # the background refresh of the five still waiting
        left = [item["conversation_id"] for item in await service.queue_view(RACERS[0])]
        last = await service.queue.get(left[-1])
        await redis.aclose()
        engine.dispose()
        return taken, left, last

    taken, left, last = asyncio.run(scenario())
    assert None not in taken and len(set(taken)) == 20
    # The most distressed went first (equal wait): the five left are the five calmest.
    assert sorted(left) == [f"race-{n:02d}" for n in range(5)]
    assert last["position"] == "5"  # told after the claims, by the background refresh
