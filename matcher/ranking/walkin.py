"""The counter's walk-in lookup: a seeker as staff typed their words (or a stored seeker) → the
best vacancies with their reasons, what the system read from the words, and the interactions
staff record when they hand the list over.

A typed walk-in is never written: :func:`walk_in_seeker` redacts and completes the text in
memory — :func:`~matcher.domain.privacy.redact_record` then
:func:`~matcher.intake.completion.complete_seeker`, the path an inline seeker of the API takes,
without the service's cache of recent inline seekers, so the words are gone with the request.
Only :func:`save_walk_in`, which staff choose, stores a seeker (through the service's write path:
validation, redaction, completion, the tenant's store), and only then can :func:`record_shown`
write interactions for it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from matcher.domain.privacy import redact_record
from matcher.domain.records import (
    MAX_RESUME,
    Interaction,
    InteractionKind,
    Seeker,
    Vacancy,
    validate_record,
)
from matcher.errors import InvalidRequest, NotFound, check_count
from matcher.intake.completion import complete_seeker
from matcher.ranking.engine import NO_REASON, Filters
from matcher.ranking.service import MatchService, ResolvedSeeker
from matcher.reference import (
    SUINING_CITY_CODE,
    EducationLevel,
    certificate_name,
    occupations,
    regions,
)
from matcher.storage.store import DEFAULT_TENANT

MAX_WALK_IN_CHARS = MAX_RESUME
"""The longest walk-in text read: a seeker's résumé text can hold no more."""
MAX_LOOKUP = 50
"""Most vacancies one lookup lists (a page staff print and hand over)."""
DESK_SOURCE = "desk"
"""The ``source`` of interactions recorded at the counter."""
RECORDED_KINDS: dict[str, str] = {
    InteractionKind.IMPRESSION.value: "已推荐",
    InteractionKind.APPLY.value: "已投递",
}
"""What staff may record from a lookup, and how the page says it."""
WALK_IN_PREFIX = "WK-"
_ID_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
"""A saved walk-in's id is the prefix and eight letters: no digits, so it can never look like
a phone number or a 身份证号."""

FIELD_LABELS: dict[str, str] = {
    "desired_titles": "期望职业",
    "desired_occupations": "对应职业（大典）",
    "past_occupations": "做过的职业（大典）",
    "certificates": "证书",
    "skills": "技能",
    "experience_years": "工作年限",
    "education": "学历",
    "birth_year": "出生年份",
    "region": "居住地",
    "desired_regions": "意向地区",
    "expected_salary": "期望月薪",
}
"""The seeker fields the page shows, in the order shown, and their Chinese labels."""


@dataclass(frozen=True)
class Understood:
    """One field of the seeker as the page shows it: 期望职业 → 司机、保安."""

    field: str
    label: str
    value: str


@dataclass(frozen=True)
class LookupRow:
    """One listed vacancy: what the counter shows and prints."""

    rank: int
    vacancy_id: str
    title: str
    employer: str
    region: str
    place: str
    """The vacancy's county or park by name (船山区, 河东新区)."""
    salary_min: int | None
    salary_max: int | None
    openings: int | None
    reasons: tuple[str, ...]
    score: float


def area_choices() -> list[tuple[str, str]]:
    """The areas a lookup may be narrowed to: Suining's counties and its city-level parks,
    as (GB/T 2260 code, name)."""
    return [(area.code, area.name) for area in regions().children(SUINING_CITY_CODE)]


def place_name(code: str) -> str:
    """An area's name (船山区), or the code when the table lacks it."""
    return regions().name_of(code)


def _walk_in_text(text: str) -> str:
    """``text`` stripped; InvalidRequest when it is empty or longer than
    :data:`MAX_WALK_IN_CHARS`."""
    text = text.strip()
    if not text:
        raise InvalidRequest("a walk-in needs some text")
    if len(text) > MAX_WALK_IN_CHARS:
        raise InvalidRequest(f"a walk-in text holds at most {MAX_WALK_IN_CHARS} characters")
    return text


