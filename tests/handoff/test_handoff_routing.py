"""Routing rules (pure) and load-aware assignment with simulated agents on the real Redis."""

import asyncio
import time

import pytest

from handoff.auth.tokens import AuthUser
from handoff.core.db import create_schema, make_engine, make_session_factory
from handoff.core.redis import async_redis
from handoff.queue.routing import (
    AgentState,
    QueuedCase,
    RoutingRules,
    current_load,
    offer_refusal,
    priority,
    queue_position,
    rank,
    serving_agents,
    skill_for,
)
from handoff.queue.service import HandoffError, HandoffService
from handoff.queue.store import QueueStore
from tests.handoff.conftest import handoff_record, make_settings

RULES = RoutingRules()
NOW = 1_000_000.0


def case(
    cid: str,
    distress: float = 0.0,
    waited: float = 0.0,
    skill: str = "general",
    language: str = "en",
    bonus: float = 0.0,
) -> QueuedCase:
    return QueuedCase(cid, skill, language, distress, NOW - waited, bonus=bonus)


def agent(**values) -> AgentState:  # noqa: ANN003
    return AgentState(
        **{"username": "a", "skills": ["billing", "technical", "general"], "languages": ["en", "de"], **values}
    )


@pytest.mark.parametrize(
    ("reason", "requested", "skill"),
    [
        ("billing_double_charge", None, "billing"),
        ("troubleshooting_failed", None, "technical"),
        ("customer_request", None, "general"),
        ("customer_request", "billing", "billing"),
        ("warranty_claim", "nonsense", "billing"),
    ],
)
def test_skill_for_reason(reason: str, requested, skill: str) -> None:  # noqa: ANN001
    assert skill_for(reason, requested) == skill


def test_distress_goes_first_but_waiting_lifts_calm_cases() -> None:
    upset, calm, calm_long = case("upset", 0.9), case("calm", 0.0, waited=60), case("calm-long", 0.0, waited=600)
    assert [c.conversation_id for c in rank([calm, upset, calm_long], RULES)] == ["calm-long", "upset", "calm"]
    assert priority(upset, NOW, RULES) == pytest.approx(54.0)


def test_load_halves_every_half_life() -> None:
    tired = agent(load=1.0, load_ts=NOW)
    assert current_load(tired, NOW, RULES) == pytest.approx(1.0)
    assert current_load(tired, NOW + RULES.load_half_life_seconds, RULES) == pytest.approx(0.5)
    assert current_load(tired, NOW + 2 * RULES.load_half_life_seconds, RULES) == pytest.approx(0.25)


def test_heavy_case_refused_above_the_load_threshold_until_it_waited_long() -> None:
    tired, fresh = agent(username="tired", load=0.8, load_ts=NOW), agent(username="fresh", load=0.1, load_ts=NOW)
    heavy, light = case("heavy", 0.9), case("light", 0.2)
    assert offer_refusal(tired, light, NOW, RULES) is None
    assert "emotional load" in offer_refusal(tired, heavy, NOW, RULES, [tired, fresh])
    assert offer_refusal(fresh, heavy, NOW, RULES, [tired, fresh]) is None
    # Waited past the override: the least-loaded eligible agent may take it, even above threshold.
    old_heavy = case("old", 0.9, waited=RULES.heavy_override_seconds + 1)
    busy = agent(username="busy", load=0.9, load_ts=NOW)
    assert offer_refusal(tired, old_heavy, NOW, RULES, [tired, busy]) is None
    assert offer_refusal(busy, old_heavy, NOW, RULES, [tired, busy]) is not None


def test_paused_and_unskilled_agents_are_refused() -> None:
    assert offer_refusal(agent(paused=True), case("c"), NOW, RULES) == "you are paused"
    english_only = agent(languages=["en"])
    assert "skills or languages" in offer_refusal(english_only, case("c", language="de"), NOW, RULES)


def test_position_and_wait_count_only_the_same_queue() -> None:
    cases = [case("b1", 0.9, skill="billing"), case("b2", 0.1, skill="billing"), case("t1", 1.0, skill="technical")]
    assert queue_position(cases[1], cases, RULES) == 2
    assert queue_position(cases[2], cases, RULES) == 1
    two_agents = [agent(username="x", online=True), agent(username="y", online=True)]
    assert serving_agents(two_agents, cases[1]) == 2
    paused, german_only = agent(username="p", paused=True), agent(username="g", languages=["de"])
    assert serving_agents([*two_agents, paused, german_only], cases[1]) == 2


# --- simulated agents on the real Redis ---------------------------------------------------------

AGENTS = [
    AuthUser(name, name.title(), "agent", ["billing", "technical", "general"], ["en", "de"])
    for name in ("ada", "ben", "cem")
]


async def make_service(settings):  # noqa: ANN001, ANN201
    engine = make_engine(settings.database_url)
    create_schema(engine)
    redis = async_redis(settings.redis_url)
    service = HandoffService(QueueStore(redis, settings), settings, make_session_factory(engine))
    for user in AGENTS:
        await service.queue.register_agent(user)
        await service.queue.touch_presence(user.username)
    return service, redis, engine


