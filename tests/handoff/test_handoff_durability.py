"""Double claims are impossible; no handoff is lost when the service or Redis restarts."""

import asyncio
import json
import multiprocessing
import threading
import time

from fastapi.testclient import TestClient

from handoff.app import create_app
from handoff.auth.tokens import AuthUser
from handoff.core.redis import async_redis
from handoff.intake.streams import StreamConsumer
from handoff.queue.store import QueueStore
from handoff.users import seed_demo
from tests.handoff.conftest import handoff_record, make_settings, publish, sign_in, wait_until
from tests.support.redis_server import RedisServer

CONVERSATIONS = 15
CLAIMERS = 8


def claim_in_own_loop(settings, cid: str, username: str, results: list, start: threading.Barrier) -> None:  # noqa: ANN001
    async def attempt() -> bool:
        redis = async_redis(settings.redis_url)
        try:
            store = QueueStore(redis, settings)
            await redis.ping()
            start.wait()
            return await store.claim(cid, AuthUser(username, username, "agent", ["general"], ["en"]))
        finally:
            await redis.aclose()

    results.append((username, asyncio.run(attempt())))


def test_concurrent_claims_give_each_conversation_to_exactly_one_agent(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001, E501
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)

    async def enqueue() -> None:
        redis = async_redis(settings.redis_url)
        store = QueueStore(redis, settings)
        for i in range(CONVERSATIONS):
            await store.enqueue(
                {
                    "conversation_id": f"race-{i}",
                    "handoff_id": f"h{i}",
                    "requested_at": time.time(),
                    "skill": "general",
                    "language": "en",
                },
                {},
            )
        await redis.aclose()

    asyncio.run(enqueue())
    for i in range(CONVERSATIONS):
        results: list = []
        barrier = threading.Barrier(CLAIMERS)
        threads = [
            threading.Thread(target=claim_in_own_loop, args=(settings, f"race-{i}", f"agent{n}", results, barrier))
            for n in range(CLAIMERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        winners = [name for name, won in results if won]
        assert len(results) == CLAIMERS and len(winners) == 1, results
        client = RedisServer.client(redis_server)
        assert client.hget(f"{settings.key_prefix}:conv:race-{i}", "agent") == winners[0]
        client.close()


def _claim_process(redis_url: str, prefix: str, username: str, queue: multiprocessing.Queue) -> None:
    import redis

    from handoff.queue.scripts import CLAIM

    client = redis.Redis.from_url(redis_url, decode_responses=True)
    script = client.register_script(CLAIM)
    won = []
    for i in range(CONVERSATIONS):
        keys = [f"{prefix}:conv:proc-{i}", f"{prefix}:queue", f"{prefix}:agent:{username}:convs", f"{prefix}:version"]
        prefixes = [f"{prefix}:rank:", f"{prefix}:rank_light:", f"{prefix}:rank_heavy:"]
        if script(keys=keys, args=[f"proc-{i}", username, username, time.time(), *prefixes]):
            won.append(i)
    queue.put((username, won))


def test_claims_from_separate_processes_never_overlap(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)
    client = redis_server.client()
    for i in range(CONVERSATIONS):
        client.hset(f"{settings.key_prefix}:conv:proc-{i}", mapping={"state": "queued", "requested_at": 1})
        client.zadd(f"{settings.key_prefix}:queue", {f"proc-{i}": 1})
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(target=_claim_process, args=(settings.redis_url, settings.key_prefix, f"p{n}", results))
        for n in range(4)
    ]
    for process in processes:
        process.start()
    won = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(10)
    claimed = sorted(i for _name, items in won for i in items)
    assert claimed == list(range(CONVERSATIONS))  # every one claimed, none twice
    client.close()


def test_handoffs_written_while_the_service_is_down_are_taken_after_start(client_factory, redis_client) -> None:  # noqa: ANN001
    settings = client_factory.settings
    records = [handoff_record() for _ in range(3)]
    for record in records:
        publish(redis_client, settings, record)  # nobody is reading yet
    with client_factory() as client:
        headers = sign_in(client, "sam")
        wait_until(lambda: len(client.get("/api/supervisor/live", headers=headers).json()["conversations"]) == 3)


def test_a_handoff_whose_handling_failed_is_retried_after_a_restart(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)

    async def scenario() -> list[str]:
        redis = async_redis(settings.redis_url)
        await redis.xadd(settings.requests_stream, {"payload": json.dumps({"conversation_id": "c1"})})
        handled: list[str] = []

        async def crash(_payload: dict) -> None:
            raise RuntimeError("the service died while storing")

        async def store(payload: dict) -> None:
            handled.append(payload["conversation_id"])

        first = StreamConsumer(redis, settings.requests_stream, "handoff", "handoff-1", crash, "rejected")
        await first.ensure_group()
        try:
            await first.consume(">", block_ms=None)
        except RuntimeError:
            pass
        assert (await redis.xpending(settings.requests_stream, "handoff"))["pending"] == 1  # not acknowledged
        second = StreamConsumer(redis, settings.requests_stream, "handoff", "handoff-1", store, "rejected")
        await second.consume("0", block_ms=None)  # what a restarted service reads first
        pending = (await redis.xpending(settings.requests_stream, "handoff"))["pending"]
        await redis.aclose()
        return handled + [str(pending)]

    assert asyncio.run(scenario()) == ["c1", "0"]


def test_queue_and_claims_survive_a_redis_crash(tmp_path, customer_db_url) -> None:  # noqa: ANN001
    server = RedisServer(tmp_path / "redis")
    (tmp_path / "redis").mkdir()
    server.start()
    try:
        settings = make_settings(server.url, tmp_path / "h.db", customer_db_url, claim_timeout_seconds=600)
        with TestClient(create_app(settings)) as client:
            seed_demo(client.app.state.session_factory, settings)
            redis = server.client()
            waiting, claimed = handoff_record(), handoff_record()
            publish(redis, settings, waiting)
            publish(redis, settings, claimed)
            mia = sign_in(client, "mia")
            wait_until(lambda: len(client.get("/api/queue", headers=mia).json()["items"]) == 2)
            assert client.post(f"/api/queue/{claimed['conversation_id']}/claim", headers=mia).status_code == 200
            redis.close()

            server.restart(crash=True)  # SIGKILL: only what the append-only file holds survives

            sam = sign_in(client, "sam")  # the service reconnects by itself
            live = {
                c["conversation_id"]: c for c in client.get("/api/supervisor/live", headers=sam).json()["conversations"]
            }
            assert live[waiting["conversation_id"]]["state"] == "queued"
            assert live[claimed["conversation_id"]]["state"] == "assigned"
            assert live[claimed["conversation_id"]]["agent"] == "mia"
            # And it keeps taking new handoffs after the restart.
            redis = server.client()
            late = handoff_record()
            publish(redis, settings, late)
            wait_until(
                lambda: (
                    late["conversation_id"]
                    in [
                        c["conversation_id"]
                        for c in client.get("/api/supervisor/live", headers=sam).json()["conversations"]
                    ]
                ),
                timeout=15,
            )
            redis.close()
    finally:
        server.stop()


def test_claim_returns_to_the_queue_when_the_agent_disconnects(client, settings, redis_client) -> None:  # noqa: ANN001
    mia = sign_in(client, "mia")
    record = handoff_record()
    cid = record["conversation_id"]
    publish(redis_client, settings, record)
    wait_until(lambda: client.get("/api/queue", headers=mia).json()["items"])
    with client.websocket_connect("/api/live") as socket:
        socket.send_json({"type": "auth", "token": mia["Authorization"].split()[1]})
        assert socket.receive_json()["type"] == "ready"
        assert client.post(f"/api/queue/{cid}/claim", headers=mia).status_code == 200
        time.sleep(settings.claim_timeout_seconds + 1)  # console connected: the claim holds
        assert redis_client.hget(f"{settings.key_prefix}:conv:{cid}", "state") == "assigned"
    # Console gone: after claim_timeout_seconds the conversation waits again, the customer is told.
    wait_until(
        lambda: redis_client.hget(f"{settings.key_prefix}:conv:{cid}", "state") == "queued",
        timeout=settings.claim_timeout_seconds + 5,
    )
    from tests.handoff.conftest import deliveries

    frames = wait_until(
        lambda: [
            f
            for f in deliveries(redis_client, settings, cid)
            if f.get("state") == "queued" and "disconnected" in f.get("text", "")
        ]
    )
    assert frames[-1]["queue_position"] == 1
