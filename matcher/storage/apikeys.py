"""API keys for the platforms that call the scoring API: created once, stored hashed, scoped.

A key reads ``jm_<id>_<secret>``: ``id`` (8 hex digits) is public and finds the stored row;
``secret`` is 32 random bytes (URL-safe base64). The store keeps only the SHA-256 of the whole
key — a fast hash is right for a random 256-bit secret (nothing to guess), and it keeps
verification cheap on every request. The key itself is shown once, when it is created.

Scopes: ``score`` (scoring, recommendations and candidates), ``read`` (GET records, campaigns,
models), ``write`` (PUT/DELETE/bulk records, interactions), ``admin`` (promote models; implies
every other scope). Each key belongs to a ``tenant`` (the platform: a city's recruitment site, a
WeChat service account, a county's fair desk) and sees, writes and ranks that tenant's records
only (:mod:`matcher.storage.store`). A key created without a tenant belongs to the default
tenant (``""``), which the command line also uses: for single-tenant installs only — where
several platforms call one install, give every key its platform's ``--tenant``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matcher.errors import ApiKeyError
from matcher.storage.store import DEFAULT_TENANT, Store

SCOPES = ("score", "read", "write", "admin")
KEY_PATTERN = re.compile(r"^jm_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")
NAME_PATTERN = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff .-]{0,63}$")


@dataclass(frozen=True)
class ApiKey:
    """A stored key as the API sees it (never the secret or its hash)."""

    id: str
    name: str
    tenant: str
    """The tenant whose records the key reaches (``""``: the default tenant)."""
    scopes: frozenset[str]
    created_at: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        """Whether the key carries ``scope`` (``admin`` carries every scope)."""
        return scope in self.scopes or "admin" in self.scopes


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def parse_scopes(text: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """``"score,read"`` → ``("score", "read")``; ApiKeyError naming an unknown scope."""
    items = text.split(",") if isinstance(text, str) else list(text)
    scopes = tuple(dict.fromkeys(item.strip() for item in items if item.strip()))
    if not scopes:
        raise ApiKeyError(f"scopes: give at least one of {', '.join(SCOPES)}")
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise ApiKeyError(f"scopes: unknown {', '.join(unknown)}; choose from {', '.join(SCOPES)}")
    return scopes


def _from_row(row: Mapping[str, Any]) -> ApiKey:
    return ApiKey(
        id=row["id"],
        name=row["name"],
        tenant=row["tenant"],
        scopes=frozenset(row["scopes"]),
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )


class ApiKeys:
    """Create, verify, list and revoke the API keys kept in a store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(
        self, name: str, scopes: str | list[str] | tuple[str, ...], tenant: str | None = None
    ) -> tuple[ApiKey, str]:
        """A new key and its secret text (shown once; only its hash is stored). Without
        ``tenant`` the key belongs to the default tenant (single-tenant installs)."""
        for label, value in (("name", name), ("tenant", tenant if tenant is not None else name)):
            if not NAME_PATTERN.match(value):
                raise ApiKeyError(
                    f"{label}: 1–64 letters, digits, spaces, '.', '-' or '_', "
                    "starting with a letter or digit"
                )
        chosen = parse_scopes(scopes)
        key_id = secrets.token_hex(4)
        while self.store.api_key(key_id) is not None:  # pragma: no cover - 1 in 4e9
            key_id = secrets.token_hex(4)
        secret = f"jm_{key_id}_{secrets.token_urlsafe(32)}"
        owner = tenant if tenant is not None else DEFAULT_TENANT
        self.store.put_api_key(
            key_id, name=name, tenant=owner, scopes=chosen, key_hash=_digest(secret)
        )
        found = self.get(key_id)
        assert found is not None
        return found, secret

    def get(self, key_id: str) -> ApiKey | None:
        row = self.store.api_key(key_id)
        return None if row is None else _from_row(row)

    def verify(self, key: str | None) -> ApiKey | None:
        """The active key ``key`` is, or None (malformed, unknown, wrong secret or revoked).
        Compares hashes in constant time."""
        if not key:
            return None
        match = KEY_PATTERN.match(key)
        if match is None:
            return None
        row = self.store.api_key(match.group(1))
        if row is None or row["revoked_at"] is not None:
            return None
        if not hmac.compare_digest(row["hash"], _digest(key)):
            return None
        return _from_row(row)

    def list(self) -> list[ApiKey]:
        return [_from_row(row) for row in self.store.api_keys()]

    def revoke(self, key_id: str) -> ApiKey:
        """Revoke a key at once (NotFound when unknown)."""
        self.store.revoke_api_key(key_id)
        found = self.get(key_id)
        assert found is not None
        return found
