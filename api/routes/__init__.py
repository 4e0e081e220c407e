"""The API's routers, in the order the OpenAPI document lists them."""

from api.routes.catalog import router as catalog_router
from api.routes.health import router as health_router
from api.routes.records import router as records_router
from api.routes.scoring import router as scoring_router

ROUTERS = (scoring_router, records_router, catalog_router, health_router)

__all__ = ["ROUTERS", "catalog_router", "health_router", "records_router", "scoring_router"]
