"""Prometheus metrics and the access log, both from one pure-ASGI middleware.

Each app owns its :class:`ApiMetrics` with its own ``CollectorRegistry`` — never the global
default registry, so tests (and a process serving two apps) can create apps freely:

- ``jobmatch_requests_total{route,method,status}`` — a counter;
- ``jobmatch_request_duration_seconds{route}`` — a histogram;
- ``jobmatch_model_info{version}`` — 1 for the model version being served;
- ``jobmatch_index_vacancies`` — vacancies in the live index.

``route`` is the route *template* (``/v1/seekers/{record_id}``), never the raw path: record ids
would make the label set unbounded, and a path may carry anything a caller typed. A request no
route matches is labelled ``unmatched``. The two gauges are read from the service when
``/metrics`` is scraped.

:class:`RequestTelemetry` wraps everything else, so it also counts and logs the 413s of the
body limit and the 500s. It writes one access-log line per request to the ``jobmatch.api``
logger — method, route template, status, duration and API-key id — and nothing else: no body,
no query values, no record ids. It is also the last resort for an exception no handler took:
the caller gets a bare 500 problem, the log gets the exception's type only (its message may
quote request data), and the exception goes no further, so the server does not log it either.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import LOGGER_NAME, internal_error_response
from matcher.ranking.service import MatchService

REQUEST_INFO_KEY = "jobmatch.request"
"""Scope key of the request's :class:`RequestInfo` (the auth dependency fills in the key id)."""
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""Methods labelled as themselves; any other is labelled ``OTHER`` (bounded label values)."""
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

logger = logging.getLogger(LOGGER_NAME)


@dataclass
class RequestInfo:
    """What the access log may say about a request beyond method, route and status."""

    key_id: str | None = None


class ApiMetrics:
    """The app's collectors, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "jobmatch_requests",
            "HTTP requests by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "jobmatch_request_duration_seconds",
            "Time to answer a request, by route template.",
            ["route"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self.model_info = Gauge(
            "jobmatch_model_info",
            "1 for the model version being served.",
            ["version"],
            registry=self.registry,
        )
        self.index_vacancies = Gauge(
            "jobmatch_index_vacancies",
            "Vacancies in the live retrieval index.",
            registry=self.registry,
        )
        self.build_failures = Gauge(
            "jobmatch_model_build_failures",
            "Failed engine builds of model versions since the process started (a counter read "
            "from the service at scrape time).",
            registry=self.registry,
        )
        self._lock = threading.Lock()

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one request and record its duration."""
        self.requests.labels(route=route, method=method, status=str(status)).inc()
        self.duration.labels(route=route).observe(seconds)

    def render(self, service: MatchService | None) -> bytes:
        """The text exposition, with the model and index gauges read from ``service`` now."""
        with self._lock:
            self.model_info.clear()
            version = service.model_version if service is not None else None
            if version is not None:
                self.model_info.labels(version=version).set(1)
            self.index_vacancies.set(service.index_size if service is not None else 0)
            self.build_failures.set(service.build_failures_total if service is not None else 0)
            return generate_latest(self.registry)


class RouteTemplates:
    """Finds the template of a path for requests answered before routing (a 413 from the
    ``Content-Length``): the routes' own compiled patterns, tried in order."""

    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        for route in routes:
            pattern = getattr(route, "path_regex", None)
            path = getattr(route, "path", None)
            if isinstance(pattern, re.Pattern) and isinstance(path, str):
                self._patterns.append((pattern, path))

    def __call__(self, scope: Scope) -> str:
        """The template of the route that served (or would serve) the request."""
        path = getattr(scope.get("route"), "path", None)
        if isinstance(path, str):
            return path
        requested = str(scope.get("path", ""))
        for pattern, template in self._patterns:
            if pattern.match(requested):
                return template
        return UNMATCHED


class RequestTelemetry:
    """ASGI middleware: metrics, one access-log line per request, and the last-resort 500."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics, templates: RouteTemplates) -> None:
        self.app = app
        self.metrics = metrics
        self.templates = templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        info = RequestInfo()
        scope[REQUEST_INFO_KEY] = info
        start = time.perf_counter()
        status = 500
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status = int(message["status"])
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:  # last resort: nothing about the request leaves or is logged
            logger.error("unhandled %s", type(error).__name__)
            if not started:
                status = 500
                await internal_error_response()(scope, receive, send)
        finally:
            seconds = time.perf_counter() - start
            route = self.templates(scope)
            method = str(scope.get("method", ""))
            method = method if method in METHODS else "OTHER"
            self.metrics.observe(route, method, status, seconds)
            _log_access(method, route, status, seconds, info.key_id)


def _log_access(method: str, route: str, status: int, seconds: float, key_id: str | None) -> None:
    extra: dict[str, Any] = {
        "method": method,
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 1),
        "key_id": key_id,
    }
    logger.info(
        "%s %s %d %.1fms key=%s", method, route, status, seconds * 1000, key_id or "-", extra=extra
    )
