"""Sign-in, sessions and sign-out of the desk pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.desk.web import SESSION_COOKIE, cookie_value
from matcher.storage.staff import StaffAccounts
from matcher.storage.store import Store
from tests.api.support import TestClient, copy_world, serve
from tests.desk.support import DeskWorld, csrf_of, sign_in


def _login(client: TestClient, name: str, password: str, **extra: str) -> object:
    page = client.get("/desk/login")
    data = {"csrf": csrf_of(page.text), "name": name, "password": password, **extra}
    return client.post("/desk/login", data=data, follow_redirects=False)


def test_pages_send_a_stranger_to_sign_in_and_back(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    answer = desk_client.get("/desk/", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/desk/login?next=/desk/"
    name, password = desk_world.staff["counter"]
    done = _login(desk_client, name, password, next="/desk/fairs")
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert done.headers["location"] == "/desk/fairs"  # type: ignore[attr-defined]


def test_the_session_cookie_is_signed_http_only_and_strict(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    done = _login(desk_client, *desk_world.staff["counter"])
    cookie = done.headers["set-cookie"]  # type: ignore[attr-defined]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/desk", "Max-Age=28800"):
        assert attribute.lower() in cookie.lower()
    token, mac = cookie.split(";")[0].split("=", 1)[1].split(".")
    assert len(token) >= 43 and len(mac) == 43


@pytest.mark.parametrize(
    "target", ["//evil.example/desk/", "https://evil.example/", "/v1/models", "/desk/login"]
)
def test_next_never_leaves_the_desk(
    desk_client: TestClient, desk_world: DeskWorld, target: str
) -> None:
    done = _login(desk_client, *desk_world.staff["counter"], next=target)
    assert done.headers["location"] == "/desk/"  # type: ignore[attr-defined]


def test_a_wrong_or_unknown_name_gets_one_message(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    name, password = desk_world.staff["counter"]
    for attempt in ((name, password + "x"), ("nobody", password)):
        answer = _login(desk_client, *attempt)
        assert answer.status_code == 401  # type: ignore[attr-defined]
        assert "用户名或密码错误" in answer.text  # type: ignore[attr-defined]
        assert f"{SESSION_COOKIE}=" not in answer.headers.get("set-cookie", "")  # type: ignore[attr-defined]
    empty = _login(desk_client, name, "")
    assert empty.status_code == 422 and "请填写密码" in empty.text  # type: ignore[attr-defined]


def test_the_sign_in_form_needs_its_own_csrf_token(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    name, password = desk_world.staff["counter"]
    desk_client.get("/desk/login")
    for token in ("", "forged"):
        answer = desk_client.post(
            "/desk/login", data={"csrf": token, "name": name, "password": password}
        )
        assert answer.status_code == 403 and "登录表单已失效" in answer.text
    desk_client.cookies.clear()  # a token without its cookie (another browser's form)
    page_token = csrf_of(TestClient(desk_client.app).get("/desk/login").text)
    answer = desk_client.post(
        "/desk/login", data={"csrf": page_token, "name": name, "password": password}
    )
    assert answer.status_code == 403


@pytest.fixture
def throttled(desk_world: DeskWorld, tmp_path: Path) -> Iterator[TestClient]:
    """A copy of the desk world allowing two failed sign-ins per name."""
    copy = copy_world(desk_world.world, tmp_path / "copy")
    with serve(copy, desk_login_limit=2, desk_login_window=3600.0) as client:
        yield client


def test_failed_sign_ins_are_throttled_per_name(
    throttled: TestClient, desk_world: DeskWorld
) -> None:
    name, password = desk_world.staff["analyst"]
    for _ in range(2):
        assert _login(throttled, name, "wrong-password").status_code == 401  # type: ignore[attr-defined]
    answer = _login(throttled, name, password)  # even the right password waits
    assert answer.status_code == 429  # type: ignore[attr-defined]
    assert int(answer.headers["retry-after"]) > 0  # type: ignore[attr-defined]
    assert "登录失败次数过多" in answer.text  # type: ignore[attr-defined]
    other, other_password = desk_world.staff["counter"]
    assert _login(throttled, other, other_password).status_code == 303  # type: ignore[attr-defined]


def test_sign_out_ends_the_session_on_the_server(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    csrf = sign_in(desk_client, *desk_world.staff["counter"])
    kept = desk_client.cookies.get(SESSION_COOKIE)
    out = desk_client.post("/desk/logout", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/desk/login?signed_out=1"
    desk_client.cookies.set(SESSION_COOKIE, str(kept), path="/desk")  # replay the old cookie
    assert desk_client.get("/desk/", follow_redirects=False).status_code == 303


def _session_cookie(world: DeskWorld, role: str, lifetime: dt.timedelta) -> str:
    with Store.open(world.world.home) as store:
        accounts = StaffAccounts(store)
        token, _ = accounts.open_session(accounts.get(world.staff[role][0]), lifetime)
        return cookie_value(store.secret("desk_session"), token)


def test_expired_and_forged_sessions_are_sent_to_sign_in(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    expired = _session_cookie(desk_world, "counter", -dt.timedelta(minutes=1))
    desk_client.cookies.set(SESSION_COOKIE, expired, path="/desk")
    answer = desk_client.get("/desk/", follow_redirects=False)
    assert answer.headers["location"] == "/desk/login?next=/desk/&expired=1"
    assert "登录已过期" in desk_client.get(answer.headers["location"]).text
    live = _session_cookie(desk_world, "counter", dt.timedelta(minutes=5))
    token = live.split(".")[0]
    for forged in (f"{token}.{'A' * 43}", token, live + "x"):
        desk_client.cookies.set(SESSION_COOKIE, forged, path="/desk")
        assert desk_client.get("/desk/", follow_redirects=False).status_code == 303
    desk_client.cookies.set(SESSION_COOKIE, live, path="/desk")
    assert desk_client.get("/desk/", follow_redirects=False).status_code == 200


def test_pages_carry_the_security_headers(desk_client: TestClient, desk_world: DeskWorld) -> None:
    page = desk_client.get("/desk/login")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    sign_in(desk_client, *desk_world.staff["counter"])
    assert desk_client.get("/desk/").headers["x-content-type-options"] == "nosniff"


def test_the_home_page_lists_the_sections_of_the_role(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    sign_in(desk_client, *desk_world.staff["counter"])
    page = desk_client.get("/desk/").text
    assert "窗口查询" in page and "/desk/models" not in page
    desk_client.cookies.clear()
    sign_in(desk_client, *desk_world.staff["admin"])
    page = desk_client.get("/desk/").text
    assert "/desk/models" in page and "/desk/progress" in page


def test_errors_under_the_desk_are_pages_and_the_api_keeps_problem_documents(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    sign_in(desk_client, *desk_world.staff["counter"])
    missing = desk_client.get("/desk/no-such-page")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "页面不存在" in missing.text
    api = desk_client.get("/v1/no-such-route")
    assert api.headers["content-type"] == "application/problem+json"
