"""session_started and session_resumed carry the server's time (protocol schema `ts`), like
every other server frame."""

import time

from bridge_support.client import BridgeClient


def test_session_started_and_session_resumed_carry_the_server_time(bridge):
    before = time.time()
    first = BridgeClient(bridge.ws_url)
    started = first.start()
    first.close()
    again = BridgeClient(bridge.ws_url)
    resumed = again.resume(first)
    again.close()
    after = time.time()
    assert resumed["type"] == "session_resumed"
    # The bridge runs on this machine: its clock is the test's.
    assert before - 1 <= started["ts"] <= resumed["ts"] <= after + 1
