"""The one place that turns domain objects into the plain strings and arrays ``features`` takes."""

from __future__ import annotations

from collections.abc import Sequence

from matcher.domain import Seeker, Vacancy
from matcher.reference import certificates, occupations


def _certificate_names(codes: Sequence[str]) -> list[str]:
    table = certificates()
    return [table[code].name if code in table else code for code in codes]


def seeker_text(seeker: Seeker) -> str:
    """What the seeker wants and can do, as one text: desired titles and occupations first."""
    table = occupations()
    wanted = [*seeker.desired_titles, *(table[c].name for c in seeker.desired_occupations)]
    parts = [
        " ".join(wanted),
        seeker.major or "",
        " ".join(seeker.skills),
        " ".join(_certificate_names(seeker.certificates)),
        seeker.resume_text,
    ]
    return "\n".join(part for part in parts if part)


def vacancy_text(vacancy: Vacancy) -> str:
    """The vacancy as one text: title (twice, it matters most), occupation, skills, description."""
    table = occupations()
    occupation = table[vacancy.occupation].name if vacancy.occupation in table else ""
    parts = [
        vacancy.title,
        vacancy.title,
        occupation,
        " ".join(vacancy.skills),
        " ".join(_certificate_names(vacancy.required_certificates)),
        vacancy.description,
    ]
    return "\n".join(part for part in parts if part)
