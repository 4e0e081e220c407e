"""Structured fields a record left out, read from its text — both sides of the market.

Postings gathered from other platforms often carry salary, education, experience, age and
certificates only in their text, and no 大典 occupation. :func:`complete_vacancy` fills what is
missing — never what was given — with the parsers of :mod:`features.parsers` and the title
matcher, keeping only values the schema accepts.

A seeker may come as text alone (a walk-in at the counter, a résumé from another platform):
:func:`complete_seeker` reads the résumé with :func:`features.resume.parse_resume` (the walk-in
lexicon, the title matcher, certificates, places) and fills the fields that are missing —
desired jobs and occupations, education, experience, certificates, skills, age, home and
desired places, expected pay — and says which it filled.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from pydantic import ValidationError

from features.parsers import (
    find_age,
    find_certificates,
    find_education,
    find_experience,
    find_salary,
    find_welfare,
)
from features.resume import complete_seeker_fields, parse_resume
from matcher.domain.records import Seeker, Vacancy
from matcher.intake.lexicon import resume_vocabulary
from matcher.intake.occupations import occupation_for_title
from matcher.reference import EducationLevel, certificates


@cache
def certificate_aliases() -> dict[str, str]:
    """Every certificate name and alias → certificate code, for the certificate finder."""
    aliases: dict[str, str] = {}
    for code, certificate in certificates().items():
        for word in (certificate.name, *certificate.aliases):
            aliases.setdefault(word, code)
    return aliases


def _missing_from_text(vacancy: Vacancy) -> list[dict[str, Any]]:
    """Groups of field values to fill, each accepted or left out as a whole."""
    groups: list[dict[str, Any]] = []
    if vacancy.occupation is None:
        match = occupation_for_title(vacancy.title)
        if match.code is not None:
            groups.append({"occupation": match.code})
    text = vacancy.description
    if not text:
        return groups
    salary = find_salary(text)
    if vacancy.salary_min is None and vacancy.salary_max is None and salary.known:
        groups.append({"salary_min": salary.low, "salary_max": salary.high})
    education = find_education(text)
    if vacancy.min_education is EducationLevel.NONE and education.level:
        groups.append({"min_education": education.level})
    experience = find_experience(text)
    if not vacancy.min_experience_years and experience.min_years:
        groups.append({"min_experience_years": experience.min_years})
    age = find_age(text)
    if vacancy.age_min is None and vacancy.age_max is None and (age.low or age.high):
        groups.append({"age_min": age.low, "age_max": age.high})
    if not vacancy.required_certificates:
        required = find_certificates(text, certificate_aliases()).required
        if required:
            groups.append({"required_certificates": list(required)})
    if not vacancy.welfare:
        welfare = find_welfare(text)
        if welfare:
            groups.append({"welfare": list(welfare)})
    return groups


def complete_vacancy(vacancy: Vacancy) -> Vacancy:
    """The vacancy with its missing fields filled from its title and text (a new object; the
    same one when nothing was missing or readable). 学历不限 and no experience count as missing."""
    groups = _missing_from_text(vacancy)
    if not groups:
        return vacancy
    data = vacancy.model_dump()
    for group in groups:
        candidate = {**data, **group}
        try:
            Vacancy.model_validate(candidate)
        except ValidationError:
            continue  # e.g. a parsed salary outside the schema's bounds
        data = candidate
    return Vacancy.model_validate(data)


MAX_DESIRED = 10
"""Desired occupations a seeker may list (the schema's bound)."""
SEEKER_COMPLETION_CONFIDENCE = 0.5
"""Readings of a résumé below this confidence are not used to fill a field."""


def complete_seeker(
    seeker: Seeker, *, today: dt.date | None = None
) -> tuple[Seeker, tuple[str, ...]]:
    """The seeker with the fields it lacks read from its résumé text, and the names of the
    fields filled (in :data:`features.resume.SEEKER_FIELDS` order). Never overrides a given
    field; a filled group the schema refuses (e.g. experience beyond the stated age) is left
    out. ``today`` turns a stated age into a birth year (default: today)."""
    if not seeker.resume_text.strip():
        return seeker, ()
    parsed = parse_resume(seeker.resume_text, resume_vocabulary())
    data = seeker.model_dump()
    year = (today or dt.date.today()).year
    completion = complete_seeker_fields(
        parsed, data, reference_year=year, min_confidence=SEEKER_COMPLETION_CONFIDENCE
    )
    fields = dict(completion.fields)
    if "desired_occupations" in fields:
        # what the seeker did also tells what they can do: after the stated wishes
        past = [
            g.code for g in parsed.past_occupations if g.confidence >= SEEKER_COMPLETION_CONFIDENCE
        ]
        wanted = list(dict.fromkeys([*fields["desired_occupations"], *past]))  # type: ignore[misc]
        fields["desired_occupations"] = wanted[:MAX_DESIRED]
    if not completion.inferred:
        return seeker, ()
    filled: list[str] = []
    for name in completion.inferred:
        candidate = {**data, name: fields[name]}
        try:
            Seeker.model_validate(candidate)
        except ValidationError:
            continue
        data = candidate
        filled.append(name)
    if not filled:
        return seeker, ()
    return Seeker.model_validate(data), tuple(filled)
