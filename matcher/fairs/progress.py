"""Campaign progress (活动进展情况与工作总结): what a campaign did for job seekers, counted from the
stored interactions, and the report a county sends up to the city and province.

The 2022 notice asks every county and park to "及时总结工作经验和好的做法，上报活动进展情况和工作
总结" but names no figures; the figures here follow the steps the interactions record — a list
shown (推荐), an application (投递简历), an interview (面试), an offer (录用通知) and a hire (实现
就业) — each as people (人, distinct job seekers) and as events (人次). :data:`FIGURES` defines
each one exactly.

:func:`campaign_progress` reads one tenant's interactions of one campaign and day range as a
stream (a city's store holds millions; only the seekers and vacancies that appear are looked up,
a block at a time) and returns a :class:`CampaignProgress`: the totals, the same figures by
priority group, by the seeker's county, by the employer's ownership (单位性质) and per day.
:func:`render_chart` draws its charts (PNG, Chinese labels through
:func:`matcher.fairs.charts.font_families`); :func:`write_xlsx` and :func:`write_markdown` write
the report, :func:`report_command` is ``jobmatch report``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import io
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from matcher.domain.campaigns import CampaignCalendar
from matcher.domain.records import (
    Campaign,
    Employer,
    Interaction,
    InteractionKind,
    Ownership,
    Seeker,
    Vacancy,
)
from matcher.errors import InvalidRequest
from matcher.reference import SUINING_CITY_CODE, priority_groups, regions
from matcher.storage.store import Store
from models.files import atomic_path

FOLLOW_UP_DAYS = 30
"""How many days after a campaign's last day its range may end: the interviews, offers and hires
that follow its lists are recorded days later (the synthetic 2022 data: up to 12 days)."""

LOOKUP_BLOCK = 2_000
"""Interactions read before their unseen seekers and vacancies are looked up, in one query each."""

FORMATS = (".xlsx", ".md")
"""What ``jobmatch report --out`` writes, by the file's suffix."""


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of the report: its key, its Chinese label (with the unit) and its definition."""

    key: str
    label: str
    definition: str


FIGURES: tuple[Figure, ...] = (
    Figure(
        "served",
        "服务求职者（人）",
        "范围内有任何一条本活动记录（推荐、查看、投递、面试、录用、就业或未通过）的求职者，去重计人",
    ),
    Figure("listed", "获推荐求职者（人）", "范围内收到过本活动推荐岗位的求职者，去重计人"),
    Figure(
        "lists",
        "推荐名单（份）",
        "范围内本活动推荐给求职者的名单数：同一求职者同一次查询（会话）展示的岗位算一份，"
        "记录没有会话号时同一求职者同一天算一份",
    ),
    Figure("shown", "推荐岗位（人次）", "范围内本活动向求职者展示岗位的次数（一人一岗一次计一）"),
    Figure("applicants", "投递简历（人）", "范围内投递过简历的求职者，去重计人"),
    Figure("applications", "投递简历（人次）", "范围内的投递记录数"),
    Figure("interviewees", "面试（人）", "范围内参加过面试的求职者，去重计人"),
    Figure("interviews", "面试（人次）", "范围内的面试记录数"),
    Figure("offered", "录用通知（人）", "范围内收到录用通知的求职者，去重计人"),
    Figure("offers", "录用通知（人次）", "范围内的录用通知记录数"),
    Figure("hired", "实现就业（人）", "范围内登记入职（实现就业）的求职者，去重计人"),
    Figure("hires", "实现就业（人次）", "范围内的入职记录数"),
)
"""Every figure, in report order. A figure counts the tenant's interactions whose
``campaign_id`` is the campaign's and whose time falls on a day of the range (the stored local
time's calendar day). People figures count distinct job seekers; 人次 figures count events."""

FIGURE_KEYS = tuple(figure.key for figure in FIGURES)
FIGURE_LABELS = {figure.key: figure.label for figure in FIGURES}

_PEOPLE_AND_EVENTS: dict[InteractionKind, tuple[str, str]] = {
    InteractionKind.IMPRESSION: ("listed", "shown"),
    InteractionKind.APPLY: ("applicants", "applications"),
    InteractionKind.INTERVIEW: ("interviewees", "interviews"),
    InteractionKind.OFFER: ("offered", "offers"),
    InteractionKind.HIRE: ("hired", "hires"),
}
"""The interaction kind behind each pair of people and 人次 figures (clicks and rejections count
only towards 服务求职者)."""

