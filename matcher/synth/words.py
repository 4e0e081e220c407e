"""Index spaces of the simulation: skills, occupations and certificates as integers and bit sets.

Seekers and vacancies are simulated as numpy columns; these functions turn their words into the
integers those columns hold. Built once per process on first use, in a fixed (sorted) order so
that runs do not depend on hash randomisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from matcher.reference import certificates, occupations
from matcher.synth.vocab import MAJORS, TITLES

GENERIC_SKILLS: tuple[str, ...] = ("办公软件", "沟通协调", "普通话", "团队协作", "驾驶")
"""Skills seekers list that belong to no title in particular."""


@dataclass(frozen=True)
class SkillCodes:
    """Skill words ↔ bit positions; a skill set is ``words`` uint64 numbers."""

    skills: tuple[str, ...]
    index: dict[str, int]

    @property
    def words(self) -> int:
        return (len(self.skills) + 63) // 64

    def encode(self, skills: Iterable[str]) -> npt.NDArray[np.uint64]:
        """The bit set of ``skills`` (unknown words are ignored), shape (words,)."""
        bits = np.zeros(self.words, dtype=np.uint64)
        for skill in skills:
            position = self.index.get(skill)
            if position is not None:
                bits[position // 64] |= np.uint64(1 << (position % 64))
        return bits


@cache
def skill_codes() -> SkillCodes:
    words = {skill for spec in TITLES for skill in spec.skills}
    words.update(skill for major in MAJORS for skill in major.skills)
    words.update(GENERIC_SKILLS)
    ordered = tuple(sorted(words))
    return SkillCodes(ordered, {skill: position for position, skill in enumerate(ordered)})


@cache
def occupation_codes() -> tuple[str, ...]:
    """Every 大典 code a title or an industry override uses, sorted."""
    codes = {spec.occupation for spec in TITLES}
    codes.update(code for spec in TITLES for code in spec.occupation_by_industry.values())
    unknown = sorted(code for code in codes if code not in occupations())
    if unknown:
        raise ValueError(f"titles use occupation codes missing from the 大典 table: {unknown}")
    return tuple(sorted(codes))


@cache
def _occupation_positions() -> dict[str, int]:
    return {code: position for position, code in enumerate(occupation_codes())}


def occupation_index(code: str) -> int:
    """Position of a 大典 code in :func:`occupation_codes`."""
    return _occupation_positions()[code]


@cache
def occupation_groups() -> tuple[npt.NDArray[np.int16], npt.NDArray[np.int16]]:
    """For each occupation of :func:`occupation_codes`: its 中类 (``6-31``) and 大类 (``6``) as
    small integers, so that "same mid group" is an integer comparison."""
    table = occupations()
    codes = occupation_codes()
    mid_names = sorted({table[code].mid_code for code in codes})
    major_names = sorted({table[code].major_code for code in codes})
    mid = np.array([mid_names.index(table[code].mid_code) for code in codes], dtype=np.int16)
    major = np.array([major_names.index(table[code].major_code) for code in codes], dtype=np.int16)
    return mid, major


@cache
def _certificate_positions() -> dict[str, int]:
    codes = tuple(certificates())
    if len(codes) > 64:
        raise ValueError(f"{len(codes)} certificates do not fit a 64-bit set")
    return {code: position for position, code in enumerate(codes)}


def certificate_bit(code: str) -> int:
    """The bit of a certificate code in a certificate set."""
    return 1 << _certificate_positions()[code]


def certificate_mask(codes: Iterable[str]) -> int:
    """The certificate set of ``codes``."""
    mask = 0
    for code in codes:
        mask |= certificate_bit(code)
    return mask
