"""`python -m launcher run`: starts the whole system on localhost until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import time

from launcher.balancer import BalancerConfig
from launcher.cluster import Cluster, ClusterLayout, cluster_services, with_current_model
from launcher.process import ManagedProcess, ServiceFailed, port_is_open
from launcher.restarts import InstanceRestarter, RestartBackoff
from launcher.services import local_services
from launcher.settings import LauncherSettings
from launcher.system import System


def run() -> int:
    settings = LauncherSettings.from_env()
    # A Redis already answering on the configured port (e.g. the system's) is used as it is.
    reuse_redis = port_is_open(settings.redis_port, settings.redis_host)
    system = System(local_services(settings, start_redis=not reuse_redis), settings.var_dir / "log")

    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    print("Starting the assistant (logs in var/log/) ...", flush=True)
    try:
        for name, process in system.processes.items():
            print(f"  starting {name} ...", flush=True)
            process.start()
            process.wait_ready()
            if stopping:
                break
    except ServiceFailed as error:
        print(f"\nStart-up failed: {error}", file=sys.stderr)
        system.stop()
        return 1

    if not stopping:
        print("\nThe assistant is running:")
        print(f"  Redis               {settings.redis_url}" + ("  (already running, reused)" if reuse_redis else ""))
        print(f"  Action server       {settings.action_server_url}  (answers Rasa only)")
        print(
            f"  Web client          {settings.bridge_url}/  "
            f'(embed: <script src="{settings.bridge_url}/widget.js" defer></script>)'
        )
        print(f"  Avatar bridge       ws://127.0.0.1:{settings.bridge_port}/ws/v1  (protocol: docs/protocol.md)")
        print(f"  Rasa REST channel   {settings.rasa_url}/webhooks/rest/webhook")
        print(
            f"  Rasa HTTP API       {settings.rasa_url}/status  (JWT: TOKEN=$(.venv/bin/python -m common.service_auth))"
        )
        print(f"  Agent console       {settings.handoff_url}/agent")
        print(f"  Supervisor view     {settings.handoff_url}/supervisor")
        print(f"  Admin console       {settings.handoff_url}/admin")
        print(
            "  Demo sign-ins (development only): agents mia / mia-demo-pass, tom / tom-demo-pass;"
            " supervisor sam / sam-demo-pass; admin alex / alex-demo-pass"
        )
        print(
            '\nTry it:  curl -s -XPOST localhost:%d/webhooks/rest/webhook -d \'{"sender":"me","message":"hi"}\''
            % settings.rasa_port
        )
        print("Press Ctrl-C to stop.", flush=True)

    while not stopping:
        dead = system.failed()
        if dead:
            for process in dead:
                print(f"\n{process.spec.name} stopped unexpectedly:\n{process.log_tail()}", file=sys.stderr)
            break
        time.sleep(1)

    print("\nStopping ...", flush=True)
    system.stop()
    print("Stopped.")
    return 0 if stopping else 1


def run_cluster(instances: int) -> int:
    """Multi-instance mode (launcher/cluster.py): n of each service behind nginx, one Redis."""
    settings = LauncherSettings.from_env()
    layout = ClusterLayout.next_to(settings, instances)
    reuse_redis = port_is_open(settings.redis_port, settings.redis_host)
    cluster = Cluster(cluster_services(settings, layout, start_redis=not reuse_redis), settings.var_dir / "log")

    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    print(
        f"Starting the assistant with {instances} instances of each service behind nginx"
        " (logs in var/log/, nginx in var/nginx/) ...",
        flush=True,
    )
    try:
        cluster.start()
    except ServiceFailed as error:
        print(f"\nStart-up failed: {error}", file=sys.stderr)
        return 1
    print("\nThe assistant is running (through nginx):")
    print(f"  Web client          {settings.bridge_url}/")
    print(f"  Avatar bridge       ws://127.0.0.1:{settings.bridge_port}/ws/v1  -> ports {layout.bridge_ports}")
    print(f"  Rasa REST channel   {settings.rasa_url}/webhooks/rest/webhook  -> ports {layout.rasa_ports}")
    print(f"  Action servers      {settings.action_server_url}  -> ports {layout.action_ports}")
    print(f"  Agent console       {settings.handoff_url}/agent  (one handoff service)")
    print("Press Ctrl-C to stop.", flush=True)

    def refresh(process: ManagedProcess) -> None:
        try:
            process.spec = with_current_model(process.spec, settings)
        except FileNotFoundError as error:  # models/CURRENT gone: keep the model it had
            print(f"\n{process.spec.name}: {error}; restarting with its previous model", file=sys.stderr)

    # One instance down is what the cluster is for: report it, restart it with backoff, keep serving.
    # Redis and nginx too: Redis comes back with its data (append-only file) and every service
    # reconnects by itself (docs/operations.md, "Fault behaviour"); nginx re-reads its config.
    restarter = InstanceRestarter(
        RestartBackoff(), lambda line: print(f"\n{line}", file=sys.stderr, flush=True), refresh
    )
    while not stopping:
        dead = cluster.failed()
        if dead:
            if len(dead) == len(cluster.processes):
                for process in dead:
                    print(f"\n{process.spec.name} stopped unexpectedly:\n{process.log_tail(10)}", file=sys.stderr)
                break
            restarter.step(dead, time.monotonic())
        time.sleep(1)
    print("\nStopping ...", flush=True)
    cluster.stop()
    print("Stopped.")
    return 0 if stopping else 1


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m launcher")
    parser.add_argument("command", choices=["run", "run-cluster", "nginx-config"])
    parser.add_argument("--instances", type=int, default=2, help="run-cluster: instances of each service")
    arguments = parser.parse_args()
    if arguments.command == "nginx-config":  # docker/nginx.conf for docker-compose
        print(BalancerConfig.for_compose().render(), end="")
        return 0
    if arguments.command == "run-cluster":
        return run_cluster(max(1, arguments.instances))
    return run()


if __name__ == "__main__":
    sys.exit(main())
