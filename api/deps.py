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

The ranking routes hand their work to :class:`RankingThreads`, which runs at most
``ranking_threads`` of them at once in a worker process; requests past that wait in the event
loop, not in a thread contending for the GIL.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
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


_T = TypeVar("_T")


class RankingThreads:
    """At most ``threads`` rankings at a time in this process, each in a worker thread.

    Ranking is CPU work under one GIL. Eight requests at once in one process each got a thread
    from the default pool (40) and took turns at the GIL every millisecond: one worker served
    80 req/s to 8 clients against 125 req/s to one. With one ranking at a time the others wait
    in the event loop, holding nothing, and are served in the order they came. Create it inside
    the running event loop (the app's lifespan does).
    """

    def __init__(self, threads: int) -> None:
        self.limiter = anyio.CapacityLimiter(threads)

    async def run(self, work: Callable[..., _T], *args: Any) -> _T:
        """``work(*args)`` in a thread once one of the ranking slots is free."""
        return await anyio.to_thread.run_sync(work, *args, limiter=self.limiter)


async def get_ranking_threads(request: Request) -> RankingThreads:
    """The app's ranking threads (503 while the app is starting or stopping)."""
    threads: RankingThreads | None = getattr(request.app.state, "ranking_threads", None)
    if threads is None:
        raise ServiceUnavailable("the service is starting or stopping; retry shortly")
    return threads


ServiceDep = Annotated[MatchService, Depends(get_service)]
RankingDep = Annotated[RankingThreads, Depends(get_ranking_threads)]
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
