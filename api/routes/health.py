"""Probes and metrics, without an API key: ``/healthz``, ``/readyz``, ``/metrics``.

``/healthz`` says the process answers (liveness: no I/O). ``/readyz`` says it can match: a
model is active and its index is built (it asks the service for its engine, which also picks
up a model promoted elsewhere); otherwise 503, so a load balancer keeps traffic away until the
first model is trained and promoted. ``/metrics`` is the Prometheus text exposition of this
app's own registry. None of them reveals anything about records or callers.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from api.deps import ServiceDep, problems
from api.metrics import ApiMetrics
from api.schemas import HealthResponse, ReadyResponse

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> HealthResponse:
    """The process is alive."""
    return HealthResponse(status="ok")


@router.get("/readyz", responses=problems(503))
def readyz(service: ServiceDep) -> ReadyResponse:
    """Ready to match: a model is active and the vacancy index is built (503 otherwise, naming
    the cause when the active model's engine cannot be built)."""
    engine = service.engine()
    failure = service.build_failure
    return ReadyResponse(
        status="ready",
        model_version=service.model_version or "none",
        index_vacancies=engine.size,
        model_build_failure=f"{failure.version}: {failure.cause}" if failure else None,
    )


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}},
)
def metrics(request: Request) -> Response:
    """Prometheus metrics (text exposition format)."""
    collectors: ApiMetrics = request.app.state.metrics
    service = getattr(request.app.state, "service", None)
    return Response(collectors.render(service), media_type=CONTENT_TYPE_LATEST)
