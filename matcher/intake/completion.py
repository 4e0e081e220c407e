"""Structured fields a record left out, read from its text — both sides of the market.

Postings gathered from other platforms often carry salary, education, experience, age and
certificates only in their text, and no 大典 occupation. :func:`complete_vacancy` fills what is
missing — never what was given — with the parsers of :mod:`features.parsers` and the title
matcher, keeping only values the schema accepts.

A seeker may come as text alone (a walk-in at the counter, a résumé from another platform):
:func:`complete_seeker` reads the résumé with :func:`features.resume.parse_resume` (the walk-in
lexicon, the title matcher, certificates, places) and fills the fields that are missing —
desired jobs and occupations, past work, education, experience, certificates, skills, age,
home and desired places, expected pay — and says which it filled. A seeker who names no place
to work and not that any place will do is taken to accept their home's city, or without a home
the service's city (:func:`service_city`), as a counter clerk would take them.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache
from typing import Any

from pydantic import ValidationError

from features.parsers import (
    find_age,
    find_certificates,
    find_education,
    find_experience,
    find_salary,
    find_target_groups,
    find_welfare,
)
from features.resume import (
    SEEKER_FIELDS,
    ResumeFields,
    complete_seeker_fields,
    find_skills,
    parse_resume,
)
from matcher.domain.records import Seeker, Vacancy
from matcher.intake.lexicon import posting_place_finder, resume_vocabulary
from matcher.intake.occupations import occupation_for_title
from matcher.reference import SUINING_CITY_CODE, EducationLevel, certificates, regions


@cache
def certificate_aliases() -> dict[str, str]:
    """Every certificate name and alias → certificate code, for the certificate finder."""
    aliases: dict[str, str] = {}
    for code, certificate in certificates().items():
        for word in (certificate.name, *certificate.aliases):
            aliases.setdefault(word, code)
    return aliases


TITLE_READING_BELOW = 0.6
"""A posting title the title matcher places below this confidence is read like a stated wish
(the walk-in lexicon first): 河道巡护员, 果园管理工 and 公益性岗位（社区保洁巡查） have no
close 大典 name, and 押运员 is closest to 邮件转运员 by characters alone."""


def posting_occupation(title: str) -> str | None:
    """The 大典 code of a posting's title: the title matcher's, unless it is unsure (below
    :data:`TITLE_READING_BELOW`) and the title read as a wish names an occupation (the
    résumé parser's lexicon then title steps, first guess at the completion confidence)."""
    match = occupation_for_title(title)
    if match.code is not None and match.confidence >= TITLE_READING_BELOW:
        return match.code
    guesses = parse_resume(f"求职意向：{title}", resume_vocabulary()).desired_occupations
    if guesses and guesses[0].confidence >= SEEKER_COMPLETION_CONFIDENCE:
        return guesses[0].code
    return match.code


def vacancy_fields_from_text(title: str, text: str) -> list[dict[str, Any]]:
    """What a posting's title and text say of its structured fields, as groups of field values
    (each group is taken or left out whole): ``occupation`` from the title; the place
    (``region``), pay, minimum education and experience, ages and required certificates from
    the text; the skills it names (the résumé reader's skill words, :func:`find_skills`); the
    priority groups it is for and whether it welcomes disabled people
    (:func:`features.parsers.find_target_groups`: 退役军人优先, 可接收残疾人)."""
    groups: list[dict[str, Any]] = []
    if title:
        code = posting_occupation(title)
        if code is not None:
            groups.append({"occupation": code})
    if not text:
        return groups
    place = posting_place_finder().find(text)
    if place is not None:
        groups.append({"region": place})
    salary = find_salary(text)
    if salary.known:
        groups.append({"salary_min": salary.low, "salary_max": salary.high})
    education = find_education(text)
    if education.level:
        groups.append({"min_education": education.level})
    experience = find_experience(text)
    if experience.min_years:
        groups.append({"min_experience_years": experience.min_years})
    age = find_age(text)
    if age.low or age.high:
        groups.append({"age_min": age.low, "age_max": age.high})
    required = find_certificates(text, certificate_aliases()).required
    if required:
        groups.append({"required_certificates": list(required)})
    welfare = find_welfare(text)
    if welfare:
        groups.append({"welfare": list(welfare)})
    targets = find_target_groups(text, resume_vocabulary().priority_groups)
    if targets.groups:
        groups.append({"target_groups": list(targets.groups)})
    if targets.accessible:
        groups.append({"accessible": True})
    skills = find_skills(text, resume_vocabulary())
    if skills:
        groups.append({"skills": skills[:MAX_POSTING_SKILLS]})
    return groups


MAX_POSTING_SKILLS = 20
"""Skills read from one posting at most (a record holds a list of this order)."""


def _missing_from_text(vacancy: Vacancy) -> list[dict[str, Any]]:
    """The groups of :func:`vacancy_fields_from_text` whose fields the vacancy left out."""
    unset = {
        "occupation": vacancy.occupation is None,
        "region": False,  # a stored vacancy always states its place
        "salary_min": vacancy.salary_min is None and vacancy.salary_max is None,
        "min_education": vacancy.min_education is EducationLevel.NONE,
        "min_experience_years": not vacancy.min_experience_years,
        "age_min": vacancy.age_min is None and vacancy.age_max is None,
        "required_certificates": not vacancy.required_certificates,
        "welfare": not vacancy.welfare,
        "target_groups": not vacancy.target_groups,
        "accessible": not vacancy.accessible,
        "skills": not vacancy.skills,
    }
    title = vacancy.title if unset["occupation"] else ""
    return [
        group
        for group in vacancy_fields_from_text(title, vacancy.description)
        if unset[next(iter(group))]
    ]


def complete_vacancy(vacancy: Vacancy) -> Vacancy:
    """The vacancy with its missing fields filled from its title and text (a new object; the
    same one when nothing was missing or readable). 学历不限 and no experience count as missing."""
    groups = _missing_from_text(vacancy)
    if not groups:
        return vacancy
    data, _ = _filled(Vacancy, vacancy.model_dump(), groups)
    return Vacancy.model_validate(data)


def _filled(
    schema: type[Seeker] | type[Vacancy], data: dict[str, Any], groups: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[int]]:
    """``data`` with each group of values merged in, in order, where the schema accepts the
    result (a parsed salary outside its bounds, experience beyond the stated age is left out),
    and the positions of the groups taken."""
    taken: list[int] = []
    for position, group in enumerate(groups):
        candidate = {**data, **group}
        try:
            schema.model_validate(candidate)
        except ValidationError:
            continue
        data = candidate
        taken.append(position)
    return data, taken


SEEKER_COMPLETION_CONFIDENCE = 0.5
"""Readings of a résumé below this confidence are not used to fill a field."""

SERVICE_CITY_VARIABLE = "JOBMATCH_SERVICE_CITY"


def service_city() -> str:
    """The city the service works for (``JOBMATCH_SERVICE_CITY``, default 遂宁市 ``5109``): a
    seeker who names neither a place to work nor a home is taken to look for work there.

    Raises
    ------
    ValueError
        The variable holds no GB/T 2260 code of the region table.
    """
    code = os.environ.get(SERVICE_CITY_VARIABLE, "").strip() or SUINING_CITY_CODE
    if len(code) == 6 and code.endswith("00") and code[:4] in regions():
        code = code[:4]  # 510900: the city as a 6-digit code
    if code not in regions():
        raise ValueError(
            f"{SERVICE_CITY_VARIABLE}: {code!r} is not a region code (GB/T 2260, e.g. 5109)"
        )
    return regions().city_of(code)


def _default_places(
    seeker: Seeker, parsed: ResumeFields, fields: dict[str, Any]
) -> list[str] | None:
    """The places a seeker is taken to accept when they name none and not that any will do:
    their home's city (or the service's), then the places named only as one more (成都也去)."""
    if seeker.desired_regions or "desired_regions" in fields or parsed.anywhere is not None:
        return None
    home = seeker.region or fields.get("region")
    base = (
        regions().city_of(home) if isinstance(home, str) and home in regions() else service_city()
    )
    also = [r.value for r in parsed.places_also if r.confidence >= SEEKER_COMPLETION_CONFIDENCE]
    return list(dict.fromkeys([base, *also]))


def complete_seeker(
    seeker: Seeker, *, today: dt.date | None = None
) -> tuple[Seeker, tuple[str, ...]]:
    """The seeker with the fields it lacks read from its résumé text, and the names of the
    fields filled (in :data:`features.resume.SEEKER_FIELDS` order). Never overrides a given
    field; a filled group the schema refuses (e.g. experience beyond the stated age) is left
    out. ``today`` turns a stated age into a birth year and ends a work period given as
    ``2019年至今`` (default: today)."""
    if not seeker.resume_text.strip():
        return seeker, ()
    year = (today or dt.date.today()).year
    parsed = parse_resume(seeker.resume_text, resume_vocabulary(), reference_year=year)
    data = seeker.model_dump()
    given = dict(data)
    if seeker.desired_titles or seeker.desired_occupations:  # one wish, stated one way or both
        given["desired_titles"] = given["desired_occupations"] = ["given"]
    completion = complete_seeker_fields(
        parsed, given, reference_year=year, min_confidence=SEEKER_COMPLETION_CONFIDENCE
    )
    fields = dict(completion.fields)
    places = _default_places(seeker, parsed, fields)
    if places is not None:
        fields["desired_regions"] = places
    names = [name for name in SEEKER_FIELDS if name in fields]
    if not names:
        return seeker, ()
    data, taken = _filled(Seeker, data, [{name: fields[name]} for name in names])
    if not taken:
        return seeker, ()
    return Seeker.model_validate(data), tuple(names[i] for i in taken)


def text_only_view(seeker: Seeker, *, today: dt.date | None = None) -> Seeker:
    """The seeker as a walk-in given as text alone would come: the résumé text, priority groups
    and disability (verified by staff), every other field read from the text by
    :func:`complete_seeker`. Training mixes such views in so that the ranker also ranks well
    when structured fields are missing."""
    bare = Seeker(
        id=seeker.id,
        resume_text=seeker.resume_text,
        priority_groups=seeker.priority_groups,
        disability=seeker.disability,
    )
    return complete_seeker(bare, today=today)[0]
