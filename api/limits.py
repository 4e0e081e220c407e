"""Request limits: how bodies are read (size, time, strict JSON) and the checks of configured
list and ``k`` limits.

:class:`BodySizeLimit` is pure ASGI (no ``BaseHTTPMiddleware``, which would buffer the body):

- a ``Content-Length`` over the limit is answered 413 at once, before the body is read;
- a body without one (chunked) is counted while the app reads it, and the read that crosses
  the limit raises :class:`BodyTooLarge`;
- every read of the body is timed: a pause longer than ``body_timeout`` seconds, or a body not
  complete ``body_timeout + length / min_body_rate`` seconds after its headers (``length`` the
  declared one, else the size limit), raises :class:`BodyTimeout` — 408 with ``Connection:
  close``, after which uvicorn closes the socket. Time the app spends elsewhere is not counted:
  only the waits for the client. (Headers are timed below the app, in :mod:`api.server`.)

Both are ``HTTPException`` subclasses on purpose: FastAPI re-raises those from its body reading
(any other exception there becomes a 400), so the problem handler answers them; should one
escape anyway, the middleware answers it itself.

:class:`StrictJsonBody` reads a JSON body to its end and parses it once with
``object_pairs_hook`` before the app does (in a worker thread when it is large): a key repeated
in one object (which ``json.loads`` would resolve silently to the last value) is 400 naming the
key, nesting too deep for the parser is 400 instead of an unreadable body, and more than
``max_json_values`` values (bounded by counting commas and brackets, before any parse) is 413.
The body is then handed to the app unchanged.

The list and ``k`` limits come from :class:`~api.settings.ApiSettings`, so they are checked in
the routes (:func:`check_at_most`) rather than frozen into the request models; the OpenAPI
document publishes the configured values (:func:`publish_limits`).
"""

from __future__ import annotations

import json
import time
from typing import Any

import anyio
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import (
    ApiProblem,
    BodyProblem,
    BodyTimeout,
    BodyTooLarge,
    problem_response,
    safe_field,
)
from api.settings import ApiSettings
from matcher.errors import FieldProblem

LIMITED_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("ScoreRequest", "vacancies", "maxItems", "max_items"),
    ("SeekerBulkRequest", "items", "maxItems", "max_items"),
    ("EmployerBulkRequest", "items", "maxItems", "max_items"),
    ("VacancyBulkRequest", "items", "maxItems", "max_items"),
    ("InteractionBulkRequest", "items", "maxItems", "max_items"),
    ("RecommendationRequest", "k", "maximum", "max_k"),
    ("CandidateRequest", "k", "maximum", "max_k"),
    ("AnalyzeRequest", "text", "maxLength", "max_text_chars"),
)
"""(schema, property, JSON-schema keyword, setting): the configurable limits of the contract."""


