"""Every error the API returns is an RFC 9457 problem (``application/problem+json``).

Shape, for every status::

    {"type": "about:blank", "title": "Unprocessable Content", "status": 422,
     "detail": "invalid request: seeker.resume_text: String should have at most 8000 characters",
     "errors": [{"field": "seeker.resume_text",
                 "message": "String should have at most 8000 characters"}]}

``type`` is ``about:blank`` (the status says what happened; ``title`` is its phrase), ``detail``
is one English sentence naming the field(s) and the problem, and ``errors`` lists every problem
with its dotted field path (``vacancies.3.title``, ``items.0.contact.phone``); it is empty when
no field is to blame (401, 429, 503 …).

Mapping of exceptions (see :func:`install_error_handlers`)::

    malformed JSON body                     400   field "body"
    FastAPI RequestValidationError          422   fields from pydantic's ``loc``
    matcher.errors.InvalidRecord            422   fields from the domain validation
    ApiProblem (limits, auth, rate limits)  its own status
    matcher.errors.NotFound                 404   e.g. "campaign 'x' not found"
    matcher.errors.UnknownModel             404   an unknown model version
    matcher.errors.ConflictError            409
    matcher.errors.UnusableModel            409   a bundle that fails verification
    matcher.errors.ServiceUnavailable       503   no active model yet
    body over the limit                     413   (api.limits)
    body arriving too slowly                408   (api.limits; Connection: close)
    duplicate key in a JSON object          400   field: the key (api.limits)
    anything else                           500   logged by exception type only

Personal data never leaves through an error. Messages are built from pydantic's ``loc`` and
``msg`` only — never its ``input``, which may be a phone number or a 身份证号 — and every message
is scrubbed twice before it is sent: a quoted literal that repeats part of the caller's input
(the domain validators quote a rejected value, e.g. ``'1391…' is not a region code``) becomes
"the given value", and :func:`features.redact.redact` masks anything still shaped like a phone
number, 身份证号, e-mail or street address. Field paths keep only identifier-like parts, so an
unknown key that is itself personal data is shown as ``<key>``. Request bodies are never logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from features.redact import MAX_TEXT_CHARS, redact
from matcher.errors import (
    ConflictError,
    FieldProblem,
    InvalidRecord,
    JobmatchError,
    NotFound,
    ServiceUnavailable,
    UnknownModel,
    UnusableModel,
)

PROBLEM_JSON = "application/problem+json"
LOGGER_NAME = "jobmatch.api"
logger = logging.getLogger(LOGGER_NAME)

GIVEN_VALUE = "the given value"
"""What a quoted echo of the caller's input is replaced with in a message."""
MAX_DETAIL_PROBLEMS = 3
"""Problems spelled out in ``detail``; ``errors`` always lists all of them."""
UNION_TAGS = frozenset({"stored", "inline", "str", "int", "float", "bool", "none"})
"""Parts pydantic adds to ``loc`` for union members: not fields, left out of the path."""

_FIELD_PART = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}|\d{1,9}")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_VALUE_ERROR = re.compile(r"^(?:Value error|Assertion failed), ")
_FIELD_PREFIX = re.compile(r"^([a-z_][a-z0-9_.]*): (.*)$", re.DOTALL)
_ECHOING_ERRORS = frozenset({"value_error", "assertion_error"})
_NOT_FOUND_FIELDS = {
    "seeker": "seeker_id",
    "vacancy": "vacancy_id",
    "employer": "employer_id",
    "campaign": "campaign",
}


class ApiProblem(Exception):
    """An error the API answers with a problem document (raised by routes and dependencies).

    Parameters
    ----------
    status : int
        HTTP status.
    detail : str
        One sentence naming the field(s) and the problem; already free of personal data.
    errors : sequence of FieldProblem
        Each problem with its dotted field path.
    headers : mapping of str to str, optional
        Extra response headers (``WWW-Authenticate``, ``Retry-After``).
    """

    def __init__(
        self,
        status: int,
        detail: str,
        errors: Sequence[FieldProblem] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})


def problem_body(status: int, detail: str, errors: Iterable[FieldProblem] = ()) -> dict[str, Any]:
    """The problem document as a dict (``type``, ``title``, ``status``, ``detail``, ``errors``)."""
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "errors": [{"field": p.field, "message": p.message} for p in errors],
    }


