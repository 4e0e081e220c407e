r"""The hidden utility: how much a seeker wants a vacancy and how much the employer wants them.

This is the ground truth of the synthetic world. It drives clicks, applications, interviews,
offers and hires, and it is never written into any record: models must learn it back from the
interactions. All functions take arrays of pairs ``(s, v)`` (seeker and vacancy positions) and
are vectorised over them.

Seeker side (does the seeker want the job?)::

    u_seeker(s, v) = 1.8 · occ_fit + 0.8 · skill_cover + 0.9 · salary_fit
                     − 0.035 · km(s, v) · (0.5 if v's area is among s's desired regions else 1)
                     − 1.2 · missing_certificate − 0.6 · overqualified
                     + group_preference + ε_s(s, v)

Employer side (does the employer accept the seeker?)::

    u_employer(s, v) = 1.0 · occ_fit + 1.2 · skill_cover − 3.0 · missing_certificate
                       − 1.5 · education_gap − 0.5 · experience_gap − 2.0 · outside_age
                       + 0.3 · [experience ≥ 1 year] + ε_e(s, v)

with

- ``occ_fit`` = 1 when the vacancy's title is a desired title or its 大典 code a desired
  occupation; 0.5 when only the 中类 (e.g. ``6-31``) matches; 0.2 when only the 大类 (``6``)
  matches; else 0.
- ``skill_cover`` = |skills(s) ∩ skills(v)| / |skills(v)| (0 when the vacancy lists none).
- ``salary_fit`` = clip(ln(mid_pay(v) / expected(s)) / ln 1.5, −1.5, 1) with
  ``mid_pay = (salary_min + salary_max) / 2``.
- ``km(s, v)`` from :data:`COUNTY_DISTANCE_KM` (the seeker's county to the vacancy's area);
  "anywhere in Suining" (``5109``) counts as desiring every area.
- ``missing_certificate`` = 1 when the vacancy requires a certificate the seeker lacks.
- ``overqualified`` = 1 for a seeker with 大专 or more on a vacancy asking 初中 or less.
- ``education_gap`` = levels below the vacancy's minimum; ``experience_gap`` = years below
  it, at most 5; ``outside_age`` = 1 when the seeker's age is outside the posted range.
- ``group_preference``: disabled seekers +1.5 on an accessible vacancy, −1.0 otherwise;
  graduates (应届, 离校未就业, 三支一扶期满) +0.5 on a white-collar title and +0.7 when the title
  is one their major leads to; rural and migrant workers (返乡农民工, 农民工, 农村劳动力,
  脱贫劳动力, 易地搬迁, 退捕渔民, 滞留就业地) +0.4 when the vacancy offers 包吃住.
- ``ε_s``, ``ε_e`` ~ N(0, 0.5²), fixed per pair and seed (a hash of the pair, not a draw), so a
  pair shown twice has the same taste.

Funnel on top of the utilities (see :mod:`matcher.synth.interactions`)::

    P(examine at position p)     = p^−0.7
    P(click | examined)          = σ(1.5 · (u_seeker − 1.0))
    P(apply | click)             = σ(2.0 · (u_seeker − 1.2))
    P(interview | apply)         = σ(2.0 · (u_employer − 0.5))             else reject
    P(offer | interview)         = σ(1.5 · (u_employer + 0.5 · u_seeker − 2.0)) else reject
    P(hire | offer)              = σ(2.0 · (u_seeker − 0.8)), and only while openings remain

So an interview, an offer and a hire need both sides to agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from matcher.synth.people import SeekerColumns
from matcher.synth.schedule import group_bit
from matcher.synth.vacancies import VacancyTable
from matcher.synth.vocab import AREA_CODES, CITY_BIT, MAJORS, TITLE_INDEX, TITLES
from matcher.synth.words import occupation_groups

COUNTY_DISTANCE_KM: npt.NDArray[np.float32] = np.array(
    [
        # 船山 安居 蓬溪 大英 射洪 经开 高新 河东
        [10, 29, 36, 44, 55, 9, 9, 6],  # 510903 船山区
        [29, 10, 66, 43, 74, 24, 34, 32],  # 510904 安居区
        [36, 66, 10, 63, 43, 44, 33, 36],  # 510921 蓬溪县
        [44, 43, 63, 10, 45, 48, 39, 51],  # 510923 大英县
        [55, 74, 43, 45, 10, 63, 46, 59],  # 510981 射洪市
        [9, 24, 44, 48, 63, 6, 17, 9],  # 510971 遂宁经开区
        [9, 34, 33, 39, 46, 17, 6, 14],  # 510972 遂宁高新区
        [6, 32, 36, 51, 59, 9, 14, 6],  # 510973 河东新区
    ],
    dtype=np.float32,
)
"""Approximate road distance in km between the seats of Suining's areas (straight-line distance
between the seats × 1.3, rounded); the diagonal is a typical commute inside the area (10 km in a
county, 6 km in a park). Order: :data:`~matcher.synth.vocab.AREA_CODES`."""

GRADUATE_GROUPS = ("fresh_graduate", "unemployed_graduate", "sanzhi_yifu_expired")
RURAL_GROUPS = (
    "returning_migrant",
    "migrant_worker",
    "rural_labor",
    "poverty_alleviated",
    "relocated",
    "retired_fisher",
    "stranded_worker",
)

if COUNTY_DISTANCE_KM.shape != (len(AREA_CODES), len(AREA_CODES)):  # pragma: no cover
    raise RuntimeError("COUNTY_DISTANCE_KM must cover every area of AREA_CODES")
if not np.array_equal(COUNTY_DISTANCE_KM, COUNTY_DISTANCE_KM.T):  # pragma: no cover
    raise RuntimeError("COUNTY_DISTANCE_KM must be symmetric")


def sigmoid(x: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    """The logistic function 1 / (1 + e^−x)."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def _mask_of(codes: tuple[str, ...]) -> int:
    mask = 0
    for code in codes:
        mask |= group_bit(code)
    return mask


