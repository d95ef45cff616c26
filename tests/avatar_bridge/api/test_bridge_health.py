import httpx


def test_healthz_answers_without_dependencies(bridge):
    response = httpx.get(f"{bridge.http_url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_redis_and_rasa(bridge):
    response = httpx.get(f"{bridge.http_url}/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "redis": True, "rasa": True}
