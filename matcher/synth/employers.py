"""Synthetic employers: Suining companies, schools and hospitals with valid credit codes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from matcher.domain.codes import CREDIT_CODE_CHARSET, credit_code_check_char
from matcher.domain.records import Employer, Ownership, Verification
from matcher.reference import regions
from matcher.synth.vocab import (
    AREA_CODES,
    AREA_NAMES,
    BRAND_CHARACTERS,
    COMPANY_PREFIXES,
    COUNTY_COUNT,
    CREDIT_CODE_REGIONS,
    EMPLOYER_AREA_WEIGHTS,
    INDUSTRIES,
    SIZE_NAMES,
    IndustrySpec,
)

_T = TypeVar("_T")

_PRIVATE_OWNERSHIPS = (
    (Ownership.PRIVATE, 0.86),
    (Ownership.STATE, 0.06),
    (Ownership.FOREIGN, 0.025),
    (Ownership.JOINT_VENTURE, 0.03),
    (Ownership.HK_MACAO_TAIWAN, 0.025),
)
_VERIFICATION = (
    (Verification.VERIFIED, 0.85),
    (Verification.PENDING, 0.12),
    (Verification.REJECTED, 0.03),
)
_REGISTRATION_PREFIX = {
    Ownership.PUBLIC_INSTITUTION: "12",  # 机构编制部门, 事业单位
    Ownership.INDIVIDUAL: "92",  # 市场监管部门, 个体工商户
}
"""First two characters of the 统一社会信用代码 (GB 32100: registering authority and kind);
companies are ``91``."""
_SHOP_WORDS = {"超市": "超市", "百货": "百货店", "餐饮": "饭店", "餐饮管理": "餐馆", "商贸": "商行"}
"""What a 个体工商户 of a name stem calls itself (船山区鑫源超市)."""


@dataclass(frozen=True)
class EmployerTable:
    """Employers and the columns the simulation needs, aligned by position.

    Attributes
    ----------
    records : list of Employer
    industry : int array of shape (n_employers,)
        Index into :data:`~matcher.synth.vocab.INDUSTRIES`.
    area : int array of shape (n_employers,)
        Index into :data:`~matcher.synth.vocab.AREA_CODES`.
    size : int array of shape (n_employers,)
        0 微型 … 3 大型.
    """

    records: list[Employer]
    industry: npt.NDArray[np.int16]
    area: npt.NDArray[np.int16]
    size: npt.NDArray[np.int16]


def _pick(rnd: random.Random, weighted: tuple[tuple[_T, float], ...]) -> _T:
    values = [value for value, _ in weighted]
    return rnd.choices(values, weights=[weight for _, weight in weighted])[0]


def credit_code(rnd: random.Random, prefix: str, region_code: str) -> str:
    """A 统一社会信用代码 with a correct GB 32100 check character.

    ``prefix`` is the two-character registering authority and kind (``91`` for a company),
    ``region_code`` the six-digit registration area; nine random characters stand for the
    organisation code.
    """
    body = prefix + region_code + "".join(rnd.choices(CREDIT_CODE_CHARSET, k=9))
    return body + credit_code_check_char(body)


def _brand(rnd: random.Random) -> str:
    first, second = rnd.sample(BRAND_CHARACTERS, 2)
    return first + second


def _towns_of(area: int) -> list[str]:
    county = AREA_CODES[area] if area < COUNTY_COUNT else AREA_CODES[0]
    return sorted(name for name, code in regions().towns.values() if code == county)


def _county_name(area: int) -> str:
    return AREA_NAMES[area] if area < COUNTY_COUNT else "遂宁市"


def _company_name(
    rnd: random.Random,
    industry: IndustrySpec,
    stem: str,
    area: int,
    size: int,
    ownership: Ownership,
) -> str:
    public = ownership is Ownership.PUBLIC_INSTITUTION
    individual = ownership is Ownership.INDIVIDUAL
    brand = _brand(rnd)
    prefix = rnd.choice(COMPANY_PREFIXES[area])
    county = _county_name(area)
    if industry.name_style == "school":
        if public:
            town = rnd.choice(_towns_of(area))
            return rnd.choice(
                (f"{county}{town}中心幼儿园", f"{county}{town}小学校", f"{county}{brand}实验学校")
            )
        if stem == "教育培训":
            return f"{prefix}{brand}教育培训学校有限公司"
        return rnd.choice((f"{prefix}{brand}幼儿园", f"{county}{brand}双语幼儿园"))
    if industry.name_style == "hospital":
        if public:
            town = rnd.choice(_towns_of(area))
            return rnd.choice((f"{county}{town}卫生院", f"{county}{town}中心卫生院"))
        if stem == "诊所":
            return rnd.choice((f"{prefix}{brand}口腔诊所", f"{county}{brand}中医诊所"))
        if stem == "养老服务":
            return f"{prefix}{brand}养老服务有限公司"
        return rnd.choice((f"{prefix}{brand}医院有限公司", f"遂宁{brand}医院"))
    if individual:
        return f"{county}{brand}{_SHOP_WORDS[stem]}"
    suffix = "股份有限公司" if size == 3 and rnd.random() < 0.5 else "有限公司"
    return f"{prefix}{brand}{stem}{suffix}"


def make_employers(count: int, seed: int) -> EmployerTable:
    """``count`` employers spread over Suining's industries, sizes and areas.

    Company names are unique, credit codes are unique and valid, and the GB/T 4754 division
    follows the company's name stem (``…酒业有限公司`` → 15).
    """
    if count < 1:
        raise ValueError(f"employers must be at least 1, got {count}")
    rng = np.random.default_rng([seed, 1])
    rnd = random.Random(f"jobmatch-synth:{seed}:employers")
    industry_weights = np.array([industry.weight for industry in INDUSTRIES])
    industry_index = rng.choice(
        len(INDUSTRIES), size=count, p=industry_weights / industry_weights.sum()
    )
    area_index = np.empty(count, dtype=np.int16)
    size_index = np.empty(count, dtype=np.int16)
    records: list[Employer] = []
    names: set[str] = set()
    codes: set[str] = set()
    base_area = np.array(EMPLOYER_AREA_WEIGHTS)
    for number in range(count):
        industry = INDUSTRIES[int(industry_index[number])]
        area_weights = base_area * np.array(industry.area_factors)
        area = int(rng.choice(len(AREA_CODES), p=area_weights / area_weights.sum()))
        size = int(rng.choice(4, p=np.array(industry.size_weights) / sum(industry.size_weights)))
        stem, division = rnd.choice(industry.stems)
        if rnd.random() < industry.public_share:
            ownership = Ownership.PUBLIC_INSTITUTION
        elif size == 0 and stem in _SHOP_WORDS and rnd.random() < 0.6:
            ownership = Ownership.INDIVIDUAL
        else:
            ownership = _pick(rnd, _PRIVATE_OWNERSHIPS)
        for _ in range(100):
            name = _company_name(rnd, industry, stem, area, size, ownership)
            if name not in names:
                break
        else:  # pragma: no cover - brands × stems × prefixes make this practically unreachable
            name = (
                f"{name[:-4]}第{number}分公司" if name.endswith("有限公司") else f"{name}{number}"
            )
        names.add(name)
        prefix = _REGISTRATION_PREFIX.get(ownership, "91")
        code = credit_code(rnd, prefix, CREDIT_CODE_REGIONS[area])
        while code in codes:
            code = credit_code(rnd, prefix, CREDIT_CODE_REGIONS[area])
        codes.add(code)
        records.append(
            Employer.model_validate(
                {
                    "id": f"E{number + 1:06d}",
                    "name": name,
                    "credit_code": code,
                    "ownership": ownership,
                    "size": SIZE_NAMES[size],
                    "industry": division,
                    "region": AREA_CODES[area],
                    "verification": _pick(rnd, _VERIFICATION),
                }
            )
        )
        area_index[number] = area
        size_index[number] = size
    return EmployerTable(records, industry_index.astype(np.int16), area_index, size_index)
