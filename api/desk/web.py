"""What every desk page shares: templates, the signed session cookie, roles, CSRF-checked forms
and the HTML error pages.

A page declares who may see it with a typed dependency — :data:`CounterDesk`,
:data:`AnalystDesk` or :data:`AdminDesk` — and receives a :class:`Desk`: the signed-in account,
the store as its tenant sees it, the service, and (for POST) the form, already checked against
the session's CSRF token. Without a live session a GET is sent to ``/desk/login`` (303) and any
other method gets 401; a role below the page's gets 403; a POST without the right CSRF token gets
403. Nothing reaches a page's code unchecked.

The cookie holds the session token and an HMAC-SHA256 of it under the store's ``desk_session``
secret (``<token>.<mac>``): HttpOnly, SameSite=Strict, Path=/desk, Max-Age the session's
lifetime, Secure when ``desk_secure_cookie`` is set (behind HTTPS). The store keeps the token's
hash, so signing out ends the session on every worker.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import json
import secrets
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.settings import ApiSettings
from matcher.errors import ServiceUnavailable
from matcher.ranking.service import MatchService
from matcher.storage.staff import ROLES, StaffAccount, StaffAccounts, StaffSession
from matcher.storage.store import Store

SESSION_COOKIE = "jm_desk"
LOGIN_COOKIE = "jm_desk_login"
"""The pre-session CSRF token of the sign-in form (double-submit: cookie and field must match)."""
CSRF_FIELD = "csrf"
MAX_FORM_FIELDS = 200
MAX_FORM_BYTES = 200_000

ROLE_NAMES = {"counter": "窗口", "analyst": "分析", "admin": "管理"}

SECTIONS = (
    ("counter", "/desk/lookup", "窗口查询", "求职者说想做什么，查合适的岗位并打印"),
    ("counter", "/desk/booths", "展位名单", "某个岗位或展位的推荐求职者和邀约名单"),
    ("counter", "/desk/fairs", "招聘会", "活动与招聘会日历、批量匹配、下载名单和报告"),
    ("counter", "/desk/postings", "岗位检查", "粘贴招聘信息，查看解析结果与就业歧视提示"),
    ("analyst", "/desk/progress", "活动进展", "各专项活动的服务人数、投递、面试、录用情况"),
    ("analyst", "/desk/models", "模型管理", "模型版本、按重点群体的评估、启用与回退"),
)
"""The desk's sections: the role each needs, its path, its name and what it is for."""

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class DeskError(Exception):
    """A page's answer that is not the page: an HTML error with its status and a message in
    Chinese for staff."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class SignInRequired(Exception):
    """No live session: GET goes to the sign-in page, anything else gets 401."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Form:
    """A posted form's fields (the last value of a repeated name; :meth:`all` for every
    value)."""

    items: tuple[tuple[str, str], ...] = ()

    def get(self, name: str, default: str = "") -> str:
        found = [value for key, value in self.items if key == name]
        return found[-1] if found else default

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.items if key == name]

    def __contains__(self, name: object) -> bool:
        return any(key == name for key, _ in self.items)


@dataclass
class Desk:
    """The signed-in desk: account, its tenant's store, the service and the checked form."""

    session: StaffSession
    service: MatchService
    settings: ApiSettings
    form: Form = field(default_factory=Form)

    @property
    def account(self) -> StaffAccount:
        return self.session.account

    @property
    def store(self) -> Store:
        """The store as the account's tenant sees it."""
        return self.service.store.for_tenant(self.session.account.tenant)

    @property
    def tenant(self) -> str:
        return self.session.account.tenant


@functools.cache
def environment() -> jinja2.Environment:
    """The desk's Jinja environment: templates of this package, every value escaped, an
    unknown name an error."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("api.desk", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["role_names"] = ROLE_NAMES
    env.globals["desk_sections"] = SECTIONS
    env.filters["yuan"] = lambda value: "" if value is None else f"{int(value):,} 元"
    return env


def render(
    request: Request,
    template: str,
    *,
    desk: Desk | None = None,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """The page ``template`` with ``context``, the account and its CSRF token, and the desk's
    security headers."""
    session = desk.session if desk is not None else None
    body = (
        environment()
        .get_template(template)
        .render(
            request_path=request.url.path,
            account=session.account if session else None,
            csrf=session.csrf if session else "",
            **context,
        )
    )
    response = HTMLResponse(body, status_code=status)
    response.headers.update({**SECURITY_HEADERS, **(headers or {})})
    return response


def redirect(path: str) -> RedirectResponse:
    """303 to ``path`` (after a POST, the browser GETs it)."""
    response = RedirectResponse(path, status_code=303)
    response.headers.update(SECURITY_HEADERS)
    return response


# --- the session cookie ---------------------------------------------------------------------


def _mac(secret: bytes, token: str) -> str:
    digest = hmac.new(secret, token.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def cookie_value(secret: bytes, token: str) -> str:
    """``<token>.<mac>``: the cookie's value for a session token."""
    return f"{token}.{_mac(secret, token)}"


def token_of(secret: bytes, value: str | None) -> str | None:
    """The session token of a cookie value whose MAC holds, else None."""
    if not value or len(value) > 200 or "." not in value:
        return None
    token, mac = value.rsplit(".", 1)
    if not hmac.compare_digest(mac, _mac(secret, token)):
        return None
    return token