def test_no_agent_gets_heavy_conversations_back_to_back(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)

    async def scenario() -> dict[str, list[str]]:
        service, redis, engine = await make_service(settings)
        heavy = [handoff_record(f"heavy-{i}", distress=0.9, emotion="frustrated") for i in range(3)]
        light = [handoff_record(f"light-{i}", distress=0.1) for i in range(6)]
        for record in heavy + light:
            await service.intake(record, {})
        taken: dict[str, list[str]] = {user.username: [] for user in AGENTS}
        # Agents take the next conversation in turns until nothing is left for anyone.
        progress = True
        while progress:
            progress = False
            for user in AGENTS:
                try:
                    row = await service.claim_next(user)
                except HandoffError:
                    continue
                taken[user.username].append(row["conversation_id"])
                progress = True
        await redis.aclose()
        engine.dispose()
        return taken

    taken = asyncio.run(scenario())
    assert sorted(sum(taken.values(), [])) == sorted(
        [f"heavy-{i}" for i in range(3)] + [f"light-{i}" for i in range(6)]
    )
    for username, conversations in taken.items():
        kinds = [cid.split("-")[0] for cid in conversations]
        assert kinds.count("heavy") == 1, (username, kinds)  # spread: one heavy case each
        assert all(not (a == b == "heavy") for a, b in zip(kinds, kinds[1:])), (username, kinds)


def test_heavy_case_waits_for_a_rested_agent_then_goes_to_the_least_loaded(
    redis_server, tmp_path, customer_db_url
) -> None:  # noqa: ANN001, E501
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url, heavy_override_seconds=60)

    async def scenario() -> tuple[str | None, str]:
        service, redis, engine = await make_service(settings)
        for user, load in zip(AGENTS, (0.9, 0.7, 1.2)):
            await redis.hset(service.queue.k("agent", user.username), mapping={"load": load, "load_ts": time.time()})
        fresh = handoff_record("fresh-heavy", distress=0.95)
        await service.intake(fresh, {})
        refusals = []
        for user in AGENTS:
            try:
                await service.claim(user, "fresh-heavy")
            except HandoffError as error:
                refusals.append(error.message)
        old = handoff_record("old-heavy", distress=0.95)
        old["created_at"] = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 120))
        await service.intake(old, {})
        winner = None
        for user in AGENTS:
            try:
                winner = (await service.claim(user, "old-heavy"))["agent"]
            except HandoffError:
                pass
        await redis.aclose()
        engine.dispose()
        return winner, " ".join(refusals)

    winner, refusals = asyncio.run(scenario())
    assert refusals.count("emotional load") == 3
    assert winner == "ben"  # the least-loaded (0.7) of three tired agents


def test_paused_agent_is_offered_nothing(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)

    async def scenario() -> str:
        service, redis, engine = await make_service(settings)
        await service.intake(handoff_record("waiting"), {})
        await service.queue.set_paused("ada", True)
        try:
            await service.claim_next(AGENTS[0])
            outcome = "claimed"
        except HandoffError as error:
            outcome = error.message
        await service.queue.set_paused("ada", False)
        resumed = (await service.claim_next(AGENTS[0]))["conversation_id"]
        await redis.aclose()
        engine.dispose()
        return f"{outcome}|{resumed}"

    assert asyncio.run(scenario()) == "Nothing in your queues that you can take now.|waiting"


@pytest.mark.parametrize(
    ("load", "paused", "distress", "waited"),
    [(0.0, False, 0.9, 0), (0.49, False, 0.9, 0), (0.8, False, 0.9, 0), (0.8, False, 0.9, 400), (0.0, True, 0.1, 0)],
)
def test_takes_any_means_offer_refusal_refuses_nothing_of_the_agents_routes(load, paused, distress, waited) -> None:  # noqa: ANN001
    from handoff.queue.routing import takes_any

    agent = AgentState("a", ["billing"], ["en"], load=load, load_ts=NOW, paused=paused)
    case = QueuedCase("c", "billing", "en", distress, NOW - waited)
    if takes_any(agent, NOW, RULES):
        assert offer_refusal(agent, case, NOW, RULES, [agent]) is None
    else:
        assert paused or distress >= RULES.heavy_distress  # refused only for what takes_any guards


def test_the_order_by_standing_is_the_order_by_priority_at_any_time() -> None:
    from handoff.queue.routing import standing

    cases = [
        QueuedCase(f"c{n}", "billing", "en", (n * 7 % 10) / 10, NOW - n * 37, bonus=(n % 3) * 10.0) for n in range(40)
    ]
    for now in (NOW, NOW + 600, NOW + 86_400):
        by_priority = sorted(cases, key=lambda c: (-priority(c, now, RULES), c.requested_at, c.conversation_id))
        assert [c.conversation_id for c in rank(cases, RULES)] == [c.conversation_id for c in by_priority]
        assert all(
            standing(c, RULES) == pytest.approx(RULES.wait_weight_per_minute / 60 * now - priority(c, now, RULES))
            for c in cases
        )
