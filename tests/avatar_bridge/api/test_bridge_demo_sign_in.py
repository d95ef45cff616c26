"""Development's demo of a shop-signed-in customer: the page carries a fresh shop token on the
widget's script tag; production never mints one."""

import re
import shutil
from pathlib import Path

import httpx
import pytest

from avatar_bridge.api.demo_sign_in import demo_token, page_signed_in
from avatar_bridge.core.config import Settings
from common.service_auth import DEVELOPMENT_SHOP_TOKEN_SECRET
from contracts.shop_token import verify_shop_token

PUBLIC_PAGE = Path(__file__).resolve().parents[3] / "web_client" / "public" / "index.html"
TOKEN_ATTRIBUTE = re.compile(r'<script src="widget\.js" data-customer-token="([^"]+)"')


@pytest.fixture
def page_bridge(own_bridge, tmp_path):
    shutil.copy(PUBLIC_PAGE, tmp_path / "index.html")
    return own_bridge(speech_enabled=False, web_client_dir=tmp_path)


def test_the_demo_page_carries_a_token_for_the_demo_customer(page_bridge):
    response = httpx.get(f"{page_bridge.http_url}/?signed_in=james")
    assert response.status_code == 200
    token = TOKEN_ATTRIBUTE.search(response.text).group(1)
    assert verify_shop_token(token, DEVELOPMENT_SHOP_TOKEN_SECRET).customer_id == "C100002"
    assert response.headers["cache-control"] == "no-store"
    # The page's own policy, as for "/" without the flag.
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_the_plain_page_has_no_token_and_unknown_demo_customers_are_refused(page_bridge):
    assert "data-customer-token" not in httpx.get(f"{page_bridge.http_url}/").text
    assert httpx.get(f"{page_bridge.http_url}/?signed_in=mallory").status_code == 404


def test_production_never_mints():
    secrets = {name: "a-real-secret-of-some-length" for name in ("nlg_token", "audio_url_secret", "rasa_jwt_secret")}
    settings = Settings(production=True, redis_password="a-real-redis-password", **secrets)
    assert demo_token("james", settings) is None


def test_the_token_is_put_on_the_widget_script_escaped():
    page = '<head><script src="widget.js" data-mode="page" defer></script></head>'
    assert page_signed_in(page, 'v1.a"b.c') == (
        '<head><script src="widget.js" data-customer-token="v1.a&quot;b.c" data-mode="page" defer></script></head>'
    )
