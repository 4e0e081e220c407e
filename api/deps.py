"""Dependencies the routes declare: the service, the settings, the problem responses.

The :class:`~matcher.ranking.service.MatchService` is created by the app's lifespan and kept on
``app.state``; routes receive it through :data:`ServiceDep`, never through a module global, so
tests build as many apps as they like. Before start-up (or after shutdown) it is missing and the
route answers 503.

The two are ``async`` because they only read ``app.state``: FastAPI runs a plain ``def``
dependency in its thread pool, and each such hop between the event loop and a thread cost a
request by id ~0.5 ms of the worker's CPU and a GIL hand-over under load (benchmarks/bench_api.py:
server CPU 8.4 → 7.1 ms a request). The key check stays a thread's work: it reads and writes
SQLite, which may wait on a lock.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from fastapi import Depends, Request, Security

from api.errors import PROBLEM_JSON
from api.security import require
from api.settings import ApiSettings
from matcher.errors import ServiceUnavailable
from matcher.ranking.service import MatchService
from matcher.storage.apikeys import ApiKey


async def get_service(request: Request) -> MatchService:
    """The app's service (503 while the app is starting or stopping)."""
    service: MatchService | None = getattr(request.app.state, "service", None)
    if service is None:
        raise ServiceUnavailable("the service is starting or stopping; retry shortly")
    return service


async def get_settings(request: Request) -> ApiSettings:
    """The settings the app was created with."""
    settings: ApiSettings = request.app.state.settings
    return settings


ServiceDep = Annotated[MatchService, Depends(get_service)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
ScoreKey = Annotated[ApiKey, Security(require("score"))]
ReadKey = Annotated[ApiKey, Security(require("read"))]
WriteKey = Annotated[ApiKey, Security(require("write"))]
AdminKey = Annotated[ApiKey, Security(require("admin"))]


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting problem documents for ``statuses``."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


GUARDED = (400, 401, 403, 413, 422, 429, 503)
"""Statuses every key-guarded route can answer."""