@cache
def _white_collar() -> npt.NDArray[np.bool_]:
    return np.array([spec.collar == "white" for spec in TITLES])


@cache
def _major_titles() -> npt.NDArray[np.bool_]:
    table = np.zeros((len(MAJORS) + 1, len(TITLES)), dtype=bool)  # last row: no major
    for row, major in enumerate(MAJORS):
        for title in major.titles:
            table[row, TITLE_INDEX[title]] = True
    return table


def _splitmix64(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64 finaliser (Steele, Lea & Flood 2014): a fast, well-mixed 64-bit hash."""
    with np.errstate(over="ignore"):
        z = values + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def pair_noise(
    seed: int,
    seekers: npt.NDArray[np.integer],
    vacancies: npt.NDArray[np.integer],
    stream: int,
) -> npt.NDArray[np.float64]:
    """Standard normal taste ε for each pair, a deterministic function of (seed, stream, s, v).

    Box–Muller over two SplitMix64 hashes of the pair, so that the same pair gets the same
    value however often and in whatever order it is evaluated.
    """
    key = (
        seekers.astype(np.uint64) * np.uint64(0x100000001B3)
        ^ vacancies.astype(np.uint64) * np.uint64(0x1000193)
        ^ np.uint64((seed * 0x2545F491 + stream * 0x9E37) & 0xFFFFFFFFFFFFFFFF)
    )
    first = _splitmix64(key)
    second = _splitmix64(first)
    scale = 1.0 / float(1 << 53)
    u1 = ((first >> np.uint64(11)).astype(np.float64) + 0.5) * scale
    u2 = (second >> np.uint64(11)).astype(np.float64) * scale
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def occupation_fit(
    seekers: SeekerColumns,
    vacancies: VacancyTable,
    s: npt.NDArray[np.integer],
    v: npt.NDArray[np.integer],
) -> npt.NDArray[np.float64]:
    """1 for a desired title or occupation, 0.5 for the same 中类, 0.2 for the same 大类, else 0."""
    mid, major = occupation_groups()
    wanted_titles = seekers.titles[s]
    wanted = seekers.occupations[s]
    present = wanted >= 0
    vacancy_occupation = vacancies.occupation[v][:, None]
    exact = (wanted_titles == vacancies.title[v][:, None]).any(axis=1)
    exact |= (present & (wanted == vacancy_occupation)).any(axis=1)
    safe = np.where(present, wanted, 0)
    same_mid = (present & (mid[safe] == mid[vacancy_occupation])).any(axis=1)
    same_major = (present & (major[safe] == major[vacancy_occupation])).any(axis=1)
    return np.where(exact, 1.0, np.where(same_mid, 0.5, np.where(same_major, 0.2, 0.0)))


def skill_coverage(
    seekers: SeekerColumns,
    vacancies: VacancyTable,
    s: npt.NDArray[np.integer],
    v: npt.NDArray[np.integer],
) -> npt.NDArray[np.float64]:
    """Share of the vacancy's listed skills that the seeker has."""
    wanted = vacancies.skills[v]
    shared = np.bitwise_count(seekers.skills[s] & wanted).sum(axis=1)
    listed = np.bitwise_count(wanted).sum(axis=1)
    return np.where(listed > 0, shared / np.maximum(listed, 1), 0.0)


def missing_certificate(
    seekers: SeekerColumns,
    vacancies: VacancyTable,
    s: npt.NDArray[np.integer],
    v: npt.NDArray[np.integer],
) -> npt.NDArray[np.bool_]:
    """Whether the vacancy requires a certificate the seeker does not hold."""
    result: npt.NDArray[np.bool_] = (vacancies.certificates[v] & ~seekers.certificates[s]) != 0
    return result


def commute_km(
    seekers: SeekerColumns,
    vacancies: VacancyTable,
    s: npt.NDArray[np.integer],
    v: npt.NDArray[np.integer],
) -> npt.NDArray[np.float32]:
    """Road km from the seeker's county to the vacancy's area."""
    distances: npt.NDArray[np.float32] = COUNTY_DISTANCE_KM[seekers.area[s], vacancies.area[v]]
    return distances


def seeker_utility(
    seekers: SeekerColumns,
    vacancies: VacancyTable,
    s: npt.NDArray[np.integer],
    v: npt.NDArray[np.integer],
    seed: int,
    occ_fit: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """``u_seeker`` of the module docstring for each pair, shape (n_pairs,)."""
    if occ_fit is None:
        occ_fit = occupation_fit(seekers, vacancies, s, v)
    pay = (vacancies.salary_min[v] + vacancies.salary_max[v]) / 2.0
    salary_fit = np.clip(np.log(pay / seekers.expected_salary[s]) / np.log(1.5), -1.5, 1.0)
    areas = seekers.desired_areas[s]
    desired = ((areas >> vacancies.area[v].astype(np.int32)) & 1).astype(bool)
    desired |= (areas & CITY_BIT) != 0
    km = commute_km(seekers, vacancies, s, v) * np.where(desired, 0.5, 1.0)
    education = seekers.education[s]
    overqualified = (education >= 3) & (vacancies.min_education[v] <= 1)
    groups = seekers.groups[s]
    disabled = (groups & group_bit("disabled")) != 0
    graduate = (groups & _mask_of(GRADUATE_GROUPS)) != 0
    rural = (groups & _mask_of(RURAL_GROUPS)) != 0
    accessible = vacancies.accessible[v]
    title = vacancies.title[v]
    major_row = np.where(seekers.major[s] >= 0, seekers.major[s], len(MAJORS))
    preference = np.where(disabled, np.where(accessible, 1.5, -1.0), 0.0)
    preference += graduate * (
        0.5 * _white_collar()[title] + 0.7 * _major_titles()[major_row, title]
    )
    preference += rural * 0.4 * vacancies.board_and_lodging[v]
    utility: npt.NDArray[np.float64] = (
        1.8 * occ_fit
        + 0.8 * skill_coverage(seekers, vacancies, s, v)
        + 0.9 * salary_fit
        - 0.035 * km
        - 1.2 * missing_certificate(seekers, vacancies, s, v)
        - 0.6 * overqualified
        + preference
        + 0.5 * pair_noise(seed, s, v, stream=1)
    )
    return utility


def employer_utility(
    seekers: SeekerColumns,
    vacancies: VacancyTable,
    s: npt.NDArray[np.integer],
    v: npt.NDArray[np.integer],
    seed: int,
    occ_fit: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """``u_employer`` of the module docstring for each pair, shape (n_pairs,)."""
    if occ_fit is None:
        occ_fit = occupation_fit(seekers, vacancies, s, v)
    education_gap = np.maximum(
        0, vacancies.min_education[v].astype(np.int16) - seekers.education[s]
    )
    experience = seekers.experience[s]
    experience_gap = np.clip(vacancies.min_experience[v] - experience, 0.0, 5.0)
    age = seekers.age[s]
    outside_age = (age < vacancies.age_min[v]) | (age > vacancies.age_max[v])
    utility: npt.NDArray[np.float64] = (
        1.0 * occ_fit
        + 1.2 * skill_coverage(seekers, vacancies, s, v)
        - 3.0 * missing_certificate(seekers, vacancies, s, v)
        - 1.5 * education_gap
        - 0.5 * experience_gap
        - 2.0 * outside_age
        + 0.3 * (experience >= 1)
        + 0.5 * pair_noise(seed, s, v, stream=2)
    )
    return utility


@dataclass(frozen=True)
class Funnel:
    """The conditional probabilities of each step of the funnel for examined pairs.

    ``click`` is P(click | examined), ``apply`` P(apply | click), ``interview``
    P(interview | apply), ``offer`` P(offer | interview) and ``accept`` P(hire | offer) while
    openings remain — the formulas of the module docstring.
    """

    click: npt.NDArray[np.float64]
    apply: npt.NDArray[np.float64]
    interview: npt.NDArray[np.float64]
    offer: npt.NDArray[np.float64]
    accept: npt.NDArray[np.float64]

    @classmethod
    def of(cls, u_seeker: npt.NDArray[np.float64], u_employer: npt.NDArray[np.float64]) -> Funnel:
        return cls(
            click=sigmoid(1.5 * (u_seeker - 1.0)),
            apply=sigmoid(2.0 * (u_seeker - 1.2)),
            interview=sigmoid(2.0 * (u_employer - 0.5)),
            offer=sigmoid(1.5 * (u_employer + 0.5 * u_seeker - 2.0)),
            accept=sigmoid(2.0 * (u_seeker - 0.8)),
        )

    def expected_gain(self) -> npt.NDArray[np.float64]:
        """E[2^label − 1] of an examined pair with openings left, for the graded labels click 1,
        apply 2, interview/offer 3, hire 4 — the expected NDCG gain of showing the pair:
        ``1·P(≥ 1) + 2·P(≥ 2) + 4·P(≥ 3) + 8·P(= 4)``."""
        clicked = self.click
        applied = clicked * self.apply
        interviewed = applied * self.interview
        hired = interviewed * self.offer * self.accept
        result: npt.NDArray[np.float64] = clicked + 2.0 * applied + 4.0 * interviewed + 8.0 * hired
        return result
