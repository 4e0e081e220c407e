"""API keys, scopes and the per-key rate limit, as FastAPI dependencies.

A caller sends its key in the ``X-API-Key`` header (declared with ``APIKeyHeader``, so the
OpenAPI document carries the security scheme and each operation's requirement). Every guarded
request, through :func:`require`:

1. **authenticates** — :meth:`matcher.storage.apikeys.ApiKeys.verify` against the store, on every
   request and without a cache, so a revoked key fails at once: 401 with
   ``WWW-Authenticate: ApiKey`` when the key is missing, malformed, unknown or revoked;
2. **spends a token** of the key's bucket — 429 with ``Retry-After`` (whole seconds, at least 1)
   when it is empty; the limit applies per key, before the scope check, so a key hammering a
   route it may not use is slowed too;
3. **authorises** — 403 when the key lacks the route's scope (``admin`` carries every scope).

Scopes: ``score`` (POST /v1/score, /v1/recommendations, /v1/candidates, /v1/vacancies:analyze),
``read`` (GET records, /v1/campaigns, /v1/models), ``write`` (PUT, DELETE and bulk records,
POST /v1/interactions), ``admin`` (POST /v1/models/{version}:promote).

The :class:`RateLimiter` is a token bucket per key id, in memory and per process (with several
workers each has its own buckets, so the effective limit is per worker); a lock makes it safe
from the threadpool that runs the routes. The key itself never reaches a log: the access log
shows the key's public id only.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import APIKeyHeader

from api.errors import ApiProblem
from api.metrics import REQUEST_INFO_KEY, RequestInfo
from matcher.storage.apikeys import SCOPES, ApiKey, ApiKeys

API_KEY_HEADER = "X-API-Key"

api_key_header = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key (`jm_<id>_<secret>`) from `jobmatch apikey create`.",
)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per key: ``per_minute`` tokens a minute, at most ``burst`` held.

    Parameters
    ----------
    per_minute : int
        Refill rate.
    burst : int
        Bucket size; a new key starts full.
    clock : callable, optional
        Monotonic seconds (for tests).
    """

    def __init__(
        self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if per_minute < 1 or burst < 1:
            raise ValueError(f"per_minute and burst must be at least 1, got {per_minute}, {burst}")
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key_id: str) -> float:
        """Spend one token of ``key_id``'s bucket: 0.0 when there was one, else the seconds
        until there will be."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(key_id)
            if bucket is None:
                bucket = self._buckets[key_id] = _Bucket(self.burst, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate


def _unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(401, detail, headers={"WWW-Authenticate": "ApiKey"})


def require(scope: str) -> Callable[..., ApiKey]:
    """A dependency admitting keys with ``scope`` (401, 429, 403 otherwise; see the module).

    Parameters
    ----------
    scope : {"score", "read", "write", "admin"}

    Returns
    -------
    callable
        For ``Security(require("score"))``; it returns the caller's :class:`ApiKey`.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; choose one of {', '.join(SCOPES)}")

    def check_key(request: Request, key: Annotated[str | None, Security(api_key_header)]) -> ApiKey:
        if not key:
            raise _unauthorized(f"missing API key: send it in the {API_KEY_HEADER} header")
        keys: ApiKeys = request.app.state.api_keys
        found = keys.verify(key)
        if found is None:
            raise _unauthorized("invalid or revoked API key")
        info = request.scope.get(REQUEST_INFO_KEY)
        if isinstance(info, RequestInfo):
            info.key_id = found.id
        limiter: RateLimiter = request.app.state.rate_limiter
        wait = limiter.take(found.id)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise ApiProblem(
                429,
                f"rate limit of this API key exceeded; retry in {seconds} s",
                headers={"Retry-After": str(seconds)},
            )
        if not found.allows(scope):
            raise ApiProblem(403, f"this API key lacks the {scope!r} scope this route needs")
        return found

    check_key.__name__ = f"require_{scope}"
    return check_key
