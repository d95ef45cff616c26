"""The ranked index (handoff/queue/rank_index.py) holds exactly the waiting conversations, in the
order routing.rank gives them, through every step that moves one (enqueue, claim, claim next,
release, requeue, end, the customer leaving), and is built from the queue when missing (data from
before the index) or ranked with other weights."""

import asyncio
import time

from fastapi.testclient import TestClient

from handoff.app import create_app
from handoff.auth.tokens import AuthUser
from handoff.core.db import create_schema, make_engine, make_session_factory
from handoff.core.redis import async_redis
from handoff.queue.rank_index import case_of, index_entries, index_prefixes, rank_prefix
from handoff.queue.routing import rank
from handoff.queue.service import HandoffError, HandoffService
from handoff.queue.store import QueueStore
from tests.handoff.conftest import handoff_record, make_settings
from tests.handoff.queue_seed import seed_waiting, varied_cases

MIA = AuthUser("mia", "Mia", "agent", ["billing", "technical", "general"], ["en", "de"])


async def assert_index_matches(store: QueueStore) -> None:
    """Every index key holds the waiting conversations of its route, in order: the whole index and
    the light keys scored by standing (in routing.rank's order), the heavy keys by arrival."""
    waiting = [row for row in await store.many(await store.queued_ids()) if row.get("state") == "queued"]
    expected: dict[str, list[tuple[str, float]]] = {}
    for case in rank([case_of(row) for row in waiting], store.rules):
        for key, score in index_entries(store.settings, case, store.rules).items():
            expected.setdefault(key, []).append((case.conversation_id, score))
    for key, entries in expected.items():
        if key.startswith(index_prefixes(store.settings)[2]):
            entries.sort(key=lambda entry: (entry[1], entry[0]))  # heavy: by arrival, then id
    indexed = {}
    for prefix in index_prefixes(store.settings):
        async for key in store.redis.scan_iter(match=f"{prefix}*"):
            if entries := await store.redis.zrange(key, 0, -1, withscores=True):
                indexed[key] = [(cid, score) for cid, score in entries]
    assert indexed == expected


def run(settings, scenario) -> object:  # noqa: ANN001
    async def main() -> object:
        engine = make_engine(settings.database_url)
        create_schema(engine)
        redis = async_redis(settings.redis_url)
        service = HandoffService(QueueStore(redis, settings), settings, make_session_factory(engine))
        try:
            return await scenario(service)
        finally:
            await service.settle()
            await redis.aclose()
            engine.dispose()

    return asyncio.run(main())


def test_every_step_keeps_the_index_exactly_the_waiting_ones(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)

    async def scenario(service: HandoffService) -> None:
        store = service.queue
        for n, (reason, language) in enumerate([("billing_double_charge", "en"), ("technical_problem", "de")] * 4):
            await service.intake(handoff_record(f"ix-{n}", reason=reason, language=language, distress=n / 10), {})
        await assert_index_matches(store)
        await service.intake(handoff_record("ix-0", distress=0.9), {})  # a second handoff, still waiting
        await assert_index_matches(store)
        await service.claim(MIA, "ix-3")
        await assert_index_matches(store)
        taken = (await service.claim_next(MIA))["conversation_id"]
        await assert_index_matches(store)
        assert await store.release(taken, "mia")
        await assert_index_matches(store)
        await service.customer_left("ix-5")
        await assert_index_matches(store)
        await service.end(MIA, "ix-3", "resolved")
        await assert_index_matches(store)
        # The agent's console gone: their conversations go back to the queue, and into the index.
        await store.redis.hset(store.k("agent", "mia"), "load", "0")  # fresh after a break
        await service.claim(MIA, "ix-6")
        assert await service.requeue_abandoned(time.time() + settings.claim_timeout_seconds + 1) == ["ix-6"]
        await assert_index_matches(store)
        # A conversation that ended can be handed over again, and is waiting again.
        await service.intake(handoff_record("ix-3", distress=0.4), {})
        await assert_index_matches(store)

    run(settings, scenario)


