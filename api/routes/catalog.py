"""Campaigns and models: ``GET /v1/campaigns``, ``GET /v1/models`` (scope ``read``) and
``POST /v1/models/{version}:promote`` (scope ``admin``).

Promotion goes through :meth:`MatchService.promote`, which builds the new engine first and
swaps it in only then: requests running meanwhile finish on the old engine and none fails; the
next request is served by the new version. An unknown version is a 404, a bundle that fails
verification a 409, and nothing changes in either case.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import GUARDED, AdminKey, ReadKey, ServiceDep, problems
from api.schemas import CampaignsResponse, ModelOut, ModelsResponse, campaign_out, model_out

router = APIRouter(prefix="/v1", tags=["campaigns and models"])

VersionPath = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$",
        description="A model version, as GET /v1/models lists them",
    ),
]


@router.get("/campaigns", responses=problems(*GUARDED))
def campaigns(
    service: ServiceDep,
    key: ReadKey,
    on: Annotated[
        dt.date | None, Query(description="Only the campaigns running on this day")
    ] = None,
) -> CampaignsResponse:
    """The campaigns of the calendar (专项活动), or those running on ``on``."""
    return CampaignsResponse(campaigns=[campaign_out(c) for c in service.campaigns(on)])


@router.get("/models", responses=problems(*GUARDED))
def models(service: ServiceDep, key: ReadKey) -> ModelsResponse:
    """Every model version with its ranker kind, NDCG@10 and whether it is active."""
    entries = [model_out(entry) for entry in service.models()]
    active = next((entry.version for entry in entries if entry.active), None)
    return ModelsResponse(
        active_version=active, serving_version=service.model_version, models=entries
    )


@router.post("/models/{version}:promote", responses=problems(*GUARDED, 404, 409))
def promote(version: VersionPath, service: ServiceDep, key: AdminKey) -> ModelOut:
    """Make ``version`` the active model; it serves the next request (no restart, no failed
    requests during the switch)."""
    return model_out(service.promote(version))
