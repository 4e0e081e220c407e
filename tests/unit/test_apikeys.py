"""API keys: shown once, stored hashed, scoped, revocable; the change log of the store."""

from __future__ import annotations

import hashlib

import pytest

from matcher.errors import ApiKeyError, NotFound
from matcher.storage.apikeys import ApiKeys, parse_scopes
from matcher.storage.store import Store


def test_a_key_verifies_and_only_its_hash_is_stored(store: Store) -> None:
    keys = ApiKeys(store)
    key, secret = keys.create("suining-wechat", "score,read")
    assert secret.startswith(f"jm_{key.id}_") and len(secret) == 3 + 8 + 1 + 43
    assert key.scopes == {"score", "read"} and key.tenant == "" and key.active
    row = store.api_key(key.id)
    assert row is not None and row["hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(row)
    assert store.path.read_bytes().find(secret.encode()) == -1
    assert keys.verify(secret) == key


def test_wrong_malformed_unknown_and_revoked_keys_fail(store: Store) -> None:
    keys = ApiKeys(store)
    key, secret = keys.create("county-desk", ["write"], tenant="射洪市人社局")
    other, _ = keys.create("other", "read")
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    swapped = f"jm_{other.id}_{secret.split('_', 2)[2]}"
    for bad in (None, "", "jm_", tampered, swapped, secret + "x", "jm_00000000_" + "a" * 43):
        assert keys.verify(bad) is None
    revoked = keys.revoke(key.id)
    assert revoked.revoked_at is not None and not revoked.active
    assert keys.verify(secret) is None
    assert keys.revoke(key.id).revoked_at == revoked.revoked_at  # first time kept
    with pytest.raises(NotFound):
        keys.revoke("ffffffff")
    assert {k.id for k in keys.list()} == {key.id, other.id}


def test_scopes(store: Store) -> None:
    assert parse_scopes(" score , read,score") == ("score", "read")
    with pytest.raises(ApiKeyError, match="unknown magic"):
        parse_scopes("score,magic")
    with pytest.raises(ApiKeyError, match="at least one"):
        parse_scopes(" , ")
    admin, _ = ApiKeys(store).create("ops", "admin")
    assert all(admin.allows(scope) for scope in ("score", "read", "write", "admin"))
    reader, _ = ApiKeys(store).create("reader", "read")
    assert reader.allows("read") and not reader.allows("write")
    with pytest.raises(ApiKeyError, match="name"):
        ApiKeys(store).create("", "read")
    with pytest.raises(ApiKeyError, match="tenant"):
        ApiKeys(store).create("ok", "read", tenant="bad/tenant")
