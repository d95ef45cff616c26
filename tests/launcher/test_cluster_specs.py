"""The multi-instance specs and nginx config (launcher/cluster.py, launcher/balancer.py), without
starting the services; tests/cluster runs the real cluster."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from launcher.cluster import ClusterLayout, cluster_services, nginx_binary
from launcher.settings import LauncherSettings


@pytest.fixture
def settings(tmp_path: Path) -> LauncherSettings:
    return LauncherSettings.from_env(
        redis_port=16390,
        rasa_port=15005,
        action_server_port=15055,
        bridge_port=18765,
        handoff_port=18780,
        var_dir=tmp_path,
    )


def test_every_service_is_doubled_and_talks_to_the_load_balancer(settings: LauncherSettings) -> None:
    layout = ClusterLayout.next_to(settings, instances=2)
    assert layout.rasa_ports == (15006, 15007) and layout.bridge_ports == (18766, 18767)
    specs = {spec.name: spec for spec in cluster_services(settings, layout)}
    assert set(specs) == {
        "redis",
        "handoff",
        "avatar-bridge-1",
        "avatar-bridge-2",
        "action-server-1",
        "action-server-2",
        "rasa-1",
        "rasa-2",
        "nginx",
    }
    bridges = [specs["avatar-bridge-1"].env, specs["avatar-bridge-2"].env]
    assert [env["AVATAR_BRIDGE_PORT"] for env in bridges] == ["18766", "18767"]
    assert {env["AVATAR_BRIDGE_INSTANCE_ID"] for env in bridges} == {"bridge-1", "bridge-2"}
    assert {env["AVATAR_BRIDGE_RASA_URL"] for env in bridges} == {"http://127.0.0.1:15005"}
    for name in ("rasa-1", "rasa-2"):
        assert specs[name].env["ACTION_SERVER_URL"] == "http://127.0.0.1:15055/webhook"
        assert specs[name].env["AVATAR_BRIDGE_NLG_URL"] == "http://127.0.0.1:18765/nlg"
    assert "--port" in specs["rasa-2"].command and "15007" in specs["rasa-2"].command
    assert specs["handoff"].env["HANDOFF_RASA_URL"] == "http://127.0.0.1:15005"
    # The admin console's model switch reaches each Rasa server directly.
    assert specs["handoff"].env["HANDOFF_RASA_INSTANCE_URLS"] == "http://127.0.0.1:15006,http://127.0.0.1:15007"
    # X-Forwarded-For is believed from nginx's own source address only; the handoff service is not
    # behind nginx, so it believes nobody's.
    assert {env["AVATAR_BRIDGE_TRUSTED_PROXIES"] for env in bridges} == {"127.0.0.2"}
    assert "HANDOFF_TRUSTED_PROXIES" not in specs["handoff"].env


def test_the_generated_nginx_config_is_valid_and_keeps_everything_under_var(settings: LauncherSettings) -> None:
    specs = {spec.name: spec for spec in cluster_services(settings, ClusterLayout.next_to(settings))}
    config = (settings.var_dir / "nginx" / "nginx.conf").read_text()
    for path_directive in ("pid ", "error_log ", "access_log ", "client_body_temp_path ", "proxy_temp_path "):
        line = next(line for line in config.splitlines() if line.strip().startswith(path_directive))
        assert str(settings.var_dir) in line, line
    assert "listen 0.0.0.0" not in config and config.count("listen 127.0.0.1:") == 3
    assert "hash $conversation consistent;" in config
    assert "proxy_bind 127.0.0.2;" in config
    assert config.count("proxy_set_header X-Forwarded-For $remote_addr;") == 3  # in each location
    result = subprocess.run([*specs["nginx"].command, "-t"], capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr


def test_nginx_is_found() -> None:
    assert Path(nginx_binary()).exists()
