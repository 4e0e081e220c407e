"""Desk page: campaign progress (活动进展情况, analyst and above).

``GET /desk/progress?campaign=…&from=…&to=…`` shows the figures of
:func:`matcher.fairs.progress.campaign_progress` for the account's tenant — totals, tables by
priority group, county, employer ownership and day — with its charts inline as ``data:`` PNGs
(drawn by :func:`matcher.fairs.progress.render_chart`; the CSP allows ``img-src data:``). The form
is a GET form: it holds no personal data, and a report's address can be bookmarked or shared.
Without a campaign the page shows the one running today (else the latest begun); empty dates
mean the campaign's first and last day. ``GET /desk/progress/report.xlsx`` and
``/desk/progress/report.zip`` (the Markdown report with its PNG charts) download what
``jobmatch report`` writes, through the same writers.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.desk.web import SECURITY_HEADERS, AnalystDesk, Desk, DeskError, render, today_of
from matcher.domain.campaigns import CampaignCalendar
from matcher.domain.records import Campaign
from matcher.fairs.progress import (
    CHARTS,
    FIGURES,
    NOTES,
    CampaignProgress,
    ReportRequestError,
    campaign_progress,
    render_chart,
    scope_lines,
    write_markdown,
    write_xlsx,
)

router = APIRouter(prefix="/desk", include_in_schema=False)

FIELD_NAMES = {"campaign": "活动", "from": "开始日期", "to": "结束日期"}
MAX_CAMPAIGN_ID = 64
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADLINE = ("served", "lists", "applicants", "interviewees", "offered", "hired")
"""The figures shown as tiles above the tables."""


@dataclass
class ProgressQuery:
    """What the form asked, as typed, and what it means once read."""

    campaign: str = ""
    date_from: str = ""
    date_to: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    campaign_id: str = ""
    first: dt.date | None = None
    last: dt.date | None = None


def default_campaign(calendar: CampaignCalendar, today: dt.date) -> Campaign | None:
    """The first campaign running ``today``, else the latest begun, else the first."""
    running = calendar.running_on(today)
    if running:
        return running[0]
    begun = [c for c in calendar.campaigns.values() if c.start <= today]
    if begun:
        return max(begun, key=lambda campaign: campaign.start)
    return next(iter(calendar.campaigns.values()), None)


def _day(name: str, text: str, errors: dict[str, str]) -> dt.date | None:
    if not text:
        return None
    if len(text) > 10 or not ISO_DAY.fullmatch(text):
        errors[name] = f"「{FIELD_NAMES[name]}」填写有误：请按 年-月-日 填写，例如 2022-10-01"
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors[name] = f"「{FIELD_NAMES[name]}」填写有误：{text} 不是有效的日期"
        return None


def read_query(request: Request, desk: Desk) -> ProgressQuery:
    """The form's fields from the query string, checked (lengths first)."""
    params = request.query_params
    query = ProgressQuery(campaign=params.get("campaign", "").strip())
    if len(query.campaign) > MAX_CAMPAIGN_ID:
        query.errors["campaign"] = f"「活动」填写有误：最多 {MAX_CAMPAIGN_ID} 个字符"
        query.campaign = ""  # never echo a long value back
    from_text, to_text = params.get("from", "").strip(), params.get("to", "").strip()
    query.first = _day("from", from_text, query.errors)
    query.last = _day("to", to_text, query.errors)
    query.date_from = from_text[:10]
    query.date_to = to_text[:10]
    if query.campaign:
        query.campaign_id = query.campaign
    elif "campaign" not in query.errors:
        fallback = default_campaign(desk.service.calendar, today_of(desk))
        query.campaign_id = fallback.id if fallback is not None else ""
    return query


def _progress(desk: Desk, query: ProgressQuery) -> CampaignProgress | None:
    """The figures the query asks for, or None with the reason in ``query.errors``."""
    if query.errors:
        return None
    if not query.campaign_id:
        query.errors["campaign"] = "「活动」填写有误：活动日历是空的"
        return None
    try:
        return campaign_progress(
            desk.store, desk.service.calendar, query.campaign_id, query.first, query.last
        )
    except ReportRequestError as error:
        name = FIELD_NAMES.get(error.field, "活动")
        query.errors[error.field] = f"「{name}」填写有误：{error.reason}"
        return None


