"""The system under soak: the cluster of launcher/cluster.py (nginx in front of n bridges, Rasa
servers and action servers; one handoff service; one Redis) on free loopback ports, with its own
var directory, a freshly seeded customer database and soak agents in its own handoff database.

All simulated customers come from 127.0.0.1, so the per-IP limits (meant for one real client
address each) are raised for this cluster; the per-session and per-socket limits stay as
configured, and the customers keep to them.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from customer_db.seed import seed_database
from customer_db.sql import SqlCustomerConnector
from handoff.auth.users import create_user
from handoff.core.db import create_schema, make_engine, make_session_factory
from launcher.cluster import Cluster, ClusterLayout, cluster_services
from launcher.process import ServiceSpec
from launcher.settings import LauncherSettings
from scripts.bench.soak_plan import AgentAccount, Targets

# One client address stands for every simulated customer and agent.
BRIDGE_LOOPBACK_LIMITS = {
    "AVATAR_BRIDGE_IP_REQUESTS_PER_SECOND": "1000",
    "AVATAR_BRIDGE_IP_REQUEST_BURST": "5000",
    "AVATAR_BRIDGE_IP_CONNECTIONS_PER_SECOND": "500",
    "AVATAR_BRIDGE_IP_CONNECTION_BURST": "2000",
    # The soak measures turns and their delivery, and its figures compare with runs before the man
    # (Piper) became the default avatar; Piper under load is measured by bridge_load.py.
    "AVATAR_BRIDGE_AVATAR_MODEL": "valid-woman",
    "AVATAR_BRIDGE_SPEECH_PREWARM_OPENERS": "0",  # its background work would load the soak's first minute
}
HANDOFF_LOOPBACK_LIMITS = {
    "HANDOFF_IP_REQUESTS_PER_SECOND": "1000",
    "HANDOFF_IP_REQUEST_BURST": "5000",
    "HANDOFF_IP_CONNECTIONS_PER_SECOND": "100",
    "HANDOFF_IP_CONNECTION_BURST": "500",
    # The soak signs in with its own agents, never the demo users.
    "HANDOFF_SEED_DEMO_USERS": "false",
}


def create_agents(database_url: str, count: int, prefix: str = "soak") -> tuple[AgentAccount, ...]:
    """Agents in the handoff database (every skill and language), each with a fresh password."""
    engine = make_engine(database_url)
    try:
        create_schema(engine)
        accounts = tuple(AgentAccount(f"{prefix}{n + 1}", secrets.token_urlsafe(18)) for n in range(count))
        with make_session_factory(engine)() as session:
            for account in accounts:
                create_user(
                    session,
                    username=account.username,
                    display_name=f"Agent {account.username}",
                    role="agent",
                    password=account.password,
                )
    finally:
        engine.dispose()
    return accounts


def handoff_database_url(settings: LauncherSettings) -> str:
    """Where launcher/services.py's handoff spec keeps its database."""
    return f"sqlite:///{settings.var_dir / 'handoff.db'}"


def with_loopback_limits(spec: ServiceSpec) -> ServiceSpec:
    if spec.name.startswith("avatar-bridge"):
        return dataclasses.replace(spec, env={**spec.env, **BRIDGE_LOOPBACK_LIMITS})
    if spec.name == "handoff":
        return dataclasses.replace(spec, env={**spec.env, **HANDOFF_LOOPBACK_LIMITS})
    return spec


def targets_of(settings: LauncherSettings, agents: tuple[AgentAccount, ...]) -> Targets:
    return Targets(
        bridge_ws=f"ws://127.0.0.1:{settings.bridge_port}/ws/v1", handoff_url=settings.handoff_url, agents=agents
    )


def process_groups(cluster: Cluster) -> dict[str, int]:
    """Service name -> process group id (each service leads its own group)."""
    return {name: process.pid for name, process in cluster.processes.items() if process.pid is not None}


@contextmanager
def soak_cluster(instances: int, work: Path, agents: int) -> Iterator[tuple[Cluster, Targets]]:
    work.mkdir(parents=True, exist_ok=True)
    settings = LauncherSettings.on_free_ports(work)
    customers = SqlCustomerConnector(settings.customer_db_url)
    customers.create_schema()
    seed_database(customers)
    customers.close()
    accounts = create_agents(handoff_database_url(settings), agents)
    specs = [with_loopback_limits(spec) for spec in cluster_services(settings, ClusterLayout.free(instances))]
    with Cluster(specs, work / "log") as cluster:
        yield cluster, targets_of(settings, accounts)
