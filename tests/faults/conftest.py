"""The real system for the fault tests: Redis, the handoff service, the bridge, the action server
and Rasa with the trained model, on free loopback ports, with a freshly seeded customer database.

Module scope and its own ports and files: these tests kill and restart Rasa and the action server,
so they must not share a system with other modules (tests/support/system.py's is session-wide)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from customer_db.seed import seed_database
from customer_db.sql import SqlCustomerConnector
from launcher.settings import LauncherSettings
from launcher.system import System
from tests.support.system import seed_demo_users, settings_on_free_ports, services_for_tests


@pytest.fixture(scope="module")
def fault_settings(tmp_path_factory: pytest.TempPathFactory) -> LauncherSettings:
    return settings_on_free_ports(tmp_path_factory.mktemp("faults"))


@pytest.fixture(scope="module")
def fault_system(fault_settings: LauncherSettings) -> Iterator[System]:
    connector = SqlCustomerConnector(fault_settings.customer_db_url)
    connector.create_schema()
    seed_database(connector)
    with System(services_for_tests(fault_settings), Path(fault_settings.var_dir) / "log") as running:
        seed_demo_users(running["handoff"])
        yield running


@pytest.fixture(scope="module")
def fault_redis(fault_system: System, fault_settings: LauncherSettings) -> Iterator[redis.Redis]:
    client = redis.Redis(
        host=fault_settings.redis_host,
        port=fault_settings.redis_port,
        db=fault_settings.redis_db,
        decode_responses=True,
    )
    yield client
    client.close()
