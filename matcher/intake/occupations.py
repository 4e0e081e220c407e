"""Occupation codes for job titles: a vacancy title or a desired occupation → 职业分类大典 (2022).

The matcher (:class:`features.titles.TitleMatcher`) is built from the shipped tables, in this
priority order (earlier names win where two clean to the same text):

1. ``reference/title_aliases.csv`` — market titles curated by hand (普工, 叉车工, 外卖骑手 …),
   each with a note where the code is a choice rather than a fact;
2. Suining's posted titles (:func:`matcher.reference.local_titles`) and their codes;
3. every 大典 occupation name;
4. the 大典 work types (工种), with weight :data:`WORK_TYPE_WEIGHT` and in the similarity step
   only: the source lists them partly under the wrong occupation (装卸搬运工 lists drone pilots),
   so a work type never wins an exact or contains match. A work type listed under several
   occupations is kept only under the first (the later copies are the misalignment).

Built on first use and cached for the process (a few hundred milliseconds; see
``benchmarks/measure_titles.py``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from features.titles import MatchMethod, TitleMatch, TitleMatcher
from matcher.reference import local_titles, occupations, regions
from matcher.reference.tables import SUINING_CITY_CODE, SUINING_COUNTY_CODES

ALIASES_PATH = Path(__file__).parent.parent / "reference" / "title_aliases.csv"
WORK_TYPE_WEIGHT = 0.8
"""Weight of a 大典 work type: its matches count for 80 % (the source is partly misaligned)."""
MIN_WORK_TYPE_LENGTH = 3
"""Shorter work types are fragments of the source's line breaks (``超``, ``航空``)."""
MIN_CONFIDENCE = 0.5
"""Below this the title gets no code."""


@dataclass(frozen=True, slots=True)
class TitleAlias:
    """A market job title and the 大典 code chosen for it."""

    alias: str
    occ_code: str
    note: str


@dataclass(frozen=True, slots=True)
class OccupationMatch:
    """The 大典 occupation for a title, or ``code=None`` when nothing fits well enough."""

    code: str | None
    name: str | None
    confidence: float
    method: MatchMethod


@cache
def title_aliases() -> tuple[TitleAlias, ...]:
    """The curated aliases of ``reference/title_aliases.csv``, in file order."""
    with ALIASES_PATH.open(encoding="utf-8", newline="") as handle:
        return tuple(
            TitleAlias(row["alias"], row["occ_code"], row["note"]) for row in csv.DictReader(handle)
        )


def title_places() -> tuple[str, ...]:
    """Place names stripped from the start of titles: Sichuan's cities and Suining's counties
    (also without 市/区/县: ``射洪``), Suining's parks and its towns by their full names (a town
    without its 镇 is often an ordinary word: 平安, 明星, 中兴)."""
    table = regions()
    names: set[str] = {"四川", "四川省"}
    for region in table.by_code.values():
        if (region.level == "city" and region.code.startswith("51")) or (
            region.code in SUINING_COUNTY_CODES
        ):
            names.add(region.name)
            if len(region.name) >= 3 and region.name[-1] in "市区县":
                names.add(region.name[:-1])
        elif region.level == "park" and region.parent == SUINING_CITY_CODE:
            names.update((region.name, *region.aliases))
    names.update(town for town, _county in table.towns.values())
    return tuple(sorted(names))


def known_titles(*, work_types: bool = True) -> tuple[list[str], list[str], list[float]]:
    """The names, codes and weights the matcher learns, in priority order.

    Parameters
    ----------
    work_types : bool, default True
        Whether to include the 大典 work types (with :data:`WORK_TYPE_WEIGHT`).

    Returns
    -------
    names, codes, weights : lists of the same length
    """
    table = occupations()
    names: list[str] = []
    codes: list[str] = []
    weights: list[float] = []

    def add(name: str, code: str, weight: float = 1.0) -> None:
        names.append(name)
        codes.append(code)
        weights.append(weight)

    for alias in title_aliases():
        add(alias.alias, alias.occ_code)
    for local in local_titles():
        add(local.title, local.occupation)
    for code, occupation in table.items():
        add(occupation.name, code)
    if work_types:
        seen: set[str] = set(names)
        for code, occupation in table.items():
            for work_type in occupation.work_types:
                if len(work_type) >= MIN_WORK_TYPE_LENGTH and work_type not in seen:
                    seen.add(work_type)
                    add(work_type, code, WORK_TYPE_WEIGHT)
    return names, codes, weights


def build_occupation_matcher(
    *, min_confidence: float = MIN_CONFIDENCE, work_types: bool = True
) -> TitleMatcher:
    """A new :class:`~features.titles.TitleMatcher` fitted on the shipped tables.

    Parameters
    ----------
    min_confidence : float, default :data:`MIN_CONFIDENCE`
    work_types : bool, default True
        Whether the 大典 work types take part (similarity step only).
    """
    names, codes, weights = known_titles(work_types=work_types)
    matcher = TitleMatcher(
        min_confidence=min_confidence,
        lookup_min_weight=1.0,
        places=title_places(),
    )
    return matcher.fit(names, codes, weights)


@cache
def occupation_matcher() -> TitleMatcher:
    """The process-wide matcher, built on first use."""
    return build_occupation_matcher()


def to_occupation_match(found: TitleMatch) -> OccupationMatch:
    """An :class:`OccupationMatch` with the 大典 name for a generic :class:`TitleMatch`."""
    if found.label is None:
        return OccupationMatch(None, None, found.confidence, found.method)
    return OccupationMatch(
        found.label, occupations()[found.label].name, found.confidence, found.method
    )


def occupation_for_title(title: str) -> OccupationMatch:
    """The 大典 2022 occupation for a vacancy title or a desired occupation.

    >>> occupation_for_title("急招叉车工（有证）").name
    '起重装卸机械操作工'
    """
    return to_occupation_match(occupation_matcher().match(title))


def occupation_for_titles(titles: Iterable[str]) -> list[OccupationMatch]:
    """:func:`occupation_for_title` for many titles, with one similarity product per block.

    Raises
    ------
    TypeError
        If ``titles`` is a single ``str`` or holds something else than ``str``.
    """
    if isinstance(titles, str):
        raise TypeError("titles must be an iterable of str, not a single str")
    found = occupation_matcher().match_many(list(titles))
    return [to_occupation_match(one) for one in found]
