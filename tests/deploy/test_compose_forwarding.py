"""docker-compose: the load balancer connects to the bridge replicas from the one address they
trust for X-Forwarded-For (docker/nginx.conf `proxy_bind`, AVATAR_BRIDGE_TRUSTED_PROXIES)."""

from __future__ import annotations

from pathlib import Path

import yaml

from launcher.balancer import COMPOSE_BALANCER_ADDRESS

ROOT = Path(__file__).resolve().parents[2]


def test_the_bridge_trusts_exactly_the_address_nginx_connects_from() -> None:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert services["load-balancer"]["networks"]["internal"]["ipv4_address"] == COMPOSE_BALANCER_ADDRESS
    assert services["avatar-bridge"]["environment"]["AVATAR_BRIDGE_TRUSTED_PROXIES"] == COMPOSE_BALANCER_ADDRESS
    config = (ROOT / "docker" / "nginx.conf").read_text()
    assert f"proxy_bind {COMPOSE_BALANCER_ADDRESS};" in config
    assert "$proxy_add_x_forwarded_for" not in config  # a client's own X-Forwarded-For is never passed on
    # The consoles are published directly, not through the load balancer: nobody to trust.
    assert "HANDOFF_TRUSTED_PROXIES" not in services["handoff"]["environment"]
