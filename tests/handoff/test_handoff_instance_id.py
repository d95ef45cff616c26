"""The handoff service reads its streams under its own consumer name (HANDOFF_INSTANCE_ID)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from redis.exceptions import ResponseError

from handoff.app import create_app
from handoff.core.config import HandoffSettings
from tests.handoff.conftest import handoff_record, make_settings, publish, wait_until
from tests.support.redis_server import RedisServer


def test_every_stream_is_read_under_the_instances_name(
    redis_server: RedisServer,
    redis_client,
    tmp_path: Path,  # noqa: ANN001
    customer_db_url: str,
) -> None:
    settings = make_settings(redis_server.url, tmp_path / "handoff.db", customer_db_url, instance_id="handoff-b")
    streams = [settings.requests_stream, settings.bridge_key("agent_inbox"), settings.bridge_key("csat")]

    def consumer_names(stream: str) -> list[str]:
        try:
            return [c["name"] for c in redis_client.xinfo_consumers(stream, "handoff")]
        except ResponseError:  # the group is not created yet
            return []

    with TestClient(create_app(settings)):
        publish(redis_client, settings, handoff_record())
        for stream in streams:
            wait_until(lambda stream=stream: consumer_names(stream), message=f"a consumer of {stream}")
            assert consumer_names(stream) == ["handoff-b"], stream
        wait_until(
            lambda: not redis_client.xpending(settings.requests_stream, "handoff")["pending"],
            message="the handoff acknowledged",
        )


def test_the_default_is_the_single_instance_name() -> None:
    assert HandoffSettings().instance_id == "handoff-1"


@pytest.mark.parametrize("bad", ["", "has space", "x" * 65, "a:b"])
def test_an_unusable_instance_id_is_refused_at_start(bad: str) -> None:
    with pytest.raises(ValidationError):
        HandoffSettings(instance_id=bad)
