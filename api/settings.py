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
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

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
        Longest text ``/v1/vacancies:analyze`` accepts.
    max_k : int
        Largest ``k`` of ``/v1/recommendations`` and ``/v1/candidates``.
    rate_limit_per_minute, rate_limit_burst : int
        Token bucket per API key (per process): refilled at this rate, holding at most the burst.
    log_level : str
        Level of the ``jobmatch.api`` logger when served by ``python -m api``.
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
    max_text_chars: int = Field(default=20_000, ge=1)
    max_k: int = Field(default=200, ge=1)
    rate_limit_per_minute: int = Field(default=6000, ge=1)
    rate_limit_burst: int = Field(default=200, ge=1)
    log_level: LogLevel = "info"
