"""The reference tables shipped with jobmatch, loaded once per process on first use.

Sources (see ``build_tables.py`` for the derivation):

- regions: GB/T 2260-compatible 统计用区划代码 2023, all of China to county level, plus
  Suining's city-level parks (市直园区) as named areas with project-assigned codes 5109 7x;
- education: GB/T 4658-2006 学历代码, mapped to ordered levels;
- occupations: 中华人民共和国职业分类大典 (2022), codes, names and hierarchy;
- industries: GB/T 4754-2017 sections and divisions;
- priority groups: every group the 2022 Suining campaign notice names;
- certificates: common certificates asked for in vacancies (特种作业, 特种设备, 驾驶证 …).
"""

from __future__ import annotations

import csv
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
SUINING_CITY_CODE = "5109"
SUINING_COUNTY_CODES = ("510903", "510904", "510921", "510923", "510981")


def _rows(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _aliases(text: str) -> tuple[str, ...]:
    return tuple(alias.strip() for alias in text.split(";") if alias.strip())


# --- regions -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative area (province, city, county) or a named park."""

    code: str
    name: str
    level: str
    parent: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegionTable:
    """GB/T 2260 regions with parent links and name look-up."""

    by_code: dict[str, Region]
    by_name: dict[str, list[str]] = field(default_factory=dict)
    towns: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Suining towns and streets: code → (name, county code)."""

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def get(self, code: str) -> Region | None:
        return self.by_code.get(code)

    def name_of(self, code: str) -> str:
        """An area's name (船山区), or the code itself when the table lacks it."""
        region = self.by_code.get(code)
        return region.name if region is not None else code

    def city_of(self, code: str) -> str:
        """The city (地级) code of a county, park or city code; province codes map to themselves."""
        region = self.by_code[code]
        if region.level in ("county", "park"):
            return region.parent
        return code

    def resolve(self, text: str) -> str | None:
        """A code for ``text`` when it is a known code or a name that names one area only."""
        text = text.strip()
        if text in self.by_code:
            return text
        codes = self.by_name.get(text, [])
        return codes[0] if len(codes) == 1 else None

    def full_name(self, code: str) -> str:
        """四川省遂宁市船山区 style name for display."""
        region = self.by_code[code]
        parts = [region.name]
        parent = region.parent
        while parent:
            upper = self.by_code[parent]
            if upper.name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                parts.append(upper.name)
            parent = upper.parent
        return "".join(reversed(parts))

    def children(self, code: str) -> list[Region]:
        return [region for region in self.by_code.values() if region.parent == code]


@cache
def regions() -> RegionTable:
    by_code: dict[str, Region] = {}
    for row in _rows("regions.csv"):
        by_code[row["code"]] = Region(row["code"], row["name"], row["level"], row["parent"])
    for row in _rows("parks.csv"):
        by_code[row["code"]] = Region(
            row["code"], row["name"], "park", row["parent"], _aliases(row["aliases"])
        )
    by_name: dict[str, list[str]] = {}
    for region in by_code.values():
        for name in (region.name, *region.aliases):
            by_name.setdefault(name, []).append(region.code)
    towns = {row["code"]: (row["name"], row["county"]) for row in _rows("suining_towns.csv")}
    return RegionTable(by_code, by_name, towns)


# --- education -----------------------------------------------------------------------------


class EducationLevel(enum.IntEnum):
    """Ordered education levels used for matching (GB/T 4658 groups, merged where employers do).

    ``NONE`` is only for a vacancy's minimum education: 学历不限.
    """

    NONE = 0
    JUNIOR_OR_BELOW = 1
    SENIOR_SECONDARY = 2
    JUNIOR_COLLEGE = 3
    BACHELOR = 4
    MASTER = 5
    DOCTOR = 6

    @property
    def label(self) -> str:
        return EDUCATION_LABELS[self]


EDUCATION_LABELS = {
    EducationLevel.NONE: "学历不限",
    EducationLevel.JUNIOR_OR_BELOW: "初中及以下",
    EducationLevel.SENIOR_SECONDARY: "高中/中专/技校",
    EducationLevel.JUNIOR_COLLEGE: "大专",
    EducationLevel.BACHELOR: "本科",
    EducationLevel.MASTER: "硕士",
    EducationLevel.DOCTOR: "博士",
}

EDUCATION_WORDS: dict[str, EducationLevel] = {
    "学历不限": EducationLevel.NONE,
    "不限": EducationLevel.NONE,
    "小学": EducationLevel.JUNIOR_OR_BELOW,
    "初中": EducationLevel.JUNIOR_OR_BELOW,
    "初中及以下": EducationLevel.JUNIOR_OR_BELOW,
    "高中": EducationLevel.SENIOR_SECONDARY,
    "普高": EducationLevel.SENIOR_SECONDARY,
    "职高": EducationLevel.SENIOR_SECONDARY,
    "中专": EducationLevel.SENIOR_SECONDARY,
    "中技": EducationLevel.SENIOR_SECONDARY,
    "中职": EducationLevel.SENIOR_SECONDARY,
    "技校": EducationLevel.SENIOR_SECONDARY,
    "高中/中专": EducationLevel.SENIOR_SECONDARY,
    "中专/中技": EducationLevel.SENIOR_SECONDARY,
    "高中/中专/技校": EducationLevel.SENIOR_SECONDARY,
    "大专": EducationLevel.JUNIOR_COLLEGE,
    "专科": EducationLevel.JUNIOR_COLLEGE,
    "高职": EducationLevel.JUNIOR_COLLEGE,
    "本科": EducationLevel.BACHELOR,
    "学士": EducationLevel.BACHELOR,
    "硕士": EducationLevel.MASTER,
    "研究生": EducationLevel.MASTER,
    "博士": EducationLevel.DOCTOR,
}


def _level_of_gbt4658(code: str) -> EducationLevel:
    number = int(code)
    if 10 <= number <= 13:
        return EducationLevel.DOCTOR
    if number < 20:
        return EducationLevel.MASTER
    if number < 30:
        return EducationLevel.BACHELOR
    if number < 40:
        return EducationLevel.JUNIOR_COLLEGE
    if number < 70:
        return EducationLevel.SENIOR_SECONDARY
    return EducationLevel.JUNIOR_OR_BELOW


@cache
def education_codes() -> dict[str, tuple[str, EducationLevel]]:
    """GB/T 4658-2006 code → (name, ordered level). 研究生教育 (10) maps to the doctoral level."""
    return {
        row["code"]: (row["name"], _level_of_gbt4658(row["code"])) for row in _rows("education.csv")
    }


def parse_education(value: str | int) -> EducationLevel | None:
    """An ordered level for a GB/T 4658 code, a level number 0–6, or a common word; else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return EducationLevel(value) if 0 <= value <= 6 else None
    text = str(value).strip()
    for suffix in ("学历", "及以上", "以上"):
        text = text.removesuffix(suffix)
    if text in EDUCATION_WORDS:
        return EDUCATION_WORDS[text]
    if text.isdigit():
        if len(text) == 1:
            return EducationLevel(int(text)) if int(text) <= 6 else None
        found = education_codes().get(text)
        return found[1] if found else None
    by_name = {name: level for name, level in education_codes().values()}
    return by_name.get(text)


# --- occupations ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Occupation:
    """A 职业分类大典 (2022) occupation with its hierarchy."""

    code: str
    name: str
    marker: str
    major_code: str
    major_name: str
    mid_code: str
    mid_name: str
    minor_code: str
    minor_name: str
    work_types: tuple[str, ...]


@cache
def occupations() -> dict[str, Occupation]:
    """大典 2022 code (``6-31-01-03``) → occupation."""
    return {
        row["occ_code"]: Occupation(
            row["occ_code"],
            row["occ_name"],
            row["marker"],
            row["major_code"],
            row["major_name"],
            row["mid_code"],
            row["mid_name"],
            row["minor_code"],
            row["minor_name"],
            _aliases(row["work_types"]),
        )
        for row in _rows("occupations.csv")
    }


@cache
def occupation_by_name() -> dict[str, str]:
    """Occupation name → code (names are unique in the 2022 edition as shipped)."""
    return {occupation.name: code for code, occupation in occupations().items()}


@dataclass(frozen=True, slots=True)
class LocalTitle:
    """A job title as Suining employers post it, its 大典 code and the skills that go with it."""

    title: str
    occupation: str
    skills: tuple[str, ...]


@cache
def local_titles() -> tuple[LocalTitle, ...]:
    """Suining's posted job titles in file order (``local_titles.csv``; the synthetic generator
    posts exactly these titles)."""
    return tuple(
        LocalTitle(row["title"], row["occ_code"], _aliases(row["skills"]))
        for row in _rows("local_titles.csv")
    )


@cache
def majors() -> tuple[str, ...]:
    """Fields of study the domain dictionary knows (``majors.csv``)."""
    return tuple(row["major"] for row in _rows("majors.csv"))


# --- industries ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Industry:
    """A GB/T 4754-2017 section (门类, a letter) or division (大类, two digits)."""

    code: str
    name: str
    level: str
    section: str


@cache
def industries() -> dict[str, Industry]:
    return {
        row["code"]: Industry(row["code"], row["name"], row["level"], row["section"] or row["code"])
        for row in _rows("industries.csv")
    }


# --- priority groups and certificates ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriorityGroup:
    """A group the campaign notice names for extra care."""

    code: str
    name: str
    aliases: tuple[str, ...]
    notice_wording: str


@cache
def priority_groups() -> dict[str, PriorityGroup]:
    return {
        row["code"]: PriorityGroup(
            row["code"], row["name"], _aliases(row["aliases"]), row["notice_wording"]
        )
        for row in _rows("priority_groups.csv")
    }


def priority_group_name(code: str) -> str:
    """A priority group's Chinese name (``veteran`` → 退役军人), or ``code`` itself when the
    table lacks it."""
    group = priority_groups().get(code)
    return group.name if group is not None else code


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate or licence that vacancies ask for, with the words people use for it."""

    code: str
    name: str
    category: str
    aliases: tuple[str, ...]
    covers: tuple[str, ...] = ()
    """Codes whose holders' rights this one includes: a driving licence's lower classes
    (准驾车型: an A2 licence entitles its holder to drive B1, B2, C1 and C2 vehicles)."""


