"""Settings of the HTTP API, read from ``JOBMATCH_*`` environment variables.

One flat :class:`ApiSettings` (pydantic-settings) holds where the data lives (``JOBMATCH_HOME``,
the same directory the CLI uses), how to serve (host, port, workers, log level) and the request
limits. Nothing reads the environment at import time: :func:`api.app.app_from_env` builds the
settings when the server starts, and tests pass an :class:`ApiSettings` to
:func:`api.app.create_app` directly. Invalid values fail at start-up with a message naming the
variable, not on the first request.

The limits are per request: ``max_body_bytes`` bounds what is read at all; ``max_items`` bounds
the vacancies of one ``/v1/score`` call and the items of one bulk call; ``max_k`` bounds
``k``; ``max_text_chars`` bounds the text of ``/v1/vacancies:analyze``. They are published in the
OpenAPI schema (``maxItems``, ``maximum``, ``maxLength``), which is the contract callers build to.

The connection limits bound what a slow or hostile client can hold: ``header_timeout`` (the
request line and headers must be in within it), ``body_timeout`` and ``min_body_rate`` (no pause
in a body longer than the timeout, and the whole body in ``body_timeout + length /
min_body_rate``), ``keep_alive_timeout`` (idle between requests) and ``max_connections`` (open
connections per worker process). The access limits are shared by every worker process
(``$JOBMATCH_HOME/ratelimits.sqlite3``): the token bucket per API key, and the failed
authentications allowed per client address in a window before it gets 429.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from features.redact import MAX_TEXT_CHARS

LogLevel = Literal["critical", "error", "warning", "info", "debug"]


class ApiSettings(BaseSettings):
    """Where the data lives, how to serve it and the request limits (``JOBMATCH_*``).

    Attributes
    ----------
    home : Path
        The data directory (store, model registry), as for the CLI. Default ``var``.
    campaigns : Path or None
        A campaigns TOML file; None for the shipped 2022 Suining calendar.
    today : date or None
        The day the engine treats as today (None: the real date). Set it to replay a past
        campaign year, as the synthetic 2022 data needs.
    host, port, workers : str, int, int
        Where ``python -m api`` listens, and how many worker processes it starts.
    max_body_bytes : int
        Largest request body read, in bytes; larger bodies get 413.
    max_items : int
        Most vacancies in one ``/v1/score`` call and most items in one bulk call.
    max_text_chars : int
        Longest text ``/v1/vacancies:analyze`` accepts; at most
        :data:`features.redact.MAX_TEXT_CHARS` (20,000), the longest text the redactor reads.
    max_k : int
        Largest ``k`` of ``/v1/recommendations`` and ``/v1/candidates``.
    max_json_values : int
        Most values in one JSON body, counted as 1 + commas + opening brackets (so commas
        inside strings count too); more is 413. Parsing costs per value, and the app parses on
        its event loop. 1,000 generated seekers hold ~30,000.
    rate_limit_per_minute, rate_limit_burst : int
        Token bucket per API key, shared by all worker processes: refilled at this rate,
        holding at most the burst.
    auth_failure_limit, auth_failure_window : int, float
        Failed authentications (401) allowed per client address in ``auth_failure_window``
        seconds; past them the address gets 429 with ``Retry-After`` until its bucket refills
        (one failure every ``window / limit`` seconds).
    header_timeout : float
        Seconds from a connection (or the first byte of a request on a kept-alive one) to the
        end of the request's headers; then 408 and the connection is closed.
    body_timeout : float
        Longest pause, in seconds, between two pieces of a request body; then 408 and close.
    min_body_rate : int
        Bytes a second a body must average: all of it must arrive within ``body_timeout +
        length / min_body_rate`` seconds of the headers.
    keep_alive_timeout : int
        Seconds an idle kept-alive connection stays open between requests.
    max_connections : int
        Open connections per worker process; past it the connection idle or waiting for its
        headers the longest is closed, and when every connection is busy the new one gets 503.
    ranking_threads : int
        Rankings (score, recommendations, candidates, vacancy analysis) a worker process runs at
        once; the others wait their turn in the event loop, holding no thread. Default 1: the
        work is CPU-bound under one GIL, and threads taking turns at it every
        ``switch_interval`` served fewer requests, each later (benchmarks/bench_api.py).
    switch_interval : float
        Seconds between hand-overs of the GIL in a served worker process
        (``sys.setswitchinterval``); the event loop waits about this long for a thread doing CPU
        work. Default 0.001 (Python's own is 0.005).
    log_level : str
        Level of the ``jobmatch.api`` logger when served by ``python -m api``.
    desk_session_minutes : int
        How long a staff sign-in to the desk pages lasts (default 480: a working day).
    desk_secure_cookie : bool
        Send the desk's session cookie over HTTPS only. Set it wherever the pages are served
        behind TLS; it is off by default because ``make serve`` speaks plain HTTP on 127.0.0.1.
    desk_login_limit, desk_login_window : int, float
        Failed sign-ins allowed per staff name in ``desk_login_window`` seconds (besides the
        per-address limit of ``auth_failure_limit``); past them the name is refused until its
        bucket refills.
    """

    model_config = SettingsConfigDict(env_prefix="JOBMATCH_", extra="ignore", frozen=True)

    home: Path = Path("var")
    campaigns: Path | None = None
    today: dt.date | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65_535)
    workers: int = Field(default=1, ge=1, le=64)
    max_body_bytes: int = Field(default=1_000_000, ge=1_024)
    max_items: int = Field(default=1000, ge=1)
    max_text_chars: int = Field(default=MAX_TEXT_CHARS, ge=1, le=MAX_TEXT_CHARS)
    max_k: int = Field(default=200, ge=1)
    max_json_values: int = Field(default=100_000, ge=100)
    rate_limit_per_minute: int = Field(default=6000, ge=1)
    rate_limit_burst: int = Field(default=200, ge=1)
    auth_failure_limit: int = Field(default=30, ge=1)
    auth_failure_window: float = Field(default=60.0, gt=0)
    header_timeout: float = Field(default=10.0, gt=0, le=3600)
    body_timeout: float = Field(default=10.0, gt=0, le=3600)
    min_body_rate: int = Field(default=10_000, ge=1)
    keep_alive_timeout: int = Field(default=5, ge=1, le=3600)
    max_connections: int = Field(default=500, ge=1)
    ranking_threads: int = Field(default=1, ge=1, le=64)
    switch_interval: float = Field(default=0.001, gt=0, le=0.1)
    log_level: LogLevel = "info"
    desk_session_minutes: int = Field(default=480, ge=1, le=7 * 24 * 60)
    desk_secure_cookie: bool = False
    desk_login_limit: int = Field(default=5, ge=1)
    desk_login_window: float = Field(default=300.0, gt=0)