NO_GROUP = "none"
NO_REGION = "unknown"
MISSING = "missing"
"""Row keys of seekers in no priority group, seekers without a region, and interactions whose
seeker (or vacancy, or its employer) is no longer in the store."""


class ReportRequestError(InvalidRequest):
    """A report asked for a campaign or a day range that does not exist, or an output file that
    cannot be written. ``field`` is ``campaign``, ``from``, ``to`` or ``out``; ``reason`` says
    what is wrong in Chinese, for the desk page (the message itself is English, for the CLI)."""

    def __init__(self, message: str, *, field: str, reason: str) -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason


# --- the figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    """One row of a table: its key (a group or region code, an ownership, an ISO day, ``total``),
    its Chinese label, every figure by key, and whether the row is one of the campaign's own
    priority groups."""

    key: str
    label: str
    values: Mapping[str, int]
    focus: bool = False

    def __getitem__(self, figure: str) -> int:
        return self.values[figure]


@dataclass(frozen=True)
class CampaignProgress:
    """The figures of one campaign over one day range, as one tenant's store holds them.

    ``by_group`` has a row per priority group of the reference table (a seeker in two groups
    counts in both, so the rows do not add up to the total), then 非重点群体; ``by_county`` a
    row per county and park of 遂宁市 and per other area seen (the seeker's home region), then
    未填写居住地; ``by_employer_kind`` a row per ownership of the employer of the vacancy
    concerned (a seeker who dealt with two kinds counts in both); ``daily`` a row per day of the
    range, people distinct within the day. A row ``missing`` appears in a table when some
    interactions name a seeker (or vacancy, or employer) that is no longer stored.
    """

    campaign: Campaign
    date_from: dt.date
    date_to: dt.date
    total: ProgressRow
    by_group: tuple[ProgressRow, ...]
    by_county: tuple[ProgressRow, ...]
    by_employer_kind: tuple[ProgressRow, ...]
    daily: tuple[ProgressRow, ...]
    events: int
    """The campaign's interactions counted (every kind)."""
    later_events: int | None
    """The campaign's interactions after the range's last day, up to :data:`FOLLOW_UP_DAYS`
    after the campaign's end — counted when the range reaches the campaign's end, else None."""
    missing_seekers: int = 0
    missing_vacancies: int = 0

    @property
    def tables(self) -> tuple[tuple[str, str, tuple[ProgressRow, ...]], ...]:
        """(sheet name, first column's header, rows) of the breakdowns, in report order."""
        return (
            ("按重点群体", "重点群体", self.by_group),
            ("按县区", "县（市、区）", self.by_county),
            ("按单位性质", "单位性质", self.by_employer_kind),
            ("每日", "日期", self.daily),
        )


_Key = TypeVar("_Key", str, dt.date)


class _Tally:
    """Distinct seekers, lists and event counts of one row."""

    __slots__ = ("events", "lists", "people", "served")

    def __init__(self) -> None:
        self.served: set[int] = set()
        self.lists: set[int] = set()
        self.people: dict[str, set[int]] = {
            people: set() for people, _ in _PEOPLE_AND_EVENTS.values()
        }
        self.events: Counter[str] = Counter()

    def add(self, seeker: int, kind: InteractionKind, list_key: int | None) -> None:
        self.served.add(seeker)
        pair = _PEOPLE_AND_EVENTS.get(kind)
        if pair is not None:
            self.people[pair[0]].add(seeker)
            self.events[pair[1]] += 1
        if list_key is not None:
            self.lists.add(list_key)

    def values(self) -> dict[str, int]:
        counts = {"served": len(self.served), "lists": len(self.lists)}
        counts.update({key: len(seekers) for key, seekers in self.people.items()})
        counts.update({events: self.events[events] for _, events in _PEOPLE_AND_EVENTS.values()})
        return {key: counts[key] for key in FIGURE_KEYS}


@dataclass(frozen=True, slots=True)
class _SeekerFacts:
    number: int
    groups: tuple[str, ...]
    county: str


def check_request(
    calendar: CampaignCalendar,
    campaign_id: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[Campaign, dt.date, dt.date]:
    """The campaign and the range a report covers: ``date_from`` defaults to the campaign's
    first day, ``date_to`` to its last.

    Raises
    ------
    ReportRequestError
        An unknown campaign (the message lists the calendar's), a first day after the last,
        a first day outside the campaign, or a last day before its start or more than
        :data:`FOLLOW_UP_DAYS` after its end.
    """
    if campaign_id not in calendar.campaigns:
        choices = ", ".join(f"{c.id} ({c.short_name})" for c in calendar.campaigns.values())
        names = "、".join(c.short_name for c in calendar.campaigns.values())
        raise ReportRequestError(
            f"--campaign: unknown campaign {campaign_id!r}; choose one of: {choices}",
            field="campaign",
            reason=f"活动日历中没有这个活动，可选：{names}",
        )
    campaign = calendar.campaigns[campaign_id]
    first = campaign.start if date_from is None else date_from
    last = campaign.end if date_to is None else date_to
    named = f"campaign {campaign.id!r} ({campaign.short_name}, {campaign.start} to {campaign.end})"
    if first > last:
        raise ReportRequestError(
            f"--from {first} is after --to {last}; the first day must not be after the last",
            field="from",
            reason=f"{first} 晚于结束日期 {last}",
        )
    if not campaign.start <= first <= campaign.end:
        raise ReportRequestError(
            f"--from {first} is outside {named}; choose a day from {campaign.start} to "
            f"{campaign.end}",
            field="from",
            reason=(
                f"{first} 不在活动「{campaign.short_name}」期间（{campaign.start} 至 "
                f"{campaign.end}）"
            ),
        )
    latest = campaign.end + dt.timedelta(days=FOLLOW_UP_DAYS)
    if not campaign.start <= last <= latest:
        raise ReportRequestError(
            f"--to {last} is outside {named}; choose a day from {campaign.start} to {latest} "
            f"(the campaign's end + {FOLLOW_UP_DAYS} days of follow-up)",
            field="to",
            reason=(
                f"{last} 不在活动「{campaign.short_name}」期间（{campaign.start} 至 "
                f"{campaign.end}，结束后可延后 {FOLLOW_UP_DAYS} 天统计后续结果，最晚 {latest}）"
            ),
        )
    return campaign, first, last


def campaign_progress(
    store: Store,
    calendar: CampaignCalendar,
    campaign_id: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> CampaignProgress:
    """The figures of ``campaign_id`` from ``date_from`` to ``date_to`` (both included) in the
    tenant view ``store``.

    Parameters
    ----------
    store
        One tenant's view; only its interactions, seekers and vacancies are read.
    calendar
        The campaign calendar the id is looked up in.
    campaign_id
        The campaign; its interactions are those whose ``campaign_id`` is this id.
    date_from, date_to
        The range (default the campaign's first and last day; see :func:`check_request`).

    Returns
    -------
    CampaignProgress
        The figures of :data:`FIGURES`: in total, by priority group (the seeker's groups as
        stored now), by county (the seeker's home region as stored now), by the employer's
        ownership (单位性质) and per day.

    Notes
    -----
    Interactions are read in time order as a stream; each block of :data:`LOOKUP_BLOCK` looks
    up the seekers, vacancies and employers it names that were not seen before. Memory grows
    with the distinct seekers and lists of the campaign, not with its interactions.
    """
    campaign, first, last = check_request(calendar, campaign_id, date_from, date_to)
    follow_up_end = campaign.end + dt.timedelta(days=FOLLOW_UP_DAYS)
    scan_to = follow_up_end if last >= campaign.end else last
    counter = _Counter(store, campaign, first, last)
    block: list[Interaction] = []
    for interaction in store.iter_interactions(
        since=dt.datetime.combine(first, dt.time()),
        until=dt.datetime.combine(scan_to + dt.timedelta(days=1), dt.time()),
        campaign_id=campaign.id,
    ):
        block.append(interaction)
        if len(block) >= LOOKUP_BLOCK:
            counter.add(block)
            block = []
    counter.add(block)
    return counter.result(later=last >= campaign.end)


class _Counter:
    """The running tallies of one report (see :func:`campaign_progress`)."""

    def __init__(self, store: Store, campaign: Campaign, first: dt.date, last: dt.date) -> None:
        self.store = store
        self.campaign = campaign
        self.first, self.last = first, last
        self.seekers: dict[str, _SeekerFacts | None] = {}
        self.seeker_numbers: dict[str, int] = {}
        self.ownership: dict[str, str | None] = {}
        self.list_keys: dict[tuple[int, str], int] = {}
        self.total = _Tally()
        self.groups: dict[str, _Tally] = {}
        self.counties: dict[str, _Tally] = {}
        self.kinds: dict[str, _Tally] = {}
        self.days: dict[dt.date, _Tally] = {}
        self.events = 0
        self.later = 0
        self.missing_seekers: set[str] = set()
        self.missing_vacancies: set[str] = set()

    def _look_up(self, block: Sequence[Interaction]) -> None:
        new_seekers = list(
            dict.fromkeys(i.seeker_id for i in block if i.seeker_id not in self.seekers)
        )
        if new_seekers:
            found = self.store.get_many(Seeker, new_seekers)
            for seeker_id in new_seekers:
                number = self.seeker_numbers.setdefault(seeker_id, len(self.seeker_numbers))
                seeker = found.get(seeker_id)
                self.seekers[seeker_id] = (
                    None
                    if seeker is None
                    else _SeekerFacts(
                        number, tuple(seeker.priority_groups), seeker.region or NO_REGION
                    )
                )
        new_vacancies = list(
            dict.fromkeys(i.vacancy_id for i in block if i.vacancy_id not in self.ownership)
        )
        if new_vacancies:
            vacancies = self.store.get_many(Vacancy, new_vacancies)
            employer_ids = {v.employer_id for v in vacancies.values()}
            employers = self.store.get_many(Employer, sorted(employer_ids))
            for vacancy_id in new_vacancies:
                vacancy = vacancies.get(vacancy_id)
                employer = employers.get(vacancy.employer_id) if vacancy is not None else None
                self.ownership[vacancy_id] = None if employer is None else employer.ownership.value

    def add(self, block: Sequence[Interaction]) -> None:
        if not block:
            return
        self._look_up(block)
        for interaction in block:
            day = interaction.time.date()
            if day > self.last:
                self.later += 1
                continue
            if day < self.first:  # the store's range is by text; a time with an offset may stray
                continue
            self.events += 1
            facts = self.seekers[interaction.seeker_id]
            number = self.seeker_numbers[interaction.seeker_id]
            list_key = None
            if interaction.kind is InteractionKind.IMPRESSION:
                session = interaction.session_id or f"day:{day.isoformat()}"
                list_key = self.list_keys.setdefault((number, session), len(self.list_keys))
            if facts is None:
                self.missing_seekers.add(interaction.seeker_id)
                groups: Iterable[str] = (MISSING,)
                county = MISSING
            else:
                groups = facts.groups or (NO_GROUP,)
                county = facts.county
            ownership = self.ownership[interaction.vacancy_id]
            if ownership is None:
                self.missing_vacancies.add(interaction.vacancy_id)
                ownership = MISSING
            kind = interaction.kind
            self.total.add(number, kind, list_key)
            for group in groups:
                _tally(self.groups, group).add(number, kind, list_key)
            _tally(self.counties, county).add(number, kind, list_key)
            _tally(self.kinds, ownership).add(number, kind, list_key)
            _tally(self.days, day).add(number, kind, list_key)

    def result(self, *, later: bool) -> CampaignProgress:
        own_groups = set(self.campaign.priority_groups)
        group_names = {code: group.name for code, group in priority_groups().items()}
        group_rows = [
            _row(self.groups, code, name, focus=code in own_groups)
            for code, name in group_names.items()
        ]
        group_rows.append(_row(self.groups, NO_GROUP, "非重点群体"))
        group_rows += _extra_rows(self.groups, set(group_names) | {NO_GROUP})

        county_codes = _home_counties()
        county_codes += sorted(set(self.counties) - set(county_codes) - {NO_REGION, MISSING})
        county_rows = [_row(self.counties, code, region_label(code)) for code in county_codes]
        if NO_REGION in self.counties:
            county_rows.append(_row(self.counties, NO_REGION, "未填写居住地"))
        county_rows += _extra_rows(self.counties, set(county_codes) | {NO_REGION})

        ownerships = [kind.value for kind in Ownership]
        kind_rows = [_row(self.kinds, kind, kind) for kind in ownerships]
        kind_rows += _extra_rows(self.kinds, set(ownerships))

        day_rows = []
        day = self.first
        while day <= self.last:
            tally = self.days.get(day) or _Tally()
            day_rows.append(ProgressRow(day.isoformat(), day.isoformat(), tally.values()))
            day += dt.timedelta(days=1)
        return CampaignProgress(
            campaign=self.campaign,
            date_from=self.first,
            date_to=self.last,
            total=ProgressRow("total", "合计", self.total.values()),
            by_group=tuple(group_rows),
            by_county=tuple(county_rows),
            by_employer_kind=tuple(kind_rows),
            daily=tuple(day_rows),
            events=self.events,
            later_events=self.later if later else None,
            missing_seekers=len(self.missing_seekers),
            missing_vacancies=len(self.missing_vacancies),
        )


def _tally(tallies: dict[_Key, _Tally], key: _Key) -> _Tally:
    tally = tallies.get(key)
    if tally is None:
        tally = tallies[key] = _Tally()
    return tally


def _row(
    tallies: Mapping[str, _Tally], key: str, label: str, *, focus: bool = False
) -> ProgressRow:
    tally = tallies.get(key) or _Tally()
    return ProgressRow(key, label, tally.values(), focus)


def _extra_rows(tallies: Mapping[str, _Tally], shown: set[str]) -> list[ProgressRow]:
    """The row of interactions whose records are missing, and rows of codes the reference
    tables no longer hold."""
    rows = [_row(tallies, key, key) for key in sorted(set(tallies) - shown - {MISSING})]
    if MISSING in tallies:
        rows.append(_row(tallies, MISSING, "档案已删除"))
    return rows


def _home_counties() -> list[str]:
    """The counties and parks of 遂宁市 in code order: always rows of the county table."""
    return sorted(
        region.code
        for region in regions().children(SUINING_CITY_CODE)
        if region.level in ("county", "park")
    )


def region_label(code: str) -> str:
    """船山区 for a county of 遂宁市, the full name (四川省成都市武侯区) elsewhere, the code
    itself when the table does not know it."""
    table = regions()
    region = table.get(code)
    if region is None:
        return code
    if region.parent == SUINING_CITY_CODE:
        return region.name
    return table.full_name(code)


# --- charts -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of the report: its name and its drawing function."""

    title: str
    draw: Callable[[Any, CampaignProgress], None] = field(repr=False)


def _bars(
    axes: Any,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int], str]],
    *,
    zeros: bool = False,
) -> None:
    """Horizontal bars, first label on top, one bar per series and label, values written
    (zeros too when ``zeros``; in a chart of several series they would crowd the bars)."""
    positions = list(range(len(labels)))
    height = 0.8 / max(1, len(series))
    for index, (name, values, colour) in enumerate(series):
        offsets = [p - 0.4 + height * (index + 0.5) for p in positions]
        bars = axes.barh(offsets, values, height, label=name, color=colour)
        axes.bar_label(
            bars, labels=[f"{v:,}" if v or zeros else "" for v in values], padding=2, fontsize=8
        )
    axes.set_yticks(positions, list(labels))
    axes.invert_yaxis()
    highest = max((max(values, default=0) for _, values, _ in series), default=0)
    axes.set_xlim(0, max(1, highest) * 1.12)  # room for the value labels; 0‥1 when empty
    axes.xaxis.get_major_locator().set_params(integer=True)
    if not labels:
        axes.text(
            0.5, 0.5, "所选范围内没有记录", ha="center", va="center", transform=axes.transAxes
        )


