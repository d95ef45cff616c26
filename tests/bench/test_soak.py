"""A short run of the soak harness (`make soak`, scripts/bench/soak.py) against the real cluster it
starts: two instances of each service behind nginx, a few customers over the WebSocket and one
agent on the handoff service for about half a minute. Every reply must arrive exactly once, and
the handoff path must work in both directions whichever bridge instance holds the customer."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis

from launcher.cluster import Cluster
from scripts.bench.soak import section
from scripts.bench.soak_cluster import process_groups, soak_cluster
from scripts.bench.soak_plan import LoadPlan, Targets
from scripts.bench.soak_report import HEADING, Measured
from scripts.bench.soak_run import SoakOutcome, run_soak
from tests.avatar_bridge.bridge_support.client import BridgeClient

PLAN = LoadPlan(
    customers=4,
    duration_s=30,
    think_s=(2.0, 4.0),
    reply_think_s=(0.5, 1.0),
    ramp_s=3,
    person_share=0.5,
    audio_share=0.5,
    drain_s=75,
    handoff_timeout_s=75,
)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, Targets]]:
    with soak_cluster(2, Path(tmp_path_factory.mktemp("soak")), agents=1) as started:
        yield started


@pytest.fixture(scope="module")
def outcome(running: tuple[Cluster, Targets]) -> SoakOutcome:
    cluster, targets = running
    return run_soak(targets, PLAN, process_groups(cluster))


def test_every_reply_arrives_exactly_once_under_a_short_load(outcome: SoakOutcome) -> None:
    results = outcome.results
    assert results.violations() == []
    assert dict(results.errors) == {}
    assert results.turns >= PLAN.customers * 3
    # Never silence: every turn the bot answered had a text cue.
    assert len(results.text_cue_ms) == results.turns - results.turns_to_agent


def test_the_handoff_path_carries_messages_both_ways(outcome: SoakOutcome) -> None:
    results = outcome.results
    # Half of the customers ask for a person first (later conversations may, too); the one agent
    # serves them in turn.
    assert results.handoffs_served >= 2
    assert len(results.deliveries.agent_sent) == results.handoffs_served * PLAN.agent_messages
    assert len(results.deliveries.delivery_ms) == len(results.deliveries.agent_sent)
    # Each agent message got an answer that the bridge routed to the agent and the agent read.
    assert len(results.deliveries.customer_sent) == len(results.deliveries.agent_sent)
    assert results.turns_to_agent == len(results.deliveries.customer_sent)


def test_sizing_covers_every_kind_of_process(outcome: SoakOutcome) -> None:
    sizing = outcome.sizing
    assert {kind: figures.instances for kind, figures in sizing.items()} == {
        "redis": 1,
        "handoff": 1,
        "avatar-bridge": 2,
        "action-server": 2,
        "rasa": 2,
        "nginx": 1,
    }
    # Two Rasa servers each hold a model in memory and did the work of every turn.
    assert sizing["rasa"].peak_instance_rss_kib > 200 * 1024
    assert sizing["rasa"].cpu_s > 0 and sizing["avatar-bridge"].cpu_s > 0


def test_the_section_reports_the_run(outcome: SoakOutcome) -> None:
    text = section(
        [Measured("2 instances of each", (0.5, 0.4, 0.3), outcome)],
        "scripts/bench/soak.py",
        "",
        "- CPU: test",
        datetime.now(UTC),
    )
    assert text.startswith(HEADING)
    assert "no violations." in text
    assert f"| turns answered (to the bot / to an agent) | {outcome.results.turns} (" in text
    assert "| rasa | 2 | " in text


def test_a_customer_on_the_bridge_that_does_not_consume_deliveries_reaches_the_agent(
    running: tuple[Cluster, Targets],
) -> None:
    """The routing switch is stored by the instance reading bridge:deliveries; the instance holding
    the socket must follow it (it once kept its own stale copy and sent the message to Rasa)."""
    cluster, _ = running
    env = cluster["avatar-bridge-1"].spec.env
    client = redis.Redis.from_url(env["AVATAR_BRIDGE_REDIS_URL"], decode_responses=True)
    try:
        deadline = time.monotonic() + 20
        while (consumer := client.get("bridge:deliveries:consumer")) is None:
            assert time.monotonic() < deadline, "no bridge instance consumes deliveries"
            time.sleep(0.2)
        other = "avatar-bridge-2" if consumer == "bridge-1" else "avatar-bridge-1"
        customer = BridgeClient(f"ws://127.0.0.1:{cluster[other].spec.env['AVATAR_BRIDGE_PORT']}/ws/v1")
        customer.start("en", capabilities={"audio": False})
        frame = {"type": "status", "state": "with_agent", "text": "Mia is here for you now."}
        client.xadd("bridge:deliveries", {"payload": json.dumps({"session_id": customer.session_id, "frame": frame})})
        assert customer.recv(timeout=20)["state"] == "with_agent"
        done = customer.ask("Hello Mia, my parcel is missing.", timeout=60)[-1]
        customer.close()
        assert done["type"] == "turn_complete" and done["routed_to"] == "agent"
        forwarded = [json.loads(fields["payload"]) for _, fields in client.xrange("bridge:agent_inbox")]
        assert [entry["text"] for entry in forwarded if entry["session_id"] == customer.session_id] == [
            "Hello Mia, my parcel is missing."
        ]
    finally:
        client.close()