def set_session_cookie(
    response: Response, secret: bytes, token: str, settings: ApiSettings
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        cookie_value(secret, token),
        max_age=int(settings.desk_session_minutes * 60),
        path="/desk",
        httponly=True,
        samesite="strict",
        secure=settings.desk_secure_cookie,
    )


def clear_session_cookie(response: Response, settings: ApiSettings) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/desk",
        httponly=True,
        samesite="strict",
        secure=settings.desk_secure_cookie,
    )


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def service_of(request: Request) -> MatchService:
    service: MatchService | None = getattr(request.app.state, "service", None)
    if service is None:
        raise ServiceUnavailable("the service is starting or stopping; retry shortly")
    return service


def live_session(request: Request) -> StaffSession | None:
    """The request's live session, or None (no cookie, a forged one, ended or expired)."""
    service = service_of(request)
    token = token_of(service.store.secret("desk_session"), request.cookies.get(SESSION_COOKIE))
    if token is None:
        return None
    return StaffAccounts(service.store).session(token)


async def read_form(request: Request) -> Form:
    """The urlencoded body of a POST (400 for another type, 413 past the limits)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if not body:
        return Form()
    if kind != "application/x-www-form-urlencoded":
        raise DeskError(400, "请通过页面上的表单提交")
    if len(body) > MAX_FORM_BYTES:
        raise DeskError(413, "提交的内容过长")
    try:
        pairs = urllib.parse.parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=MAX_FORM_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        raise DeskError(400, "表单内容无法读取") from None
    return Form(tuple(pairs))


def desk_for(role: str) -> Callable[[Request], Awaitable[Desk]]:
    """A dependency admitting accounts with ``role`` or above; for POST it reads the form and
    checks its CSRF token against the session's."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")

    async def signed_in(request: Request) -> Desk:
        session = live_session(request)
        if session is None:
            reason = "expired" if request.cookies.get(SESSION_COOKIE) else "none"
            raise SignInRequired(reason)
        if not session.account.may(role):
            raise DeskError(403, f"此页面需要「{ROLE_NAMES[role]}」及以上权限")
        desk = Desk(session, service_of(request), request.app.state.settings)
        if request.method not in ("GET", "HEAD"):
            desk.form = await read_form(request)
            if not hmac.compare_digest(desk.form.get(CSRF_FIELD), session.csrf):
                raise DeskError(403, "表单已失效（缺少或错误的安全令牌），请刷新页面后重试")
        return desk

    signed_in.__name__ = f"desk_{role}"
    return signed_in


CounterDesk = Annotated[Desk, Depends(desk_for("counter"))]
AnalystDesk = Annotated[Desk, Depends(desk_for("analyst"))]
AdminDesk = Annotated[Desk, Depends(desk_for("admin"))]


# --- error pages ----------------------------------------------------------------------------

STATUS_MESSAGES = {
    400: "请求有误",
    401: "请先登录",
    403: "没有权限",
    404: "页面不存在",
    405: "不支持此操作",
    413: "内容过长",
    422: "填写有误",
    429: "尝试次数过多，请稍后再试",
    503: "服务正在启动或停止，请稍后再试",
}


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    session = None
    try:
        session = live_session(request)
    except ServiceUnavailable:  # an error page renders while the service starts or stops
        session = None
    return render(
        request,
        "error.html",
        desk=None,
        status=status,
        title=STATUS_MESSAGES.get(status, "出错了"),
        message=message,
        signed_in=session is not None,
    )


def is_desk(request: Request) -> bool:
    return request.url.path == "/desk" or request.url.path.startswith("/desk/")


def install_error_pages(app: Any) -> None:
    """Answer errors under ``/desk`` with HTML pages; keep the API's problem documents
    elsewhere (the existing handlers are wrapped, not replaced)."""

    async def desk_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DeskError)
        return error_page(request, exc.status, exc.message)

    async def sign_in_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        if request.method in ("GET", "HEAD"):
            target = urllib.parse.quote(request.url.path, safe="/")
            expired = "&expired=1" if exc.reason == "expired" else ""
            response: Response = redirect(f"/desk/login?next={target}{expired}")
        else:
            response = error_page(request, 401, "登录已失效，请重新登录后再提交")
        clear_session_cookie(response, request.app.state.settings)
        return response

    app.add_exception_handler(DeskError, desk_error)
    app.add_exception_handler(SignInRequired, sign_in_required)
    for kind, handler in list(app.exception_handlers.items()):
        if kind in (DeskError, SignInRequired):
            continue
        app.add_exception_handler(kind, _html_under_desk(handler))


def _html_under_desk(
    handler: Callable[[Request, Exception], Awaitable[Response]],
) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def wrapped(request: Request, exc: Exception) -> Response:
        if not is_desk(request):
            return await handler(request, exc)
        answer = await handler(request, exc)
        status = answer.status_code
        if isinstance(exc, StarletteHTTPException):
            message = STATUS_MESSAGES.get(status, "出错了")
        else:
            message = _problem_detail(answer) or STATUS_MESSAGES.get(status, "出错了")
        return error_page(request, status, message)

    return wrapped


def _problem_detail(answer: Response) -> str:
    try:
        document = json.loads(bytes(answer.body))
    except (ValueError, TypeError):
        return ""
    detail = document.get("detail") if isinstance(document, dict) else None
    return str(detail) if detail else ""


def today_of(desk: Desk) -> dt.date:
    """The day the service treats as today (its ``today`` setting, else the real date)."""
    return desk.service.today or dt.date.today()
