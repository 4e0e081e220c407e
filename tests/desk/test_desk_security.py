"""Every desk page and form refuses without a session, with an expired one, with a wrong role
and (forms) without the CSRF token — checked over every route the app has under /desk, so a
page added later is covered without a test of its own."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute

from api.desk import DESK_ROUTERS
from api.desk.web import SESSION_COOKIE, cookie_value
from matcher.storage.staff import ROLES, StaffAccounts
from matcher.storage.store import Store
from tests.api.support import TestClient, serve
from tests.desk.support import DeskWorld

OPEN = {("GET", "/desk/login"), ("POST", "/desk/login"), ("GET", "/desk")}
"""Routes a stranger may reach: the sign-in form and the redirect to /desk/."""


def _desk_routes() -> list[tuple[str, str, str]]:
    """(method, path with its parameters filled in, the role it needs) of every desk route."""
    found = []
    for route in (route for router in DESK_ROUTERS for route in router.routes):
        if not isinstance(route, APIRoute):
            continue
        methods = [m for m in sorted(route.methods or ()) if (m, route.path) not in OPEN]
        if not methods:
            continue
        role = _role_of(route)
        path = re.sub(r"\{[^}]+\}", "x1", route.path)
        found += [(method, path, role) for method in methods if method != "HEAD"]
    return found


def _role_of(route: APIRoute) -> str:
    names = {dependency.call.__name__ for dependency in _calls(route.dependant)}
    roles = [role for role in ROLES if f"desk_{role}" in names]
    assert roles, f"{route.path} declares no desk role: every page needs one"
    return roles[-1]


def _calls(dependant: object) -> Iterator[object]:
    for dependency in getattr(dependant, "dependencies", []):
        if getattr(dependency, "call", None) is not None:
            yield dependency
        yield from _calls(dependency)


ROUTES = _desk_routes()
ROUTE_IDS = [f"{method} {path}" for method, path, _ in ROUTES]


def _cookie(world: DeskWorld, role: str, lifetime: dt.timedelta) -> tuple[str, str]:
    """A session cookie of the ``role`` account and its CSRF token."""
    with Store.open(world.world.home) as store:
        accounts = StaffAccounts(store)
        token, csrf = accounts.open_session(accounts.get(world.staff[role][0]), lifetime)
        return cookie_value(store.secret("desk_session"), token), csrf


@pytest.fixture(scope="module")
def client(desk_world: DeskWorld) -> Iterator[TestClient]:
    with serve(desk_world.world) as started:
        yield started


def _send(client: TestClient, method: str, path: str, data: dict[str, str]) -> object:
    if method == "GET":
        return client.get(path, follow_redirects=False)
    return client.request(method, path, data=data, follow_redirects=False)


def test_every_desk_route_is_covered() -> None:
    paths = {path for _, path, _ in ROUTES}
    assert "/desk/" in paths and "/desk/logout" in paths


@pytest.mark.parametrize(("method", "path", "role"), ROUTES, ids=ROUTE_IDS)
def test_without_a_session(client: TestClient, method: str, path: str, role: str) -> None:
    client.cookies.clear()
    answer = _send(client, method, path, {"csrf": "x"})
    if method == "GET":
        assert answer.status_code == 303  # type: ignore[attr-defined]
        assert answer.headers["location"].startswith("/desk/login?next=")  # type: ignore[attr-defined]
    else:
        assert answer.status_code == 401  # type: ignore[attr-defined]
        assert "登录已失效" in answer.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(("method", "path", "role"), ROUTES, ids=ROUTE_IDS)
def test_with_an_expired_session(
    client: TestClient, desk_world: DeskWorld, method: str, path: str, role: str
) -> None:
    cookie, csrf = _cookie(desk_world, "admin", -dt.timedelta(seconds=1))
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie, path="/desk")
    answer = _send(client, method, path, {"csrf": csrf})
    assert answer.status_code == (303 if method == "GET" else 401)  # type: ignore[attr-defined]
    if method == "GET":
        assert answer.headers["location"].endswith("&expired=1")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("method", "path", "role"), [r for r in ROUTES if r[2] != "counter"], ids=lambda r: str(r)
)
def test_with_a_role_below_the_page(
    client: TestClient, desk_world: DeskWorld, method: str, path: str, role: str
) -> None:
    below = ROLES[ROLES.index(role) - 1]
    cookie, csrf = _cookie(desk_world, below, dt.timedelta(minutes=5))
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie, path="/desk")
    answer = _send(client, method, path, {"csrf": csrf})
    assert answer.status_code == 403  # type: ignore[attr-defined]
    assert "权限" in answer.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("method", "path", "role"), [r for r in ROUTES if r[0] != "GET"], ids=lambda r: str(r)
)
def test_forms_without_the_csrf_token(
    client: TestClient, desk_world: DeskWorld, method: str, path: str, role: str
) -> None:
    cookie, csrf = _cookie(desk_world, "admin", dt.timedelta(minutes=5))
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie, path="/desk")
    for data in ({}, {"csrf": ""}, {"csrf": csrf[:-1] + ("A" if csrf[-1] != "A" else "B")}):
        answer = _send(client, method, path, data)
        assert answer.status_code == 403, (data, answer.text)  # type: ignore[attr-defined]
        assert "安全令牌" in answer.text  # type: ignore[attr-defined]
    other = _cookie(desk_world, "counter", dt.timedelta(minutes=5))[1]
    answer = _send(client, method, path, {"csrf": other})  # another session's token
    assert answer.status_code == 403  # type: ignore[attr-defined]