def _draw_overview(axes: Any, progress: CampaignProgress) -> None:
    keys = ("served", "listed", "applicants", "interviewees", "offered", "hired")
    labels = [FIGURE_LABELS[key].removesuffix("（人）") for key in keys]
    _bars(axes, labels, [("人数", [progress.total[key] for key in keys], "#0b5cad")], zeros=True)
    axes.set_xlabel("人数")


def _draw_rows(axes: Any, rows: Sequence[ProgressRow]) -> None:
    shown = [row for row in rows if row["served"] or row.focus]
    labels = [row.label + ("★" if row.focus else "") for row in shown]
    _bars(
        axes,
        labels,
        [
            ("服务求职者", [row["served"] for row in shown], "#0b5cad"),
            ("投递简历", [row["applicants"] for row in shown], "#f5a623"),
            ("实现就业", [row["hired"] for row in shown], "#1e6b34"),
        ],
    )
    axes.set_xlabel("人数")
    if shown:  # below the axes, never over a bar
        axes.figure.legend(loc="outside lower center", ncols=3, frameon=False)


def _draw_daily(axes: Any, progress: CampaignProgress) -> None:
    days = [dt.date.fromisoformat(row.key) for row in progress.daily]
    for key, colour in (("served", "#0b5cad"), ("applications", "#f5a623"), ("hires", "#1e6b34")):
        axes.plot(
            days,
            [row[key] for row in progress.daily],
            label=FIGURE_LABELS[key],
            color=colour,
            marker="o" if len(days) <= 31 else None,  # a short range: every day visible
            markersize=3,
        )
    axes.set_ylabel("人数 / 人次")
    axes.yaxis.get_major_locator().set_params(integer=True)
    highest = max(
        (row[key] for row in progress.daily for key in ("served", "applications", "hires")),
        default=0,
    )
    axes.set_ylim(0, max(1, highest) * 1.1)
    axes.figure.legend(loc="outside lower center", ncols=3, frameon=False)
    dates: Any = importlib.import_module("matplotlib.dates")  # its constructors are untyped
    first, last = progress.date_from, progress.date_to
    span = (last - first).days + 1
    half_day = dt.timedelta(hours=12)
    midnight = dt.time()
    axes.set_xlim(  # a one-day range stays one day wide
        dt.datetime.combine(first, midnight) - half_day,
        dt.datetime.combine(last, midnight) + half_day,
    )
    if span <= 20:
        axes.xaxis.set_major_locator(dates.DayLocator(interval=1 if span <= 10 else 2))
    else:
        axes.xaxis.set_major_locator(dates.AutoDateLocator(maxticks=10))
    axes.xaxis.set_major_formatter(dates.DateFormatter("%m-%d"))
    end = progress.campaign.end
    if first <= end < last:  # the follow-up days after the campaign's last day
        axes.axvspan(end + dt.timedelta(days=1), last, color="#eef2f6", zorder=0)
        axes.text(
            end, axes.get_ylim()[1], " 活动结束后", va="top", ha="left", color="#5b6775", fontsize=9
        )
    axes.set_xlabel(f"日期（{first.year} 年）" if first.year == last.year else "日期（月-日）")


