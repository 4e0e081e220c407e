"""The desk's routers, static files and error pages, added to the API's app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.desk.auth import router as auth_router
from api.desk.booths import router as booths_router
from api.desk.counter import router as counter_router
from api.desk.fairs import router as fairs_router
from api.desk.models import router as models_router
from api.desk.postings import router as postings_router
from api.desk.progress import router as progress_router
from api.desk.web import install_error_pages

DESK_ROUTERS = (
    auth_router,
    counter_router,
    booths_router,
    fairs_router,
    postings_router,
    progress_router,
    models_router,
)
STATIC = Path(__file__).parent / "static"


def install_desk(app: FastAPI) -> None:
    """Add the desk pages (``/desk/``), their static files and HTML error pages to ``app``
    (after the API's own error handlers, which it wraps for desk paths)."""
    for router in DESK_ROUTERS:
        app.include_router(router)
    app.mount("/desk/static", StaticFiles(directory=STATIC), name="desk-static")
    install_error_pages(app)
