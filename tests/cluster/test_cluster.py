"""Two instances of each service behind nginx (launcher/cluster.py), with the real Rasa model.

The tests that kill an instance come last in this file (pytest keeps file order): the Rasa one
leaves one Rasa server for the rest of the run."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path

import httpx
import pytest
import redis
from redis.asyncio import Redis
from websockets.exceptions import ConnectionClosed

from admin.training.fleet import FleetSwitchFailed
from launcher.cluster import Cluster, ClusterLayout
from launcher.process import free_port
from launcher.settings import LauncherSettings
from tests.avatar_bridge.bridge_support.client import BridgeClient, of_type
from tests.cluster.model_switch_support import (
    models_folder,
    refusing_rasa_stand_in,
    served_model,
    training_service,
)
from tests.support.rasa_api import rasa_api_auth

TURN_TIMEOUT = 90.0


def _customer(port: int, language: str = "en") -> BridgeClient:
    customer = BridgeClient(f"ws://127.0.0.1:{port}/ws/v1")
    customer.start(language, capabilities={"audio": False})
    return customer


def _answered(frames: list[dict]) -> None:
    assert frames[-1]["type"] == "turn_complete", frames
    assert of_type(frames, "bot_message"), frames


def _rasa_upstreams(settings: LauncherSettings, conversation: str) -> list[str]:
    """The Rasa instance(s) nginx sent each request of `conversation` to (from its access log)."""
    log = (settings.var_dir / "nginx" / "access.log").read_text()
    pattern = re.compile(
        rf"^{settings.rasa_port} conversation={re.escape(conversation)} upstream=(\S+(?:, \S+)*) ", re.MULTILINE
    )
    return pattern.findall(log)


def _user_texts(settings: LauncherSettings, conversation: str) -> list[str]:
    tracker = httpx.get(
        f"{settings.rasa_url}/conversations/{conversation}/tracker", timeout=30, auth=rasa_api_auth(settings)
    ).json()
    return [event.get("text") for event in tracker["events"] if event["event"] == "user"]


def test_the_web_client_and_a_conversation_work_through_nginx(cluster: Cluster, settings: LauncherSettings) -> None:
    assert httpx.get(f"{settings.bridge_url}/healthz", timeout=10).status_code == 200
    customer = _customer(settings.bridge_port)
    _answered(customer.ask("hello", timeout=TURN_TIMEOUT))
    _answered(customer.ask("where is my order?", timeout=TURN_TIMEOUT))
    customer.close()
    upstreams = _rasa_upstreams(settings, customer.session_id)
    # Every request of the conversation (turns, tracker reads) went to one Rasa server.
    assert len(upstreams) >= 2 and len(set(upstreams)) == 1, upstreams


def test_conversations_are_spread_over_both_rasa_servers(
    cluster: Cluster, settings: LauncherSettings, layout: ClusterLayout
) -> None:
    # Consistent hashing on the conversation id: fresh ids land on both servers.
    for index in range(16):
        response = httpx.get(
            f"{settings.rasa_url}/conversations/spread-{index}/tracker", timeout=30, auth=rasa_api_auth(settings)
        )
        assert response.status_code == 200
    used = {upstream for index in range(16) for upstream in _rasa_upstreams(settings, f"spread-{index}")}
    assert used == {f"127.0.0.1:{port}" for port in layout.rasa_ports}


def test_a_customer_resumes_the_same_session_on_the_other_bridge_instance(
    cluster: Cluster, layout: ClusterLayout
) -> None:
    first_port, second_port = layout.bridge_ports
    customer = _customer(first_port)
    _answered(customer.ask("hello", timeout=TURN_TIMEOUT))
    customer.close()

    again = BridgeClient(f"ws://127.0.0.1:{second_port}/ws/v1")
    resumed = again.resume(customer)
    assert resumed["type"] == "session_resumed" and resumed["session_id"] == customer.session_id
    assert resumed["last_seq"] == customer.last_seq
    frames = again.ask("thanks", timeout=TURN_TIMEOUT)
    _answered(frames)
    assert frames[0]["seq"] == customer.last_seq + 1
    again.close()


def test_an_agent_message_reaches_the_customer_on_the_instance_that_does_not_consume_deliveries(
    cluster: Cluster, layout: ClusterLayout, redis_client: redis.Redis
) -> None:
    deadline = time.monotonic() + 20
    while (consumer := redis_client.get("bridge:deliveries:consumer")) is None:
        assert time.monotonic() < deadline, "no bridge instance consumes deliveries"
        time.sleep(0.2)
    # The customer sits on the other instance, so the message has to cross instances.
    port = layout.bridge_ports[1] if consumer == "bridge-1" else layout.bridge_ports[0]
    customer = _customer(port)
    # What the handoff service writes (docs/protocol.md §9).
    for index, text in enumerate(("Hi, I'm Mia from the support team.", "How can I help?")):
        frame = {
            "type": "agent_message",
            "message_id": f"cluster-{index}",
            "agent": {"display_name": "Mia"},
            "text": text,
        }
        redis_client.xadd(
            "bridge:deliveries", {"payload": json.dumps({"session_id": customer.session_id, "frame": frame})}
        )
    received = [customer.recv(timeout=20), customer.recv(timeout=20)]
    assert [(f["type"], f["text"]) for f in received] == [
        ("agent_message", "Hi, I'm Mia from the support team."),
        ("agent_message", "How can I help?"),
    ]
    with pytest.raises(TimeoutError):
        customer.recv(timeout=1.0)  # each exactly once
    customer.close()


def test_resuming_on_the_other_bridge_instance_takes_the_open_socket_over(
    cluster: Cluster, layout: ClusterLayout, redis_client: redis.Redis
) -> None:
    first_port, second_port = layout.bridge_ports
    old = _customer(first_port)
    _answered(old.ask("hello", timeout=TURN_TIMEOUT))

    new = BridgeClient(f"ws://127.0.0.1:{second_port}/ws/v1")
    assert new.resume(old)["type"] == "session_resumed"
    notice = old.recv(timeout=10)
    assert (notice["type"], notice["code"], notice["fatal"]) == ("error", "session_taken_over", True)
    with pytest.raises(ConnectionClosed) as closed:
        old.recv(timeout=5)  # nothing after the notice: the socket closes
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001

    # Every later frame reaches the new socket once, a turn and an agent message alike.
    frames = new.ask("where is my order?", timeout=TURN_TIMEOUT)
    _answered(frames)
    frame = {
        "type": "agent_message",
        "message_id": "takeover-1",
        "agent": {"display_name": "Mia"},
        "text": "Mia here, I can see your order.",
    }
    redis_client.xadd("bridge:deliveries", {"payload": json.dumps({"session_id": new.session_id, "frame": frame})})
    assert new.recv(timeout=20)["text"] == "Mia here, I can see your order."
    with pytest.raises(TimeoutError):
        new.recv(timeout=1.0)
    seqs = [f["seq"] for f in new.received if "seq" in f]
    assert seqs == list(range(old.last_seq + 1, old.last_seq + 1 + len(seqs)))  # no gap, no repeat
    new.close()


def test_the_admin_console_switches_every_rasa_server_and_rolls_all_back(
    cluster: Cluster, settings: LauncherSettings, layout: ClusterLayout, tmp_path: Path
) -> None:
    original, copy = models_folder(settings, tmp_path / "models", "assistant-cluster-copy.tar.gz")
    assert [served_model(settings, port) for port in layout.rasa_ports] == [original.name, original.name]

    async def switch_and_roll_back() -> tuple[str | None, list[str], dict, list[str]]:
        redis = Redis(host=settings.redis_host, port=settings.redis_port, db=settings.redis_db)
        service = training_service(
            settings, copy.parent, redis, [f"http://127.0.0.1:{port}" for port in layout.rasa_ports]
        )
        try:
            before = await service.switch_to("alex", "activate", copy)
            during = [served_model(settings, port) for port in layout.rasa_ports]
            back = await service.rollback("alex")
            return before, during, back, [s["action"] for s in service.switches()]
        finally:
            await redis.aclose()

    before, during, back, actions = asyncio.run(switch_and_roll_back())
    assert before == original.name
    assert during == [copy.name, copy.name]  # both servers, not only the one nginx picks
    assert back == {"model": original.name, "previous_model": copy.name}
    assert [served_model(settings, port) for port in layout.rasa_ports] == [original.name, original.name]
    assert (copy.parent / "CURRENT").read_text() == f"{original.name}\n"
    assert actions == ["rollback", "activate"]
    # The rolled-back fleet still answers a conversation.
    customer = _customer(settings.bridge_port)
    _answered(customer.ask("hello", timeout=TURN_TIMEOUT))
    customer.close()


def test_a_rasa_server_refusing_the_model_puts_the_others_back(
    cluster: Cluster, settings: LauncherSettings, layout: ClusterLayout, tmp_path: Path
) -> None:
    original, copy = models_folder(settings, tmp_path / "models", "assistant-cluster-copy.tar.gz")
    real = [f"http://127.0.0.1:{port}" for port in layout.rasa_ports]

    async def switch(instance_urls: list[str]) -> str:
        redis = Redis(host=settings.redis_host, port=settings.redis_port, db=settings.redis_db)
        service = training_service(settings, copy.parent, redis, instance_urls)
        try:
            with pytest.raises(FleetSwitchFailed) as failure:
                await service.switch_to("alex", "activate", copy)
            assert service.switches() == []  # nothing recorded
            return str(failure.value)
        finally:
            await redis.aclose()

    with refusing_rasa_stand_in(original.name) as refusing:
        # The refusing server comes last: both real servers had switched and are put back.
        error = asyncio.run(switch([*real, refusing]))
    assert f"Rasa at {refusing} refused {copy.name} (500)" in error
    assert "every server is back on the model it had" in error
    assert [served_model(settings, port) for port in layout.rasa_ports] == [original.name, original.name]
    assert not (copy.parent / "CURRENT").exists()

    # A server that does not answer at all: nothing is switched in the first place.
    error = asyncio.run(switch([real[0], f"http://127.0.0.1:{free_port()}"]))
    assert "Rasa does not answer at http://127.0.0.1:" in error
    assert served_model(settings, layout.rasa_ports[0]) == original.name


def test_a_customer_whose_bridge_instance_dies_resumes_through_nginx_on_the_other(
    cluster: Cluster, settings: LauncherSettings, layout: ClusterLayout
) -> None:
    customer = _customer(layout.bridge_ports[0])
    _answered(customer.ask("hello", timeout=TURN_TIMEOUT))
    cluster["avatar-bridge-1"].kill()
    with pytest.raises((ConnectionClosed, TimeoutError)):
        customer.recv(timeout=5)  # the socket is gone
    try:
        again = BridgeClient(f"ws://127.0.0.1:{settings.bridge_port}/ws/v1")  # nginx: only bridge-2 answers
        resumed = again.resume(customer)
        assert resumed["type"] == "session_resumed" and resumed["last_seq"] == customer.last_seq
        _answered(again.ask("thanks", timeout=TURN_TIMEOUT))
        again.close()
    finally:
        cluster["avatar-bridge-1"].start()
        cluster["avatar-bridge-1"].wait_ready()


def test_a_conversation_survives_killing_its_rasa_server(
    cluster: Cluster, settings: LauncherSettings, layout: ClusterLayout
) -> None:
    customer = _customer(settings.bridge_port, language="de")
    _answered(customer.ask("Hallo", timeout=TURN_TIMEOUT))
    (serving,) = set(_rasa_upstreams(settings, customer.session_id))
    index = [f"127.0.0.1:{port}" for port in layout.rasa_ports].index(serving) + 1
    cluster[f"rasa-{index}"].kill()

    frames = customer.ask("Wo ist meine Bestellung?", timeout=TURN_TIMEOUT)
    _answered(frames)
    assert not of_type(frames, "error")
    # The other server continued the same tracker: both messages, once each, in one session.
    assert _user_texts(settings, customer.session_id) == ["Hallo", "Wo ist meine Bestellung?"]
    tracker = httpx.get(
        f"{settings.rasa_url}/conversations/{customer.session_id}/tracker", timeout=30, auth=rasa_api_auth(settings)
    ).json()
    starts = [e for e in tracker["events"] if e["event"] == "action" and e.get("name") == "action_session_start"]
    assert len(starts) == 1
    later = _rasa_upstreams(settings, customer.session_id)[-1]
    assert later.split(", ")[-1] != serving
    customer.close()
