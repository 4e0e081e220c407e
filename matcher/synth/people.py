"""Synthetic job seekers, their contact data and their search sessions.

Each seeker is drawn from an *archetype* — a 返乡农民工 in their forties with 初中 and years on
building sites, an 应届高校毕业生 of 22 with a major, a 退役军人 with a driving licence, a 残疾人
with a disability and suitable wishes — so that age, education, experience, skills, certificates,
desired titles and expected pay agree with the priority groups. About a third of the seekers
belong to no group.

The résumé text (:mod:`matcher.synth.resumes`) is a written résumé or, for about a third of the
seekers, walk-in speech; it states only what the record holds and never contains a name, phone
number, 身份证号, address or gender. Those personal data go into the seeker's
:class:`~matcher.domain.records.Contact` only.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from matcher.domain.codes import id_number_check_digit
from matcher.domain.records import Contact, DisabilityType, Seeker
from matcher.reference import held_certificates, regions
from matcher.synth.resumes import birth_year_of, write_resume
from matcher.synth.schedule import Schedule, group_bit
from matcher.synth.vocab import (
    AREA_CODES,
    AREA_NAMES,
    CHENGDU_BIT,
    CITY_BIT,
    COUNTY_COUNT,
    GIVEN_NAME_CHARACTERS,
    LEAVE_AGE,
    MAJORS,
    SEEKER_AREA_WEIGHTS,
    STREET_NAMES,
    SURNAMES,
    TITLE_INDEX,
    TITLES,
    VILLAGE_NAMES,
    MajorSpec,
    TitleSpec,
)
from matcher.synth.words import GENERIC_SKILLS, certificate_mask, occupation_index, skill_codes

BLOCK_SIZE = 5_000
"""Seekers are generated (and may be stored) in blocks of this many; each block has its own
random streams, so the data do not depend on how a caller consumes the blocks."""

SOURCES: tuple[str, ...] = (
    "suining_job_site",
    "sichuan_e_jiuye_wechat",
    "suining_jiuye_wechat",
    "fair_desk",
)
"""Platforms a session comes from: 遂宁公共招聘网, “四川e就业”微信服务号, “遂宁就业创业”微信公众号,
and the service desk of a job fair."""

Career = Literal["work", "returning", "graduate", "sanzhi", "veteran"]


@dataclass(frozen=True, slots=True)
class Archetype:
    """A kind of seeker, with the groups, ages, schooling and wishes that go together."""

    key: str
    weight: float
    groups: tuple[str, ...]
    extra_groups: tuple[tuple[str, float], ...]
    ages: tuple[int, int]
    """Age range in :data:`~matcher.synth.schedule.REFERENCE_YEAR`."""
    education: tuple[float, ...]
    """Probabilities of education levels 1 (初中及以下) … 6 (博士)."""
    titles: tuple[tuple[str, float], ...]
    """Title pool with weights; empty: titles follow the major or the market."""
    career: Career = "work"
    sources: tuple[float, float, float, float] = (0.35, 0.3, 0.15, 0.2)
    area_weights: tuple[float, ...] = SEEKER_AREA_WEIGHTS


_FACTORY_POOL = (
    ("普工", 3.0),
    ("操作工", 2.0),
    ("装配工", 1.5),
    ("包装工", 1.0),
    ("缝纫工", 1.0),
    ("快递员", 1.0),
    ("分拣员", 1.0),
    ("装卸工", 1.0),
    ("焊工", 1.0),
    ("电工", 0.8),
    ("服务员", 1.0),
    ("厨师", 0.6),
    ("建筑普工", 1.0),
    ("叉车司机", 0.8),
    ("SMT操作员", 0.6),
    ("PCB操作工", 0.6),
    ("锂电池生产技术员", 0.6),
)
_RURAL_POOL = (
    ("普工", 3.0),
    ("包装工", 1.5),
    ("服务员", 1.2),
    ("保洁员", 1.2),
    ("缝纫工", 1.0),
    ("酿酒工", 1.0),
    ("食品加工工", 1.0),
    ("建筑普工", 1.2),
    ("装卸工", 1.0),
    ("厨工", 0.8),
    ("挡车工", 0.6),
    ("养老护理员", 0.5),
)
_DIFFICULTY_POOL = (
    ("保洁员", 2.0),
    ("保安", 2.0),
    ("收银员", 1.0),
    ("包装工", 1.5),
    ("服务员", 1.0),
    ("厨工", 1.0),
    ("养老护理员", 0.8),
    ("仓管员", 0.6),
    ("营业员", 0.8),
)
_EDUCATION_RURAL = (0.72, 0.25, 0.03, 0.0, 0.0, 0.0)
_EDUCATION_URBAN = (0.25, 0.4, 0.25, 0.1, 0.0, 0.0)
_EDUCATION_GRADUATE = (0.0, 0.0, 0.5, 0.45, 0.05, 0.0)

ARCHETYPES: tuple[Archetype, ...] = (
    Archetype("ordinary", 0.35, (), (), (18, 55), (0.28, 0.32, 0.22, 0.15, 0.025, 0.005), ()),
    Archetype(
        "returning_migrant",
        0.08,
        ("returning_migrant",),
        (("migrant_worker", 0.3), ("rural_labor", 0.5), ("poverty_alleviated", 0.1)),
        (32, 55),
        (0.75, 0.22, 0.03, 0.0, 0.0, 0.0),
        (
            ("普工", 3.0),
            ("操作工", 2.0),
            ("焊工", 2.0),
            ("电工", 1.5),
            ("装配工", 1.5),
            ("钢筋工", 1.5),
            ("泥瓦工", 1.5),
            ("木工", 1.0),
            ("架子工", 0.8),
            ("建筑普工", 1.5),
            ("叉车司机", 1.0),
            ("货车司机", 1.0),
            ("保安", 0.8),
            ("机修工", 1.0),
            ("CNC操作工", 0.6),
            ("锂电池生产技术员", 0.4),
            ("酿酒工", 0.5),
        ),
        career="returning",
        sources=(0.2, 0.3, 0.15, 0.35),
    ),
    Archetype(
        "migrant_worker",
        0.07,
        ("migrant_worker",),
        (("rural_labor", 0.4),),
        (20, 50),
        (0.55, 0.38, 0.07, 0.0, 0.0, 0.0),
        _FACTORY_POOL,
        sources=(0.25, 0.35, 0.15, 0.25),
    ),
    Archetype(
        "stranded_worker",
        0.02,
        ("stranded_worker", "migrant_worker"),
        (),
        (22, 50),
        (0.5, 0.4, 0.1, 0.0, 0.0, 0.0),
        _FACTORY_POOL,
        sources=(0.3, 0.45, 0.2, 0.05),
    ),
    Archetype(
        "rural_labor",
        0.06,
        ("rural_labor",),
        (("poverty_alleviated", 0.25),),
        (20, 58),
        _EDUCATION_RURAL,
        _RURAL_POOL,
        sources=(0.15, 0.3, 0.15, 0.4),
    ),
    Archetype(
        "poverty_alleviated",
        0.04,
        ("poverty_alleviated",),
        (("rural_labor", 0.7),),
        (22, 55),
        _EDUCATION_RURAL,
        _RURAL_POOL,
        sources=(0.15, 0.3, 0.15, 0.4),
    ),
    Archetype(
        "relocated",
        0.015,
        ("relocated",),
        (("poverty_alleviated", 0.6), ("rural_labor", 0.6)),
        (22, 55),
        _EDUCATION_RURAL,
        _RURAL_POOL,
        sources=(0.15, 0.3, 0.15, 0.4),
    ),
    Archetype(
        "retired_fisher",
        0.015,
        ("retired_fisher",),
        (("rural_labor", 0.5), ("employment_difficulty", 0.2)),
        (40, 60),
        (0.8, 0.2, 0.0, 0.0, 0.0, 0.0),
        (
            ("保安", 2.0),
            ("保洁员", 1.5),
            ("普工", 1.5),
            ("包装工", 1.0),
            ("装卸工", 1.0),
            ("货车司机", 0.8),
            ("厨工", 0.8),
            ("食品加工工", 0.8),
            ("建筑普工", 1.0),
        ),
        sources=(0.1, 0.25, 0.15, 0.5),
        area_weights=(0.35, 0.1, 0.15, 0.05, 0.35),
    ),
    Archetype(
        "fresh_graduate",
        0.09,
        ("fresh_graduate",),
        (),
        (21, 26),
        _EDUCATION_GRADUATE,
        (),
        career="graduate",
        sources=(0.45, 0.3, 0.15, 0.1),
    ),
    Archetype(
        "unemployed_graduate",
        0.07,
        ("unemployed_graduate",),
        (),
        (22, 27),
        _EDUCATION_GRADUATE,
        (),
        career="graduate",
        sources=(0.45, 0.3, 0.15, 0.1),
    ),
    Archetype(
        "sanzhi_yifu_expired",
        0.015,
        ("sanzhi_yifu_expired",),
        (("unemployed_graduate", 0.2),),
        (24, 30),
        (0.0, 0.0, 0.3, 0.7, 0.0, 0.0),
        (),
        career="sanzhi",
        sources=(0.5, 0.25, 0.15, 0.1),
    ),
    Archetype(
        "veteran",
        0.04,
        ("veteran",),
        (("registered_unemployed", 0.15),),
        (21, 40),
        (0.1, 0.5, 0.3, 0.1, 0.0, 0.0),
        (
            ("保安", 2.0),
            ("驾驶员", 2.0),
            ("货车司机", 1.5),
            ("安全员", 1.2),
            ("仓管员", 1.0),
            ("快递员", 0.8),
            ("叉车司机", 0.8),
            ("电工", 0.6),
            ("物流专员", 0.6),
            ("文员", 0.4),
        ),
        career="veteran",
    ),
    Archetype(
        "disabled",
        0.04,
        ("disabled",),
        (("employment_difficulty", 0.5), ("registered_unemployed", 0.3)),
        (20, 55),
        (0.35, 0.35, 0.2, 0.1, 0.0, 0.0),
        (),
        sources=(0.3, 0.3, 0.2, 0.2),
    ),
    Archetype(
        "registered_unemployed",
        0.04,
        ("registered_unemployed",),
        (("urban_unemployed", 0.4),),
        (25, 55),
        _EDUCATION_URBAN,
        (),
    ),
    Archetype(
        "urban_unemployed",
        0.04,
        ("urban_unemployed",),
        (("registered_unemployed", 0.5),),
        (25, 55),
        _EDUCATION_URBAN,
        (),
    ),
    Archetype(
        "employment_difficulty",
        0.025,
        ("employment_difficulty",),
        (("registered_unemployed", 0.7), ("zero_employment_family", 0.1)),
        (40, 55),
        (0.5, 0.4, 0.1, 0.0, 0.0, 0.0),
        _DIFFICULTY_POOL,
        sources=(0.2, 0.3, 0.2, 0.3),
    ),
    Archetype(
        "zero_employment_family",
        0.01,
        ("zero_employment_family",),
        (("employment_difficulty", 0.6), ("registered_unemployed", 0.5)),
        (25, 50),
        (0.45, 0.4, 0.15, 0.0, 0.0, 0.0),
        _DIFFICULTY_POOL,
        sources=(0.2, 0.3, 0.2, 0.3),
    ),
)
"""Seeker archetypes with their shares; every priority group is the main group of one."""

_DISABILITY_TYPES = (
    (DisabilityType.PHYSICAL, 0.45),
    (DisabilityType.HEARING, 0.15),
    (DisabilityType.VISUAL, 0.12),
    (DisabilityType.SPEECH, 0.05),
    (DisabilityType.INTELLECTUAL, 0.1),
    (DisabilityType.MENTAL, 0.08),
    (DisabilityType.MULTIPLE, 0.05),
)
_DISABILITY_NEEDS: dict[DisabilityType, tuple[str, ...]] = {
    DisabilityType.PHYSICAL: ("需要无障碍通道", "适合坐姿工作", "不宜长时间站立或搬运重物"),
    DisabilityType.HEARING: ("需要文字或手语沟通", "工作场所需要视觉提示"),
    DisabilityType.VISUAL: ("需要读屏软件", "需要固定熟悉的工位"),
    DisabilityType.SPEECH: ("以文字方式沟通",),
    DisabilityType.INTELLECTUAL: ("适合简单重复性工作", "需要就业辅导员支持"),
    DisabilityType.MENTAL: ("需要稳定的工作环境", "希望弹性工作时间"),
    DisabilityType.MULTIPLE: ("需要无障碍设施", "需要就业辅导员支持"),
}
_DISABILITY_TITLES: dict[DisabilityType, tuple[tuple[str, float], ...]] = {
    DisabilityType.VISUAL: (("保健按摩师", 3.0), ("电话销售", 1.0), ("客服专员", 1.0)),
    DisabilityType.HEARING: (
        ("缝纫工", 2.0),
        ("包装工", 2.0),
        ("数据录入员", 2.0),
        ("质检员", 1.0),
        ("平面设计", 1.0),
        ("手工编织工", 1.5),
    ),
    DisabilityType.SPEECH: (("包装工", 2.0), ("数据录入员", 2.0), ("缝纫工", 1.5), ("质检员", 1.0)),
    DisabilityType.INTELLECTUAL: (
        ("包装工", 2.0),
        ("保洁员", 2.0),
        ("手工编织工", 2.0),
        ("分拣员", 1.0),
    ),
    DisabilityType.MENTAL: (
        ("手工编织工", 2.0),
        ("包装工", 2.0),
        ("数据录入员", 1.0),
        ("保洁员", 1.0),
    ),
    DisabilityType.PHYSICAL: (
        ("文员", 2.0),
        ("客服专员", 2.0),
        ("数据录入员", 2.0),
        ("电商运营", 1.0),
        ("统计员", 1.0),
        ("会计", 0.8),
        ("出纳", 0.8),
        ("软件开发工程师", 0.4),
        ("收银员", 1.0),
        ("质检员", 1.0),
        ("电话销售", 1.0),
        ("手工编织工", 1.0),
    ),
    DisabilityType.MULTIPLE: (("手工编织工", 2.0), ("包装工", 2.0)),
}


@dataclass
class SeekerColumns:
    """Seekers as columns for the simulation, aligned by position.

    Attributes
    ----------
    area : int array of shape (n_seekers,)
        County index into :data:`~matcher.synth.vocab.AREA_CODES`.
    age : int array
        Age in :data:`~matcher.synth.schedule.REFERENCE_YEAR`.
    titles, occupations : int arrays of shape (n_seekers, 3)
        Desired titles and their 大典 codes as indices; ``-1`` pads.
    skills : uint64 array of shape (n_seekers, n_skill_words)
    certificates, groups : int arrays (bit sets)
    desired_areas : int array
        Bit ``a`` for area ``a``, :data:`CITY_BIT` for anywhere in Suining.
    major : int array
        Index into :data:`~matcher.synth.vocab.MAJORS`; ``-1`` for none.
    """

    area: npt.NDArray[np.int16]
    age: npt.NDArray[np.int16]
    education: npt.NDArray[np.int8]
    experience: npt.NDArray[np.float32]
    expected_salary: npt.NDArray[np.int32]
    titles: npt.NDArray[np.int16]
    occupations: npt.NDArray[np.int16]
    skills: npt.NDArray[np.uint64]
    certificates: npt.NDArray[np.uint64]
    groups: npt.NDArray[np.int64]
    desired_areas: npt.NDArray[np.int32]
    major: npt.NDArray[np.int16]
    ids: list[str] = field(default_factory=list)

    @classmethod
    def allocate(cls, count: int, skill_words: int) -> SeekerColumns:
        return cls(
            area=np.zeros(count, dtype=np.int16),
            age=np.zeros(count, dtype=np.int16),
            education=np.zeros(count, dtype=np.int8),
            experience=np.zeros(count, dtype=np.float32),
            expected_salary=np.zeros(count, dtype=np.int32),
            titles=np.full((count, 3), -1, dtype=np.int16),
            occupations=np.full((count, 3), -1, dtype=np.int16),
            skills=np.zeros((count, skill_words), dtype=np.uint64),
            certificates=np.zeros(count, dtype=np.uint64),
            groups=np.zeros(count, dtype=np.int64),
            desired_areas=np.zeros(count, dtype=np.int32),
            major=np.full(count, -1, dtype=np.int16),
        )


@dataclass
class Sessions:
    """Search sessions (one page of about ten results each), one row per session.

    ``campaign`` is the index of a campaign the seeker belongs to and that runs on ``day``
    (``-1``: none); ``second`` is the time of day in seconds; ``source`` indexes
    :data:`SOURCES`.
    """

    seeker: list[int] = field(default_factory=list)
    day: list[int] = field(default_factory=list)
    campaign: list[int] = field(default_factory=list)
    source: list[int] = field(default_factory=list)
    second: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.seeker)


@dataclass
class Profile:
    """Everything the generator decides about a seeker before writing their record and text."""

    archetype: Archetype
    area: int
    age: int
    education: int
    major: MajorSpec | None
    experience: int
    titles: list[TitleSpec]
    skills: list[str]
    certificates: list[str]
    groups: list[str]
    desired_areas: int
    expected_salary: int
    disability: DisabilityType | None = None
    disability_grade: int = 0
    needs: list[str] = field(default_factory=list)


# --- profile -------------------------------------------------------------------------------


def _weighted(
    rnd: random.Random, pool: Sequence[tuple[TitleSpec, float]], count: int
) -> list[TitleSpec]:
    chosen: list[TitleSpec] = []
    remaining = list(pool)
    while remaining and len(chosen) < count:
        pick = rnd.choices(range(len(remaining)), weights=[w for _, w in remaining])[0]
        chosen.append(remaining.pop(pick)[0])
    return chosen


def _reachable(spec: TitleSpec, education: int) -> bool:
    return spec.education[0] <= education


@cache
def _market_pool(education: int) -> tuple[tuple[TitleSpec, float], ...]:
    pool = []
    for spec in TITLES:
        if not _reachable(spec, education):
            continue
        weight = spec.weight
        if education >= 3 and spec.collar != "white" and spec.education[1] <= 1:
            weight *= 0.2
        if education >= 4 and spec.collar == "white":
            weight *= 3.0
        pool.append((spec, weight))
    return tuple(pool)


def _titles_for(
    rnd: random.Random,
    archetype: Archetype,
    education: int,
    major: MajorSpec | None,
    disability: DisabilityType | None,
) -> list[TitleSpec]:
    count = rnd.choices((1, 2, 3), weights=(0.35, 0.4, 0.25))[0]
    if disability is not None:
        named = _DISABILITY_TITLES[disability]
    elif archetype.titles:
        named = archetype.titles
    elif major is not None and (archetype.career in ("graduate", "sanzhi") or rnd.random() < 0.6):
        named = tuple((title, 1.0) for title in major.titles)
    else:
        return _weighted(rnd, _market_pool(education), count)
    pool = [(TITLES[TITLE_INDEX[title]], weight) for title, weight in named]
    pool = [(spec, weight) for spec, weight in pool if _reachable(spec, education)]
    if not pool:
        pool = [(TITLES[TITLE_INDEX["包装工"]], 1.0), (TITLES[TITLE_INDEX["保洁员"]], 1.0)]
    chosen = _weighted(rnd, pool, count)
    if archetype.career == "graduate" and len(chosen) < 3 and rnd.random() < 0.3:
        extra = TITLES[TITLE_INDEX[rnd.choice(("文员", "行政专员", "客服专员"))]]
        if extra not in chosen:
            chosen.append(extra)
    return chosen


def _age_and_education(rnd: random.Random, archetype: Archetype) -> tuple[int, int]:
    education = rnd.choices(range(1, 7), weights=archetype.education)[0]
    low, high = archetype.ages
    leave = LEAVE_AGE[education]
    if archetype.career == "graduate":
        offset = (0, 1) if archetype.key == "fresh_graduate" else (1, 3)
        age = leave + rnd.randint(*offset)
    elif archetype.career == "sanzhi":
        age = max(24, leave + rnd.randint(2, 6))
    else:
        age = rnd.randint(max(low, leave), max(high, leave))
    return age, education


def _experience(rnd: random.Random, archetype: Archetype, age: int, education: int) -> int:
    possible = max(0, age - LEAVE_AGE[education])
    if archetype.career == "graduate":
        return 0 if archetype.key == "fresh_graduate" or rnd.random() < 0.7 else min(1, possible)
    if archetype.career == "sanzhi":
        return min(possible, max(2, possible - rnd.randint(0, 1)))
    if archetype.career == "returning":
        return min(possible, max(5, round(possible * rnd.uniform(0.6, 1.0))))
    return round(possible * rnd.uniform(0.3, 1.0))


def _skills_and_certificates(
    rnd: random.Random, profile: Profile, veteran: bool
) -> tuple[list[str], list[str]]:
    skills: list[str] = []
    certificates_held: list[str] = []
    experienced = profile.experience >= 2
    for rank, spec in enumerate(profile.titles):
        if profile.experience >= 5:
            share = rnd.uniform(0.6, 1.0)
        elif profile.experience >= 1:
            share = rnd.uniform(0.4, 0.8)
        else:
            share = rnd.uniform(0.2, 0.5)
        if rank > 0:
            share *= 0.6
        take = max(1, round(len(spec.skills) * share))
        skills.extend(rnd.sample(spec.skills, min(take, len(spec.skills))))
        for code in spec.required_certificates:
            if rnd.random() < (0.85 if experienced else 0.3):
                certificates_held.append(code)
        for code in spec.preferred_certificates:
            if rnd.random() < 0.25:
                certificates_held.append(code)
    if profile.major is not None:
        skills.extend(profile.major.skills)
        for code, probability in profile.major.certificates:
            if rnd.random() < probability:
                certificates_held.append(code)
    if profile.education >= 2 and rnd.random() < 0.3:
        skills.append("办公软件")
    if rnd.random() < 0.15:
        skills.append(rnd.choice(GENERIC_SKILLS))
    if profile.education >= 4 and rnd.random() < 0.5:
        certificates_held.append("cet4")
    if profile.education >= 3 and rnd.random() < 0.25:
        certificates_held.append("computer_rank")
    if veteran:
        certificates_held.append("driving_c1" if rnd.random() < 0.7 else "driving_b2")
        if "driving_b2" in certificates_held and rnd.random() < 0.5:
            certificates_held.append("road_freight")
    elif profile.age >= 22 and rnd.random() < 0.25:
        certificates_held.append("driving_c1")
    return list(dict.fromkeys(skills)), list(dict.fromkeys(certificates_held))


def _expected_salary(rnd: random.Random, profile: Profile) -> int:
    low, high = profile.titles[0].salary
    factor = 0.85 + 0.02 * min(profile.experience, 15)
    if profile.archetype.career in ("graduate", "sanzhi"):
        factor = 0.9 if profile.education <= 3 else 1.0
    if profile.disability is not None:
        factor *= 0.9
    if profile.age > 50:
        factor *= 0.9
    value = (low + high) / 2 * factor * float(np.exp(rnd.gauss(0.0, 0.1)))
    return max(2000, round(value / 500) * 500)


def _desired_areas(rnd: random.Random, archetype: Archetype, area: int) -> int:
    bits = 1 << area
    if area != 0 and rnd.random() < 0.5:
        bits |= 1
    if rnd.random() < 0.35:
        park = rnd.choices(range(COUNTY_COUNT, len(AREA_CODES)), weights=(0.45, 0.35, 0.2))[0]
        bits |= 1 << park
    if archetype.career in ("graduate", "sanzhi"):
        if rnd.random() < 0.3:
            bits |= CITY_BIT
        if rnd.random() < 0.15:
            bits |= CHENGDU_BIT
    elif archetype.career == "returning" and rnd.random() < 0.2:
        bits |= CITY_BIT
    return bits


def _groups(rnd: random.Random, archetype: Archetype) -> list[str]:
    groups = list(archetype.groups)
    for code, probability in archetype.extra_groups:
        if rnd.random() < probability and code not in groups:
            groups.append(code)
    return groups


def _profile(rnd: random.Random, archetype: Archetype) -> Profile:
    area = rnd.choices(range(COUNTY_COUNT), weights=archetype.area_weights)[0]
    age, education = _age_and_education(rnd, archetype)
    major: MajorSpec | None = None
    if education >= 3 and (archetype.career in ("graduate", "sanzhi") or rnd.random() < 0.85):
        level = min(education, 5)
        fitting = [m for m in MAJORS if level in m.levels] or [m for m in MAJORS if 4 in m.levels]
        major = rnd.choice(fitting)
    disability: DisabilityType | None = None
    if "disabled" in archetype.groups:
        disability = rnd.choices(
            [kind for kind, _ in _DISABILITY_TYPES], weights=[w for _, w in _DISABILITY_TYPES]
        )[0]
    profile = Profile(
        archetype=archetype,
        area=area,
        age=age,
        education=education,
        major=major,
        experience=_experience(rnd, archetype, age, education),
        titles=_titles_for(rnd, archetype, education, major, disability),
        skills=[],
        certificates=[],
        groups=_groups(rnd, archetype),
        desired_areas=_desired_areas(rnd, archetype, area),
        expected_salary=0,
        disability=disability,
    )
    if disability is not None:
        profile.disability_grade = rnd.choices((1, 2, 3, 4), weights=(0.05, 0.15, 0.4, 0.4))[0]
        needs = _DISABILITY_NEEDS[disability]
        profile.needs = rnd.sample(needs, rnd.randint(1, len(needs)))
    profile.skills, profile.certificates = _skills_and_certificates(
        rnd, profile, veteran=archetype.key == "veteran"
    )
    profile.expected_salary = _expected_salary(rnd, profile)
    return profile


# --- contact -------------------------------------------------------------------------------


@cache
def _towns(county_code: str) -> tuple[str, ...]:
    return tuple(sorted(name for name, county in regions().towns.values() if county == county_code))


def _contact(
    rnd: random.Random, seeker_id: str, profile: Profile, birth_year: int, resume: str
) -> Contact:
    name = ""
    for _ in range(20):
        given = "".join(rnd.choices(GIVEN_NAME_CHARACTERS, k=rnd.choice((1, 2, 2))))
        name = rnd.choice(SURNAMES) + given
        if name not in resume:
            break
    phone = "1" + rnd.choice("3456789") + "".join(rnd.choices("0123456789", k=9))
    id_number = None
    if rnd.random() < 0.5:
        month = rnd.randint(1, 12)
        day = rnd.randint(1, 28)
        sequence = rnd.randint(0, 999)
        body = f"{AREA_CODES[profile.area]}{birth_year:04d}{month:02d}{day:02d}{sequence:03d}"
        id_number = body + id_number_check_digit(body)
    town = rnd.choice(_towns(AREA_CODES[profile.area]))
    if town.endswith("街道"):
        address = f"{rnd.choice(STREET_NAMES)}{rnd.randint(1, 300)}号"
    else:
        address = f"{rnd.choice(VILLAGE_NAMES)}{rnd.randint(1, 12)}组{rnd.randint(1, 80)}号"
    return Contact.model_validate(
        {
            "seeker_id": seeker_id,
            "name": name,
            "phone": phone,
            "id_number": id_number,
            "address": f"四川省遂宁市{AREA_NAMES[profile.area]}{town}{address}",
        }
    )


# --- sessions ------------------------------------------------------------------------------

_HOUR_WEIGHTS = np.array(
    [0, 0, 0, 0, 0, 0, 1, 2, 5, 8, 9, 8, 6, 6, 7, 7, 6, 5, 5, 7, 8, 7, 4, 2], dtype=float
)
"""When people search online, by hour of the day."""
_FAIR_HOUR_WEIGHTS = np.array([0.0] * 9 + [6, 9, 8, 4, 4, 6, 5, 2] + [0.0] * 7)
"""When a job fair's service desk logs searches (its opening hours)."""
_FAIR = SOURCES.index("fair_desk")
SESSIONS_EXTRA_MEAN = 0.6
"""Sessions per seeker are 1 + Poisson(SESSIONS_EXTRA_MEAN)."""
CAMPAIGN_SESSION_SHARE = 0.75
"""Share of a campaign member's sessions held on a day of one of their campaigns."""


