"""API keys, scopes, the per-key rate limit and the throttle of failed authentication, as
FastAPI dependencies.

A caller sends its key in the ``X-API-Key`` header (declared with ``APIKeyHeader``, so the
OpenAPI document carries the security scheme and each operation's requirement). Every guarded
request, through :func:`require`:

1. **is refused while its address is throttled** — 429 with ``Retry-After`` when the client
   address has used up its failed authentications (``auth_failure_limit`` per
   ``auth_failure_window`` seconds), checked before the key is even looked at, so a blocked
   client learns nothing about any key it tries;
2. **authenticates** — :meth:`matcher.storage.apikeys.ApiKeys.verify` against the store, on every
   request and without a cache, so a revoked key fails at once: 401 with
   ``WWW-Authenticate: ApiKey`` when the key is missing, malformed, unknown or revoked, and the
   failure is counted against the address;
3. **spends a token** of the key's bucket — 429 with ``Retry-After`` (whole seconds, at least 1)
   when it is empty; the limit applies per key, before the scope check, so a key hammering a
   route it may not use is slowed too;
4. **authorises** — 403 when the key lacks the route's scope (``admin`` carries every scope).

Scopes: ``score`` (POST /v1/score, /v1/recommendations, /v1/candidates, /v1/vacancies:analyze),
``read`` (GET records, /v1/campaigns, /v1/models), ``write`` (PUT, DELETE and bulk records,
POST /v1/interactions), ``admin`` (POST /v1/models/{version}:promote).

Both limits are token buckets in :class:`~matcher.storage.ratelimits.SharedBuckets` (one small
SQLite file under the data directory), so every worker process spends from the same bucket and
``--workers 2`` does not double a key's limit. A bucket's name carries its configuration, so a
changed limit starts with full buckets. Client addresses are the connection's peer (uvicorn
applies ``X-Forwarded-For`` only from its trusted proxies, by default 127.0.0.1); IPv6 addresses
count per /64 network, the block one host usually holds. :class:`RateLimiter` is the same bucket
in memory, per process. The key itself never reaches a log: the access log shows the key's
public id only.
"""

from __future__ import annotations

import hashlib
import ipaddress
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
from api.settings import ApiSettings
from matcher.errors import ServiceUnavailable
from matcher.storage.apikeys import SCOPES, ApiKey, ApiKeys
from matcher.storage.ratelimits import SharedBuckets

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


class AccessLimits:
    """The per-key rate limit and the per-address throttle of failed authentication, over
    buckets every worker process shares.

    Parameters
    ----------
    buckets : SharedBuckets
    settings : ApiSettings
        ``rate_limit_per_minute``, ``rate_limit_burst``, ``auth_failure_limit`` and
        ``auth_failure_window``.
    """

    def __init__(self, buckets: SharedBuckets, settings: ApiSettings) -> None:
        self.buckets = buckets
        self.key_rate = settings.rate_limit_per_minute / 60.0
        self.key_burst = float(settings.rate_limit_burst)
        self.key_suffix = f"{settings.rate_limit_per_minute}/{settings.rate_limit_burst}"
        self.auth_rate = settings.auth_failure_limit / settings.auth_failure_window
        self.auth_burst = float(settings.auth_failure_limit)
        self.auth_suffix = f"{settings.auth_failure_limit}/{settings.auth_failure_window:g}"
        self.login_rate = settings.desk_login_limit / settings.desk_login_window
        self.login_burst = float(settings.desk_login_limit)
        self.login_suffix = f"{settings.desk_login_limit}/{settings.desk_login_window:g}"

    def spend_key(self, key_id: str) -> float:
        """One request of key ``key_id``: 0.0, or the seconds until its bucket has a token."""
        return self.buckets.take(f"key:{key_id}:{self.key_suffix}", self.key_rate, self.key_burst)

    def auth_wait(self, address: str) -> float:
        """0.0 when ``address`` may try to authenticate, else the seconds until it may."""
        return self.buckets.peek(
            f"auth:{address}:{self.auth_suffix}", self.auth_rate, self.auth_burst
        )

    def auth_failed(self, address: str) -> None:
        """Count a failed authentication from ``address``."""
        self.buckets.take(f"auth:{address}:{self.auth_suffix}", self.auth_rate, self.auth_burst)

    def sign_in_wait(self, name: str) -> float:
        """0.0 when the staff name ``name`` may try to sign in to the desk, else the seconds
        until it may (``desk_login_limit`` failures per ``desk_login_window``)."""
        return self.buckets.peek(self._sign_in_bucket(name), self.login_rate, self.login_burst)

    def sign_in_failed(self, name: str) -> None:
        """Count a failed desk sign-in as ``name``."""
        self.buckets.take(self._sign_in_bucket(name), self.login_rate, self.login_burst)

    def _sign_in_bucket(self, name: str) -> str:
        digest = hashlib.sha256(name.encode("utf-8", "replace")).hexdigest()[:32]
        return f"desk:{digest}:{self.login_suffix}"


def client_address(request: Request) -> str:
    """The address failed authentications are counted by: the peer's IPv4 address, or its IPv6
    /64 network; ``unknown`` when the server does not say."""
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(401, detail, headers={"WWW-Authenticate": "ApiKey"})


def _too_many(detail: str, wait: float) -> ApiProblem:
    seconds = max(1, math.ceil(wait))
    return ApiProblem(429, f"{detail}; retry in {seconds} s", headers={"Retry-After": str(seconds)})


def require(scope: str) -> Callable[..., ApiKey]:
    """A dependency admitting keys with ``scope`` (429, 401, 429, 403 otherwise; see the
    module).

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
        limits: AccessLimits | None = getattr(request.app.state, "access_limits", None)
        keys: ApiKeys | None = getattr(request.app.state, "api_keys", None)
        if limits is None or keys is None:
            raise ServiceUnavailable("the service is starting or stopping; retry shortly")
        address = client_address(request)
        wait = limits.auth_wait(address)
        if wait > 0:
            raise _too_many("too many failed authentications from this address", wait)
        if not key:
            limits.auth_failed(address)
            raise _unauthorized(f"missing API key: send it in the {API_KEY_HEADER} header")
        found = keys.verify(key)
        if found is None:
            limits.auth_failed(address)
            raise _unauthorized("invalid or revoked API key")
        info = request.scope.get(REQUEST_INFO_KEY)
        if isinstance(info, RequestInfo):
            info.key_id = found.id
        wait = limits.spend_key(found.id)
        if wait > 0:
            raise _too_many("rate limit of this API key exceeded", wait)
        if not found.allows(scope):
            raise ApiProblem(403, f"this API key lacks the {scope!r} scope this route needs")
        return found

    check_key.__name__ = f"require_{scope}"
    return check_key