def column_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The tables' two header rows: each figure's name over its units (投递简历 over 人, 人次),
    as (name, [(figure key, unit)]) in :data:`FIGURES` order."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for figure in FIGURES:
        name, _, unit = figure.label.partition("（")
        if groups and groups[-1][0] == name:
            groups[-1][1].append((figure.key, unit.rstrip("）")))
        else:
            groups.append((name, [(figure.key, unit.rstrip("）"))]))
    return groups


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request, desk: AnalystDesk) -> Response:
    query = read_query(request, desk)
    progress = _progress(desk, query)
    charts = []
    if progress is not None:
        charts = [
            (name, chart.title, _data_uri(render_chart(progress, name)))
            for name, chart in CHARTS.items()
        ]
    selected = query.campaign_id if progress is None else progress.campaign.id
    return render(
        request,
        "progress.html",
        desk=desk,
        status=422 if query.errors else 200,
        query=query,
        selected=selected,
        campaigns=list(desk.service.calendar.campaigns.values()),
        progress=progress,
        figures=FIGURES,
        headline=[figure for figure in FIGURES if figure.key in HEADLINE],
        column_groups=column_groups(),
        charts={name: (title, uri) for name, title, uri in charts},
        sections=_sections(progress) if progress is not None else [],
        scope=scope_lines(progress) if progress is not None else [],
        notes=NOTES,
        download=_download_query(progress) if progress is not None else "",
    )


SECTIONS = (
    ("by-group", "groups"),
    ("by-county", "counties"),
    ("by-employer-kind", "employer_kinds"),
    ("daily", "daily"),
)
"""The page's sections after the summary: element id and chart, in the order of
:attr:`CampaignProgress.tables`."""


def _sections(progress: CampaignProgress) -> list[dict[str, object]]:
    return [
        {"id": element, "chart": chart, "title": title, "header": header, "rows": rows}
        for (element, chart), (title, header, rows) in zip(SECTIONS, progress.tables, strict=True)
    ]


def _download_query(progress: CampaignProgress) -> str:
    from urllib.parse import urlencode

    return urlencode(
        {
            "campaign": progress.campaign.id,
            "from": progress.date_from.isoformat(),
            "to": progress.date_to.isoformat(),
        }
    )


def _file_stem(progress: CampaignProgress) -> str:
    campaign = re.sub(r"[^A-Za-z0-9_-]", "_", progress.campaign.id)
    return f"progress-{campaign}-{progress.date_from}-{progress.date_to}"


def _download(request: Request, desk: Desk) -> CampaignProgress:
    query = read_query(request, desk)
    progress = _progress(desk, query)
    if progress is None:
        raise DeskError(422, "；".join(query.errors.values()))
    return progress


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=media_type, headers=headers)


@router.get("/progress/report.xlsx")
def progress_xlsx(request: Request, desk: AnalystDesk) -> Response:
    progress = _download(request, desk)
    name = f"{_file_stem(progress)}.xlsx"
    with tempfile.TemporaryDirectory(prefix="jobmatch-progress-") as folder:
        path = write_xlsx(progress, Path(folder) / name)
        content = path.read_bytes()
    return _attachment(content, XLSX_TYPE, name)


@router.get("/progress/report.zip")
def progress_markdown(request: Request, desk: AnalystDesk) -> Response:
    """The Markdown report and its charts, zipped (the report needs its PNGs beside it)."""
    progress = _download(request, desk)
    stem = _file_stem(progress)
    with tempfile.TemporaryDirectory(prefix="jobmatch-progress-") as folder:
        files = write_markdown(progress, Path(folder) / f"{stem}.md")
        archive = Path(folder) / f"{stem}.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for path in files:
                bundle.write(path, arcname=path.name)
        content = archive.read_bytes()
    return _attachment(content, "application/zip", f"{stem}.zip")
