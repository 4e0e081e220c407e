"""Structured fields a vacancy left out, read from its title and description.

Postings gathered from other platforms often carry salary, education, experience, age and
certificates only in their text, and no 大典 occupation. :func:`complete_vacancy` fills what is
missing — never what was given — with the parsers of :mod:`features.parsers` and the title
matcher, keeping only values the schema accepts.
"""

from __future__ import annotations

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
from matcher.domain.records import Vacancy
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
