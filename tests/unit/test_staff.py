"""Staff accounts of the desk: scrypt-hashed passwords, sessions kept by their hash."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest

from matcher.errors import ConflictError, StaffAccountError
from matcher.storage.staff import (
    MAX_PASSWORD_CHARS,
    SCRYPT_N,
    StaffAccounts,
    check_password,
    hash_password,
)
from matcher.storage.store import DATABASE_NAME, Store

HOUR = dt.timedelta(hours=1)


def test_a_password_is_kept_as_a_salted_scrypt_hash_only(store: Store, tmp_path: Path) -> None:
    accounts = StaffAccounts(store)
    account, password = accounts.add("chuanshan-1", "counter")
    assert account.role == "counter" and account.tenant == "" and account.active
    assert len(password) >= 16
    stored = store.staff("chuanshan-1")
    assert stored is not None
    scheme, n, r, p, salt, digest = stored["password_hash"].split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", SCRYPT_N, 8, 1)
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 64
    assert SCRYPT_N * 8 * 128 >= 32 * 1024 * 1024  # memory-hard: 32 MiB a check
    assert password not in (tmp_path / "home" / DATABASE_NAME).read_bytes().decode("latin-1")
    # two hashes of one password differ (own salt) and both check
    again = hash_password(password, n=2**10)
    assert again != stored["password_hash"] and check_password(password, again)


def test_verify_accepts_only_the_right_password_of_an_active_account(store: Store) -> None:
    accounts = StaffAccounts(store)
    _, password = accounts.add("desk-a", "analyst")
    assert accounts.verify("desk-a", password) is not None
    assert accounts.verify("desk-a", password + "x") is None
    assert accounts.verify("nobody", password) is None
    assert accounts.verify("desk-a", "x" * (MAX_PASSWORD_CHARS + 1)) is None
    accounts.disable("desk-a")
    assert accounts.verify("desk-a", password) is None


@pytest.mark.parametrize(
    ("name", "role", "tenant", "message"),
    [
        ("", "counter", None, "name: 1–64"),
        ("a" * 65, "counter", None, "name: 1–64"),
        ("<script>", "counter", None, "name: 1–64"),
        ("desk", "boss", None, "role: 'boss' is not one of counter, analyst, admin"),
        ("desk", "admin", "bad/tenant", "tenant: 1–64"),
    ],
)
def test_bad_accounts_are_refused_naming_the_field(
    store: Store, name: str, role: str, tenant: str | None, message: str
) -> None:
    with pytest.raises(StaffAccountError, match=message):
        StaffAccounts(store).add(name, role, tenant)
    assert store.staff_accounts() == []


def test_a_taken_name_is_a_conflict(store: Store) -> None:
    accounts = StaffAccounts(store)
    accounts.add("desk", "counter")
    with pytest.raises(ConflictError, match="'desk' exists"):
        accounts.add("desk", "admin", "another")


def test_roles_include_the_ones_below(store: Store) -> None:
    accounts = StaffAccounts(store)
    counter, _ = accounts.add("c", "counter")
    admin, _ = accounts.add("a", "admin")
    assert counter.may("counter") and not counter.may("analyst") and not counter.may("admin")
    assert admin.may("counter") and admin.may("analyst") and admin.may("admin")


def test_a_session_lives_until_it_expires_or_is_closed(store: Store) -> None:
    accounts = StaffAccounts(store)
    account, _ = accounts.add("desk", "counter", "suining")
    token, csrf = accounts.open_session(account, HOUR)
    session = accounts.session(token)
    assert session is not None
    assert session.account.tenant == "suining" and session.csrf == csrf
    assert store.staff_session(token) is None  # kept by its hash, not the token
    accounts.close_session(token)
    assert accounts.session(token) is None
    expired, _ = accounts.open_session(account, -HOUR)
    assert accounts.session(expired) is None
    assert accounts.session("") is None and accounts.session("x" * 500) is None


def test_a_new_password_or_disabling_ends_every_session(store: Store) -> None:
    accounts = StaffAccounts(store)
    account, old = accounts.add("desk", "counter")
    first, _ = accounts.open_session(account, HOUR)
    new = accounts.set_password("desk")
    assert accounts.session(first) is None
    assert accounts.verify("desk", old) is None and accounts.verify("desk", new) is not None
    second, _ = accounts.open_session(account, HOUR)
    accounts.disable("desk")
    assert accounts.session(second) is None
    with pytest.raises(StaffAccountError, match="password: 10–256 characters"):
        accounts.set_password("desk", "short")
    with pytest.raises(StaffAccountError, match="no staff account named 'ghost'"):
        accounts.disable("ghost")


def test_malformed_stored_hashes_never_check(store: Store) -> None:
    for stored in ("", "plain", "bcrypt$1$2$3$4$5", "scrypt$x$8$1$AA==$AA=="):
        assert not check_password("anything", stored)