def test_claim_next_takes_them_in_the_order_rank_gives(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)
    cases = varied_cases(60, "order")

    async def scenario(service: HandoffService) -> tuple[list[str], list[str]]:
        await seed_waiting(settings, cases)
        agent = AuthUser("ben", "Ben", "agent", ["billing", "general"], ["en"])
        expected = [
            case.conversation_id
            for case in rank(await service.queue.queued_cases(), service.queue.rules)
            if case.skill in agent.skills and case.language in agent.languages
        ]
        taken = []
        for _ in expected:
            # Load kept at zero: every case stays open to Ben, as the first one was.
            await service.queue.redis.hset(service.queue.k("agent", "ben"), "load", "0")
            taken.append((await service.claim_next(agent))["conversation_id"])
        try:
            await service.claim_next(agent)
        except HandoffError as error:
            assert error.status == 404
        else:
            raise AssertionError("claimed with nothing left in Ben's queues")
        await assert_index_matches(service.queue)
        return taken, expected

    taken, expected = run(settings, scenario)
    assert taken == expected and len(expected) > 10


def test_a_loaded_agent_gets_the_best_light_case(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)

    async def scenario(service: HandoffService) -> str:
        # 60 heavy cases ahead of one light one: the light one is beyond the first page of candidates.
        for n in range(60):
            await service.intake(handoff_record(f"heavy-{n:02d}", distress=0.9), {})
        await service.intake(handoff_record("light", distress=0.1), {})
        await service.queue.register_agent(MIA)
        await service.queue.redis.hset(
            service.queue.k("agent", "mia"), mapping={"load": "0.9", "load_ts": f"{time.time():.3f}"}
        )
        return (await service.claim_next(MIA))["conversation_id"]

    assert run(settings, scenario) == "light"


def test_the_index_is_built_at_start_up_from_data_without_it(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)
    asyncio.run(seed_waiting(settings, varied_cases(30, "old")))
    plain = redis_server.client()
    # What a queue written before the index looks like: no index keys, no record of the weights.
    for key in plain.scan_iter(match=f"{rank_prefix(settings)}*"):
        plain.delete(key)
    plain.delete(settings.key("rank_index"))
    with TestClient(create_app(settings, run_workers=False)):
        pass  # the start-up builds it

    async def check(service: HandoffService) -> list[int | None]:
        await assert_index_matches(service.queue)
        rebuilt = [await service.queue.ensure_rank_index()]  # right already: left alone
        # Other weights order the queue differently: rebuilt with them.
        reweighted = QueueStore(service.queue.redis, settings.model_copy(update={"distress_weight": 5.0}))
        rebuilt.append(await reweighted.ensure_rank_index())
        await assert_index_matches(reweighted)
        rebuilt.append(await reweighted.ensure_rank_index())
        return rebuilt

    assert run(settings, check) == [None, 30, None]
    plain.close()


def test_an_index_without_light_and_heavy_keys_is_rebuilt_at_start_up(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)
    asyncio.run(seed_waiting(settings, varied_cases(30, "v1")))
    plain = redis_server.client()
    # What the first version of the index left: the whole index per route, its own signature.
    light, heavy = index_prefixes(settings)[1:]
    for key in [*plain.scan_iter(match=f"{light}*"), *plain.scan_iter(match=f"{heavy}*")]:
        plain.delete(key)
    plain.set(settings.key("rank_index"), "v1 distress_weight=60.0 wait_weight_per_minute=10.0")
    with TestClient(create_app(settings, run_workers=False)):
        pass  # the start-up rebuilds it

    async def check(service: HandoffService) -> int | None:
        await assert_index_matches(service.queue)
        return await service.queue.ensure_rank_index()  # right now: left alone

    assert run(settings, check) is None
    # A changed heavy_distress splits the cases differently: rebuilt with it.
    resplit = settings.model_copy(update={"heavy_distress": 0.45})

    async def again(service: HandoffService) -> int | None:
        return await QueueStore(service.queue.redis, resplit).ensure_rank_index()

    assert run(settings, again) == 30
    plain.close()
