"""Desk pages: the booth view — a vacancy's best candidates and its invitation list.

``GET /desk/booths`` picks a vacancy: search the tenant's open vacancies by title or employer,
or choose a fair and go through its booths. ``GET /desk/booths/{vacancy_id}`` shows what an
employer at the booth may see: the vacancy's best candidates ranked group-blind
(``MatchService.candidates(..., employer_side=True)``: opaque references and summaries — never
a name, phone, 身份证号, address, résumé text or priority group), and the vacancy's invitation
list of the last finished batch run of each fair it has a booth at
(:func:`matcher.fairs.runs.invitations`, references again instead of ids).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.desk.web import CounterDesk, DeskError, render, today_of
from matcher.domain.records import Fair, Vacancy
from matcher.errors import NotFound, ServiceUnavailable
from matcher.fairs.booths import (
    QUERY_MAX,
    VacancyChoice,
    choice_of,
    fair_booths,
    fair_overviews,
    fairs_with_vacancy,
    matched_terms,
    search_vacancies,
)
from matcher.fairs.runs import DeskRuns, invitations

router = APIRouter(prefix="/desk", include_in_schema=False)

K_CHOICES = (10, 20, 50)
K_DEFAULT = 20


@router.get("/booths", response_class=HTMLResponse)
def booth_picker(request: Request, desk: CounterDesk) -> Response:
    """Find a vacancy by title or employer, or go through a fair's booths."""
    query = request.query_params.get("q", "")
    fair_id = request.query_params.get("fair", "")
    today = today_of(desk)
    campaigns = {c.id: c.name for c in desk.service.campaigns()}
    fairs = fair_overviews(desk.store, campaigns)
    errors: dict[str, str] = {}
    found: list[VacancyChoice] = []
    total, searched = 0, False
    if len(query) > QUERY_MAX:
        errors["q"] = f"「岗位或单位」填写有误：最多 {QUERY_MAX} 个字，现在是 {len(query)} 个字"
    elif "q" in request.query_params:
        found, total = search_vacancies(desk.store, query, today)
        searched = True
    fair = None
    booths = []
    if len(fair_id) > 64:
        errors["fair"] = "「招聘会」填写有误：请从列表中选择"
    elif fair_id:
        try:
            fair = desk.store.get(Fair, fair_id)
        except NotFound:
            errors["fair"] = "「招聘会」填写有误：没有这个招聘会，请从列表中选择"
        else:
            booths = fair_booths(desk.store, fair, fair.date)
    return render(
        request,
        "booths.html",
        desk=desk,
        status=422 if errors else 200,
        query=query[: QUERY_MAX * 2],
        query_max=QUERY_MAX,
        fair_id=fair_id[:64],
        fairs=fairs,
        fair=fair,
        booths=booths,
        found=found,
        total=total,
        searched=searched,
        errors=errors,
        today=today,
    )


@router.get("/booths/{vacancy_id}", response_class=HTMLResponse)
def booth(request: Request, desk: CounterDesk, vacancy_id: str) -> Response:
    """A vacancy's best candidates (summaries only) and its invitation lists."""
    if len(vacancy_id) > 64:
        raise DeskError(404, "没有这个岗位")
    try:
        vacancy = desk.store.get(Vacancy, vacancy_id)
    except NotFound:
        raise DeskError(404, "没有这个岗位") from None
    errors: dict[str, str] = {}
    k_text = request.query_params.get("k", str(K_DEFAULT))
    k = K_DEFAULT
    if len(k_text) > 3 or not k_text.isdigit() or int(k_text) not in K_CHOICES:
        choices = "、".join(str(choice) for choice in K_CHOICES)
        errors["k"] = f"「显示人数」填写有误：请选择 {choices} 之一"
    else:
        k = int(k_text)
    today = today_of(desk)
    try:
        candidates = desk.service.candidates(vacancy.id, k, tenant=desk.tenant, employer_side=True)
    except ServiceUnavailable:
        raise DeskError(503, "暂时没有可用的匹配模型，请稍后再试或联系分析人员") from None
    runs = DeskRuns(desk.service.home, desk.tenant)
    lists = []
    for fair, booth_name in fairs_with_vacancy(desk.store, vacancy.id):
        last = runs.last_done(fair.id)
        rows = invitations(runs, desk.store, last, vacancy.id) if last is not None else None
        lists.append((fair, booth_name, last, rows))
    from_fair = request.query_params.get("fair", "")
    return render(
        request,
        "booth.html",
        desk=desk,
        status=422 if errors else 200,
        vacancy=vacancy,
        choice=choice_of(desk.store, vacancy, today),
        candidates=candidates,
        matched=matched_terms(vacancy),
        lists=lists,
        k=k,
        k_choices=K_CHOICES,
        errors=errors,
        from_fair=from_fair if any(f.id == from_fair for f, *_ in lists) else "",
        today=today,
    )
