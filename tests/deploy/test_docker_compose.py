"""docker-compose.yml is checked here because no Docker engine runs on the build machines:
every reference in it must resolve inside the repository and agree with the local setup."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
LONG_RUNNING = {"redis", "postgres", "action-server", "rasa", "avatar-bridge", "handoff", "load-balancer"}
# `docker compose up --scale NAME=n`: these run as several replicas behind the load balancer.
SCALABLE = {"action-server", "rasa", "avatar-bridge"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def dockerfile_of(service: dict) -> Path:
    build = service["build"]
    return ROOT / build.get("context", ".") / build["dockerfile"]


def test_has_the_whole_system(compose: dict) -> None:
    assert LONG_RUNNING | {"setup"} <= set(compose["services"])


@pytest.mark.parametrize(
    ("service", "base_image"),
    [("rasa", r"rasa/rasa:3\.6\.\d+"), ("action-server", r"rasa/rasa-sdk:3\.6\.\d+")],
)
def test_rasa_images_are_official_and_pinned_to_3_6(compose: dict, service: str, base_image: str) -> None:
    first_from = next(
        line.split()[1]
        for line in dockerfile_of(compose["services"][service]).read_text().splitlines()
        if line.startswith("FROM ")
    )
    assert re.fullmatch(base_image, first_from), first_from


def test_long_running_services_have_health_checks(compose: dict) -> None:
    for name in LONG_RUNNING:
        check = compose["services"][name].get("healthcheck")
        assert check and check.get("test"), f"{name} has no health check"


def test_dependencies_exist_and_wait_for_health(compose: dict) -> None:
    services = compose["services"]
    for name, service in services.items():
        for dependency, rule in (service.get("depends_on") or {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            condition = rule["condition"]
            if condition == "service_healthy":
                assert "healthcheck" in services[dependency], f"{dependency} cannot become healthy"
            else:
                assert condition == "service_completed_successfully"


def test_build_files_and_copied_paths_exist(compose: dict) -> None:
    for name, service in compose["services"].items():
        if "build" not in service:
            continue
        dockerfile = dockerfile_of(service)
        assert dockerfile.exists(), f"{name}: {dockerfile} missing"
        for line in dockerfile.read_text().splitlines():
            if line.startswith("COPY ") and "--from" not in line:
                *sources, _target = line.split()[1:]
                for source in sources:
                    assert (ROOT / source).exists(), f"{dockerfile.name} copies missing {source}"


def test_rasa_gets_every_variable_its_endpoints_use(compose: dict) -> None:
    used = set(re.findall(r"\$\{(\w+)\}", (ROOT / "bot" / "endpoints.yml").read_text()))
    given = set(compose["services"]["rasa"]["environment"])
    assert used and used <= given, f"missing for rasa: {used - given}"


@pytest.mark.parametrize(
    "secret",
    [
        "POSTGRES_PASSWORD",
        "AVATAR_BRIDGE_NLG_TOKEN",
        "AVATAR_BRIDGE_AUDIO_URL_SECRET",
        "RASA_JWT_SECRET",
        "ACTION_SERVER_TOKEN",
        "REDIS_PASSWORD",
    ],
)
def test_secrets_have_no_defaults(secret: str) -> None:
    text = COMPOSE.read_text()
    assert re.search(r"\$\{%s:\?" % secret, text)
    assert not re.search(r"\$\{%s:-" % secret, text)


def test_redis_is_durable_and_ports_stay_on_loopback(compose: dict) -> None:
    from launcher.services import REDIS_PERSISTENCE

    # The same persistence as `make run` / `make run-cluster` (docs/operations.md, "Fault behaviour"),
    # and a password from the environment (the shell expands it inside the container).
    shell, flag, script = compose["services"]["redis"]["command"]
    assert (shell, flag) == ("sh", "-c")
    # `$$` is compose's escape for a `$` the container's shell expands.
    assert shlex.split(script) == ["exec", "redis-server", "--requirepass", "$$REDIS_PASSWORD", *REDIS_PERSISTENCE]
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"


def test_named_volumes_are_declared(compose: dict) -> None:
    declared = set(compose.get("volumes") or {})
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} uses undeclared volume {source}"


def test_handoff_service_runs_in_production_mode_on_postgres(compose: dict) -> None:
    environment = compose["services"]["handoff"]["environment"]
    assert environment["PRODUCTION"] == "true"  # no demo users, no development defaults
    assert environment["HANDOFF_DATABASE_URL"].startswith("postgresql")
    assert environment["HANDOFF_REDIS_URL"] == "redis://redis:6379/0"


def test_scalable_services_have_no_fixed_names_or_host_ports(compose: dict) -> None:
    for name in SCALABLE:
        service = compose["services"][name]
        assert "container_name" not in service, f"{name} has a fixed name: it cannot be scaled"
        assert not service.get("ports"), f"{name} publishes a host port: a second replica could not start"


def test_every_call_between_services_goes_through_the_load_balancer(compose: dict) -> None:
    services = compose["services"]
    urls = {
        "avatar-bridge": services["avatar-bridge"]["environment"]["AVATAR_BRIDGE_RASA_URL"],
        "rasa actions": services["rasa"]["environment"]["ACTION_SERVER_URL"],
        "rasa nlg": services["rasa"]["environment"]["AVATAR_BRIDGE_NLG_URL"],
        "handoff bridge": services["handoff"]["environment"]["HANDOFF_BRIDGE_URL"],
        "handoff rasa": services["handoff"]["environment"]["HANDOFF_RASA_URL"],
    }
    for caller, url in urls.items():
        assert url.startswith("http://load-balancer:"), f"{caller} bypasses the load balancer: {url}"


def test_bridge_replicas_get_distinct_instance_names(compose: dict) -> None:
    command = " ".join(compose["services"]["avatar-bridge"]["command"])
    assert "AVATAR_BRIDGE_INSTANCE_ID=" in command and "hostname" in command
    assert "AVATAR_BRIDGE_INSTANCE_ID" not in compose["services"]["avatar-bridge"]["environment"]


def test_load_balancer_uses_the_launchers_template_for_compose(compose: dict) -> None:
    from launcher.balancer import BalancerConfig

    mounted = compose["services"]["load-balancer"]["volumes"][0].split(":")[0]
    config = (ROOT / mounted).read_text()
    assert config == BalancerConfig.for_compose().render(), (
        "docker/nginx.conf is stale: python -m launcher nginx-config > docker/nginx.conf"
    )
    assert "hash $conversation consistent;" in config
    for upstream in ("avatar-bridge:8765", "rasa:5005", "action-server:5055"):
        assert f"server {upstream} " in config


def test_only_the_customer_entry_and_the_consoles_are_published(compose: dict) -> None:
    """docs/operations.md "Threat model": Rasa's channel webhooks have no authentication of their
    own, so neither Rasa nor the action server may be reachable from outside."""
    services = compose["services"]
    published = {name: service.get("ports", []) for name, service in services.items() if service.get("ports")}
    assert published == {"load-balancer": ["127.0.0.1:8765:8765"], "handoff": ["127.0.0.1:8780:8780"]}
    assert compose["networks"]["internal"]["internal"] is True
    for name in ("redis", "postgres", "rasa", "action-server", "avatar-bridge", "setup"):
        assert services[name]["networks"] == ["internal"], name


def test_internal_services_run_in_production_mode_with_their_secrets(compose: dict) -> None:
    services = compose["services"]
    for name in ("rasa", "action-server"):
        environment = services[name]["environment"]
        assert environment["PRODUCTION"] == "true"
        assert environment["ACTION_SERVER_TOKEN"].startswith("${ACTION_SERVER_TOKEN:?")
        assert environment["REDIS_PASSWORD"].startswith("${REDIS_PASSWORD:?")
    assert services["rasa"]["environment"]["RASA_JWT_SECRET"].startswith("${RASA_JWT_SECRET:?")
    bridge = services["avatar-bridge"]["environment"]
    assert bridge["AVATAR_BRIDGE_RASA_JWT_SECRET"].startswith("${RASA_JWT_SECRET:?")
    assert bridge["AVATAR_BRIDGE_REDIS_PASSWORD"].startswith("${REDIS_PASSWORD:?")
    assert services["handoff"]["environment"]["HANDOFF_RASA_JWT_SECRET"].startswith("${RASA_JWT_SECRET:?")
    # Forwarded headers are trusted from the load balancer's fixed address only.
    balancer_address = services["load-balancer"]["networks"]["internal"]["ipv4_address"]
    assert bridge["AVATAR_BRIDGE_TRUSTED_PROXIES"] == balancer_address


def test_the_rasa_processes_start_through_our_entry_points() -> None:
    assert "python -m bot.server.rasa" in (ROOT / "docker" / "rasa-start.sh").read_text()
    assert 'ENTRYPOINT ["python", "-m", "bot.server.actions"]' in (ROOT / "docker" / "actions.Dockerfile").read_text()
