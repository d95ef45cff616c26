"""The customer token from start/resume reaches Rasa as message metadata, and nowhere else."""

import logging

import pytest
from bridge_support.client import BridgeClient

TOKEN = "cust-token-Zq8u2vX1-do-not-log"


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_the_token_goes_to_rasa_with_every_turn_also_after_a_resume(bridge, all_logs):
    client = BridgeClient(bridge.ws_url)
    client.start("en", customer_token=TOKEN)
    client.ask("echo first")
    client.close()
    resumed = BridgeClient(bridge.ws_url)
    assert resumed.resume(client, customer_token=TOKEN)["type"] == "session_resumed"
    resumed.ask("echo second")
    resumed.close()

    # The opening turn (test_bridge_opening_turn.py) carries it too.
    assert bridge.fake_rasa.received[client.session_id] == ["/widget_opened", "echo first", "echo second"]
    turns = bridge.fake_rasa.metadata[client.session_id]
    assert [turn.get("customer_token") for turn in turns] == [TOKEN, TOKEN, TOKEN]
    assert all(turn["language"] == "en" and turn["source"] == "avatar_bridge" for turn in turns)
    assert TOKEN not in all_logs.text


def test_after_a_bridge_restart_the_resumed_token_is_used(own_bridge):
    stack = own_bridge(speech_enabled=False)
    client = BridgeClient(stack.ws_url)
    client.start("de", customer_token=TOKEN)
    client.close()
    stack.restart_bridge()
    resumed = BridgeClient(stack.ws_url)
    assert resumed.resume(client, customer_token=TOKEN)["type"] == "session_resumed"
    resumed.ask("echo nach dem Neustart")
    resumed.close()
    assert stack.fake_rasa.metadata[client.session_id][-1]["customer_token"] == TOKEN


def test_no_token_no_metadata_entry_and_an_unbound_session_ignores_a_token_at_resume(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    client.ask("echo anonymous")
    client.close()
    # The session is not bound to a customer: a token offered at resume was never checked, so it
    # must not reach Rasa as if it were the customer's.
    resumed = BridgeClient(bridge.ws_url)
    assert resumed.resume(client, customer_token="someone-elses-token")["type"] == "session_resumed"
    resumed.ask("echo still anonymous")
    resumed.close()
    assert ["customer_token" in turn for turn in bridge.fake_rasa.metadata[client.session_id]] == [False, False]


def test_the_token_is_not_stored_in_redis(bridge, redis_server):
    import redis

    client = BridgeClient(bridge.ws_url)
    client.start("en", customer_token=TOKEN)
    client.ask("echo hello")
    client.close()
    connection = redis.Redis.from_url(redis_server.url)
    try:
        for key in connection.scan_iter(f"{bridge.settings.redis_key_prefix}:*"):
            kind = connection.type(key)
            if kind == b"hash":
                values = list(connection.hgetall(key).values())
            elif kind == b"zset":
                values = [member for member, _ in connection.zrange(key, 0, -1, withscores=True)]
            elif kind == b"string":
                values = [connection.get(key)]
            else:
                continue
            assert all(TOKEN.encode() not in value for value in values), key
    finally:
        connection.close()