@cache
def certificates() -> dict[str, Certificate]:
    return {
        row["code"]: Certificate(
            row["code"],
            row["name"],
            row["category"],
            _aliases(row["aliases"]),
            _aliases(row.get("covers") or ""),
        )
        for row in _rows("certificates.csv")
    }


def held_certificates(codes: Iterable[str]) -> list[str]:
    """What a seeker holding ``codes`` may do as a certificate holder: ``codes`` (in order,
    once each), then the codes they cover (an A2 licence also counts as B2, C1 …) — so a
    posting that asks for 持B2驾驶证 is met by an A2 licence. Codes outside the table are kept
    as they are."""
    table = certificates()
    held = dict.fromkeys(codes)
    for code in list(held):
        found = table.get(code)
        if found is not None:
            held.update(dict.fromkeys(found.covers))
    return list(held)


def certificate_name(code: str) -> str:
    """A certificate's name (``welder`` → 熔化焊接与热切割作业证), or ``code`` itself when the
    table lacks it."""
    found = certificates().get(code)
    return found.name if found is not None else code


def _lookup(entries: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, (name, aliases) in entries.items():
        for word in (code, name, *aliases):
            table.setdefault(word.casefold(), code)
    return table


@cache
def _group_lookup() -> dict[str, str]:
    return _lookup({code: (g.name, g.aliases) for code, g in priority_groups().items()})


@cache
def _certificate_lookup() -> dict[str, str]:
    return _lookup({code: (c.name, c.aliases) for code, c in certificates().items()})


def resolve_priority_group(text: str) -> str | None:
    """The group code for a code, name or alias (``退捕渔民`` → ``retired_fisher``); else None."""
    return _group_lookup().get(text.strip().casefold())


def resolve_certificate(text: str) -> str | None:
    """The certificate code for a code, name or alias (``电工证`` → ``low_voltage_electrician``)."""
    return _certificate_lookup().get(text.strip().casefold())
