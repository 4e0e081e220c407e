"""Desk pages: the calendar of campaigns and fairs, and batch runs of a fair in the background.

- ``GET /desk/fairs``: the year's campaigns (dates, target groups) and the tenant's fairs (date,
  place, booths, employers, vacancies, the last run).
- ``GET /desk/fairs/{fair_id}``: the fair's booths, its runs and the form that starts one;
  ``POST /desk/fairs/{fair_id}/runs`` starts ``jobmatch batch --fair`` in a background thread
  (:class:`matcher.fairs.runs.DeskRuns`; never with contact data), one at a time per fair.
- ``GET /desk/fairs/{fair_id}/runs/{run_id}``: its progress bar (the page reloads every 2 s
  while it runs), then the downloads and the report's figures and plots.
- ``GET …/files/{name}`` downloads a file the run wrote (attachment); ``GET …/plots/{name}``
  serves its PNG plots for the page. Names outside the run's own list are 404.

Runs live in the tenant's own folder, so another tenant's staff get 404 for them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.desk.web import SECURITY_HEADERS, CounterDesk, Desk, DeskError, redirect, render, today_of
from matcher.domain.records import Fair
from matcher.errors import NotFound
from matcher.fairs.booths import campaign_group_names, fair_booths, fair_overviews, place_of
from matcher.fairs.runs import (
    K_RANGE,
    PER_VACANCY_RANGE,
    DeskRuns,
    FairWithoutVacancies,
    RunInProgress,
    RunStatus,
    file_label,
    ordered_files,
    report_blocks,
)

router = APIRouter(prefix="/desk", include_in_schema=False)

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "png": "image/png",
}
OPTION_FIELDS = {
    "k": ("每人推荐岗位数", K_RANGE, 10),
    "per_vacancy": ("每个岗位邀约人数", PER_VACANCY_RANGE, 30),
}
"""The run form's fields: label, allowed range, default (``jobmatch batch -k / --per-vacancy``)."""


def _runs(desk: Desk) -> DeskRuns:
    return DeskRuns(desk.service.home, desk.tenant)


def _fair(desk: Desk, fair_id: str) -> Fair:
    if len(fair_id) > 64:
        raise DeskError(404, "没有这个招聘会")
    try:
        return desk.store.get(Fair, fair_id)
    except NotFound:
        raise DeskError(404, "没有这个招聘会") from None


def _run(desk: Desk, fair: Fair, run_id: str) -> RunStatus:
    try:
        return _runs(desk).status(run_id, fair_id=fair.id)
    except NotFound:
        raise DeskError(404, "没有这次批量匹配") from None


def _campaign_state(start: dt.date, end: dt.date, running: bool, today: dt.date) -> str:
    if running:
        return "进行中"
    if today < start:
        return "未开始"
    if today > end:
        return "已结束"
    return "间歇期"


@router.get("/fairs", response_class=HTMLResponse)
def calendar(request: Request, desk: CounterDesk) -> Response:
    """The year's campaigns and the tenant's fairs."""
    today = today_of(desk)
    campaigns = sorted(desk.service.campaigns(), key=lambda c: (c.start, c.id))
    names = {c.id: c.name for c in campaigns}
    fairs = fair_overviews(desk.store, names)
    latest: dict[str, RunStatus] = {}
    for run in _runs(desk).runs():
        latest.setdefault(run.fair_id, run)
    fair_counts: dict[str, int] = {}
    for item in fairs:
        if item.fair.campaign_id:
            fair_counts[item.fair.campaign_id] = fair_counts.get(item.fair.campaign_id, 0) + 1
    rows = [
        {
            "campaign": campaign,
            "groups": campaign_group_names(campaign.priority_groups),
            "state": _campaign_state(
                campaign.start, campaign.end, campaign.is_running(today), today
            ),
            "fairs": fair_counts.get(campaign.id, 0),
        }
        for campaign in campaigns
    ]
    months: dict[str, list[Any]] = {}
    for item in fairs:
        months.setdefault(f"{item.fair.date.year} 年 {item.fair.date.month} 月", []).append(item)
    return render(
        request,
        "fairs.html",
        desk=desk,
        campaigns=rows,
        months=months,
        latest=latest,
        today=today,
    )


def _fair_page(
    request: Request,
    desk: Desk,
    fair: Fair,
    *,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    running: RunStatus | None = None,
) -> Response:
    today = today_of(desk)
    runs = _runs(desk).runs(fair.id)
    campaign = desk.service.calendar.campaigns.get(fair.campaign_id or "")
    booths = fair_booths(desk.store, fair, fair.date)
    defaults = {name: str(default) for name, (_, _, default) in OPTION_FIELDS.items()}
    return render(
        request,
        "fair.html",
        desk=desk,
        status=status,
        fair=fair,
        place=place_of(fair),
        campaign=campaign,
        groups=campaign_group_names(campaign.priority_groups) if campaign else [],
        booths=booths,
        vacancies=sum(len(row.vacancies) for row in booths),
        runs=runs,
        running=running or next((run for run in runs if run.running), None),
        fields=OPTION_FIELDS,
        values={**defaults, **(values or {})},
        errors=errors or {},
        message=message,
        today=today,
    )


