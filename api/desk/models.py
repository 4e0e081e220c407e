"""Desk pages: models (模型管理; analysts view, admins promote and roll back).

``GET /desk/models`` lists the registry (versions, when each was made, its NDCG@10 and the
promotion rule's verdict, notes, the active mark) and the active version's evaluation table;
``GET /desk/models/{version}`` the same with that version's table — overall and per priority
group, beside the active model and the baselines it was evaluated with
(:mod:`matcher.learning.review`; ``?metric=`` picks the per-group metric).

``POST /desk/models/{version}/promote`` (admin) promotes through
:meth:`MatchService.promote`, as the API's ``POST /v1/models/{version}:promote``: the new
engine is built first, then the pointer moves. ``POST /desk/models/rollback`` (admin) goes back
to the version active before through :meth:`MatchService.rollback` (also built first; the button
shows only when there is such a version). Both forms ask for a confirmation first; promoting a
version that fails the promotion rule is allowed, as with the CLI and the API, and its
confirmation says so. Analysts and counters get 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.desk.web import AdminDesk, AnalystDesk, Desk, DeskError, redirect, render
from matcher.errors import UnknownModel, UnusableModel
from matcher.learning.review import (
    EXTRA_LABELS,
    METRIC_LABELS,
    changes,
    compare,
    summaries,
)
from matcher.learning.training import METRIC_NAMES, PROMOTION_METRIC

router = APIRouter(prefix="/desk", include_in_schema=False)

VersionPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
MetricQuery = Annotated[str, Query(max_length=20)]
DoneQuery = Annotated[str | None, Query(max_length=20)]

DONE = {
    "promoted": "已启用模型 {version}，之后的匹配请求都由它处理。",
    "rolled_back": "已回退到模型 {version}，之后的匹配请求都由它处理。",
}
"""The notice after a promotion or rollback (naming the version the registry now holds
active, never text from the address)."""


def _page(
    request: Request,
    desk: Desk,
    *,
    version: str | None = None,
    metric: str = PROMOTION_METRIC,
    done: str | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    if metric not in METRIC_NAMES:
        raise DeskError(422, "「分组指标」填写有误：请从列表中选择")
    entries = desk.service.models()
    active = next((entry for entry in entries if entry.active), None)
    if version is None:
        shown = active or (entries[-1] if entries else None)
    else:
        shown = next((entry for entry in entries if entry.version == version), None)
        if shown is None:
            raise DeskError(404, "没有这个模型版本")
    history = desk.service.registry.history()
    return render(
        request,
        "models.html",
        desk=desk,
        status=status,
        models=summaries(entries),
        active=active.version if active else None,
        serving=desk.service.model_version,
        shown=shown.version if shown else None,
        comparison=compare(shown, active, metric) if shown else None,
        metric=metric,
        metric_names=METRIC_NAMES,
        metric_labels=METRIC_LABELS,
        extra_labels=EXTRA_LABELS,
        history=changes(history),
        may_roll_back=desk.service.registry.rollback_target() is not None,
        unreadable=sorted(desk.service.registry.unreadable()),
        is_admin=desk.account.may("admin"),
        notice=DONE[done].format(version=active.version) if done in DONE and active else "",
        error=error,
    )


@router.get("/models", response_class=HTMLResponse)
def models_page(
    request: Request,
    desk: AnalystDesk,
    metric: MetricQuery = PROMOTION_METRIC,
    done: DoneQuery = None,
) -> Response:
    return _page(request, desk, metric=metric, done=done)


@router.get("/models/{version}", response_class=HTMLResponse)
def model_page(
    request: Request,
    version: VersionPath,
    desk: AnalystDesk,
    metric: MetricQuery = PROMOTION_METRIC,
    done: DoneQuery = None,
) -> Response:
    return _page(request, desk, version=version, metric=metric, done=done)


@router.post("/models/rollback", response_class=HTMLResponse)
def rollback(request: Request, desk: AdminDesk) -> Response:
    try:
        desk.service.rollback()
    except UnknownModel:
        return _page(
            request,
            desk,
            error="无法回退：当前模型之前没有其他启用过的版本（或该版本已不存在）",
            status=409,
        )
    except UnusableModel:
        return _page(
            request, desk, error="无法回退：上一个版本的模型未通过校验或无法加载", status=409
        )
    return redirect("/desk/models?done=rolled_back")


@router.post("/models/{version}/promote", response_class=HTMLResponse)
def promote(request: Request, version: VersionPath, desk: AdminDesk) -> Response:
    try:
        desk.service.promote(version)
    except UnknownModel:
        raise DeskError(404, "没有这个模型版本") from None
    except UnusableModel:
        return _page(
            request,
            desk,
            version=version,
            error=f"模型 {version} 未通过完整性校验，未启用；当前模型不变",
            status=409,
        )
    return redirect(f"/desk/models/{version}?done=promoted")
