"""The sign-in answer carries a bearer token: no browser or proxy cache may keep it."""

from fastapi.testclient import TestClient

from tests.handoff.conftest import PASSWORDS


def test_the_sign_in_answer_with_the_token_is_never_stored(client: TestClient) -> None:
    username, password = next(iter(PASSWORDS.items()))
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200 and response.json()["token"]
    assert response.headers["cache-control"] == "no-store"
