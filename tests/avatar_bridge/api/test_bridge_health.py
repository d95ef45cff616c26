import httpx

from tests.avatar_bridge.conftest import start_stack
from tests.support.redis_server import RedisServer


def test_healthz_answers_without_dependencies(bridge):
    response = httpx.get(f"{bridge.http_url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_redis_rasa_and_the_pool(bridge):
    response = httpx.get(f"{bridge.http_url}/readyz")
    assert response.status_code == 200
    body = response.json()
    # Sized from the limits: one address's burst of HTTP requests (100) plus background (8).
    assert body.pop("redis_pool")["size"] == 108
    assert body == {"status": "ready", "redis": True, "rasa": True}


def test_readyz_is_503_with_the_reason_while_redis_or_rasa_cannot_be_reached(speech_cache_dir, tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    stack = start_stack(server.url, speech_cache_dir)
    try:
        server.stop()
        response = httpx.get(f"{stack.http_url}/readyz", timeout=20)
        assert response.status_code == 503
        body = response.json()
        assert (body["status"], body["redis"], body["rasa"]) == ("not ready", False, True)
        assert body["reason"] == "redis unreachable (ConnectionError)"
        stack.fake_rasa.stop()
        response = httpx.get(f"{stack.http_url}/readyz", timeout=20)
        assert response.json()["reason"] == "redis unreachable (ConnectionError); rasa unreachable"
    finally:
        stack.stop()
        server.stop()
