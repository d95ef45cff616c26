"""A socket's copy of the session record can be stale in a field another bridge instance owns:
routing is switched by whichever instance reads bridge:deliveries. Changing capabilities, resuming
or ending must write only their own fields, so a conversation handed to an agent stays with the
agent (found by the soak test: the customer's next message went to the bot)."""

import itertools

import redis
from bridge_support.client import BridgeClient

_prefixes = itertools.count(1)


def _session_key(stack, session_id: str) -> str:
    return stack.settings.key("session", session_id)


def test_changing_capabilities_keeps_the_routing_another_instance_set(own_bridge, redis_server) -> None:
    stack = own_bridge(redis_key_prefix=f"fields{next(_prefixes)}")
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    customer = BridgeClient(stack.ws_url)
    try:
        customer.start("en", capabilities={"audio": True})
        key = _session_key(stack, customer.session_id)
        assert client.hget(key, "routing") == "bot"
        client.hset(key, "routing", "agent")  # what the instance reading deliveries does

        customer.send({"v": 1, "type": "capabilities", "audio": False})
        frames = customer.turn(customer.say("is anyone there?"))
        assert client.hget(key, "audio") == "0"  # the change itself was written
        assert client.hget(key, "routing") == "agent"
        assert frames[-1]["type"] == "turn_complete" and frames[-1].get("routed_to") == "agent", frames

        customer.send({"v": 1, "type": "end"})
        customer.recv()
        assert client.hget(key, "ended") == "1" and client.hget(key, "routing") == "agent"
    finally:
        customer.close()
        client.close()
