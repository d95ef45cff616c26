"""The cluster (launcher/cluster.py) for the tests in this directory: Redis, the handoff service,
two bridges, two action servers and two Rasa servers behind nginx, on free loopback ports, with a
freshly seeded customer database. Started once per test module (two Rasa servers load their
models) and stopped at its end, so it does not run alongside the integration tests' system."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from customer_db.sql import SqlCustomerConnector
from launcher.cluster import Cluster, ClusterLayout, cluster_services
from launcher.settings import LauncherSettings
from tests.support.system import customer_db, settings_on_free_ports, with_light_bridges  # noqa: F401 (shared fixture, uses `settings`)


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> LauncherSettings:
    # The bridge, Rasa and action-server ports are nginx's; the instances get their own.
    return settings_on_free_ports(tmp_path_factory.mktemp("cluster"))


@pytest.fixture(scope="session")
def layout() -> ClusterLayout:
    return ClusterLayout.free(instances=2)


@pytest.fixture(scope="module")
def cluster(
    settings: LauncherSettings,
    layout: ClusterLayout,
    customer_db: SqlCustomerConnector,  # noqa: F811
) -> Iterator[Cluster]:
    with Cluster(with_light_bridges(cluster_services(settings, layout)), Path(settings.var_dir) / "log") as running:
        yield running


@pytest.fixture(scope="module")
def redis_client(cluster: Cluster, settings: LauncherSettings) -> Iterator[redis.Redis]:
    client = redis.Redis(
        host=settings.redis_host, port=settings.redis_port, db=settings.redis_db, decode_responses=True
    )
    yield client
    client.close()
