"""The desk: server-rendered pages for bureau staff under ``/desk/`` (Chinese UI).

:func:`install_desk` adds the pages, their static files and their HTML error pages to an app.
See :mod:`api.desk.web` for sessions, roles and CSRF.
"""

from api.desk.app import DESK_ROUTERS, install_desk

__all__ = ["DESK_ROUTERS", "install_desk"]