def walk_in_seeker(
    text: str, *, region: str | None = None, today: dt.date | None = None
) -> ResolvedSeeker:
    """A seeker given as the words staff typed (and, optionally, a home area): personal data
    redacted from the text, the missing fields read from it, and the names of the fields read.
    Held in memory only. ``today`` turns a stated age into a birth year.

    Raises :class:`~matcher.errors.InvalidRequest` for an empty or over-long text and
    :class:`~matcher.errors.InvalidRecord` for an unknown area."""
    text = _walk_in_text(text)
    bare = validate_record(Seeker, {"id": "walk-in", "resume_text": text, "region": region})
    redacted, _ = redact_record(bare)
    assert isinstance(redacted, Seeker)
    seeker, inferred = complete_seeker(redacted, today=today)
    return ResolvedSeeker(seeker, inferred)


def understood(seeker: Seeker, fields: Sequence[str] | None = None) -> list[Understood]:
    """The seeker's ``fields`` (default: every field of :data:`FIELD_LABELS` it has) in
    words, in the order of :data:`FIELD_LABELS`; empty fields are left out."""
    wanted = set(FIELD_LABELS if fields is None else fields)
    shown = []
    for name, label in FIELD_LABELS.items():
        if name not in wanted:
            continue
        value = _in_words(seeker, name)
        if value:
            shown.append(Understood(name, label, value))
    return shown


def _in_words(seeker: Seeker, name: str) -> str:
    if name == "desired_titles":
        return "、".join(seeker.desired_titles)
    if name in ("desired_occupations", "past_occupations"):
        table = occupations()
        codes: list[str] = getattr(seeker, name)
        return "、".join(table[code].name if code in table else code for code in codes)
    if name == "certificates":
        return "、".join(certificate_name(code) for code in seeker.certificates)
    if name == "skills":
        return "、".join(seeker.skills)
    if name == "experience_years":
        years = seeker.experience_years
        return "" if years is None else f"{years:g} 年"
    if name == "education":
        level = seeker.education
        return "" if level is None else EducationLevel(level).label
    if name == "birth_year":
        return "" if seeker.birth_year is None else f"{seeker.birth_year} 年"
    if name == "region":
        return "" if seeker.region is None else place_name(seeker.region)
    if name == "desired_regions":
        return "、".join(place_name(code) for code in seeker.desired_regions)
    if name == "expected_salary":
        return "" if seeker.expected_salary is None else f"{seeker.expected_salary} 元"
    raise ValueError(f"unknown seeker field {name!r}; choose one of {', '.join(FIELD_LABELS)}")


def look_up(
    service: MatchService,
    seeker: ResolvedSeeker | str,
    k: int,
    *,
    area: str | None = None,
    campaign: str | None = None,
    on: dt.date | None = None,
    tenant: str = DEFAULT_TENANT,
) -> list[LookupRow]:
    """The ``k`` best of ``tenant``'s vacancies open ``on`` the day for a walk-in (resolved by
    :func:`walk_in_seeker`) or one of ``tenant``'s seekers by id (NotFound), only in ``area``
    when given and within ``campaign`` when given; each with its openings and its reasons as
    a list. ``k`` is at most :data:`MAX_LOOKUP`."""
    k = check_count("k", k, maximum=MAX_LOOKUP)
    if isinstance(seeker, str):  # a stored seeker, read once (NotFound) and ranked as stored
        seeker = ResolvedSeeker(service.seeker(seeker, tenant=tenant), ())
    filters = Filters(regions=(area,)) if area else None
    found = service.recommend(seeker, k, campaign=campaign, filters=filters, on=on, tenant=tenant)
    stored = service.store.for_tenant(tenant).get_many(Vacancy, [r.vacancy_id for r in found])
    rows = []
    for item in found:
        vacancy = stored.get(item.vacancy_id)
        reasons = [part for part in item.reason.split("；") if part and part != NO_REASON]
        wish = None if vacancy is None else occupation_reason(seeker.seeker, vacancy)
        rows.append(
            LookupRow(
                rank=item.rank,
                vacancy_id=item.vacancy_id,
                title=item.title,
                employer=item.employer,
                region=item.region,
                place=place_name(item.region),
                salary_min=item.salary_min,
                salary_max=item.salary_max,
                openings=None if vacancy is None else vacancy.openings,
                reasons=tuple([wish] if wish else []) + tuple(reasons) or (NO_REASON,),
                score=item.score,
            )
        )
    return rows


