"""Multi-instance mode: several Rasa servers, action servers and bridges behind nginx, one Redis.

nginx (Debian's package, run as a non-daemon child process with a config generated under
var/nginx/, launcher/balancer.py) listens on the ports a single-instance system would use, so
every client (browser, Rasa's action and NLG calls, the handoff service) talks to the load
balancer, and the instances listen on their own loopback ports.

The handoff service runs once (docs/deployment.md says why). docs/deployment.md describes the mode.
"""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from pathlib import Path

from launcher.balancer import LOCAL_BALANCER_ADDRESS, BalancerConfig
from launcher.process import ManagedProcess, ServiceSpec, free_port
from launcher.services import (
    action_server_spec,
    avatar_bridge_spec,
    handoff_spec,
    rasa_spec,
    redis_spec,
)
from launcher.settings import LauncherSettings
from launcher.system import System


@dataclass(frozen=True)
class ClusterLayout:
    """Loopback ports of the instances behind nginx (nginx itself uses the settings' ports)."""

    bridge_ports: tuple[int, ...]
    rasa_ports: tuple[int, ...]
    action_ports: tuple[int, ...]

    @classmethod
    def next_to(cls, settings: LauncherSettings, instances: int = 2) -> ClusterLayout:
        """Instances on the ports right above nginx's: 8766, 8767 / 5006, 5007 / 5056, 5057."""

        def above(port: int) -> tuple[int, ...]:
            return tuple(port + 1 + index for index in range(instances))

        return cls(above(settings.bridge_port), above(settings.rasa_port), above(settings.action_server_port))

    @classmethod
    def free(cls, instances: int = 2) -> ClusterLayout:
        def ports() -> tuple[int, ...]:
            return tuple(free_port() for _ in range(instances))

        return cls(ports(), ports(), ports())


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise FileNotFoundError("nginx is not installed: run `make setup` (it installs Debian's nginx)")
    return found


def nginx_spec(settings: LauncherSettings, layout: ClusterLayout) -> ServiceSpec:
    work_dir = settings.var_dir / "nginx"
    work_dir.mkdir(parents=True, exist_ok=True)
    config = work_dir / "nginx.conf"
    config.write_text(
        BalancerConfig(
            listen_host="127.0.0.1",
            bridge_port=settings.bridge_port,
            rasa_port=settings.rasa_port,
            action_port=settings.action_server_port,
            bridges=_loopback(layout.bridge_ports),
            rasa_servers=_loopback(layout.rasa_ports),
            action_servers=_loopback(layout.action_ports),
            work_dir=str(work_dir),
            error_log=str(work_dir / "error.log"),
            access_log=str(work_dir / "access.log"),
            upstream_source=LOCAL_BALANCER_ADDRESS,
        ).render()
    )
    return ServiceSpec(
        name="nginx",
        # -e: the error log before the config is read (no root-owned default path).
        command=[nginx_binary(), "-p", str(work_dir), "-e", str(work_dir / "error.log"), "-c", str(config)],
        cwd=settings.root,
        ready_port=settings.bridge_port,
        ready_timeout=20,
        public_url=f"{settings.bridge_url}/",
    )


def _loopback(ports: tuple[int, ...]) -> tuple[str, ...]:
    return tuple(f"127.0.0.1:{port}" for port in ports)


def _renamed(spec: ServiceSpec, name: str, **env: str) -> ServiceSpec:
    return dataclasses.replace(spec, name=name, env={**spec.env, **env}, public_url=None)


def cluster_services(
    settings: LauncherSettings, layout: ClusterLayout, *, start_redis: bool = True
) -> list[ServiceSpec]:
    """Redis, the handoff service, n bridges, n action servers, n Rasa servers and nginx.

    `settings`' bridge, Rasa and action-server ports are nginx's; every service is given those
    URLs, so all traffic between services goes through the load balancer too."""
    specs: list[ServiceSpec] = [redis_spec(settings)] if start_redis else []
    handoff = handoff_spec(settings)
    # The admin console switches models on every Rasa server, not on the one nginx picks.
    rasa_instances = ",".join(f"http://127.0.0.1:{port}" for port in layout.rasa_ports)
    specs.append(dataclasses.replace(handoff, env={**handoff.env, "HANDOFF_RASA_INSTANCE_URLS": rasa_instances}))
    for index, port in enumerate(layout.bridge_ports, start=1):
        spec = avatar_bridge_spec(dataclasses.replace(settings, bridge_port=port))
        # AVATAR_BRIDGE_RASA_URL stays nginx's: the spec only moved the bridge's own port. Customers
        # come through nginx: its X-Forwarded-For, and nobody else's, names their address.
        specs.append(
            _renamed(
                spec,
                f"avatar-bridge-{index}",
                AVATAR_BRIDGE_INSTANCE_ID=f"bridge-{index}",
                AVATAR_BRIDGE_TRUSTED_PROXIES=LOCAL_BALANCER_ADDRESS,
            )
        )
    for index, port in enumerate(layout.action_ports, start=1):
        spec = action_server_spec(dataclasses.replace(settings, action_server_port=port))
        specs.append(_renamed(spec, f"action-server-{index}"))
    for index, port in enumerate(layout.rasa_ports, start=1):
        spec = rasa_spec(dataclasses.replace(settings, rasa_port=port))
        specs.append(
            dataclasses.replace(
                _renamed(
                    spec,
                    f"rasa-{index}",
                    ACTION_SERVER_URL=settings.action_server_url,
                    AVATAR_BRIDGE_NLG_URL=f"{settings.bridge_url}/nlg",
                ),
                ready_timeout=420,  # n models load at once on a small machine
            )
        )
    specs.append(nginx_spec(settings, layout))
    return specs


def with_current_model(spec: ServiceSpec, settings: LauncherSettings) -> ServiceSpec:
    """A Rasa server's spec loading the model models/CURRENT names now: a server restarted after
    the admin console switched models must not come back on the model the cluster started with."""
    if "--model" not in spec.command:
        return spec
    command = list(spec.command)
    command[command.index("--model") + 1] = str(settings.current_model())
    return dataclasses.replace(spec, command=command)


class Cluster(System):
    """A System that starts Redis first and then everything else at once (n Rasa servers loading
    their models one after the other would take minutes)."""

    def start(self) -> None:
        try:
            processes = list(self.processes.values())
            first = [p for p in processes if p.spec.name == "redis"]
            for process in first:
                process.start()
                process.wait_ready()
            rest = [p for p in processes if p not in first]
            for process in rest:
                process.start()
            for process in rest:
                process.wait_ready()
        except BaseException:
            self.stop()
            raise

    def instances(self, prefix: str) -> list[ManagedProcess]:
        """The processes of one kind, e.g. instances("rasa-")."""
        return [p for name, p in self.processes.items() if name.startswith(prefix)]