CHARTS: dict[str, Chart] = {
    "overview": Chart("服务人数总览", _draw_overview),
    "groups": Chart("按重点群体（★为本活动重点群体）", lambda a, p: _draw_rows(a, p.by_group)),
    "counties": Chart("按县（市、区）", lambda a, p: _draw_rows(a, p.by_county)),
    "employer_kinds": Chart("按单位性质", lambda a, p: _draw_rows(a, p.by_employer_kind)),
    "daily": Chart("每日服务情况", _draw_daily),
}
"""The report's charts by name, in report order."""


def _chart_height(progress: CampaignProgress, name: str) -> float:
    rows = {
        "groups": progress.by_group,
        "counties": progress.by_county,
        "employer_kinds": progress.by_employer_kind,
    }.get(name)
    if rows is None:
        return 3.8
    shown = sum(1 for row in rows if row["served"] or row.focus)
    return max(3.0, 1.6 + 0.55 * shown)


def render_chart(progress: CampaignProgress, name: str) -> bytes:
    """The chart ``name`` (a key of :data:`CHARTS`) as PNG bytes, labelled in Chinese.

    Drawn on matplotlib's Agg canvas with the CJK font of :mod:`matcher.fairs.charts` (no
    global backend switch; the font only inside this call).
    """
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r}; choose one of: {', '.join(CHARTS)}")
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as PlotFigure

    from matcher.fairs.charts import font_families

    chart = CHARTS[name]
    with rc_context({"font.family": font_families(), "axes.unicode_minus": False}):
        figure = PlotFigure(
            figsize=(7.5, _chart_height(progress, name)), dpi=100, layout="constrained"
        )
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        chart.draw(axes, progress)
        axes.set_title(f"{progress.campaign.short_name} · {chart.title}")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


