"""What the fair desk shows of fairs, booths and vacancies (the records, not the matching).

Everything here reads one tenant's view of the store (:meth:`~matcher.storage.store.Store.
for_tenant`): the fairs of the calendar with their counts (:func:`fair_overviews`), a fair's
booths with their employers and vacancies (:func:`fair_booths`), the fairs a vacancy has a booth
at (:func:`fairs_with_vacancy`), the tenant's open vacancies found by title or employer
(:func:`search_vacancies`), and which of a candidate's skills and certificates a vacancy asks
for (:func:`matched_terms`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matcher.domain.records import Employer, Fair, Vacancy
from matcher.errors import InvalidRequest
from matcher.reference import certificate_name, priority_group_name, regions
from matcher.storage.store import Store

QUERY_MAX = 40
"""Characters of a vacancy search (title or employer words)."""
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class VacancyChoice:
    """A vacancy as a list to pick from shows it."""

    id: str
    title: str
    employer: str
    county: str
    openings: int
    valid_until: dt.date
    open: bool
    note: str = ""
    """Why it is not open on the day asked about (已关闭, 已过期, 未开始), else empty."""


@dataclass(frozen=True)
class BoothRow:
    """One booth of a fair: its employer and its vacancies."""

    booth: str
    employer_id: str
    employer: str
    interview_slots: int | None
    vacancies: tuple[VacancyChoice, ...]
    missing: int
    """Vacancy ids of the booth the store does not hold (deleted since)."""


@dataclass(frozen=True)
class FairOverview:
    """A fair as the calendar lists it."""

    fair: Fair
    place: str
    campaign: str | None
    employers: int
    vacancies: int
    booths: int

    @property
    def id(self) -> str:
        return self.fair.id

    @property
    def time_text(self) -> str:
        fair = self.fair
        if fair.start_time and fair.end_time:
            return f"{fair.start_time:%H:%M}–{fair.end_time:%H:%M}"
        return ""


def county_name(code: str | None) -> str:
    if not code:
        return "未注明"
    return regions().name_of(code)


def place_of(fair: Fair) -> str:
    """Where a fair is: venue and county (网络招聘会 when online without a venue)."""
    parts = [fair.venue] if fair.venue else []
    if fair.online:
        parts.append("线上")
    return "，".join([county_name(fair.region), *parts])


def fair_overviews(
    store: Store, campaign_names: dict[str, str] | None = None
) -> list[FairOverview]:
    """The tenant's fairs by date (then id) with their counts of booths, employers and booth
    vacancies; ``campaign_names`` names their campaigns."""
    names = campaign_names or {}
    found = []
    for fair in store.iter(Fair):
        vacancy_ids = {v for booth in fair.booths for v in booth.vacancy_ids}
        found.append(
            FairOverview(
                fair=fair,
                place=place_of(fair),
                campaign=names.get(fair.campaign_id, fair.campaign_id)
                if fair.campaign_id
                else None,
                employers=len({booth.employer_id for booth in fair.booths}),
                vacancies=len(vacancy_ids),
                booths=len(fair.booths),
            )
        )
    return sorted(found, key=lambda item: (item.fair.date, item.fair.id))


def _choices(store: Store, vacancies: Iterable[Vacancy], on: dt.date) -> dict[str, VacancyChoice]:
    posts = list(vacancies)
    employers = store.get_many(Employer, sorted({v.employer_id for v in posts}))
    return {
        v.id: VacancyChoice(
            id=v.id,
            title=v.title,
            employer=employers[v.employer_id].name if v.employer_id in employers else "",
            county=county_name(v.region),
            openings=v.openings,
            valid_until=v.valid_until,
            open=v.is_active(on),
            note=_note(v, on),
        )
        for v in posts
    }


def _note(vacancy: Vacancy, on: dt.date) -> str:
    if vacancy.status != "open":
        return "已关闭"
    if vacancy.valid_until < on:
        return "已过期"
    if vacancy.valid_from > on:
        return "未开始"
    return ""


def fair_booths(store: Store, fair: Fair, on: dt.date) -> list[BoothRow]:
    """The fair's booths in its order, each with its employer and vacancies (``open`` as of
    ``on``)."""
    wanted = [v for booth in fair.booths for v in booth.vacancy_ids]
    stored = store.get_many(Vacancy, wanted)
    choices = _choices(store, stored.values(), on)
    employers = store.get_many(Employer, sorted({booth.employer_id for booth in fair.booths}))
    rows = []
    for booth in fair.booths:
        posts = tuple(choices[v] for v in booth.vacancy_ids if v in choices)
        employer = employers.get(booth.employer_id)
        rows.append(
            BoothRow(
                booth=booth.booth,
                employer_id=booth.employer_id,
                employer=employer.name if employer is not None else booth.employer_id,
                interview_slots=booth.interview_slots,
                vacancies=posts,
                missing=len(booth.vacancy_ids) - len(posts),
            )
        )
    return rows


def fairs_with_vacancy(store: Store, vacancy_id: str) -> list[tuple[Fair, str]]:
    """The tenant's fairs with a booth offering the vacancy, by date, and that booth."""
    found = []
    for fair in store.iter(Fair):
        for booth in fair.booths:
            if vacancy_id in booth.vacancy_ids:
                found.append((fair, booth.booth))
                break
    return sorted(found, key=lambda item: (item[0].date, item[0].id))


def check_query(text: str) -> str:
    """A search's words, stripped (InvalidRequest past :data:`QUERY_MAX` characters)."""
    if len(text) > QUERY_MAX:
        raise InvalidRequest(f"query: at most {QUERY_MAX} characters, got {len(text)}")
    return " ".join(text.split())


def search_vacancies(
    store: Store, query: str, on: dt.date, *, limit: int = SEARCH_LIMIT
) -> tuple[list[VacancyChoice], int]:
    """The tenant's vacancies open on ``on`` whose title or employer's name holds every word of
    ``query`` (case-insensitive; all open ones for an empty query), by title then id; at most
    ``limit`` of them, and how many there were."""
    words = [word.casefold() for word in check_query(query).split()]
    open_posts = [v for v in store.iter(Vacancy) if v.is_active(on)]
    choices = _choices(store, open_posts, on)
    found = [
        choice
        for choice in choices.values()
        if all(word in f"{choice.title} {choice.employer}".casefold() for word in words)
    ]
    found.sort(key=lambda choice: (choice.title, choice.id))
    return found[:limit], len(found)


def matched_terms(vacancy: Vacancy) -> frozenset[str]:
    """The skills and certificate names a vacancy asks for (to mark them on a candidate)."""
    names = {
        certificate_name(code)
        for code in [*vacancy.required_certificates, *vacancy.preferred_certificates]
    }
    return frozenset({*vacancy.skills, *names})


def choice_of(store: Store, vacancy: Vacancy, on: dt.date) -> VacancyChoice:
    """One vacancy as :class:`VacancyChoice`."""
    return _choices(store, [vacancy], on)[vacancy.id]


def campaign_group_names(codes: Sequence[str]) -> list[str]:
    """Priority-group names of a campaign's target groups (codes unknown to the table kept)."""
    return [priority_group_name(code) for code in codes]


__all__ = [
    "QUERY_MAX",
    "SEARCH_LIMIT",
    "BoothRow",
    "FairOverview",
    "VacancyChoice",
    "campaign_group_names",
    "check_query",
    "choice_of",
    "county_name",
    "fair_booths",
    "fair_overviews",
    "fairs_with_vacancy",
    "matched_terms",
    "place_of",
    "search_vacancies",
]
