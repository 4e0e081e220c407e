"""Request limits: the body-size middleware and the checks of configured list and ``k`` limits.

:class:`BodySizeLimit` is pure ASGI (no ``BaseHTTPMiddleware``, which would buffer the body):

- a ``Content-Length`` over the limit is answered 413 at once, before the body is read;
- a body without one (chunked) is counted while the app reads it, and the read that crosses
  the limit raises :class:`BodyTooLarge`. It is an ``HTTPException`` on purpose: FastAPI
  re-raises those from its body reading (any other exception there becomes a 400), so the
  problem handler answers 413; should it escape anyway, the middleware answers 413 itself.

Nothing is buffered here: the app reads the body as it arrives and stops at the limit.

The list and ``k`` limits come from :class:`~api.settings.ApiSettings`, so they are checked in
the routes (:func:`check_at_most`) rather than frozen into the request models; the OpenAPI
document publishes the configured values (:func:`publish_limits`).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiProblem, BodyTooLarge, problem_response
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
    """ASGI middleware: 413 for a request body over ``max_body_bytes``.

    Parameters
    ----------
    app : ASGI app
    max_body_bytes : int
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

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
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await _too_large(limit)(scope, receive, send)


def _too_large(limit: int) -> JSONResponse:
    error = BodyTooLarge(limit)
    return problem_response(413, error.detail, error.problems, headers={"Connection": "close"})


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
