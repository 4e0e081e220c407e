"""Reference code tables shipped with jobmatch: facts, no logic.

Regions (GB/T 2260), education (GB/T 4658), 大典 2022 occupations, industries (GB/T 4754),
priority groups, certificates, Suining's posted titles and majors; the campaign calendar file.
Imports nothing of ``matcher``: every other subpackage may import it.
"""

from matcher.reference.tables import (
    SUINING_CITY_CODE,
    SUINING_COUNTY_CODES,
    Certificate,
    EducationLevel,
    Industry,
    LocalTitle,
    Occupation,
    PriorityGroup,
    Region,
    RegionTable,
    certificates,
    education_codes,
    industries,
    local_titles,
    majors,
    occupation_by_name,
    occupations,
    parse_education,
    priority_groups,
    regions,
    resolve_certificate,
    resolve_priority_group,
)

__all__ = [
    "SUINING_CITY_CODE",
    "SUINING_COUNTY_CODES",
    "Certificate",
    "EducationLevel",
    "Industry",
    "LocalTitle",
    "Occupation",
    "PriorityGroup",
    "Region",
    "RegionTable",
    "certificates",
    "education_codes",
    "industries",
    "local_titles",
    "majors",
    "occupation_by_name",
    "occupations",
    "parse_education",
    "priority_groups",
    "regions",
    "resolve_certificate",
    "resolve_priority_group",
]