def problem_response(
    status: int,
    detail: str,
    errors: Iterable[FieldProblem] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A ``application/problem+json`` response."""
    return JSONResponse(
        problem_body(status, detail, errors),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=dict(headers) if headers else None,
    )


def invalid(problems: Sequence[FieldProblem], status: int = 422) -> ApiProblem:
    """A 422 (or ``status``) problem whose detail spells out the first few problems."""
    return ApiProblem(status, "invalid request: " + summarize(problems), problems)


def summarize(problems: Sequence[FieldProblem]) -> str:
    """``"a: msg; b: msg (and 2 more problems)"``."""
    shown = "; ".join(str(p) for p in problems[:MAX_DETAIL_PROBLEMS])
    more = len(problems) - MAX_DETAIL_PROBLEMS
    return shown + (f" (and {more} more problems)" if more > 0 else "")


class BodyProblem(StarletteHTTPException):
    """The request body cannot be read to the end: answered with its status and
    ``Connection: close`` (the rest of the body is never read).

    An ``HTTPException`` on purpose: FastAPI re-raises those from its body reading, where any
    other exception would become a 400 (see :mod:`api.limits`).
    """

    def __init__(self, status: int, detail: str, problems: Sequence[FieldProblem]) -> None:
        super().__init__(status, detail)
        self.problems = list(problems)


class BodyTooLarge(BodyProblem):
    """The request body is (or grew, while read) larger than ``limit`` bytes: 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"request body is larger than the limit of {limit} bytes",
            [FieldProblem("body", f"must be at most {limit} bytes")],
        )