# --- the report files -------------------------------------------------------------------------


def scope_lines(progress: CampaignProgress) -> list[tuple[str, str]]:
    """(item, text) describing what the report covers, for every output."""
    campaign = progress.campaign
    periods = "；".join(f"{p.start} 至 {p.end}" for p in campaign.periods)
    lines = [
        ("活动", f"{campaign.name}（{campaign.id}）"),
        ("活动期间", periods),
        ("统计范围", f"{progress.date_from} 至 {progress.date_to}"),
        ("计入记录", f"{progress.events} 条"),
    ]
    if progress.later_events:
        lines.append(
            (
                "后续记录",
                f"统计截止日之后还有 {progress.later_events} 条本活动记录"
                "（多为面试、录用等后续结果），"
                f"未计入；可将截止日延后（最多到活动结束后 {FOLLOW_UP_DAYS} 天）",
            )
        )
    if progress.missing_seekers or progress.missing_vacancies:
        lines.append(
            (
                "档案缺失",
                f"{progress.missing_seekers} 名求职者、{progress.missing_vacancies} 个岗位"
                "的档案已不在库中，"
                "其记录计入合计，分组时列为「档案已删除」",
            )
        )
    return lines


NOTES = (
    "一人属于多个重点群体时在每个群体中各计一次，各群体相加不等于合计。",
    "重点群体与居住县区取求职者档案的当前内容；单位性质取岗位所属用人单位的登记性质。",
    "每日数据中的人数为当日去重，各日相加可能大于整个范围的人数。",
)


