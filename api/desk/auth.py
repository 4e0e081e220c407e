"""Sign-in, sign-out and the desk's home page.

``GET /desk/login`` gives the form with a fresh pre-session CSRF token (cookie and hidden field
must match on ``POST``). Failed sign-ins are throttled per client address (the API's
``auth_failure_limit``) and per staff name (``desk_login_limit``); a throttled attempt gets 429
and checks no password. A success starts a new session (a new token: nothing from before the
sign-in carries over) and goes to ``next`` when it is a desk path, else to ``/desk/``.
"""

from __future__ import annotations

import datetime as dt
import hmac
import math
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.desk.web import (
    CSRF_FIELD,
    LOGIN_COOKIE,
    SECTIONS,
    SESSION_COOKIE,
    CounterDesk,
    DeskError,
    clear_session_cookie,
    live_session,
    new_login_token,
    read_form,
    redirect,
    render,
    service_of,
    set_session_cookie,
    token_of,
)
from api.security import AccessLimits, client_address
from api.settings import ApiSettings
from matcher.storage.staff import StaffAccounts

router = APIRouter(prefix="/desk", include_in_schema=False)


def safe_next(target: str | None) -> str:
    """``target`` when it is a path under /desk/ (no other host, no scheme), else /desk/."""
    if (
        target
        and target.startswith("/desk/")
        and not target.startswith("//")
        and "\\" not in target
        and len(target) <= 200
        and not target.startswith("/desk/login")
    ):
        return target
    return "/desk/"


def _login_page(
    request: Request, *, status: int = 200, message: str = "", name: str = "", target: str = ""
) -> HTMLResponse:
    token = new_login_token()
    notice = ""
    if request.query_params.get("expired"):
        notice = "登录已过期，请重新登录。"
    elif request.query_params.get("signed_out"):
        notice = "已退出登录。"
    response = render(
        request,
        "login.html",
        status=status,
        login_csrf=token,
        message=message,
        notice=notice,
        name=name,
        next_path=target,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=1800,
        path="/desk/login",
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.desk_secure_cookie,
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request, next: Annotated[str | None, Query(max_length=200)] = None
) -> Response:
    if live_session(request) is not None:
        return redirect(safe_next(next))
    return _login_page(request, target=safe_next(next))


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await read_form(request)
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(form.get(CSRF_FIELD), expected):
        raise DeskError(403, "登录表单已失效，请刷新页面后重试")
    name = form.get("name").strip()
    password = form.get("password")
    target = safe_next(form.get("next"))
    if not name or not password:
        missing = "用户名" if not name else "密码"
        return _login_page(request, status=422, message=f"请填写{missing}", name=name[:64])
    limits: AccessLimits = request.app.state.access_limits
    address = client_address(request)
    wait = max(limits.auth_wait(address), limits.sign_in_wait(name))
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        response = _login_page(
            request,
            status=429,
            message=f"登录失败次数过多，请 {seconds} 秒后再试",
            name=name[:64],
            target=target,
        )
        response.headers["Retry-After"] = str(seconds)
        return response
    accounts = StaffAccounts(service_of(request).store)
    account = accounts.verify(name, password)
    if account is None:
        limits.auth_failed(address)
        limits.sign_in_failed(name)
        return _login_page(
            request, status=401, message="用户名或密码错误", name=name[:64], target=target
        )
    settings: ApiSettings = request.app.state.settings
    lifetime = dt.timedelta(minutes=settings.desk_session_minutes)
    token, _ = accounts.open_session(account, lifetime)
    signed_in = redirect(target)
    set_session_cookie(signed_in, service_of(request).store.secret("desk_session"), token, settings)
    signed_in.delete_cookie(LOGIN_COOKIE, path="/desk/login")
    return signed_in


@router.post("/logout")
def logout(request: Request, desk: CounterDesk) -> Response:
    token = token_of(desk.store.secret("desk_session"), request.cookies.get(SESSION_COOKIE))
    if token is not None:
        StaffAccounts(desk.service.store).close_session(token)
    response = redirect("/desk/login?signed_out=1")
    clear_session_cookie(response, desk.settings)
    return response


@router.get("", include_in_schema=False)
def desk_root() -> Response:
    return redirect("/desk/")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, desk: CounterDesk) -> Response:
    sections = [
        (path, name, purpose) for role, path, name, purpose in SECTIONS if desk.account.may(role)
    ]
    return render(request, "home.html", desk=desk, sections=sections)