def _member_campaigns(schedule: Schedule, groups: int, major: MajorSpec | None) -> list[int]:
    """Campaigns the seeker belongs to: a shared priority group and, where the campaign names
    majors, a fitting major (as :func:`matcher.domain.campaigns.seeker_eligible`)."""
    members = []
    for index, campaign in enumerate(schedule.campaigns):
        if not groups & int(schedule.group_masks[index]):
            continue
        words = campaign.policy.seeker_majors
        if words and (major is None or not any(word in major.name for word in words)):
            continue
        members.append(index)
    return members


@dataclass(frozen=True)
class _Calendar:
    """The schedule as plain lists, for fast per-session look-ups."""

    n_days: int
    campaign_days: list[list[int]]
    running: list[list[bool]]

    @classmethod
    def of(cls, schedule: Schedule) -> _Calendar:
        return cls(
            schedule.n_days,
            [np.flatnonzero(row).tolist() for row in schedule.running],
            schedule.running.tolist(),
        )


def _cumulative(weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    total = np.cumsum(weights, axis=-1)
    result: npt.NDArray[np.float64] = total / total[..., -1:]
    return result


def _block_sessions(
    rng: np.random.Generator,
    calendar: _Calendar,
    first_seeker: int,
    archetypes: npt.NDArray[np.int16],
    members: list[list[int]],
    sessions: Sessions,
) -> list[int]:
    """Append the sessions of a block of seekers; return each seeker's first session day.

    A campaign member holds most sessions on days of their campaigns (tagged with that
    campaign); other sessions fall on any day and are tagged with a campaign of the seeker's
    that runs then, if any.
    """
    counts = 1 + rng.poisson(SESSIONS_EXTRA_MEAN, size=len(members))
    owner = np.repeat(np.arange(len(members)), counts)
    total = int(counts.sum())
    uniforms = rng.random((6, total))
    source_cumulative = _cumulative(np.array([a.sources for a in ARCHETYPES]))[archetypes[owner]]
    source = np.minimum((uniforms[4][:, None] > source_cumulative).sum(axis=1), len(SOURCES) - 1)
    hour = np.where(
        source == _FAIR,
        np.searchsorted(_cumulative(_FAIR_HOUR_WEIGHTS), uniforms[5], side="right"),
        np.searchsorted(_cumulative(_HOUR_WEIGHTS), uniforms[5], side="right"),
    )
    second = np.minimum(hour, 23) * 3600 + rng.integers(3600, size=total)
    use_campaign = (uniforms[0] < CAMPAIGN_SESSION_SHARE).tolist()
    which = uniforms[1].tolist()
    within = uniforms[2].tolist()
    any_day = (uniforms[3] * calendar.n_days).astype(np.int64).tolist()
    days: list[int] = []
    campaigns: list[int] = []
    for number, seeker in enumerate(owner.tolist()):
        joined = members[seeker]
        if joined and use_campaign[number]:
            campaign = joined[int(which[number] * len(joined))]
            campaign_days = calendar.campaign_days[campaign]
            day = campaign_days[int(within[number] * len(campaign_days))]
        else:
            day = any_day[number]
            running = [c for c in joined if calendar.running[c][day]]
            campaign = running[int(which[number] * len(running))] if running else -1
        days.append(day)
        campaigns.append(campaign)
    sessions.seeker.extend((owner + first_seeker).tolist())
    sessions.day.extend(days)
    sessions.campaign.extend(campaigns)
    sessions.source.extend(source.tolist())
    sessions.second.extend(second.tolist())
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    first_days: list[int] = np.minimum.reduceat(np.array(days), starts).tolist()
    return first_days


# --- blocks --------------------------------------------------------------------------------


def archetype_plan(count: int, seed: int) -> npt.NDArray[np.int16]:
    """The archetype of every seeker: drawn by share, with each archetype at least once when
    ``count`` allows (so that every priority group is present even in small data)."""
    rng = np.random.default_rng([seed, 3])
    weights = np.array([archetype.weight for archetype in ARCHETYPES])
    plan = rng.choice(len(ARCHETYPES), size=count, p=weights / weights.sum()).astype(np.int16)
    if count >= len(ARCHETYPES):
        slots = rng.choice(count, size=len(ARCHETYPES), replace=False)
        plan[slots] = np.arange(len(ARCHETYPES), dtype=np.int16)
    return plan


def _group_mask(groups: list[str]) -> int:
    mask = 0
    for code in groups:
        mask |= group_bit(code)
    return mask


def seeker_blocks(
    count: int, seed: int, schedule: Schedule, columns: SeekerColumns, sessions: Sessions
) -> Iterator[tuple[list[Seeker], list[Contact]]]:
    """Seekers and contacts in blocks of :data:`BLOCK_SIZE`, filling ``columns`` and
    ``sessions`` as they go."""
    plan = archetype_plan(count, seed)
    codes = skill_codes()
    major_index = {major.name: index for index, major in enumerate(MAJORS)}
    calendar = _Calendar.of(schedule)
    for block_start in range(0, count, BLOCK_SIZE):
        block = block_start // BLOCK_SIZE
        rnd = random.Random(f"jobmatch-synth:{seed}:seekers:{block}")
        rng = np.random.default_rng([seed, 4, block])
        numbers = range(block_start, min(count, block_start + BLOCK_SIZE))
        profiles = [_profile(rnd, ARCHETYPES[int(plan[number])]) for number in numbers]
        group_masks = [_group_mask(profile.groups) for profile in profiles]
        members = [
            _member_campaigns(schedule, mask, profile.major)
            for mask, profile in zip(group_masks, profiles, strict=True)
        ]
        first_days = _block_sessions(
            rng, calendar, block_start, plan[block_start : numbers.stop], members, sessions
        )
        seekers: list[Seeker] = []
        contacts: list[Contact] = []
        for number, profile, group_mask, first_day in zip(
            numbers, profiles, group_masks, first_days, strict=True
        ):
            seeker_id = f"S{number + 1:07d}"
            registered = schedule.date_of(max(0, first_day - rnd.randint(0, 20)))
            resume, _ = write_resume(rnd, profile)
            birth_year = birth_year_of(profile.age)
            occupations = list(dict.fromkeys(spec.occupation for spec in profile.titles))
            desired_regions = [
                AREA_CODES[a] for a in range(len(AREA_CODES)) if profile.desired_areas >> a & 1
            ]
            if profile.desired_areas & CITY_BIT:
                desired_regions.append("5109")
            if profile.desired_areas & CHENGDU_BIT:
                desired_regions.append("5101")
            disability = None
            if profile.disability is not None:
                disability = {
                    "type": profile.disability,
                    "grade": profile.disability_grade,
                    "needs": profile.needs,
                }
            seekers.append(
                Seeker.model_validate(
                    {
                        "id": seeker_id,
                        "region": AREA_CODES[profile.area],
                        "birth_year": birth_year,
                        "education": profile.education,
                        "major": profile.major.name if profile.major else None,
                        "skills": profile.skills,
                        "certificates": profile.certificates,
                        "experience_years": float(profile.experience),
                        "resume_text": resume,
                        "desired_titles": [spec.title for spec in profile.titles],
                        "desired_occupations": occupations,
                        "desired_regions": desired_regions,
                        "expected_salary": profile.expected_salary,
                        "priority_groups": profile.groups,
                        "disability": disability,
                        "available_from": registered if rnd.random() < 0.5 else None,
                        "registered_at": registered,
                    }
                )
            )
            contacts.append(_contact(rnd, seeker_id, profile, birth_year, resume))
            columns.ids.append(seeker_id)
            columns.area[number] = profile.area
            columns.age[number] = profile.age
            columns.education[number] = profile.education
            columns.experience[number] = profile.experience
            columns.expected_salary[number] = profile.expected_salary
            for slot, spec in enumerate(profile.titles[:3]):
                columns.titles[number, slot] = TITLE_INDEX[spec.title]
                columns.occupations[number, slot] = occupation_index(spec.occupation)
            columns.skills[number] = codes.encode(profile.skills)
            columns.certificates[number] = np.uint64(
                certificate_mask(held_certificates(profile.certificates))
            )
            columns.groups[number] = group_mask
            columns.desired_areas[number] = profile.desired_areas
            columns.major[number] = major_index[profile.major.name] if profile.major else -1
        yield seekers, contacts