def write_xlsx(progress: CampaignProgress, path: str | Path) -> Path:
    """The report as a workbook: sheets 总览, 按重点群体, 按县区, 按单位性质, 每日 with Chinese
    headers and numbers as numbers; written atomically. Returns ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    workbook = Workbook()
    bold = Font(bold=True)
    overview = workbook.active
    overview.title = "总览"
    overview.append(["项目", "数值", "说明"])
    for item, text in scope_lines(progress):
        overview.append([item, text, ""])
    overview.append(["统计起始日", progress.date_from, ""])
    overview.append(["统计截止日", progress.date_to, ""])
    for figure in FIGURES:
        overview.append([figure.label, progress.total[figure.key], figure.definition])
    for note in NOTES:
        overview.append(["说明", note, ""])
    for cell in overview[1]:
        cell.font = bold
    for row in overview.iter_rows(min_row=2):
        if isinstance(row[1].value, dt.date):
            row[1].number_format = "yyyy-mm-dd"
            row[1].alignment = Alignment(horizontal="left")
    overview.column_dimensions["A"].width = 20
    overview.column_dimensions["B"].width = 40
    overview.column_dimensions["C"].width = 80
    overview.freeze_panes = "A2"

    for title, first_header, rows in progress.tables:
        sheet = workbook.create_sheet(title)
        headers = [first_header]
        if title == "按重点群体":
            headers.append("本活动重点群体")
        if title == "按县区":
            headers.append("区划代码")
        headers += [figure.label for figure in FIGURES]
        sheet.append(headers)
        for row in rows:
            first: list[object] = [row.label]
            if title == "每日":
                first = [dt.date.fromisoformat(row.key)]
            if title == "按重点群体":
                first.append("是" if row.focus else "否")
            if title == "按县区":
                first.append(row.key if row.key.isdigit() else "")
            sheet.append(first + [row[key] for key in FIGURE_KEYS])
        if title == "每日":
            for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
                cell.number_format = "yyyy-mm-dd"
        if title != "每日":
            sheet.append(
                [progress.total.label]
                + [""] * (len(headers) - len(FIGURES) - 1)
                + [progress.total[key] for key in FIGURE_KEYS]
            )
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions["A"].width = 26 if title != "每日" else 12
        sheet.freeze_panes = sheet.cell(row=2, column=len(headers) - len(FIGURES) + 1)
    with atomic_path(path) as temp:
        workbook.save(temp)
    return path


def _markdown_table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[int]
) -> list[str]:
    """A pipe table; the columns at the indexes ``numeric`` are aligned right."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |"]
    lines.append(
        "| " + " | ".join("---:" if i in numeric else "---" for i in range(len(headers))) + " |"
    )
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines


