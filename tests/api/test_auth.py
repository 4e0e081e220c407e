"""API keys, scopes and the per-key rate limit."""

from __future__ import annotations

from typing import Any

import pytest

from api.security import RateLimiter
from matcher.storage.apikeys import ApiKeys
from matcher.storage.store import Store
from tests.api.support import TestClient, World, seeker_body, serve

# (method, path, body, scope): one guarded call per route
ROUTES: list[tuple[str, str, dict[str, Any] | None, str]] = [
    ("POST", "/v1/score", {"seeker": seeker_body(), "vacancies": [{"id": "V0000001"}]}, "score"),
    ("POST", "/v1/recommendations", {"seeker_id": "S0000001", "k": 3}, "score"),
    ("POST", "/v1/candidates", {"vacancy_id": "V0000001", "k": 3}, "score"),
    ("POST", "/v1/vacancies:analyze", {"text": "招聘电工，月薪5000-7000元"}, "score"),
    ("GET", "/v1/seekers/S0000001", None, "read"),
    ("GET", "/v1/employers/E000001", None, "read"),
    ("GET", "/v1/vacancies/V0000001", None, "read"),
    ("GET", "/v1/campaigns", None, "read"),
    ("GET", "/v1/models", None, "read"),
    ("PUT", "/v1/seekers/AUTH-S1", seeker_body(), "write"),
    ("POST", "/v1/seekers:bulk", {"items": [seeker_body(id="AUTH-S2")]}, "write"),
    ("DELETE", "/v1/seekers/AUTH-NOBODY", None, "write"),
    ("POST", "/v1/interactions", {"items": [{}]}, "write"),
    ("POST", "/v1/models/no-such-version:promote", None, "admin"),
]
SUCCESS = {200, 204, 404}
"""What an admitted call answers here (404 for the deliberately unknown ids)."""


def _call(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None, key: str | None
) -> Any:
    headers = {"X-API-Key": key} if key is not None else {}
    return client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "body", "scope"), ROUTES)
def test_every_route_needs_a_key(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None, scope: str
) -> None:
    response = _call(client, method, path, body, None)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "ApiKey"
    assert "X-API-Key" in response.json()["detail"]


@pytest.mark.parametrize(("method", "path", "body", "scope"), ROUTES)
def test_scopes(
    client: TestClient,
    world: World,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    scope: str,
) -> None:
    for other in ("score", "read", "write"):
        response = _call(client, method, path, body, world.keys[other])
        if other == scope:
            assert response.status_code in SUCCESS, response.text
        else:
            assert response.status_code == 403, (other, response.text)
            assert f"'{scope}' scope" in response.json()["detail"]
    assert _call(client, method, path, body, world.keys["admin"]).status_code in SUCCESS


@pytest.mark.parametrize(
    "key",
    [
        "not-a-key",
        "jm_00000000_" + "A" * 43,  # well formed, unknown id
    ],
)
def test_a_bad_key_is_401(client: TestClient, key: str) -> None:
    response = client.get("/v1/models", headers={"X-API-Key": key})
    assert response.status_code == 401
    assert response.json()["detail"] == "invalid or revoked API key"
    assert key not in response.text


def test_a_wrong_secret_is_401(client: TestClient, world: World) -> None:
    real = world.keys["read"]
    forged = real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")
    assert client.get("/v1/models", headers={"X-API-Key": forged}).status_code == 401


def test_revocation_takes_effect_at_once(client: TestClient, world: World) -> None:
    with Store.open(world.home) as store:
        keys = ApiKeys(store)
        key, secret = keys.create("soon revoked", ["read"])
        assert client.get("/v1/models", headers={"X-API-Key": secret}).status_code == 200
        keys.revoke(key.id)
    response = client.get("/v1/models", headers={"X-API-Key": secret})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "ApiKey"


def test_the_rate_limit_answers_429_with_retry_after(world: World) -> None:
    with serve(world, rate_limit_per_minute=1, rate_limit_burst=2) as client:
        headers = world.headers("read")
        assert client.get("/v1/models", headers=headers).status_code == 200
        assert client.get("/v1/models", headers=headers).status_code == 200
        limited = client.get("/v1/models", headers=headers)
        assert limited.status_code == 429
        assert limited.headers["content-type"] == "application/problem+json"
        retry = int(limited.headers["retry-after"])
        assert 1 <= retry <= 60
        assert f"retry in {retry} s" in limited.json()["detail"]
        # buckets are per key: another key is not limited
        assert client.get("/v1/models", headers=world.headers("admin")).status_code == 200
        # probes need no key and are never limited
        assert client.get("/healthz").status_code == 200


def test_token_bucket_refills_at_the_configured_rate() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert limiter.take("k") == 0.0
    assert limiter.take("k") == 0.0
    assert limiter.take("k") == pytest.approx(1.0)
    now[0] = 0.5
    assert limiter.take("k") == pytest.approx(0.5)
    now[0] = 1.0
    assert limiter.take("k") == 0.0
    now[0] = 100.0  # the bucket holds at most the burst
    assert [limiter.take("k") for _ in range(3)][:2] == [0.0, 0.0]
    assert limiter.take("other") == 0.0


def test_rate_limiter_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RateLimiter(per_minute=0, burst=1)


def test_the_key_header_is_in_the_openapi_document(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    scheme = document["components"]["securitySchemes"]["ApiKey"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": scheme["description"],
    }
    assert document["paths"]["/v1/score"]["post"]["security"] == [{"ApiKey": []}]
    assert "security" not in document["paths"]["/healthz"]["get"]
