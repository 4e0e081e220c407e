"""Helpers of the desk tests: staff accounts on the API tests' small world, signed-in clients,
and (for the browser tests) a live server with headless Chromium.

The world is the API tests' (600 seekers, 150 vacancies, an active model); it gains one staff
account per role in the default tenant and a counter account of another tenant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.domain.records import Contact, Seeker
from matcher.errors import NotFound
from matcher.storage.staff import StaffAccounts
from matcher.storage.store import Store
from tests.api.support import TestClient, World

CSRF_INPUT = re.compile(r'name="csrf" value="([^"]+)"')
OTHER_TENANT = "other-city"


@dataclass(frozen=True)
class DeskWorld:
    """The API tests' world with staff accounts: role (or ``other``) → (name, password)."""

    world: World
    staff: dict[str, tuple[str, str]]


def add_staff(world: World) -> DeskWorld:
    """One account per role in the default tenant, and ``other``: a counter of another
    tenant."""
    staff: dict[str, tuple[str, str]] = {}
    with Store.open(world.home) as store:
        accounts = StaffAccounts(store)
        for role in ("counter", "analyst", "admin"):
            account, password = accounts.add(f"{role}-1", role)
            staff[role] = (account.name, password)
        account, password = accounts.add("other-counter", "counter", OTHER_TENANT)
        staff["other"] = (account.name, password)
    return DeskWorld(world, staff)


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF_INPUT.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str) -> str:
    """Sign ``client`` in; returns the session's CSRF token (from the home page)."""
    page = client.get("/desk/login")
    assert page.status_code == 200
    answer = client.post(
        "/desk/login",
        data={"csrf": csrf_of(page.text), "name": name, "password": password, "next": ""},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    home = client.get("/desk/")
    assert home.status_code == 200
    return csrf_of(home.text)


def stored_contacts(store: Store) -> list[Contact]:
    """The contact data of every stored seeker that has any (walk-ins saved at the desk by
    other tests have none)."""
    found = []
    for seeker in store.iter(Seeker):
        try:
            found.append(store.get_contact(seeker.id))
        except NotFound:
            continue
    return found