def occupation_reason(seeker: Seeker, vacancy: Vacancy) -> str | None:
    """``职业：符合期望（保安员）`` when the vacancy's 大典 occupation is one the seeker wants
    (stated, or read from their words), ``职业：做过（道路货运汽车驾驶员）`` when it is work they
    have done but do not ask for; the engine's reason leaves this part out."""
    code = vacancy.occupation
    if code is None:
        return None
    known = occupations().get(code)
    name = known.name if known else code
    if code in seeker.desired_occupations:
        return f"职业：符合期望（{name}）"
    if code in seeker.past_occupations:
        return f"职业：做过（{name}）"
    return None


def new_walk_in_id(service: MatchService, *, tenant: str = DEFAULT_TENANT) -> str:
    """A fresh id for a walk-in staff save (``WK-`` and eight letters), unused in ``tenant``."""
    store = service.store.for_tenant(tenant)
    while True:
        candidate = WALK_IN_PREFIX + "".join(secrets.choice(_ID_LETTERS) for _ in range(8))
        if not store.exists(Seeker, [candidate]):
            return candidate


def save_walk_in(
    service: MatchService,
    text: str,
    *,
    region: str | None = None,
    birth_year: int | None = None,
    registered_on: dt.date | None = None,
    tenant: str = DEFAULT_TENANT,
) -> Seeker:
    """Store a walk-in as one of ``tenant``'s seekers, under a new id: the text (redacted) and
    what staff gave, the rest read from the text on the service's write path. Raises
    :class:`~matcher.errors.InvalidRecord` naming the fields the schema refuses."""
    text = _walk_in_text(text)
    seeker_id = new_walk_in_id(service, tenant=tenant)
    data: dict[str, object] = {"id": seeker_id, "resume_text": text}
    if region:
        data["region"] = region
    if birth_year is not None:
        data["birth_year"] = birth_year
    if registered_on is not None:
        data["registered_at"] = registered_on.isoformat()
    saved = service.put("seekers", seeker_id, data, tenant=tenant)
    assert isinstance(saved, Seeker)
    return saved


def record_shown(
    service: MatchService,
    seeker_id: str,
    vacancy_ids: Sequence[str],
    kind: str,
    *,
    at: dt.datetime,
    campaign: str | None = None,
    first_position: int = 1,
    tenant: str = DEFAULT_TENANT,
) -> int:
    """Record that one of ``tenant``'s seekers was shown (``impression``) or applied to
    (``apply``) ``vacancy_ids`` at the counter: one interaction each, in list order from
    ``first_position``, source :data:`DESK_SOURCE`. NotFound for an unknown seeker, vacancy or
    campaign (nothing written then); returns the number written."""
    if kind not in RECORDED_KINDS:
        raise InvalidRequest(f"kind must be one of {', '.join(RECORDED_KINDS)}")
    if not vacancy_ids:
        raise InvalidRequest("no vacancy to record")
    service.campaign(campaign)
    store = service.store.for_tenant(tenant)
    if not store.exists(Seeker, [seeker_id]):
        raise NotFound("seeker", seeker_id)
    known = store.exists(Vacancy, vacancy_ids)
    for vacancy_id in vacancy_ids:
        if vacancy_id not in known:
            raise NotFound("vacancy", vacancy_id)
    events = [
        Interaction(
            seeker_id=seeker_id,
            vacancy_id=vacancy_id,
            kind=InteractionKind(kind),
            time=at,
            position=first_position + offset,
            campaign_id=campaign,
            source=DESK_SOURCE,
        ).model_dump(mode="json")
        for offset, vacancy_id in enumerate(vacancy_ids)
    ]
    outcomes = service.add_interactions(events, tenant=tenant)
    refused = [outcome for outcome in outcomes if not outcome.accepted]
    if refused:
        raise InvalidRequest(
            "interaction refused: "
            + "; ".join(f"{p.field} {p.message}" for o in refused for p in o.problems)
        )
    return len(outcomes)


__all__ = [
    "DESK_SOURCE",
    "FIELD_LABELS",
    "MAX_LOOKUP",
    "MAX_WALK_IN_CHARS",
    "RECORDED_KINDS",
    "LookupRow",
    "Understood",
    "area_choices",
    "look_up",
    "new_walk_in_id",
    "occupation_reason",
    "place_name",
    "record_shown",
    "save_walk_in",
    "understood",
    "walk_in_seeker",
]