def chart_file(markdown: Path, name: str) -> Path:
    """Where the Markdown report ``markdown`` keeps its chart ``name``: beside it."""
    return markdown.with_name(f"{markdown.stem}-{name}.png")


def markdown_text(progress: CampaignProgress, charts: Mapping[str, str]) -> str:
    """The report as Markdown; ``charts`` maps a chart's name to the relative path of its PNG."""
    campaign = progress.campaign
    lines = [
        f"# {campaign.name}活动进展情况",
        "",
        *(f"- **{item}**：{text}" for item, text in scope_lines(progress)),
        "",
        "## 总览",
        "",
        *_markdown_table(
            ["指标", "数值", "口径"],
            [(f.label, progress.total[f.key], f.definition) for f in FIGURES],
            numeric=(1,),
        ),
        "",
    ]
    if "overview" in charts:
        lines += [f"![{CHARTS['overview'].title}]({charts['overview']})", ""]
    chart_of = {
        "按重点群体": "groups",
        "按县区": "counties",
        "按单位性质": "employer_kinds",
        "每日": "daily",
    }
    for title, first_header, rows in progress.tables:
        lines += [f"## {title}", ""]
        chart = chart_of[title]
        if chart in charts:
            lines += [f"![{CHARTS[chart].title}]({charts[chart]})", ""]
        table_rows: list[list[object]] = []
        for row in rows:
            label = row.label + ("（本活动重点群体）" if row.focus else "")
            table_rows.append([label, *(row[key] for key in FIGURE_KEYS)])
        if title != "每日":
            table_rows.append(
                [f"**{progress.total.label}**", *(progress.total[k] for k in FIGURE_KEYS)]
            )
        lines += _markdown_table(
            [first_header, *FIGURE_LABELS.values()],
            table_rows,
            numeric=range(1, len(FIGURES) + 1),
        )
        lines.append("")
    lines += ["## 说明", "", *(f"- {note}" for note in NOTES), ""]
    return "\n".join(lines)