class BodySizeLimit:
    """ASGI middleware: 413 for a request body over ``max_body_bytes``, 408 for one that
    arrives too slowly.

    Parameters
    ----------
    app : ASGI app
    max_body_bytes : int
    body_timeout : float, optional
        Longest wait for the next piece of the body, in seconds (None: no timeout).
    min_body_rate : int, optional
        Bytes a second the body must average after the first ``body_timeout`` seconds.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        body_timeout: float | None = None,
        min_body_rate: int | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout
        self.min_body_rate = min_body_rate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        declared = _content_length(scope)
        if declared == -1:
            response = problem_response(
                400,
                "the Content-Length header is not a number",
                [FieldProblem("Content-Length", "must be a non-negative integer")],
            )
            await response(scope, receive, send)
            return
        if declared is not None and declared > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0
        complete = False
        started = False
        timeout = self.body_timeout
        deadline = None
        if timeout is not None:
            expected = declared if declared is not None else limit
            slack = expected / self.min_body_rate if self.min_body_rate else float("inf")
            deadline = time.monotonic() + timeout + slack

        async def limited_receive() -> Message:
            nonlocal received, complete
            if complete or timeout is None or deadline is None:
                message = await receive()  # the body is in: waits for a disconnect are not timed
            else:
                left = deadline - time.monotonic()
                wait = min(timeout, left)
                try:
                    with anyio.fail_after(max(wait, 0.0)):
                        message = await receive()
                except TimeoutError:
                    if wait < timeout:
                        raise BodyTimeout(
                            f"must average at least {self.min_body_rate} bytes a second"
                        ) from None
                    raise BodyTimeout(f"no data for {timeout:g} seconds") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
                complete = not message.get("more_body", False)
            else:
                complete = True
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyProblem as error:
            if started:
                raise
            await _body_problem(error)(scope, receive, send)


class StrictJsonBody:
    """ASGI middleware: 413 for a JSON body that may hold more than ``max_json_values`` values,
    400 for one with a key repeated in one object (or nested too deep to parse); other bodies,
    and well-formed JSON, reach the app unchanged.

    Parsing costs per value, and ``json.loads`` is one C call that holds the GIL to the end
    (measured: a million bytes of ``[],`` 80 ms on a quiet core, 300 ms and more under load) —
    on the event loop that answers everyone else, where FastAPI parses. So the values are
    bounded first, by a count of commas and brackets (a scan in C, about 0.3 ms a megabyte),
    which bounds every parse after it; bodies over :data:`THREAD_FROM_BYTES` are then parsed
    with the duplicate-key hook in a worker thread (the hook's Python calls let the loop run).
    Bodies that are not JSON at all are left to the app, which answers them as before (400
    naming the position of the error).

    Parameters
    ----------
    app : ASGI app
    max_json_values : int
        Most values in one body, counted as ``1 + commas + opening brackets`` (an upper bound:
        commas inside strings count too). 1,000 generated seekers are ~30,000.
    """

    def __init__(self, app: ASGIApp, max_json_values: int = 100_000) -> None:
        self.app = app
        self.max_json_values = max_json_values

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _may_be_json(scope):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        problem = too_many_values(body, self.max_json_values)
        if problem is None and len(body) > THREAD_FROM_BYTES:
            problem = await anyio.to_thread.run_sync(json_problem, body)
        elif problem is None and body.strip():
            problem = json_problem(body)
        if problem is not None:
            await problem_response(*problem)(scope, receive, send)
            return
        replay = iter(messages)

        async def replaying_receive() -> Message:
            message = next(replay, None)
            return message if message is not None else await receive()

        await self.app(scope, replaying_receive, send)


THREAD_FROM_BYTES = 32_768
"""Bodies larger than this are inspected in a worker thread (smaller ones take microseconds)."""


class DuplicateKey(ValueError):
    """A key that appears twice in one JSON object."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for :func:`json.loads`: the object, or :class:`DuplicateKey`."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return result


def json_problem(body: bytes) -> tuple[int, str, list[FieldProblem]] | None:
    """Status, detail and problems for a JSON body with a repeated key or nested too deep;
    None when it is fine or when it is not JSON at all (the app reports that)."""
    try:
        json.loads(body, object_pairs_hook=unique_keys)
    except DuplicateKey as error:
        field = safe_field([error.key])
        message = "appears more than once in one object"
        return 400, f"malformed JSON body: key {field!r} {message}", [FieldProblem(field, message)]
    except RecursionError:
        message = "is nested too deeply"
        return 400, f"malformed JSON body: {message}", [FieldProblem("body", message)]
    except ValueError:  # not JSON (UnicodeDecodeError and JSONDecodeError are ValueErrors)
        return None
    return None


def too_many_values(body: bytes, max_values: int) -> tuple[int, str, list[FieldProblem]] | None:
    """413 when ``body`` may hold more than ``max_values`` JSON values, by the upper bound
    ``1 + commas + opening brackets`` (every value is the top one, the first of an array or
    object, or follows a comma); a count in C, before any parse."""
    values = 1 + body.count(b",") + body.count(b"[") + body.count(b"{")
    if values <= max_values:
        return None
    message = (
        f"must hold at most {max_values} JSON values (counted as 1 + commas + opening brackets)"
    )
    return 413, f"request body is too complex: {message}", [FieldProblem("body", message)]


def _may_be_json(scope: Scope) -> bool:
    """Whether the app would parse this request's body as JSON (``application/json``,
    ``application/*+json`` or no content type)."""
    if scope.get("method") in ("GET", "HEAD", "OPTIONS"):
        return False
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            media: bytes = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or (
                media.startswith(b"application/") and media.endswith(b"+json")
            )
    return True


def _too_large(limit: int) -> JSONResponse:
    return _body_problem(BodyTooLarge(limit))


def _body_problem(error: BodyProblem) -> JSONResponse:
    return problem_response(
        error.status_code, error.detail, error.problems, headers={"Connection": "close"}
    )


def _content_length(scope: Scope) -> int | None:
    """The declared length; None when absent, -1 when not a number."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else -1
    return None


def check_at_most(field: str, value: int, limit: int, noun: str | None = None) -> None:
    """Raise a 422 problem naming ``field`` when ``value`` (a count of ``noun``, or a plain
    value when ``noun`` is None) exceeds a configured ``limit``."""
    if value <= limit:
        return
    if noun is None:
        message = f"must be at most {limit}"
    else:
        message = f"has {value} {noun}; at most {limit} are allowed"
    raise ApiProblem(422, f"invalid request: {field}: {message}", [FieldProblem(field, message)])


def publish_limits(schema: dict[str, Any], settings: ApiSettings) -> dict[str, Any]:
    """Write the configured limits (:data:`LIMITED_FIELDS`) into an OpenAPI document."""
    components = schema["components"]["schemas"]
    for name, prop, keyword, setting in LIMITED_FIELDS:
        components[name]["properties"][prop][keyword] = getattr(settings, setting)
    return schema
