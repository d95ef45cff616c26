"""Which proxies a service believes X-Forwarded-For from (common/http_guard.py): checked when the
settings load, so a typo fails the start instead of silently trusting nobody (or everybody). The
behaviour itself is tested against the real services (tests/avatar_bridge/api/test_bridge_hardening.py,
tests/handoff/test_handoff_guard.py, tests/launcher/test_balancer_forwarding.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from avatar_bridge.core.config import Settings
from common.http_guard import forwarding_options
from handoff.core.config import HandoffSettings


@pytest.mark.parametrize("settings_class", [Settings, HandoffSettings])
def test_trusted_proxies_are_addresses_or_networks(settings_class, monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = "AVATAR_BRIDGE_" if settings_class is Settings else "HANDOFF_"
    monkeypatch.setenv(f"{prefix}TRUSTED_PROXIES", " 172.28.5.10, 10.0.0.0/8 ,fd00::/8")
    assert settings_class().trusted_proxies == "172.28.5.10,10.0.0.0/8,fd00::/8"
    for wrong in ("load-balancer", "*", "10.0.0.0/33"):
        monkeypatch.setenv(f"{prefix}TRUSTED_PROXIES", wrong)
        with pytest.raises(ValidationError, match="is not an IP address or network"):
            settings_class()


def test_uvicorn_believes_forwarded_headers_from_the_listed_proxies_only() -> None:
    # uvicorn's own default (proxy headers on, from 127.0.0.1) would believe any local process.
    assert forwarding_options("") == {"proxy_headers": False}
    assert forwarding_options("127.0.0.2,10.0.0.0/8") == {
        "proxy_headers": True,
        "forwarded_allow_ips": ["127.0.0.2", "10.0.0.0/8"],
    }
