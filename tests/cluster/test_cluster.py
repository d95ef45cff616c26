"""Two instances of each service behind nginx (launcher/cluster.py), with the real Rasa model.

The tests that kill an instance come last in this file (pytest keeps file order): the Rasa one
leaves one Rasa server for the rest of the run."""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest
import redis
from websockets.exceptions import ConnectionClosed

from launcher.cluster import Cluster, ClusterLayout
from launcher.settings import LauncherSettings
from tests.avatar_bridge.bridge_support.client import BridgeClient, of_type

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
    pattern = re.compile(rf"^{settings.rasa_port} conversation={re.escape(conversation)} upstream=(\S+(?:, \S+)*) ",
                         re.MULTILINE)
    return pattern.findall(log)


def _user_texts(settings: LauncherSettings, conversation: str) -> list[str]:
    tracker = httpx.get(f"{settings.rasa_url}/conversations/{conversation}/tracker", timeout=30).json()
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
        response = httpx.get(f"{settings.rasa_url}/conversations/spread-{index}/tracker", timeout=30)
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
        frame = {"type": "agent_message", "message_id": f"cluster-{index}", "agent": {"display_name": "Mia"},
                 "text": text}
        redis_client.xadd("bridge:deliveries", {"payload": json.dumps({"session_id": customer.session_id,
                                                                      "frame": frame})})
    received = [customer.recv(timeout=20), customer.recv(timeout=20)]
    assert [(f["type"], f["text"]) for f in received] == [
        ("agent_message", "Hi, I'm Mia from the support team."), ("agent_message", "How can I help?")]
    with pytest.raises(TimeoutError):
        customer.recv(timeout=1.0)  # each exactly once
    customer.close()


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
    tracker = httpx.get(f"{settings.rasa_url}/conversations/{customer.session_id}/tracker", timeout=30).json()
    starts = [e for e in tracker["events"] if e["event"] == "action" and e.get("name") == "action_session_start"]
    assert len(starts) == 1
    later = _rasa_upstreams(settings, customer.session_id)[-1]
    assert later.split(", ")[-1] != serving
    customer.close()