@router.get("/fairs/{fair_id}", response_class=HTMLResponse)
def fair_page(request: Request, desk: CounterDesk, fair_id: str) -> Response:
    """A fair: its booths, its batch runs and the form to start one."""
    return _fair_page(request, desk, _fair(desk, fair_id))


def _options(form_values: dict[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    """The run form's numbers, or the errors naming each field (length checked first)."""
    numbers: dict[str, int] = {}
    errors: dict[str, str] = {}
    for name, (label, (low, high), _) in OPTION_FIELDS.items():
        text = form_values[name].strip()
        if not text or len(text) > 4 or not text.isascii() or not text.isdigit():
            errors[name] = f"「{label}」填写有误：请填写 {low} 到 {high} 之间的整数"
        elif not low <= int(text) <= high:
            errors[name] = f"「{label}」填写有误：应在 {low} 到 {high} 之间，现在是 {int(text)}"
        else:
            numbers[name] = int(text)
    return numbers, errors


@router.post("/fairs/{fair_id}/runs", response_class=HTMLResponse)
def start_run(request: Request, desk: CounterDesk, fair_id: str) -> Response:
    """Start a batch run of the fair in the background; to its page."""
    fair = _fair(desk, fair_id)
    values = {name: desk.form.get(name)[:20] for name in OPTION_FIELDS}
    numbers, errors = _options(values)
    if errors:
        return _fair_page(request, desk, fair, status=422, values=values, errors=errors)
    try:
        started = _runs(desk).start(
            desk.store,
            desk.service.calendar,
            fair.id,
            k=numbers["k"],
            per_vacancy=numbers["per_vacancy"],
            started_by=desk.account.name,
        )
    except RunInProgress as busy:
        return _fair_page(
            request,
            desk,
            fair,
            status=409,
            values=values,
            message="这个招聘会已有一次批量匹配正在运行，请等它完成后再开始新的一次。",
            running=busy.running,
        )
    except FairWithoutVacancies:
        return _fair_page(
            request,
            desk,
            fair,
            status=422,
            values=values,
            message="这个招聘会的展位上没有登记岗位，无法进行批量匹配。",
        )
    return redirect(f"/desk/fairs/{fair.id}/runs/{started.run_id}")


@router.get("/fairs/{fair_id}/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, desk: CounterDesk, fair_id: str, run_id: str) -> Response:
    """A run's progress, then its downloads and the report's figures."""
    fair = _fair(desk, fair_id)
    run = _run(desk, fair, run_id)
    files = [(name, file_label(name)) for name in ordered_files(run.files)]
    downloads = [(name, label) for name, label in files if not name.endswith(".png")]
    blocks = report_blocks(_runs(desk), run) if run.state == "done" else []
    return render(
        request,
        "fair_run.html",
        desk=desk,
        fair=fair,
        run=run,
        downloads=downloads,
        blocks=blocks,
        local_time=lambda text: dt.datetime.fromisoformat(text).astimezone(),
    )


def _file_response(path: Any, name: str, *, attachment: bool) -> Response:
    kind = name.rsplit(".", 1)[-1]
    response = FileResponse(
        path,
        media_type=MEDIA_TYPES.get(kind, "application/octet-stream"),
        filename=name,
        content_disposition_type="attachment" if attachment else "inline",
    )
    response.headers.update(SECURITY_HEADERS)
    return response


@router.get("/fairs/{fair_id}/runs/{run_id}/files/{name}")
def run_file(desk: CounterDesk, fair_id: str, run_id: str, name: str) -> Response:
    """Download a file the run wrote (only those, by their names)."""
    fair = _fair(desk, fair_id)
    try:
        path = _runs(desk).file(run_id, name, fair_id=fair.id)
    except NotFound:
        raise DeskError(404, "没有这个文件") from None
    return _file_response(path, name, attachment=True)


@router.get("/fairs/{fair_id}/runs/{run_id}/plots/{name}")
def run_plot(desk: CounterDesk, fair_id: str, run_id: str, name: str) -> Response:
    """A PNG plot of the run's report, for the run page."""
    fair = _fair(desk, fair_id)
    if not name.endswith(".png"):
        raise DeskError(404, "没有这个图")
    try:
        path = _runs(desk).file(run_id, name, fair_id=fair.id)
    except NotFound:
        raise DeskError(404, "没有这个图") from None
    return _file_response(path, name, attachment=False)
