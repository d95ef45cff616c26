"""The real system for end-to-end tests, shared by tests/integration and tests/web_client: every
service on free loopback ports (never the defaults someone's `make run` may hold), with a freshly
seeded customer database in a temporary directory. Import the fixtures into a conftest:

    from tests.support.system import customer_db, settings, system  # noqa: F401
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from customer_db.seed import seed_database
from customer_db.sql import SqlCustomerConnector
from launcher.process import ServiceSpec
from launcher.services import local_services
from launcher.settings import LauncherSettings
from launcher.system import System


def seed_demo_users(handoff_service: Any) -> None:
    """The demo users, as `make setup` creates them (scripts/setup.d/30-handoff.sh), in a running
    handoff service's own database (`system["handoff"]`)."""
    spec = handoff_service.spec
    subprocess.run(
        [sys.executable, "-m", "handoff.users", "seed-demo"],
        cwd=spec.cwd,
        env={**os.environ, **spec.env},
        check=True,
        capture_output=True,
        timeout=60,
    )


def services_for_tests(settings: LauncherSettings, *, start_redis: bool = True) -> list[ServiceSpec]:
    """The launcher's services, the bridge configured with the procedural head: under headless
    Chromium's software WebGL the realistic default would load on every page and cost each test
    seconds of CPU. Tests about the realistic avatar ask for it (`avatar=valid-woman`)."""
    return with_light_bridges(local_services(settings, start_redis=start_redis))


def with_light_bridges(specs: list[ServiceSpec]) -> list[ServiceSpec]:
    """Every bridge (one, or a cluster's instances) shows the procedural head, which also keeps its
    speech on espeak-ng: the default man's Piper voice would prewarm hundreds of sentences with a
    neural model on the test machine's two cores. The openers' prewarm (about 700 sentences) is off
    for the same reason: every system a test starts has an empty speech cache."""
    for spec in specs:
        if spec.name.startswith("avatar-bridge"):
            spec.env["AVATAR_BRIDGE_AVATAR_MODEL"] = "procedural"
            spec.env["AVATAR_BRIDGE_SPEECH_PREWARM_OPENERS"] = "0"
    return specs


def settings_on_free_ports(work: Path) -> LauncherSettings:
    """Every service on a free loopback port, runtime files and the customer database in `work`."""
    return LauncherSettings.on_free_ports(work)


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> LauncherSettings:
    return settings_on_free_ports(tmp_path_factory.mktemp("system"))


@pytest.fixture(scope="session")
def customer_db(settings: LauncherSettings) -> SqlCustomerConnector:
    connector = SqlCustomerConnector(settings.customer_db_url)
    connector.create_schema()
    seed_database(connector)
    return connector


@pytest.fixture(scope="session")
def system(settings: LauncherSettings, customer_db: SqlCustomerConnector) -> Iterator[System]:
    with System(services_for_tests(settings), Path(settings.var_dir) / "log") as running:
        yield running