class BodyTimeout(BodyProblem):
    """The request body arrives too slowly (a pause longer than the body timeout, or below
    the minimum rate): 408."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            408, f"the request body arrived too slowly: {reason}", [FieldProblem("body", reason)]
        )


# --- keeping personal data out of messages -------------------------------------------------


def strings_in(value: Any, *, limit: int = 50_000) -> set[str]:
    """Every string (values and keys) in a JSON-like value, at most ``limit`` of them."""
    found: set[str] = set()
    stack = [value]
    while stack and len(found) < limit:
        item = stack.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
    return found


def scrub(message: str, echoes: Collection[str] = ()) -> str:
    """``message`` with quoted echoes of the caller's input replaced and PII redacted.

    Parameters
    ----------
    message : str
        A validation or lookup message.
    echoes : collection of str
        Strings the caller sent; a quoted literal in ``message`` that is part of one of them
        (or of its ``repr``) becomes :data:`GIVEN_VALUE`.
    """
    if echoes:
        shown = [(text, repr(text)) for text in echoes if text]

        def replace(match: re.Match[str]) -> str:
            inner = match.group(0)[1:-1]
            if inner and any(inner in text or inner in quoted for text, quoted in shown):
                return GIVEN_VALUE
            return match.group(0)

        message = _QUOTED.sub(replace, message)
    if len(message) > MAX_TEXT_CHARS:  # redact() reads no more; cut where no number is cut
        message = message[: MAX_TEXT_CHARS - 1].rstrip(_CUT_INSIDE) + "…"
    return redact(message).text


_CUT_INSIDE = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@._-+ "
"""Characters a cut message loses at its end: no half phone number or address is left."""


def safe_field(parts: Iterable[str | int]) -> str:
    """A dotted field path from ``loc`` parts; a part that is not identifier-like (an unknown
    key the caller sent) shows as ``<key>``."""
    shown = []
    for part in parts:
        text = str(part)
        shown.append(text if _FIELD_PART.fullmatch(text) else "<key>")
    return ".".join(shown)


def problems_from_errors(
    errors: Iterable[Mapping[str, Any]], *, prefix: str = "", echoes: Collection[str] = ()
) -> list[FieldProblem]:
    """Pydantic error dicts → problems, from ``loc``, ``type`` and ``msg`` only.

    The location's leading ``body``/``query``/``path``/``header`` is dropped, and so are the
    member tags pydantic adds for unions (:data:`UNION_TAGS`). A validator's message (a
    ``value_error``) is scrubbed against ``echoes`` plus the error's own ``input`` (used to
    scrub, never shown); every message is redacted.
    """
    problems: list[FieldProblem] = []
    seen: set[tuple[str, str]] = set()
    for error in errors:
        loc = list(error.get("loc", ()))
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        kind = str(error.get("type", ""))
        last = loc[-1:] if kind == "extra_forbidden" else []
        body = loc[:-1] if last else loc
        parts = [p for p in body if not (isinstance(p, str) and _is_tag(p))] + last
        field = safe_field([prefix, *parts] if prefix else parts)
        message = _VALUE_ERROR.sub("", str(error.get("msg", "is invalid")))
        nested = _FIELD_PREFIX.match(message)
        if nested:  # a model validator naming its field: "seeker: give one of …"
            inner = safe_field(nested.group(1).split("."))
            field = f"{field}.{inner}" if field else inner
            message = nested.group(2)
        if kind == "extra_forbidden":
            message = "is not a known field"
        elif kind == "missing":
            message = "is required"
        if kind in _ECHOING_ERRORS:  # a validator's own message may quote the input
            message = scrub(message, set(echoes) | strings_in(error.get("input")))
        else:  # pydantic's messages quote the allowed values, never the input
            message = scrub(message)
        key = (field, message)
        if key not in seen:
            seen.add(key)
            problems.append(FieldProblem(field, message))
    return problems


def _is_tag(part: str) -> bool:
    return part in UNION_TAGS or "[" in part or "-" in part or part[:1].isupper()


def scrub_problems(
    problems: Iterable[FieldProblem], *, prefix: str = "", echoes: Collection[str] = ()
) -> list[FieldProblem]:
    """Domain problems with safe field paths (under ``prefix``) and scrubbed messages."""
    result = []
    for problem in problems:
        parts = [p for p in problem.field.split(".") if p] if problem.field else []
        field = safe_field([prefix, *parts] if prefix else parts)
        result.append(FieldProblem(field, scrub(problem.message, echoes)))
    return result


def not_found(error: NotFound, field: str | None = None) -> ApiProblem:
    """A 404 naming what was not found (ids are shown, redacted if they look like PII)."""
    kind = error.kind.lower()
    field = field or _NOT_FOUND_FIELDS.get(kind, "")
    detail = scrub(f"{kind} {error.record_id!r} not found")
    return ApiProblem(404, detail, [FieldProblem(field, f"no {kind} with this id")])


# --- handlers ------------------------------------------------------------------------------


async def _request_strings(request: Request) -> set[str]:
    """Strings of the JSON body already read for this request (empty when none or not JSON)."""
    try:
        body = await request.json()
    except Exception:  # no body, not JSON, or not readable any more: nothing to scrub with
        return set()
    return strings_in(body) | {str(v) for v in request.path_params.values()}


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    malformed = [e for e in errors if e.get("type") == "json_invalid"]
    if malformed:
        loc = malformed[0].get("loc", ())
        position = loc[-1] if loc and isinstance(loc[-1], int) else None
        reason = str((malformed[0].get("ctx") or {}).get("error", "not valid JSON"))
        where = f" at character {position}" if position is not None else ""
        message = f"is not valid JSON{where}: {reason}"
        problem = FieldProblem("body", message)
        return problem_response(400, f"malformed JSON body: {message}", [problem])
    echoes = strings_in(exc.body) if isinstance(exc.body, dict | list) else set()
    problems = problems_from_errors(errors, echoes=echoes)
    if not problems:
        problems = [FieldProblem("body", "is invalid")]
    result = invalid(problems)
    return problem_response(result.status, result.detail, result.errors)


_HTTP_DETAILS = {
    400: "the request body cannot be read",
    404: "no such route; see /docs for the routes",
    405: "method not allowed for this route",
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc, BodyProblem):
        return problem_response(exc.status_code, exc.detail, exc.problems, {"Connection": "close"})
    detail = _HTTP_DETAILS.get(exc.status_code) or scrub(str(exc.detail))
    return problem_response(exc.status_code, detail, headers=exc.headers)


async def _api_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return problem_response(exc.status, exc.detail, exc.errors, exc.headers)


async def _invalid_record(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidRecord)
    problems = scrub_problems(exc.problems, echoes=await _request_strings(request))
    result = invalid(problems)
    return problem_response(result.status, result.detail, result.errors)


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotFound)
    result = not_found(exc)
    return problem_response(result.status, result.detail, result.errors)


async def _unknown_version(request: Request, exc: Exception) -> JSONResponse:
    version = str(request.path_params.get("version", ""))
    detail = scrub(f"model version {version!r} not found; GET /v1/models lists the versions")
    return problem_response(404, detail, [FieldProblem("version", "no model with this version")])


async def _bad_bundle(request: Request, exc: Exception) -> JSONResponse:
    version = str(request.path_params.get("version", ""))
    detail = scrub(f"model version {version!r} failed verification and was not promoted")
    return problem_response(409, detail, [FieldProblem("version", "bundle failed verification")])


async def _conflict(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(409, scrub(str(exc), await _request_strings(request)))


async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(503, scrub(str(exc)), headers={"Retry-After": "5"})


async def _jobmatch_error(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(422, scrub(str(exc), await _request_strings(request)))


async def _server_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("unhandled %s", type(exc).__name__)
    return internal_error_response()


def internal_error_response() -> JSONResponse:
    """The 500 problem: says nothing about the request or the failure."""
    return problem_response(500, "internal error; the failure was logged")


def install_error_handlers(app: FastAPI) -> None:
    """Register the problem handlers on ``app`` (most specific exception types first)."""
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(InvalidRecord, _invalid_record)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(UnknownModel, _unknown_version)
    app.add_exception_handler(UnusableModel, _bad_bundle)
    app.add_exception_handler(ConflictError, _conflict)
    app.add_exception_handler(ServiceUnavailable, _unavailable)
    app.add_exception_handler(JobmatchError, _jobmatch_error)
    app.add_exception_handler(Exception, _server_error)
