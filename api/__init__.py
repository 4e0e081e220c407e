"""The HTTP face of jobmatch: a FastAPI app over :class:`matcher.ranking.service.MatchService`.

``create_app(settings)`` builds an app (nothing is opened until its lifespan runs);
``app_from_env`` is the factory for ``uvicorn --factory api.app:app_from_env``; ``python -m
api`` serves it. See :mod:`api.app` for the layers and :mod:`api.errors` for the error format.
"""

from api.app import app_from_env, create_app
from api.settings import ApiSettings

__all__ = ["ApiSettings", "app_from_env", "create_app"]
