"""Claim next for a loaded agent (load at or over the threshold), one Lua step on the light and
heavy index keys (scripts.CLAIM_LIGHTER): it takes exactly what routing.py's rules give - the first
case in routing.rank's order that offer_refusal lets them take - through light cases, heavy ones
that have waited past the override on routes where they are the least loaded, and heavy ones on
routes where someone present carries less; and agents racing each get a different one."""

import asyncio
import time

from handoff.auth.tokens import AuthUser
from handoff.queue.rank_index import case_of
from handoff.queue.routing import is_heavy, offer_refusal, overdue, rank
from handoff.queue.service import HandoffError, HandoffService
from tests.handoff.conftest import handoff_record, make_settings
from tests.handoff.queue.test_rank_index import assert_index_matches, run
from tests.handoff.queue_seed import seed_waiting, varied_cases

MIA = AuthUser("mia", "Mia", "agent", ["billing", "technical", "general"], ["en", "de"])
# Present and more loaded than Mia on billing and general in English: those overdue heavy cases are Mia's.
BEN = AuthUser("ben", "Ben", "agent", ["billing", "general"], ["en"])
# Present and less loaded on technical in English: those overdue heavy cases are not Mia's.
CARA = AuthUser("cara", "Cara", "agent", ["technical"], ["en"])


async def set_load(service: HandoffService, user: AuthUser, load: float) -> None:
    await service.queue.redis.hset(
        service.queue.k("agent", user.username), mapping={"load": str(load), "load_ts": f"{time.time():.3f}"}
    )


async def expected_next(service: HandoffService, user: AuthUser) -> str | None:
    """What routing.py gives: the best waiting case of the agent's routes that they may take now."""
    now = time.time()
    agents = await service.queue.agent_states(now)
    me = next(agent for agent in agents if agent.username == user.username)
    me.skills, me.languages, me.online = list(user.skills), list(user.languages), True
    for case in rank(await service.queue.queued_cases(), service.queue.rules):
        if offer_refusal(me, case, now, service.queue.rules, agents) is None:
            return case.conversation_id
    return None


def test_a_loaded_agent_takes_what_the_routing_rules_give(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)
    # Waited 30 + 7 × i seconds: from i = 39 past the 5-minute override; every fifth one heavy.
    cases = varied_cases(80, "loaded")

    async def scenario(service: HandoffService) -> list[tuple[str | None, str | None]]:
        await seed_waiting(settings, cases)
        for user in (MIA, BEN, CARA):
            await service.queue.register_agent(user)
            await service.queue.touch_presence(user.username)
        await set_load(service, BEN, 0.95)
        await set_load(service, CARA, 0.2)
        pairs = []
        while True:
            await set_load(service, MIA, 0.9)  # loaded before every claim
            expected = await expected_next(service, MIA)
            try:
                taken = (await service.claim_next(MIA))["conversation_id"]
            except HandoffError as error:
                assert error.status == 404
                taken = None
            pairs.append((taken, expected))
            await assert_index_matches(service.queue)
            if taken is None or taken != expected:
                return pairs

    pairs = run(settings, scenario)
    assert pairs[-1] == (None, None), pairs[-1]
    taken = {cid for cid, _expected in pairs if cid}
    by_id = {case.conversation_id: case for case in cases}
    heavy = [by_id[cid] for cid in taken if by_id[cid].distress >= 0.6]
    assert heavy and all(case.waited_seconds >= 300 for case in heavy)  # the override was used
    assert not any(case.skill == "technical" and case.language == "en" for case in heavy)  # Cara's
    assert len(taken) > 40


def test_a_loaded_agent_takes_no_heavy_case_before_the_override(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)

    async def scenario(service: HandoffService) -> tuple[str, int]:
        await service.intake(handoff_record("heavy", distress=0.9), {})
        await service.intake(handoff_record("light", distress=0.1), {})
        await set_load(service, MIA, 0.9)
        first = (await service.claim_next(MIA))["conversation_id"]
        await set_load(service, MIA, 0.9)
        try:
            await service.claim_next(MIA)
        except HandoffError as error:
            return first, error.status
        raise AssertionError("a loaded agent took a heavy case that had not waited past the override")

    assert run(settings, scenario) == ("light", 404)


def test_loaded_agents_racing_each_get_a_different_case(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)
    racers = [AuthUser(f"loaded{n}", f"Loaded {n}", "agent", MIA.skills, MIA.languages) for n in range(12)]
    cases = varied_cases(40, "race")  # 32 light, 8 heavy; of the heavy ones 3 past the override

    async def scenario(service: HandoffService) -> list[str | None]:
        await seed_waiting(settings, cases)
        for n, user in enumerate(racers):
            await service.queue.register_agent(user)
            await set_load(service, user, 0.6 + n * 0.01)

        async def take(user: AuthUser) -> str | None:
            try:
                return (await service.claim_next(user))["conversation_id"]
            except HandoffError:
                return None

        rounds = []
        for _ in range(4):
            rounds += await asyncio.gather(*(take(user) for user in racers))
        await assert_index_matches(service.queue)
        return rounds

    taken = run(settings, scenario)
    claimed = [cid for cid in taken if cid]
    assert len(claimed) == len(set(claimed))  # none claimed twice
    rules_cases = {case.conversation_id: case for case in cases}
    light = [cid for cid, case in rules_cases.items() if case.distress < 0.6]
    assert set(light) <= set(claimed)  # every light case went before anyone got nothing
    for cid in claimed:
        case = rules_cases[cid]
        assert case.distress < 0.6 or case.waited_seconds >= 300


def test_heavy_and_overdue_follow_the_rules(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    """The pure rules the index splits by: heavy at heavy_distress, overdue at heavy_override_seconds."""
    settings = make_settings(redis_server.url, tmp_path / "h.db", customer_db_url)

    async def scenario(service: HandoffService) -> tuple[bool, bool, bool]:
        await service.intake(handoff_record("edge", distress=service.queue.rules.heavy_distress), {})
        case = case_of(await service.queue.get("edge"))
        late = case.requested_at + service.queue.rules.heavy_override_seconds
        return (
            is_heavy(case, service.queue.rules),
            overdue(case, late, service.queue.rules),
            overdue(case, late - 1, service.queue.rules),
        )

    assert run(settings, scenario) == (True, True, False)
