"""Staff accounts of the desk pages (counter, analyst, admin) and their sign-in sessions.

A bureau's staff sign in to ``/desk/`` with a name and a password. ``jobmatch staff add`` makes
an account and prints its first password once. Passwords are kept only as scrypt hashes
(RFC 7914; memory-hard: N = 2^15, r = 8 — 32 MiB and about 0.1 s a check), each with its own salt.

A session is a random 256-bit token given to the browser; the store keeps only its SHA-256 with
the account, the session's CSRF token and its expiry, so signing out (or a new password, or a
disabled account) ends it at once. Each account belongs to a tenant, as API keys do, and sees
that tenant's records only.

Roles, each including the one before: ``counter`` (walk-in lookups, booth lists, fairs, posting
checks), ``analyst`` (campaign reports, the model registry), ``admin`` (promote and roll back
models).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matcher.errors import StaffAccountError
from matcher.storage.apikeys import NAME_PATTERN
from matcher.storage.store import DEFAULT_TENANT, Store

ROLES = ("counter", "analyst", "admin")
"""Staff roles, each allowed what the ones before it are."""

SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
_SCRYPT_MAXMEM = 64 * 1024 * 1024
MAX_PASSWORD_CHARS = 256
"""Longer passwords are refused before hashing (a hash of a megabyte is work for nothing)."""
MIN_PASSWORD_CHARS = 10


@dataclass(frozen=True)
class StaffAccount:
    """A staff account as the pages see it (never its password hash)."""

    name: str
    tenant: str
    role: str
    created_at: str
    disabled_at: str | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def may(self, role: str) -> bool:
        """Whether the account holds ``role`` or a role above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class StaffSession:
    """A signed-in account: who, its CSRF token and when the session ends."""

    account: StaffAccount
    csrf: str
    expires_at: dt.datetime


def hash_password(password: str, *, n: int = SCRYPT_N) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64) of ``password`` with a new 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, maxmem=_SCRYPT_MAXMEM
    )
    encoded = [base64.b64encode(part).decode("ascii") for part in (salt, digest)]
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${encoded[0]}${encoded[1]}"


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` hashes to ``stored`` (compared in constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        found = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=_SCRYPT_MAXMEM,
        )
    except ValueError:
        return False
    return hmac.compare_digest(found, expected)


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the name is unknown, so a wrong name costs what a wrong password
    does."""
    return hash_password(secrets.token_urlsafe(16))


def _account(row: Mapping[str, Any]) -> StaffAccount:
    return StaffAccount(
        name=row["name"],
        tenant=row["tenant"],
        role=row["role"],
        created_at=row["created_at"],
        disabled_at=row["disabled_at"],
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def new_password() -> str:
    """A new random password: 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


def check_new_password(password: str) -> None:
    """StaffAccountError unless ``password`` is 10–256 characters."""
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise StaffAccountError(
            f"password: {MIN_PASSWORD_CHARS}–{MAX_PASSWORD_CHARS} characters, got {len(password)}"
        )


class StaffAccounts:
    """Create, verify, list and disable staff accounts, and open and end their sessions."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, name: str, role: str, tenant: str | None = None) -> tuple[StaffAccount, str]:
        """A new account and its first password (shown once; only its hash is kept)."""
        if not NAME_PATTERN.match(name):
            raise StaffAccountError(
                "name: 1–64 letters, digits, spaces, '.', '-' or '_', "
                "starting with a letter or digit"
            )
        if tenant is not None and not NAME_PATTERN.match(tenant):
            raise StaffAccountError("tenant: 1–64 letters, digits, spaces, '.', '-' or '_'")
        if role not in ROLES:
            raise StaffAccountError(f"role: {role!r} is not one of {', '.join(ROLES)}")
        password = new_password()
        owner = tenant if tenant is not None else DEFAULT_TENANT
        self.store.put_staff(name, tenant=owner, role=role, password_hash=hash_password(password))
        return self.get(name), password

    def get(self, name: str) -> StaffAccount:
        row = self.store.staff(name)
        if row is None:
            raise StaffAccountError(f"name: no staff account named {name!r}")
        return _account(row)

    def list(self) -> list[StaffAccount]:
        return [_account(row) for row in self.store.staff_accounts()]

    def set_password(self, name: str, password: str | None = None) -> str:
        """Give ``name`` a new password (a random one when None) and end its sessions."""
        chosen = password if password is not None else new_password()
        check_new_password(chosen)
        self.get(name)
        self.store.update_staff(name, password_hash=hash_password(chosen))
        return chosen

    def disable(self, name: str) -> StaffAccount:
        """Stop an account signing in and end its sessions."""
        self.get(name)
        self.store.update_staff(name, disabled=True)
        return self.get(name)

    def verify(self, name: str, password: str) -> StaffAccount | None:
        """The active account ``name`` whose password is ``password``, or None. An unknown
        name or an over-long password costs one hash like a wrong password does."""
        row = self.store.staff(name) if len(name) <= 64 else None
        if len(password) > MAX_PASSWORD_CHARS:
            check_password("", _dummy_hash())
            return None
        stored = row["password_hash"] if row is not None else _dummy_hash()
        good = check_password(password, stored)
        if row is None or not good or row["disabled_at"] is not None:
            return None
        return _account(row)

    def open_session(self, account: StaffAccount, lifetime: dt.timedelta) -> tuple[str, str]:
        """A new session for ``account``: its token (for the cookie) and its CSRF token."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        expires = dt.datetime.now(dt.UTC) + lifetime
        self.store.put_staff_session(
            _token_hash(token),
            staff_name=account.name,
            csrf=csrf,
            expires_at=expires.isoformat(timespec="seconds"),
        )
        return token, csrf

    def session(self, token: str) -> StaffSession | None:
        """The live session of ``token``, or None (unknown, expired, or its account
        disabled)."""
        if not token or len(token) > 128:
            return None
        row = self.store.staff_session(_token_hash(token))
        if row is None:
            return None
        expires = dt.datetime.fromisoformat(row["expires_at"])
        if expires <= dt.datetime.now(dt.UTC):
            return None
        account_row = self.store.staff(row["staff_name"])
        if account_row is None or account_row["disabled_at"] is not None:
            return None
        return StaffSession(_account(account_row), row["csrf"], expires)

    def close_session(self, token: str) -> None:
        """End the session of ``token`` (sign-out)."""
        self.store.delete_staff_session(_token_hash(token))