def write_markdown(progress: CampaignProgress, path: str | Path) -> list[Path]:
    """The report as Markdown at ``path`` with its charts as PNG files beside it
    (:func:`chart_file`), referenced by relative path. Every chart is drawn before anything is
    written; each file is written atomically, the Markdown last. Returns the files written
    (the Markdown first)."""
    path = Path(path)
    drawn = {name: render_chart(progress, name) for name in CHARTS}
    written = []
    for name, png in drawn.items():
        target = chart_file(path, name)
        with atomic_path(target) as temp:
            temp.write_bytes(png)
        written.append(target)
    references = {name: urllib.parse.quote(chart_file(path, name).name) for name in drawn}
    with atomic_path(path) as temp:
        temp.write_text(markdown_text(progress, references), encoding="utf-8")
    return [path, *written]


def check_output(out: Path) -> str:
    """The format of an output file (``.xlsx`` or ``.md``), or :class:`ReportRequestError`
    naming ``--out`` (another suffix, or a folder that does not exist)."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ReportRequestError(
            f"--out {str(out)!r}: the report is written as .xlsx or .md; "
            f"got {suffix or 'no suffix'}",
            field="out",
            reason="报告文件须为 .xlsx 或 .md",
        )
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ReportRequestError(
            f"--out {str(out)!r}: the folder {str(folder)!r} does not exist",
            field="out",
            reason="报告所在的文件夹不存在",
        )
    return suffix


def write_report(progress: CampaignProgress, out: str | Path) -> list[Path]:
    """The report in the format ``out``'s suffix names; returns the files written."""
    out = Path(out)
    if check_output(out) == ".xlsx":
        return [write_xlsx(progress, out)]
    return write_markdown(progress, out)


def report_command(store: Store, calendar: CampaignCalendar, args: argparse.Namespace) -> int:
    """``jobmatch report --campaign ID --out FILE.xlsx|.md [--from D] [--to D]``: the campaign's
    figures in the tenant view ``store``, written to ``--out`` (plots beside a ``.md``)."""
    out = Path(args.out)
    check_output(out)
    progress = campaign_progress(store, calendar, args.campaign, args.date_from, args.date_to)
    files = write_report(progress, out)
    total = progress.total
    print(
        f"{progress.campaign.id} ({progress.campaign.short_name}) {progress.date_from} to "
        f"{progress.date_to}: {total['served']} seekers served, {total['lists']} lists, "
        f"{total['applicants']} applied, {total['interviewees']} interviewed, "
        f"{total['offered']} offered, {total['hired']} hired"
    )
    if progress.later_events:
        print(
            f"note: {progress.later_events} interactions of the campaign fall after "
            f"{progress.date_to} (follow-ups); --to up to "
            f"{progress.campaign.end + dt.timedelta(days=FOLLOW_UP_DAYS)} counts them"
        )
    for path in files:
        print(f"wrote {path}")
    return 0
