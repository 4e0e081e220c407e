"""Desk pages: the counter's walk-in lookup (窗口查询), role counter and above.

- ``GET /desk/lookup`` — the form: what the seeker says (text alone is enough) or a seeker id;
  optional 县区, 专项活动, 日期 (default the service's today) and 条数 (default 10, at most 50).
  With ``?seeker_id=…`` (and the options) it runs the lookup for that stored seeker: where the
  record and save forms send the browser back to (ids are opaque; typed text never comes
  through a URL).
- ``POST /desk/lookup`` — runs the lookup: the top vacancies with their reasons and, for typed
  words, what the system read from them. The text travels in the body only, so it never lands in
  a URL, the access log or the browser's history; nothing of it is stored.
- ``POST /desk/lookup/print`` — the same list as an A4 sheet to hand over: no seeker data, not
  even the typed words.
- ``POST /desk/lookup/record`` — record a stored seeker as shown (``impression``) or applied
  (``apply``) for one or more listed vacancies; interactions with source ``desk``.
- ``POST /desk/lookup/save`` — save a typed walk-in as a seeker of the account's tenant (staff
  may give the home area and birth year), then show its lookup with the record forms.

Routes are thin: the form is checked here (every field, length first, errors naming the field in
Chinese, the form shown again with what was typed), the work is in
:mod:`matcher.ranking.walkin`. Everything reads and writes the account's tenant.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.desk.web import CounterDesk, Desk, DeskError, Form, redirect, render, today_of
from matcher.domain.records import ID_PATTERN, MAX_ID, Seeker, id_personal_data
from matcher.errors import InvalidRecord, NotFound
from matcher.ranking.service import ResolvedSeeker
from matcher.ranking.walkin import (
    MAX_LOOKUP,
    MAX_WALK_IN_CHARS,
    RECORDED_KINDS,
    LookupRow,
    Understood,
    area_choices,
    look_up,
    place_name,
    record_shown,
    save_walk_in,
    understood,
    walk_in_seeker,
)

router = APIRouter(prefix="/desk", include_in_schema=False)

DEFAULT_K = 10
LABELS = {
    "text": "求职者怎么说",
    "seeker_id": "求职者编号",
    "area": "县区",
    "campaign": "专项活动",
    "day": "日期",
    "k": "条数",
    "region": "居住地",
    "birth_year": "出生年份",
}
"""Each form field's name on the page: error messages name fields by it."""
_ID = re.compile(ID_PATTERN)
_YEAR = re.compile(r"[0-9]{4}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COUNT = re.compile(r"[0-9]{1,3}")
WORKING_AGES = (16, 75)


@dataclass
class Asked:
    """A lookup as the form asked for it: the values as typed (shown again), the problems by
    field, and the checked options."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    day: dt.date | None = None
    k: int = DEFAULT_K

    @property
    def area(self) -> str | None:
        return self.values["area"] or None

    @property
    def campaign(self) -> str | None:
        return self.values["campaign"] or None

    def options(self) -> dict[str, str]:
        """The checked options as form or query values (the day as ISO, k as a number)."""
        return {
            "area": self.values["area"],
            "campaign": self.values["campaign"],
            "day": self.day.isoformat() if self.day else "",
            "k": str(self.k),
        }


@dataclass(frozen=True)
class Found:
    """A lookup's answer as the page shows it."""

    rows: list[LookupRow]
    understood: list[Understood]
    seeker_id: str | None
    """The stored seeker's id (records may be written), None for typed words."""
    inferred_region: str = ""


def _message(name: str, problem: str) -> str:
    return f"「{LABELS[name]}」{problem}"


def _checked_options(desk: Desk, source: Form, asked: Asked) -> None:
    """Check 县区, 专项活动, 日期 and 条数 of ``source`` into ``asked`` (length first)."""
    values, errors = asked.values, asked.errors
    limit = min(MAX_LOOKUP, desk.settings.max_k)
    area = values["area"] = source.get("area", "").strip()[:20]
    if len(source.get("area", "")) > 20 or (
        area and area not in {code for code, _ in area_choices()}
    ):
        errors["area"] = _message("area", "填写有误：请从列表中选择")
    campaign = values["campaign"] = source.get("campaign", "").strip()[:MAX_ID]
    if len(source.get("campaign", "")) > MAX_ID or (
        campaign and campaign not in desk.service.calendar.campaigns
    ):
        errors["campaign"] = _message("campaign", "填写有误：请从列表中选择")
    raw_day = source.get("day", "").strip()
    values["day"] = raw_day[:20]
    asked.day = _day_of(raw_day) if raw_day else today_of(desk)
    if asked.day is None:
        errors["day"] = _message("day", "填写有误：请按“年-月-日”填写，如 2022-09-28")
    elif not raw_day:
        values["day"] = asked.day.isoformat()
    raw_k = source.get("k", "").strip()
    values["k"] = raw_k[:10]
    if not raw_k:
        asked.k = DEFAULT_K
        values["k"] = str(DEFAULT_K)
    elif _COUNT.fullmatch(raw_k) and 1 <= int(raw_k) <= limit:
        asked.k = int(raw_k)
    else:
        errors["k"] = _message("k", f"填写有误：请填写 1–{limit} 之间的整数")


def _day_of(text: str) -> dt.date | None:
    """The day ``text`` names as 年-月-日 (2000–2100), else None."""
    if not _DAY.fullmatch(text):
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def _text_limit(desk: Desk) -> int:
    """The longest walk-in text: the API's text limit, at most what a résumé holds."""
    return min(desk.settings.max_text_chars, MAX_WALK_IN_CHARS)


def _checked_text(desk: Desk, source: Form, asked: Asked) -> None:
    raw = source.get("text", "")
    limit = _text_limit(desk)
    if len(raw) > limit:
        asked.values["text"] = raw[: limit * 2]
        asked.errors["text"] = _message(
            "text", f"过长：最多 {limit:,} 字，现有 {len(raw):,} 字，请删减后再查询"
        )
        return
    asked.values["text"] = raw.strip()


def _id_problem(value: str) -> str | None:
    if len(value) > MAX_ID:
        return f"过长：最多 {MAX_ID} 个字符"
    if id_personal_data(value) is not None:
        return "填写有误：编号不是手机号或身份证号，请填写求职者登记编号（如 S0000123）"
    if not _ID.fullmatch(value):
        return "填写有误：编号只含字母、数字和 _ . : -"
    return None


def parse_lookup(desk: Desk, source: Form, *, with_text: bool = True) -> Asked:
    """The lookup ``source`` (a posted form, or a query without text) asks for, checked."""
    asked = Asked(values={"text": "", "seeker_id": ""})
    if with_text:
        _checked_text(desk, source, asked)
    raw_id = source.get("seeker_id", "")
    asked.values["seeker_id"] = raw_id.strip()[: MAX_ID * 2]
    problem = _id_problem(raw_id.strip()) if raw_id.strip() else None
    if problem:
        asked.errors["seeker_id"] = _message("seeker_id", problem)
    _checked_options(desk, source, asked)
    if "text" not in asked.errors and "seeker_id" not in asked.errors:
        text, seeker_id = asked.values["text"], asked.values["seeker_id"]
        if not text and not seeker_id:
            asked.errors["text"] = "请填写「求职者怎么说」或「求职者编号」"
        elif text and seeker_id:
            asked.errors["seeker_id"] = (
                "「求职者怎么说」和「求职者编号」只需填写一项，请清空其中一项"
            )
    return asked


def _campaign_choices(desk: Desk, day: dt.date | None) -> list[tuple[str, str, bool]]:
    """(id, short name, running on ``day``) of every campaign of the calendar."""
    on = day or today_of(desk)
    return [
        (campaign.id, campaign.short_name, campaign.is_running(on))
        for campaign in desk.service.campaigns()
    ]


def _page(
    request: Request,
    desk: Desk,
    asked: Asked,
    *,
    found: Found | None = None,
    status: int = 200,
    notice: str = "",
    save_values: dict[str, str] | None = None,
    save_errors: dict[str, str] | None = None,
    recorded: str = "",
) -> HTMLResponse:
    return render(
        request,
        "lookup.html",
        desk=desk,
        status=status,
        values=asked.values,
        errors=asked.errors,
        options=asked.options(),
        areas=area_choices(),
        campaigns=_campaign_choices(desk, asked.day),
        text_limit=_text_limit(desk),
        k_limit=min(MAX_LOOKUP, desk.settings.max_k),
        found=found,
        notice=notice,
        recorded=recorded,
        kinds=RECORDED_KINDS,
        save_values=save_values
        or {"region": found.inferred_region if found else "", "birth_year": ""},
        save_errors=save_errors or {},
    )


def _run(desk: Desk, asked: Asked) -> Found:
    """The lookup ``asked`` for (checked, without errors); NotFound for an unknown seeker id."""
    text, seeker_id = asked.values["text"], asked.values["seeker_id"]
    common: dict[str, Any] = {
        "area": asked.area,
        "campaign": asked.campaign,
        "on": asked.day,
        "tenant": desk.tenant,
    }
    if seeker_id:
        seeker = desk.store.get(Seeker, seeker_id)
        rows = look_up(desk.service, ResolvedSeeker(seeker, ()), asked.k, **common)
        return Found(rows, understood(seeker), seeker_id)
    resolved: ResolvedSeeker = walk_in_seeker(text, today=today_of(desk))
    rows = look_up(desk.service, resolved, asked.k, **common)
    return Found(
        rows,
        understood(resolved.seeker, resolved.inferred),
        None,
        inferred_region=resolved.seeker.region or "",
    )


def _found(request: Request, desk: Desk, asked: Asked) -> Found | HTMLResponse:
    """The lookup ``asked`` for, or the form again: 422 with its problems, 404 for an unknown
    seeker id (the form keeps what was typed)."""
    if asked.errors:
        return _page(request, desk, asked, status=422)
    try:
        return _run(desk, asked)
    except NotFound:
        asked.errors["seeker_id"] = _message("seeker_id", "未找到：本机构没有此编号的求职者")
        return _page(request, desk, asked, status=404)


def _answer(request: Request, desk: Desk, asked: Asked, **extra: Any) -> HTMLResponse:
    """The lookup page for ``asked``: the results, or the form with its problems."""
    found = _found(request, desk, asked)
    if isinstance(found, HTMLResponse):
        return found
    return _page(request, desk, asked, found=found, **extra)


@router.get("/lookup", response_class=HTMLResponse)
def lookup_form(request: Request, desk: CounterDesk) -> Response:
    query = Form(tuple(request.query_params.multi_items()))
    if not query.get("seeker_id"):  # the bare form, with its defaults
        today = today_of(desk)
        values = {"text": "", "seeker_id": "", "area": "", "campaign": ""}
        values.update(day=today.isoformat(), k=str(DEFAULT_K))
        return _page(request, desk, Asked(values=values, day=today))
    asked = parse_lookup(desk, query, with_text=False)
    notice, recorded = "", ""
    kind = query.get("recorded", "")
    if kind in RECORDED_KINDS and not asked.errors:
        count = query.get("count", "")
        number = int(count) if _COUNT.fullmatch(count) else 1
        notice = f"已记录 {number} 条「{RECORDED_KINDS[kind]}」"
        recorded = query.get("vacancy", "")[:MAX_ID]
    elif query.get("saved") == "1" and not asked.errors:
        notice = f"已保存为求职者，编号 {asked.values['seeker_id']}。现在可以记录推荐和投递。"
    return _answer(request, desk, asked, notice=notice, recorded=recorded)


@router.post("/lookup", response_class=HTMLResponse)
def lookup(request: Request, desk: CounterDesk) -> Response:
    return _answer(request, desk, parse_lookup(desk, desk.form))


@router.post("/lookup/print", response_class=HTMLResponse)
def lookup_print(request: Request, desk: CounterDesk) -> Response:
    asked = parse_lookup(desk, desk.form)
    found = _found(request, desk, asked)
    if isinstance(found, HTMLResponse):
        return found
    campaign = desk.service.campaign(asked.campaign) if asked.campaign else None
    return render(
        request,
        "lookup_print.html",
        desk=desk,
        rows=found.rows,
        day=asked.day,
        area=place_name(asked.area) if asked.area else "",
        campaign=campaign.short_name if campaign else "",
    )


@router.post("/lookup/record")
def lookup_record(desk: CounterDesk) -> Response:
    form = desk.form
    asked = parse_lookup(desk, form, with_text=False)
    seeker_id = asked.values["seeker_id"]
    if not seeker_id:
        raise DeskError(422, "只能为已登记的求职者记录：请先保存为求职者，再记录")
    if asked.errors:
        raise DeskError(422, next(iter(asked.errors.values())))
    kind = form.get("kind")
    if kind not in RECORDED_KINDS:
        raise DeskError(422, "「记录类型」填写有误：只能记录为已推荐或已投递")
    vacancy_ids = form.all("vacancy_id")
    if not vacancy_ids or len(vacancy_ids) > MAX_LOOKUP:
        raise DeskError(422, f"「岗位」填写有误：请选择 1–{MAX_LOOKUP} 个岗位")
    if any(len(v) > MAX_ID or not _ID.fullmatch(v) for v in vacancy_ids):
        raise DeskError(422, "「岗位」填写有误：岗位编号格式不对")
    raw_position = form.get("position", "1")
    if not _COUNT.fullmatch(raw_position) or not 1 <= int(raw_position) <= MAX_LOOKUP:
        raise DeskError(422, f"「位置」填写有误：请填写 1–{MAX_LOOKUP} 之间的整数")
    day = today_of(desk)
    now = dt.datetime.now().time().replace(microsecond=0)
    try:
        written = record_shown(
            desk.service,
            seeker_id,
            vacancy_ids,
            kind,
            at=dt.datetime.combine(day, now),
            campaign=asked.campaign,
            first_position=int(raw_position),
            tenant=desk.tenant,
        )
    except NotFound as error:
        what = {"seeker": "求职者编号", "vacancy": "岗位", "campaign": "专项活动"}
        raise DeskError(404, f"「{what.get(error.kind, '记录')}」未找到") from None
    query = {
        "seeker_id": seeker_id,
        **asked.options(),
        "recorded": kind,
        "count": str(written),
        "vacancy": vacancy_ids[0] if len(vacancy_ids) == 1 else "",
    }
    return redirect(f"/desk/lookup?{urllib.parse.urlencode(query)}#results")


@router.post("/lookup/save", response_class=HTMLResponse)
def lookup_save(request: Request, desk: CounterDesk) -> Response:
    form = desk.form
    asked = parse_lookup(desk, form)
    if asked.errors or not asked.values["text"]:
        asked.errors.setdefault("text", "请填写「求职者怎么说」后再保存")
        return _page(request, desk, asked, status=422)
    save_values = {
        "region": form.get("region", "").strip()[:20],
        "birth_year": form.get("birth_year", "").strip()[:10],
    }
    save_errors: dict[str, str] = {}
    region = save_values["region"]
    if len(form.get("region", "")) > 20 or (
        region and region not in {code for code, _ in area_choices()}
    ):
        save_errors["region"] = _message("region", "填写有误：请从列表中选择")
    birth_year: int | None = None
    raw_year = save_values["birth_year"]
    if raw_year:
        low, high = WORKING_AGES
        this_year = dt.date.today().year
        if len(raw_year) != 4 or not _YEAR.fullmatch(raw_year):
            save_errors["birth_year"] = _message("birth_year", "填写有误：请填写四位年份，如 1985")
        elif not this_year - high <= int(raw_year) <= this_year - low:
            save_errors["birth_year"] = _message(
                "birth_year", f"填写有误：年龄须在 {low}–{high} 岁之间"
            )
        else:
            birth_year = int(raw_year)
    if not save_errors:
        try:
            saved = save_walk_in(
                desk.service,
                asked.values["text"],
                region=region or None,
                birth_year=birth_year,
                registered_on=today_of(desk),
                tenant=desk.tenant,
            )
        except InvalidRecord as error:
            for problem in error.problems:  # the checks above leave little for the schema
                name = problem.field.split(".")[0]
                if name in ("region", "birth_year"):
                    save_errors.setdefault(name, _message(name, "填写有误，请核对"))
                else:
                    save_errors.setdefault("record", "保存未成功：登记信息有误，请核对后重试")
        else:
            query = {"seeker_id": saved.id, **asked.options(), "saved": "1"}
            return redirect(f"/desk/lookup?{urllib.parse.urlencode(query)}")
    found = _run(desk, asked)
    return _page(
        request,
        desk,
        asked,
        found=found,
        status=422,
        save_values=save_values,
        save_errors=save_errors,
    )
