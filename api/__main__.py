"""``python -m api``: serve the API with uvicorn, configured from ``JOBMATCH_*``.

Uvicorn's own access log is off: it would log raw paths and query strings. The app writes its
own access log (``jobmatch.api``: method, route template, status, duration, key id).
"""

from __future__ import annotations

import functools
import logging

import uvicorn

from api.server import ConnectionLimits, GuardedH11Protocol
from api.settings import ApiSettings


def main() -> None:
    """Configure logging and run ``api.app:app_from_env`` with the settings' host, port,
    worker count and connection limits (:class:`api.server.GuardedH11Protocol`)."""
    settings = ApiSettings()
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    uvicorn.run(
        "api.app:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        access_log=False,
        http=functools.partial(  # type: ignore[arg-type]  # uvicorn takes any protocol factory
            GuardedH11Protocol,
            limits=ConnectionLimits(
                header_timeout=settings.header_timeout, max_connections=settings.max_connections
            ),
        ),
        timeout_keep_alive=settings.keep_alive_timeout,
    )


if __name__ == "__main__":
    main()
