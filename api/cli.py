"""``jobmatch`` with the ``serve`` command: the matcher CLI plus what only :mod:`api` may do.

``matcher`` must not import ``api`` (the dependency direction), so the console script is this
module's :func:`main`, which adds ``serve`` to :func:`matcher.cli.main` through its
:class:`~matcher.cli.Command` hook.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Sequence

from matcher.cli import Command
from matcher.cli import main as matcher_main
from matcher.storage.config import Paths


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="interface to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, help="port (default 8000)")
    parser.add_argument("--workers", type=int, help="worker processes (default 1)")
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        help="the day the engine treats as today (e.g. a date of the 2022 demo data)",
    )


def _serve(paths: Paths, args: argparse.Namespace) -> int:
    """Run the API with uvicorn; options become ``JOBMATCH_*`` settings, which every worker
    process reads."""
    from api.__main__ import main as serve

    settings = {
        "JOBMATCH_HOME": str(paths.home),
        "JOBMATCH_CAMPAIGNS": str(paths.campaigns_file) if paths.campaigns_file else None,
        "JOBMATCH_HOST": args.host,
        "JOBMATCH_PORT": None if args.port is None else str(args.port),
        "JOBMATCH_WORKERS": None if args.workers is None else str(args.workers),
        "JOBMATCH_TODAY": None if args.today is None else args.today.isoformat(),
    }
    os.environ.update({name: value for name, value in settings.items() if value is not None})
    serve()
    return 0


SERVE = Command(
    name="serve",
    help="serve the scoring API over HTTP (uvicorn; bound to 127.0.0.1 unless --host says)",
    add_arguments=_add_arguments,
    run=_serve,
)


def main(argv: Sequence[str] | None = None) -> int:
    return matcher_main(argv, extra=(SERVE,))


if __name__ == "__main__":
    raise SystemExit(main())
