"""How our services prove to each other that a request comes from one of them (docs/operations.md
"Threat model").

- Rasa's HTTP API checks a JWT (HS256) in the ``Authorization`` header, signed with the secret
  Rasa was started with (``--jwt-secret``). The bridge and the handoff service sign short-lived
  tokens with the admin role (`RasaJwt`).
- The action server and the bridge's NLG endpoint check a shared bearer secret
  (`bearer_matches`); Rasa sends it from bot/endpoints.yml.
- Development mode runs with the public values in `DEVELOPMENT_SECRETS`; production mode refuses
  to start with any of them, or with none (`production_secret_problems`).

Standard library only: the Rasa processes (Python 3.10) import it too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping

# The public values `scripts/env.sh` and the launcher use outside production. Anything that
# checks production secrets refuses these.
DEVELOPMENT_RASA_JWT_SECRET = "development-rasa-jwt-secret-not-for-production"
DEVELOPMENT_ACTION_SERVER_TOKEN = "development-action-server-token"
DEVELOPMENT_NLG_TOKEN = "local-development-token"
DEVELOPMENT_AUDIO_URL_SECRET = "development-only-not-secret"
# Signs the shop's customer tokens (contracts/shop_token.py); in development the demo mints them.
DEVELOPMENT_SHOP_TOKEN_SECRET = "development-shop-token-secret"
DEVELOPMENT_SECRETS = frozenset(
    {
        DEVELOPMENT_SHOP_TOKEN_SECRET,
        DEVELOPMENT_RASA_JWT_SECRET,
        DEVELOPMENT_ACTION_SERVER_TOKEN,
        DEVELOPMENT_NLG_TOKEN,
        DEVELOPMENT_AUDIO_URL_SECRET,
    }
)
# A production secret shorter than this is a typo or a placeholder, not a secret.
MIN_SECRET_CHARS = 16

# Rasa lets an "admin" JWT read and write every conversation (rasa/server.py `requires_auth`).
RASA_ADMIN_ROLE = "admin"
TOKEN_LIFETIME_S = 300


def production_secret_problems(secrets: Mapping[str, str | None]) -> list[str]:
    """The names (environment variables) of secrets that are missing, public or too short."""
    problems = []
    for name, value in secrets.items():
        if not value:
            problems.append(f"{name} (missing)")
        elif value in DEVELOPMENT_SECRETS:
            problems.append(f"{name} (the public development value)")
        elif len(value) < MIN_SECRET_CHARS:
            problems.append(f"{name} (shorter than {MIN_SECRET_CHARS} characters)")
    return problems


def require_production_secrets(secrets: Mapping[str, str | None]) -> None:
    """Raise ValueError naming every unusable secret (production mode only calls this)."""
    problems = production_secret_problems(secrets)
    if problems:
        raise ValueError("production mode needs real secrets from the configuration: " + ", ".join(problems))


def bearer_matches(authorization: str | None, expected: str) -> bool:
    """Whether an ``Authorization`` header carries ``Bearer <expected>`` (constant-time)."""
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not expected:
        return False
    return hmac.compare_digest(value.strip().encode(), expected.encode())


def bearer_header(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_jwt(claims: Mapping[str, object], secret: str) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(dict(claims), separators=(",", ":"), sort_keys=True).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode("ascii"), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def verify_jwt(token: str, secret: str, *, now: float | None = None) -> dict | None:
    """The claims of a valid, unexpired HS256 token signed with `secret`; None otherwise."""
    try:
        header, payload, signature = token.split(".")
        expected = hmac.new(secret.encode(), f"{header}.{payload}".encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(_b64_decode(signature), expected):
            return None
        if json.loads(_b64_decode(header)).get("alg") != "HS256":
            return None
        claims = json.loads(_b64_decode(payload))
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    if not isinstance(claims, dict):
        return None
    expires = claims.get("exp")
    if not isinstance(expires, (int, float)) or expires < (time.time() if now is None else now):
        return None
    return claims


class RasaJwt:
    """Short-lived admin tokens for Rasa's HTTP API, signed by one of our services.

    A token is reused until a minute before it expires, so a busy service signs about one
    token every four minutes rather than one per request.
    """

    def __init__(self, secret: str, service: str, lifetime_s: int = TOKEN_LIFETIME_S) -> None:
        if not secret:
            raise ValueError("Rasa's JWT secret is empty")
        self._secret = secret
        self._service = service
        self._lifetime_s = lifetime_s
        self._token = ""
        self._renew_at = 0.0

    def token(self) -> str:
        now = time.time()
        if now >= self._renew_at:
            expires = int(now) + self._lifetime_s
            self._token = sign_jwt(
                {"user": {"username": self._service, "role": RASA_ADMIN_ROLE}, "exp": expires},
                self._secret,
            )
            self._renew_at = expires - min(60, self._lifetime_s / 2)
        return self._token

    def headers(self) -> dict[str, str]:
        return bearer_header(self.token())


if __name__ == "__main__":
    # `python -m common.service_auth`: a token for curl against a local Rasa (README).
    import os

    print(RasaJwt(os.environ.get("RASA_JWT_SECRET", DEVELOPMENT_RASA_JWT_SECRET), "developer", 3600).token())
