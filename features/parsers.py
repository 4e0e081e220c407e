"""Structured fields parsed from free Chinese vacancy text: pure functions, one per field.

Each ``parse_*`` function reads a short field value (a salary column, an education column …) and
each ``find_*`` function finds the first such expression inside a longer description. All of them
are total: any ``str`` gives a result, never an exception, and a text they cannot read gives an
explicit "unknown" result (``known`` is false) rather than a guess. Input is NFKC-normalised first,
so full-width digits and punctuation (``４０００～６０００元``) read like half-width ones.

Formats handled
---------------
salary
    ``4000-6000元/月``, ``4000～6000元``, ``4000元/月-6000元/月``, ``4千-6千``, ``6-8千/月``,
    ``0.6-1万/月``, ``8千-1.2万``, ``1-1.5万``, ``1w-1.5w``, ``10-15K``, ``10-15k·13薪``,
    ``7-14万/年``, ``年薪20万``, ``200元/天``, ``150-200/天``, ``25元/小时``, ``面议``,
    ``月薪5000元``, ``5000元以上``, ``3000元起``, ``5000+``, ``3000元以下``, ``底薪3000+提成``.
education
    ``大专及以上``, ``本科以上学历``, ``学历不限``, ``不限``, ``初中以上``, ``初中及以下``,
    ``高中/中专``, ``中专/中技``, ``统招本科``, ``硕士研究生``, ``博士``.
experience
    ``3年以上``, ``1-3年``, ``三至五年``, ``3-5年经验``, ``1年经验``, ``1年以内``, ``半年以上``,
    ``6个月以上``, ``经验不限``, ``无需经验``, ``无经验可培训``, ``应届生``, ``应届毕业生``.
age
    ``18-45岁``, ``18至45周岁``, ``年龄18-45``, ``45周岁以下``, ``45岁以内``, ``20岁以上``,
    ``年满18周岁``, ``年龄不限``.
headcount
    ``招聘20人``, ``招1人``, ``招聘人数：5名``, ``20人``, ``招聘两名``, ``若干``, ``招若干人``.
certificates
    required (``持电工证``, ``必须持有健康证``, ``需持有叉车证``) or preferred (``有叉车证优先``,
    ``持焊工证者优先``) per clause, with the caller's alias table.
welfare
    about 40 canonical tags (``五险一金``, ``包吃住``, ``双休`` …) from their common variants.

Chinese numerals below 1,000 (一, 十五, 二十, 两, and 半 for years) are read in experience, age and
headcount.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = [
    "EDUCATION_LEVELS",
    "GENERIC_LICENCE_WORDS",
    "HOURS_PER_WORKING_DAY",
    "MAX_UNSTATED_MONTHLY_SALARY",
    "PAID_DAYS_PER_MONTH",
    "WELFARE_TAGS",
    "AgeRange",
    "CertificateMentions",
    "EducationRequirement",
    "ExperienceRequirement",
    "Headcount",
    "PlaceFinder",
    "SalaryBasis",
    "SalaryRange",
    "TargetGroups",
    "find_age",
    "find_certificates",
    "find_education",
    "find_experience",
    "find_headcount",
    "find_posting_title",
    "find_salary",
    "find_target_groups",
    "find_welfare",
    "parse_age",
    "parse_education",
    "parse_experience",
    "parse_headcount",
    "parse_salary",
]

PAID_DAYS_PER_MONTH = 21.75
"""Legal average paid days per month (月计薪天数): (365 − 104 weekend days) / 12, the factor
for converting daily and hourly wages to monthly ones in 劳动和社会保障部
《关于职工全年月平均工作时间和工资折算问题的通知》(劳社部发〔2008〕3号). The 11 statutory holidays
are paid, so they count; the average working days proper are 20.83."""

HOURS_PER_WORKING_DAY = 8
"""Standard working day, 《国务院关于职工工作时间的规定》(1995) and 劳动法 art. 36."""

MAX_UNSTATED_MONTHLY_SALARY = 100_000
"""A figure whose period the text does not state is read as monthly only up to this (CNY, the
upper bound of a vacancy's salary in the project's schema); above it the result is unknown
unless the figure is in thousands (K, 千)."""

EDUCATION_LEVELS: Mapping[int, str] = {
    0: "学历不限",
    1: "初中及以下",
    2: "高中/中专/技校/职高",
    3: "大专",
    4: "本科",
    5: "硕士",
    6: "博士",
}
"""The scale of :attr:`EducationRequirement.level`."""

SalaryBasis = Literal["month", "year", "day", "hour", "negotiable", "unknown"]


# --- result types ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SalaryRange:
    """Monthly pay in CNY as a posting states it.

    Attributes
    ----------
    low, high : int or None
        Monthly CNY after conversion; ``high`` is None for open ranges (``5000元以上``,
        ``底薪3000+提成``), ``low`` is None for ``3000元以下``; both None when unknown.
    basis : {"month", "year", "day", "hour", "negotiable", "unknown"}
        The period the figures were quoted in (the caller's ``unstated_period`` when the text
        names none); ``negotiable`` for 面议 and ``unknown`` when nothing was read.
    months_per_year : int or None
        Months of pay per year when stated (``·13薪`` → 13); the monthly figures are not
        scaled by it.
    """

    low: int | None
    high: int | None
    basis: SalaryBasis
    months_per_year: int | None = None

    @property
    def known(self) -> bool:
        """Whether at least one monthly figure was read."""
        return self.low is not None or self.high is not None


@dataclass(frozen=True, slots=True)
class EducationRequirement:
    """Minimum education on the scale of :data:`EDUCATION_LEVELS`.

    Attributes
    ----------
    level : int or None
        0 学历不限 … 6 博士; None when unknown. The lowest level named (``高中/中专`` → 2).
    at_least : bool
        The text says "or above" (``及以上``, ``以上``); true for 学历不限.
    """

    level: int | None
    at_least: bool

    @property
    def known(self) -> bool:
        """Whether a level was read."""
        return self.level is not None


@dataclass(frozen=True, slots=True)
class ExperienceRequirement:
    """Years of work experience asked for.

    Attributes
    ----------
    min_years, max_years : float or None
        ``3年以上`` → (3, None); ``1-3年`` → (1, 3); ``1年经验`` → (1, 1); ``1年以内`` → (0, 1);
        ``经验不限`` and ``应届生`` → (0, None); unknown → (None, None).
    fresh_graduate : bool
        The posting asks for (or names) 应届 graduates.
    """

    min_years: float | None
    max_years: float | None
    fresh_graduate: bool

    @property
    def known(self) -> bool:
        """Whether a requirement was read."""
        return self.min_years is not None or self.max_years is not None


@dataclass(frozen=True, slots=True)
class AgeRange:
    """Age limits in years, each within 16–75 (the working ages a vacancy may state).

    Attributes
    ----------
    low, high : int or None
        ``18-45岁`` → (18, 45); ``45周岁以下`` → (None, 45); ``20岁以上`` → (20, None).
    unrestricted : bool
        The text says there is no limit (``年龄不限``); low and high are then None.
    """

    low: int | None
    high: int | None
    unrestricted: bool = False

    @property
    def known(self) -> bool:
        """Whether a limit, or the absence of one, was read."""
        return self.low is not None or self.high is not None or self.unrestricted


@dataclass(frozen=True, slots=True)
class Headcount:
    """Openings (招聘人数).

    Attributes
    ----------
    count : int or None
        Number of openings, ≥ 1; None when unknown or unspecified.
    unspecified : bool
        The text says the number is open (``若干``, ``人数不限``).
    """

    count: int | None
    unspecified: bool = False

    @property
    def known(self) -> bool:
        """Whether a number, or that it is open, was read."""
        return self.count is not None or self.unspecified


@dataclass(frozen=True, slots=True)
class CertificateMentions:
    """Certificate codes a vacancy text names, in order of first appearance, each in one group.

    Attributes
    ----------
    required : tuple of str
        Named with a requirement (``持``, ``须``, ``必须持有``, ``需持有``, ``要求``).
    preferred : tuple of str
        Named as an advantage (``优先``, ``者佳``, ``加分``).
    mentioned : tuple of str
        Named with neither (a bare ``电工证``): the caller decides.
    """

    required: tuple[str, ...] = ()
    preferred: tuple[str, ...] = ()
    mentioned: tuple[str, ...] = ()


# --- shared ----------------------------------------------------------------------------------

# circled numbers (①…⑳) would become bare digits under NFKC; they number items, so they become
# line breaks before normalising
_CIRCLED_NUMBERS = {code: "\n" for code in range(0x2460, 0x2474)}
_SPACE_RUN_RE = re.compile(r"\s{2,}|[^\S \n]")
_CLAUSE_BREAK = re.compile(r"[,。;!?\n\r]")
_SEP = r"(?:[-~〜—–−∼]+|至|到)"
_CN_DIGITS: Mapping[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _one_space(run: re.Match[str]) -> str:
    return "\n" if "\n" in run.group() or "\r" in run.group() else " "


def _normalise(text: str) -> str:
    r"""NFKC, circled item numbers to line breaks, each run of white space to one space or one
    line break.

    Every pattern of this module reads normalised text, where white space never comes two in a
    row: ``\s?`` in them is all the white space there can be between two tokens, and being
    bounded it keeps each pattern linear in the length of the text (``\s*`` beside another
    ``\s*`` would split a long run every possible way; tests/unit/test_patterns_linear.py checks
    the shapes)."""
    normalised = unicodedata.normalize("NFKC", text.translate(_CIRCLED_NUMBERS))
    return _SPACE_RUN_RE.sub(_one_space, normalised)


def _chinese_int(token: str) -> int | None:
    """An int from ASCII digits or a Chinese numeral below 1000 (``二十五``, ``两``); else None."""
    if token.isascii():
        return int(token) if token.isdigit() and len(token) <= 9 else None
    total, digit, seen_digit = 0, 0, False
    for char in token:
        if char in "零〇" and total and not seen_digit:  # 一百零五: a place holder
            continue
        if char in _CN_DIGITS:
            if seen_digit:  # two digits in a row ("二三") is not a number we read
                return None
            digit, seen_digit = _CN_DIGITS[char], True
        elif char in "十百":
            unit = 10 if char == "十" else 100
            if unit == 10 and total % 100 >= 10:
                return None
            total += (digit if seen_digit else 1) * unit
            digit, seen_digit = 0, False
        else:
            return None
    return total + digit


def _clause_start(text: str, position: int, *, look_back: int = 40) -> int:
    """Where the clause holding ``position`` begins (after the last , 。 ; line break), looking
    back at most ``look_back`` characters."""
    start = max(0, position - look_back)
    breaks = [found.end() for found in _CLAUSE_BREAK.finditer(text, start, position)]
    return breaks[-1] if breaks else start


def _clause_end(text: str, position: int, *, look_ahead: int = 40) -> int:
    end = min(len(text), position + look_ahead)
    found = _CLAUSE_BREAK.search(text, position, end)
    return found.start() if found else end


# --- salary ----------------------------------------------------------------------------------

_NUM = (
    r"(?<![0-9A-Za-z])(?<![0-9][.,])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,7})(?:\.[0-9]{1,3})?"
    r"(?![0-9%])"
)
_MULT = r"(?:[千万百](?!分)|[kKwW](?![a-zA-Z]))"
_PERIOD = r"(?:月|年|工作日|天|日|小时|时|h(?![a-zA-Z]))"
_SALARY_RE = re.compile(
    rf"""
    (?P<lo>{_NUM})\s?(?P<lo_mult>{_MULT})?\s?(?P<lo_yuan>元|块)?
    (?:\s?(?:/|每)\s?(?P<lo_period>{_PERIOD}))?
    (?:\s?{_SEP}\s?(?P<hi>{_NUM})\s?(?P<hi_mult>{_MULT})?)?
    """,
    re.VERBOSE,
)
_PIECE = r"[件个次单张套台吨斤平人位份条箱批周]"
"""After ``元/`` these make a piece rate or price (``0.5元/件``), or weekly pay: not read."""
_SALARY_SUFFIX_RE = re.compile(
    rf"""
    \s?(?P<yuan>元|块钱|块|rmb|RMB|cny|CNY)?
    (?:\s?(?:/|per\s?)\s?(?:(?P<period>{_PERIOD})|(?P<per_other>{_PIECE}))
      |\s?(?:每个?|一个)\s?(?P<period_after_mei>{_PERIOD}))?
    \s?(?P<qualifier>及以上|或以上|以上|起步|起|\+|上下|左右|及以下|以下|以内)?
    """,
    re.VERBOSE,
)
_COUNTED_RE = re.compile(
    r"\s?(?:个?月|年|天|日|周|岁|人|个|名|次|号|位|件|台|套|期|倍|小时|分|寸|G|M)"
)
"""A bare figure followed by one of these counts something else (``14月``, ``3-5年``, ``20人``)."""
_MONTHS_PER_YEAR_RE = re.compile(r"[^。;\n]{0,4}?(?P<months>[0-9]{2}|十[二三四五六七八九])\s?薪")
_SALARY_KEYWORD_RE = re.compile(
    r"月薪|年薪|日薪|时薪|底薪|保底|基本工资|工资|薪资|薪酬|薪水|待遇|收入|月入|起薪|税前|税后|到手"
    r"|综合|报酬|年包|时给|计时"
)
_SALARY_PERIOD_KEYWORDS: Mapping[str, SalaryBasis] = {
    "年薪": "year",
    "年包": "year",
    "日薪": "day",
    "时薪": "hour",
    "时给": "hour",
    "计时": "hour",
    "月薪": "month",
    "月入": "month",
}
_PERIOD_PREFIX_RE = re.compile(rf"每\s?个?\s?(?P<period>{_PERIOD})\s?:?\s?$")
"""A period just before the figure (``每天100元``, ``每月1-3万``); it sets the period only."""
_BASE_PAY_KEYWORDS = frozenset({"底薪", "保底", "基本工资"})
_PAY_ON_TOP_RE = re.compile(r"提成|绩效|奖金|分红")
_AT_LEAST_PREFIX_RE = re.compile(r"(?:>|≥|>=|大于|不低于|不少于|最低)\s?$")
_NOT_SALARY_RE = re.compile(
    r"补|贴|津|奖|押金|费|销售额|营业额|额度|资本|资产|营收|融资|估值|价值|价格|单价|罚|扣款|保险"
    r"|公积金|社保|面积|产值|销量|业绩|用户|代码"
)
_NEGOTIABLE_RE = re.compile(
    r"面议|(?:薪资|工资|待遇|薪酬|薪水)\s?:?\s?(?:面谈|可谈|详谈|商议|议定)"
)
_PERIOD_NAMES: Mapping[str, SalaryBasis] = {
    "月": "month",
    "年": "year",
    "工作日": "day",
    "天": "day",
    "日": "day",
    "小时": "hour",
    "时": "hour",
    "h": "hour",
}
_MULTIPLIERS: Mapping[str, int] = {
    "百": 100,
    "千": 1000,
    "k": 1000,
    "K": 1000,
    "万": 10_000,
    "w": 10_000,
    "W": 10_000,
}
_OPEN_ABOVE = frozenset({"及以上", "或以上", "以上", "起步", "起", "+"})
_OPEN_BELOW = frozenset({"及以下", "以下", "以内"})
_TO_MONTHLY: Mapping[SalaryBasis, float] = {
    "month": 1.0,
    "year": 1 / 12,
    "day": PAID_DAYS_PER_MONTH,
    "hour": HOURS_PER_WORKING_DAY * PAID_DAYS_PER_MONTH,
}
_MIN_MONTHLY = 100
"""Below this (CNY a month, after conversion) a figure is no wage: ``薪资100%``, ``年薪14月``."""
_MIN_BARE = 1000
"""A figure with neither unit nor period is read only from this up (``4000-6000``, not ``965``)."""
_KEYWORD_REACH = 12
"""A pay word counts for a figure at most this many characters before it, in its clause."""
_UNKNOWN_SALARY = SalaryRange(None, None, "unknown")


def _number(token: str) -> float:
    return float(token.replace(",", ""))


def _round_yuan(value: float) -> int:
    """Whole yuan, halves rounded up (``150元/天`` → 3262.5 → 3263), not to even."""
    return math.floor(value + 0.5)


def _salary_at(
    text: str,
    found: re.Match[str],
    *,
    in_description: bool,
    unstated_period: Literal["month", "year"],
) -> SalaryRange | None:
    """The salary read from one candidate match, or None when the match is not a salary."""
    suffix = _SALARY_SUFFIX_RE.match(text, found.end())
    if suffix is None or suffix.group("per_other"):
        return None  # "0.5元/件", "300元/人": a piece rate or a price
    low_mult, high_mult = found.group("lo_mult"), found.group("hi_mult")
    yuan = found.group("lo_yuan") or suffix.group("yuan")
    period_word = (
        suffix.group("period") or suffix.group("period_after_mei") or found.group("lo_period")
    )
    if not (low_mult or high_mult or yuan or period_word) and _COUNTED_RE.match(text, found.end()):
        return None
    is_range = found.group("hi") is not None
    qualifier = suffix.group("qualifier") or ""
    if is_range and qualifier in ("起", "起步", "上下", "左右", "+"):
        qualifier = ""  # "15-20K+年终奖": the range is the monthly pay
    clause_start = _clause_start(text, found.start())
    reach = max(clause_start, found.start() - _KEYWORD_REACH)
    keywords = list(_SALARY_KEYWORD_RE.finditer(text, reach, found.start()))
    if period_word is None:
        prefix = _PERIOD_PREFIX_RE.search(text, max(0, found.start() - 5), found.start())
        period_word = prefix.group("period") if prefix else None
    period: SalaryBasis | None = _PERIOD_NAMES[period_word] if period_word else None
    if period is None:
        for keyword in reversed(keywords):
            if keyword.group() in _SALARY_PERIOD_KEYWORDS:
                period = _SALARY_PERIOD_KEYWORDS[keyword.group()]
                break
    if in_description:
        excluded = list(_NOT_SALARY_RE.finditer(text, clause_start, found.start()))
        if excluded and (not keywords or excluded[-1].start() > keywords[-1].start()):
            return None  # 餐补300元/月, 全勤奖200元, 总代码行8万+
        has_unit = bool(low_mult or high_mult or yuan)
        if is_range and not (keywords or has_unit or period_word):
            return None
        if not is_range and not (keywords or (yuan and (period_word or qualifier))):
            return None

    low_value = _number(found.group("lo"))
    high_value = low_value
    if is_range:
        high_scale = _MULTIPLIERS[high_mult] if high_mult else 1
        high_value = _number(found.group("hi")) * high_scale
        if low_mult:
            low_value *= _MULTIPLIERS[low_mult]
        elif low_value * high_scale <= high_value:  # "6-8千", "0.6-1万": the unit is shared
            low_value *= high_scale
        if low_value > high_value:
            return None
    elif low_mult:
        low_value = high_value = low_value * _MULTIPLIERS[low_mult]
    if not (low_mult or high_mult or yuan or period_word) and high_value < _MIN_BARE:
        return None  # "3-5", "965" alone are no monthly wage

    basis: SalaryBasis = period or unstated_period
    factor = _TO_MONTHLY[basis]
    low, high = _round_yuan(low_value * factor), _round_yuan(high_value * factor)
    thousands = {low_mult, high_mult} & {"k", "K", "千"}
    if basis == "month" and period is None and not thousands and high > MAX_UNSTATED_MONTHLY_SALARY:
        return None  # "12-18万" is annual pay at some sources, not 180,000 a month
    if high < _MIN_MONTHLY:
        return None

    low_or_none: int | None = low
    high_or_none: int | None = high
    if qualifier in _OPEN_ABOVE or _AT_LEAST_PREFIX_RE.search(text, reach, found.start()):
        high_or_none = None
    elif qualifier in _OPEN_BELOW:
        low_or_none = None
    if keywords and keywords[-1].group() in _BASE_PAY_KEYWORDS:
        between = text[keywords[-1].end() : found.start()]
        if not _PAY_ON_TOP_RE.search(between):  # not "底薪加提成10000-30000元"
            high_or_none = None  # base pay plus commission: the total has no stated ceiling
    months = _MONTHS_PER_YEAR_RE.match(text, suffix.end())
    months_per_year = _chinese_int(months.group("months")) if months else None
    if months_per_year is not None and not 12 <= months_per_year <= 24:
        months_per_year = None
    return SalaryRange(low_or_none, high_or_none, basis, months_per_year)


def _scan_salary(
    text: str, *, in_description: bool, unstated_period: Literal["month", "year"]
) -> SalaryRange:
    normalised = _normalise(text)
    for found in _SALARY_RE.finditer(normalised):
        salary = _salary_at(
            normalised, found, in_description=in_description, unstated_period=unstated_period
        )
        if salary is not None:
            return salary
    if _NEGOTIABLE_RE.search(normalised) or (not in_description and "面谈" in normalised):
        return SalaryRange(None, None, "negotiable")
    return _UNKNOWN_SALARY


def parse_salary(text: str, *, unstated_period: Literal["month", "year"] = "month") -> SalaryRange:
    """Monthly pay in CNY from a salary field (``4000-6000元/月``, ``10-15K·13薪``, ``面议``).

    Figures quoted per year are divided by 12; per day multiplied by
    :data:`PAID_DAYS_PER_MONTH` (21.75, the legal average paid days per month, 劳社部发
    〔2008〕3号); per hour by 8 × 21.75 = 174 (the same notice's hourly conversion, with the
    8-hour standard working day of 劳动法 art. 36 and 国务院 1995).
    Results are rounded to whole yuan, halves up. ``千``/``k`` multiply by 1,000,
    ``万``/``w`` by 10,000; a unit written only after the upper figure applies to both
    (``6-8千``, ``0.6-1万``) unless the lower figure is already in yuan (``5000-1万``).
    ``·13薪`` is recorded in
    ``months_per_year`` and does not change the monthly figures.

    Parameters
    ----------
    text : str
        A salary field. Bare numbers (``4000-6000``) are read as yuan.
    unstated_period : {"month", "year"}, default "month"
        The period of figures whose text names none, a source's convention (猎聘 lists
        annual pay as ``12-18万``). A figure read as monthly this way above
        :data:`MAX_UNSTATED_MONTHLY_SALARY` gives an unknown result, except in thousands
        (``K``, ``千``: annual pay is quoted in 万, while BOSS直聘 quotes monthly ``90-120K``).

    Returns
    -------
    SalaryRange
        ``basis="negotiable"`` for 面议; ``basis="unknown"`` (and ``known`` false) when no salary
        can be read, or the range is reversed.
    """
    return _scan_salary(text, in_description=False, unstated_period=unstated_period)


def find_salary(text: str) -> SalaryRange:
    """The first salary expression inside a description (``薪资福利：月薪4000-6000元，包吃住``).

    Conversions are those of :func:`parse_salary`. A range counts when it carries a unit
    (元, 千, 万, K), a period (``/月``) or follows a pay word in its clause (工资, 月薪, 待遇 …); a
    single figure needs a pay word, or a unit with a period or a qualifier (``5000元以上``).
    Figures after words such as 补贴, 奖, 押金, 费 in the same clause (``餐补300元/月``) are
    skipped.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    SalaryRange
        As :func:`parse_salary`; ``negotiable`` only when no figure is found and the text says
        面议.
    """
    return _scan_salary(text, in_description=True, unstated_period="month")


# --- education -------------------------------------------------------------------------------

_EDUCATION_WORDS: Mapping[str, int] = {
    "博士研究生": 6,
    "博士后": 6,
    "博士": 6,
    "硕士研究生": 5,
    "硕士": 5,
    "研究生": 5,
    "MBA": 5,
    "本科": 4,
    "学士": 4,
    "大专": 3,
    "专科": 3,
    "高职": 3,
    "高中": 2,
    "中专": 2,
    "中技": 2,
    "技校": 2,
    "职高": 2,
    "中职": 2,
    "职中": 2,
    "中等职业": 2,
    "初中": 1,
    "小学": 1,
}
_EDUCATION_RE = re.compile(
    "(?:"
    + "|".join(sorted(map(re.escape, _EDUCATION_WORDS), key=len, reverse=True))
    + ")(?!级)"  # 初中级开发人员 is a grade of developer
)
_EDUCATION_ANY_RE = re.compile(
    r"学历\s?:?\s?(?:不限|无要求|要求不限)|不限学历|学历要求\s?:?\s?(?:不限|无)|无学历要求|学历无要求"
)
_EDUCATION_AT_LEAST_RE = re.compile(r"[^,。;\n0-9]{0,6}?(?:及|或|和)?\s?以上|\s?(?:起|\+)")
_EDUCATION_AT_MOST_RE = re.compile(r"\s?(?:及|或)?\s?以下")
_EDUCATION_LIST_RE = re.compile(r"\s?(?:/|或|、|\||及)\s?")
_EDUCATION_CUE_AFTER_RE = re.compile(r"学历|以上|毕业|文凭|学位|文化|或同等|及同等")
_EDUCATION_CUE_BEFORE_RE = re.compile(r"学历|文化程度|教育程度|学位|要求")
_UNKNOWN_EDUCATION = EducationRequirement(None, False)


def _is_education_requirement(text: str, found: re.Match[str]) -> bool:
    """A level word in a description is a requirement only next to 学历, 以上, 毕业 … in its
    clause (``本科及以上学历``), not in ``潼射镇小学校`` or ``承担初中学科教学``."""
    clause_start, clause_end = _clause_start(text, found.start()), _clause_end(text, found.end())
    after = _EDUCATION_CUE_AFTER_RE.search(text, found.end(), min(clause_end, found.end() + 12))
    before = _EDUCATION_CUE_BEFORE_RE.search(
        text, max(clause_start, found.start() - 10), found.start()
    )
    return after is not None or before is not None


def _scan_education(text: str, *, in_description: bool) -> EducationRequirement:
    normalised = _normalise(text)
    any_level = _EDUCATION_ANY_RE.search(normalised)
    if not in_description and any_level is None and normalised.strip() in ("不限", "无", "无要求"):
        return EducationRequirement(0, True)
    found = None
    for candidate in _EDUCATION_RE.finditer(normalised):
        if not in_description or _is_education_requirement(normalised, candidate):
            found = candidate
            break
    if any_level is not None and (found is None or any_level.start() < found.start()):
        return EducationRequirement(0, True)
    if found is None:
        return _UNKNOWN_EDUCATION
    levels = [_EDUCATION_WORDS[found.group()]]
    end = found.end()
    while (joiner := _EDUCATION_LIST_RE.match(normalised, end)) is not None:
        following = _EDUCATION_RE.match(normalised, joiner.end())
        if following is None:
            break
        levels.append(_EDUCATION_WORDS[following.group()])
        end = following.end()
    if _EDUCATION_AT_MOST_RE.match(normalised, end):
        return EducationRequirement(min(levels), False)
    at_least = _EDUCATION_AT_LEAST_RE.match(normalised, end) is not None
    return EducationRequirement(min(levels), at_least)


def parse_education(text: str) -> EducationRequirement:
    """Minimum education from an education field (``大专及以上``, ``统招本科``, ``学历不限``).

    Levels: 0 学历不限, 1 初中及以下, 2 高中/中专/技校/职高, 3 大专, 4 本科, 5 硕士, 6 博士
    (:data:`EDUCATION_LEVELS`). Several levels joined by ``/`` or ``或`` give the lowest
    (``高中/中专`` → 2). ``学历不限`` and a bare ``不限`` give level 0 with ``at_least`` true.

    Parameters
    ----------
    text : str

    Returns
    -------
    EducationRequirement
        ``level=None`` when no level is named.
    """
    return _scan_education(text, in_description=False)


def find_education(text: str) -> EducationRequirement:
    """The first education requirement inside a description (``…本科及以上学历，计算机相关专业``).

    As :func:`parse_education`, except that "no requirement" needs the word 学历
    (``学历不限``, ``不限学历``): a bare 不限 in a description may be about anything; and a level
    word counts only next to 学历, 以上, 毕业, 学位 … in its clause (``统招本科及以上学历``), so
    ``潼射镇小学校`` and ``承担初中学科的教学`` are not read.
    """
    return _scan_education(text, in_description=True)


# --- experience ------------------------------------------------------------------------------

_YEARS = r"(?:(?<![0-9])[0-9]{1,2}(?:\.5)?|[零〇一二两三四五六七八九十半]{1,3})"
_EXPERIENCE_RE = re.compile(
    rf"""
    (?:(?:不少于|不低于|至少|满)\s?(?P<at_least>{_YEARS})\s?(?P<at_least_unit>年|个月))
    |(?:不超过\s?(?P<at_most>{_YEARS})\s?(?P<at_most_unit>年|个月))
    |(?:(?P<lo>{_YEARS})\s?(?:年|个月)?\s?{_SEP}\s?(?P<hi>{_YEARS})\s?(?P<range_unit>年|个月))
    |(?:(?P<n>{_YEARS})\s?(?P<n_unit>年|个月)
        \s?(?P<qualifier>及以上|或以上|以上|\+|及以下|以下|以内|内)?)
    """,
    re.VERBOSE,
)
_EXPERIENCE_ANY_RE = re.compile(
    r"经验\s?:?\s?不限|不限经验|经验要求\s?:?\s?(?:无|不限)|无经验要求|无需(?:工作)?经验|不需要(?:工作)?经验"
    r"|不要求(?:工作)?经验|无(?:工作)?经验(?:亦|也|均)?可|零经验|经验无要求|无工作经验要求|无经验(?:者)?可培训"
    r"|接受无经验|无需相关经验"
)
_FRESH_RE = re.compile(r"应届")
_EXPERIENCE_CUE_AFTER_RE = re.compile(r"经验|经历|工作|从业|工龄|开发|相关|岗位|行业")
_EXPERIENCE_CUE_BEFORE_RE = re.compile(r"经验|工作年限|从业|工龄|年限|经历")
_LIST_DECIMAL_RE = re.compile(r"[0-9]\.5")
_LIST_START_RE = re.compile(r"(?:^|[:;。】)\]\n>·*•●-]|要求|资格|条件)\s?$")
_UNKNOWN_EXPERIENCE = ExperienceRequirement(None, None, False)


def _years(token: str, unit: str) -> float | None:
    if token == "半":
        value: float | None = 0.5
    elif "." in token:
        value = float(token)
    else:
        whole = _chinese_int(token)
        value = None if whole is None else float(whole)
    if value is None:
        return None
    if "月" in unit:
        value /= 12
    return round(value, 2)


def _experience_at(found: re.Match[str]) -> ExperienceRequirement | None:
    if found.group("at_least") is not None:
        years = _years(found.group("at_least"), found.group("at_least_unit"))
        return None if years is None else ExperienceRequirement(years, None, False)
    if found.group("at_most") is not None:
        years = _years(found.group("at_most"), found.group("at_most_unit"))
        return None if years is None else ExperienceRequirement(0.0, years, False)
    if found.group("lo") is not None:
        unit = found.group("range_unit")
        low, high = _years(found.group("lo"), unit), _years(found.group("hi"), unit)
        if low is None or high is None or low > high:
            return None
        return ExperienceRequirement(low, high, False)
    years = _years(found.group("n"), found.group("n_unit"))
    if years is None:
        return None
    qualifier = found.group("qualifier") or ""
    if qualifier in ("及以上", "或以上", "以上", "+"):
        return ExperienceRequirement(years, None, False)
    if qualifier:
        return ExperienceRequirement(0.0, years, False)
    return ExperienceRequirement(years, years, False)


def _has_experience_cue(text: str, found: re.Match[str]) -> bool:
    clause_start, clause_end = _clause_start(text, found.start()), _clause_end(text, found.end())
    after = _EXPERIENCE_CUE_AFTER_RE.search(text, found.end(), min(clause_end, found.end() + 20))
    before = _EXPERIENCE_CUE_BEFORE_RE.search(
        text, max(clause_start, found.start() - 8), found.start()
    )
    return after is not None or before is not None


def _scan_experience(text: str, *, in_description: bool) -> ExperienceRequirement:
    normalised = _normalise(text)
    fresh = _FRESH_RE.search(normalised)
    any_years = _EXPERIENCE_ANY_RE.search(normalised)
    for found in _EXPERIENCE_RE.finditer(normalised):
        if any_years is not None and any_years.start() < found.start():
            break
        if fresh is not None and fresh.start() < found.start():
            break
        if in_description and _LIST_DECIMAL_RE.match(found.group()):
            before = normalised[max(0, found.start() - 6) : found.start()]
            if _LIST_START_RE.search(before):  # "要求:1.5年以上": item 1, five years
                found = _EXPERIENCE_RE.match(normalised, found.start() + 2) or found
        if in_description and not _has_experience_cue(normalised, found):
            continue
        experience = _experience_at(found)
        if experience is not None:
            return ExperienceRequirement(
                experience.min_years, experience.max_years, fresh is not None
            )
    if fresh is not None:
        return ExperienceRequirement(0.0, None, True)
    if any_years is not None:
        return ExperienceRequirement(0.0, None, False)
    if not in_description and normalised.strip() in ("不限", "无", "无要求"):
        return ExperienceRequirement(0.0, None, False)
    return _UNKNOWN_EXPERIENCE


def parse_experience(text: str) -> ExperienceRequirement:
    """Years of experience from an experience field (``3年以上``, ``1-3年``, ``经验不限``).

    ``N年以上`` → (N, None); ``N-M年`` → (N, M); ``N年`` → (N, N); ``N年以内``/``以下`` → (0, N);
    months are converted to years (``6个月以上`` → 0.5). ``经验不限``, ``无经验可培训`` →
    (0, None); ``应届生`` → (0, None) with ``fresh_graduate``. Chinese numerals are read
    (``一年以上``, ``三至五年``, ``半年``).

    Parameters
    ----------
    text : str

    Returns
    -------
    ExperienceRequirement
        (None, None, False) when nothing is read.
    """
    return _scan_experience(text, in_description=False)


def find_experience(text: str) -> ExperienceRequirement:
    """The first experience requirement inside a description (``有3年以上相关工作经验``).

    As :func:`parse_experience`, but a number of years counts only next to an experience word in
    its clause (经验, 工作, 从业 … after it, or 经验, 工作年限 … just before), so ``合同3年`` is not
    read. A list number before the years (``1.2年以上``, item 1) is not read as a decimal; only
    ``.5`` is, and not at the start of a list (``任职要求:1.5年以上`` is item 1, five years).
    """
    return _scan_experience(text, in_description=True)


# --- age -------------------------------------------------------------------------------------

_AGE = r"(?:(?<![0-9])[0-9]{2}(?![0-9])|[一二三四五六七八九十]{2,4})"
_AGE_RE = re.compile(
    rf"""
    (?:(?P<lo>{_AGE})\s?(?:周?岁)?\s?{_SEP}\s?(?P<hi>{_AGE})\s?(?P<range_unit>周?岁)?)
    |(?:(?:年满|满|不小于|不低于)\s?(?P<at_least>{_AGE})\s?周?岁)
    |(?:(?:不超过|不超|不大于|不高于|未满|小于)\s?(?P<at_most>{_AGE})\s?周?岁)
    |(?:(?P<n>{_AGE})\s?(?P<unit>周?岁)?\s?(?:\(含\))?
        \s?(?P<qualifier>(?:及|或)?以上|(?:及|或)?以下|以内|之内|内)?)
    """,
    re.VERBOSE,
)
_AGE_ANY_RE = re.compile(r"年龄\s?:?\s?(?:不限|无要求|无限制)|不限年龄|年龄要求\s?:?\s?(?:不限|无)")
_AGE_CUE_RE = re.compile(r"年龄|年纪")
_AVERAGE_AGE_RE = re.compile(r"平均")
_MIN_AGE, _MAX_AGE = 16, 75
_UNKNOWN_AGE = AgeRange(None, None)


def _age_value(token: str) -> int | None:
    value = _chinese_int(token)
    return value if value is not None and _MIN_AGE <= value <= _MAX_AGE else None


def _age_at(text: str, found: re.Match[str], *, in_description: bool) -> AgeRange | None:
    clause_start = _clause_start(text, found.start())
    labelled = _AGE_CUE_RE.search(text, max(clause_start, found.start() - 8), found.start())
    if in_description and _AVERAGE_AGE_RE.search(text, clause_start, found.start()):
        return None  # 团队平均年龄27岁: about the team, not a limit
    if found.group("lo") is not None:
        if not (found.group("range_unit") or labelled or not in_description):
            return None
        low, high = _age_value(found.group("lo")), _age_value(found.group("hi"))
        if low is None or high is None or low > high:
            return None
        return AgeRange(low, high)
    if found.group("at_least") is not None:
        low = _age_value(found.group("at_least"))
        return None if low is None else AgeRange(low, None)
    if found.group("at_most") is not None:
        high = _age_value(found.group("at_most"))
        return (
            None if high is None else AgeRange(None, high - (1 if "未满" in found.group() else 0))
        )
    value = _age_value(found.group("n"))
    if value is None or not (found.group("unit") or labelled):
        return None
    qualifier = found.group("qualifier") or ""
    if qualifier.endswith("以上"):
        return AgeRange(value, None)
    if qualifier:
        return AgeRange(None, value)
    return None if in_description else AgeRange(value, value)


def _scan_age(text: str, *, in_description: bool) -> AgeRange:
    normalised = _normalise(text)
    any_age = _AGE_ANY_RE.search(normalised)
    for found in _AGE_RE.finditer(normalised):
        if any_age is not None and any_age.start() < found.start():
            break
        age = _age_at(normalised, found, in_description=in_description)
        if age is not None:
            return age
    if any_age is not None or (not in_description and normalised.strip() == "不限"):
        return AgeRange(None, None, unrestricted=True)
    return _UNKNOWN_AGE


def parse_age(text: str) -> AgeRange:
    """Age limits from an age field (``18-45岁``, ``18至45周岁``, ``45周岁以下``, ``年龄不限``).

    Ages outside 16–75 are not read (``3-6岁幼儿`` is about the children). ``未满45周岁`` →
    (None, 44). A bare range (``18-45``) is read in a field; in a description it needs 岁 or the
    word 年龄 (:func:`find_age`).

    Parameters
    ----------
    text : str

    Returns
    -------
    AgeRange
        (None, None, unrestricted=False) when nothing is read.
    """
    return _scan_age(text, in_description=False)


def find_age(text: str) -> AgeRange:
    """The first age limit inside a description (``…年龄18-45周岁，身体健康``).

    As :func:`parse_age`; a range needs 岁/周岁 or a preceding 年龄, a single age needs 岁 or
    年龄 and a qualifier (``45岁以下``).
    """
    return _scan_age(text, in_description=True)


# --- headcount -------------------------------------------------------------------------------

_COUNT = r"(?:(?<![0-9.])[0-9]{1,5}(?![0-9.])|[一二两三四五六七八九十百]{1,4})"
_COUNT_RANGE = rf"(?:{_SEP}\s?(?P<NAME>{_COUNT}))?"
_HEADCOUNT_FIELD_RE = re.compile(
    rf"^\s?(?:(?:招聘|招|需求?|急招|诚聘)?\s?(?:人数|名额)?\s?:?\s?)"
    rf"(?:(?P<n>{_COUNT})\s?{_COUNT_RANGE.replace('NAME', 'n_high')}|(?P<open>若干|不限))"
    r"\s?(?:人|名|位|个)?\s?$"
)
_HEADCOUNT_RE = re.compile(
    rf"""
    (?:(?:招聘|招收|招募|招|需求?|急需|急招|诚聘|录用)\s?(?:人数|名额)?[^,。;\n0-9]{{0,8}}?
        (?:(?P<n>{_COUNT})\s?{_COUNT_RANGE.replace("NAME", "n_high")}\s?
            (?:人(?!民|才|事|力|次)|名|位)(?!\s?(?:以上|以下|左右))
        |(?P<open>若干)))
    |(?:(?:(?<=招聘)|(?<=需求)|(?<=岗位)|(?<![\u4e00-\u9fff]))(?:人数|名额)\s?:?\s?
        (?:(?P<n2>{_COUNT})\s?{_COUNT_RANGE.replace("NAME", "n2_high")}\s?(?:人|名|位)?
            (?!\s?(?:以上|以下|左右))
        |(?P<open2>若干|不限)))
    """,
    re.VERBOSE,
)
_UNKNOWN_HEADCOUNT = Headcount(None)


def _headcount(number: str | None, open_word: str | None) -> Headcount:
    if open_word is not None:
        return Headcount(None, unspecified=True)
    count = _chinese_int(number) if number is not None else None
    return Headcount(count) if count is not None and count >= 1 else _UNKNOWN_HEADCOUNT


def parse_headcount(text: str) -> Headcount:
    """Openings from a headcount field (``招聘20人``, ``招1人``, ``5名``, ``若干``, ``招若干人``).

    A range gives its upper end (``1-2人`` → 2: the employer hires up to two).

    Parameters
    ----------
    text : str

    Returns
    -------
    Headcount
        ``count`` ≥ 1 when a number is read; ``unspecified`` for 若干 / 人数不限; neither when
        nothing is read (including ``0人``).
    """
    normalised = _normalise(text)
    found = _HEADCOUNT_FIELD_RE.match(normalised)
    if found is not None:
        return _headcount(found.group("n_high") or found.group("n"), found.group("open"))
    return find_headcount(normalised)


def find_headcount(text: str) -> Headcount:
    """The first headcount inside a description (``招聘人数：5名``, ``现招聘电工3名``, ``若干名``).

    A number counts only after a hiring word (招, 招聘, 急需, 人数, 名额 …) and, unless it follows
    人数/名额, with 人, 名 or 位 after it, so ``公司现有员工500人`` is not read.
    """
    normalised = _normalise(text)
    for found in _HEADCOUNT_RE.finditer(normalised):
        number = found.group("n_high") or found.group("n") or found.group("n2_high")
        result = _headcount(
            number or found.group("n2"), found.group("open") or found.group("open2")
        )
        if result.known:
            return result
    return _UNKNOWN_HEADCOUNT


# --- certificates ----------------------------------------------------------------------------

_ITEM_BREAK_RE = re.compile(
    r"[,。;!?\n\r]|(?<![0-9A-Za-z])[0-9]{1,2}[.)、](?![0-9])|\([0-9]{1,2}\)"
)
_PART_BREAK_RE = re.compile(r"、")
_REQUIRED_STRONG_RE = re.compile(
    r"必须|务必|须|需|要求|应当|应持|持证上岗|必备|具备.{0,6}资格|以上|即可"
)
_REQUIRED_WEAK_RE = re.compile(r"持|有|具备|具有|取得|考取")
_PREFERRED_RE = re.compile(r"优先|加分|者佳|为佳|更佳|最好|优选|择优")
_NEGATION_RE = re.compile(r"无需|不需|不要求|不必|无须|不限|免持|免考")
_LICENCE_CLASS_RE = re.compile(
    r"(?<![0-9A-Za-z])(?P<cls>[ABCabc][123])(?![0-9A-Za-z])\s?(?:及以上|或以上|以上)?\s?"
    r"(?:驾驶证|驾驶执照|驾照|照)"
)
"""A driving licence by its class, however the minimum is written (``B2以上驾驶证``, ``A1照``):
the class's own alias (``B2驾驶证``) names the code."""
_BOTH_VOLTAGES_RE = re.compile(r"高低压电工(作业证|操作证|证)")
"""``高低压电工证``: two licences, the high-voltage and the low-voltage one (each alias alone
would find only the low-voltage one inside it)."""
GENERIC_LICENCE_WORDS = ("驾照", "驾驶证", "小车驾照")
"""Aliases of the lowest licence a bare 驾照 means; not a second licence beside a class
(``持B2以上驾驶证``, and in a résumé ``驾照B2``)."""


@lru_cache(maxsize=32)
def _alias_pattern(aliases: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    words = sorted({_normalise(word).strip() for word, _ in aliases} - {""}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(map(re.escape, words)), re.IGNORECASE)


_Status = Literal["required", "preferred", "mentioned", "negated"]


def _part_status(part: str) -> _Status | None:
    if _NEGATION_RE.search(part):
        return "negated"
    if _PREFERRED_RE.search(part):
        return "preferred"
    if _REQUIRED_STRONG_RE.search(part):
        return "required"
    return None


def _clause_statuses(parts: list[str]) -> list[_Status]:
    """Each part's status: its own; else that of the next decided part (a list such as
    ``电工证、焊工证者优先``), unless both parts have their own verb (``持电工证、有焊工证者优先``
    are two requirements); else the previous decided part's; else required after 持/有/具备 in
    the clause so far; else mentioned."""
    own = [_part_status(part) for part in parts]
    has_verb = [_REQUIRED_WEAK_RE.search(part) is not None for part in parts]
    following: list[int | None] = [None] * len(parts)
    upcoming: int | None = None
    for index in range(len(parts) - 1, -1, -1):
        following[index] = upcoming
        if own[index] in ("required", "preferred"):
            upcoming = index
    statuses: list[_Status] = []
    preceding: _Status | None = None
    verb_so_far = False
    for index, status in enumerate(own):
        verb_so_far = verb_so_far or has_verb[index]
        if status in ("required", "preferred"):
            preceding = status
        if status is None:
            later = following[index]
            if later is not None and not (has_verb[index] and has_verb[later]):
                status = own[later]
            else:
                status = preceding or ("required" if verb_so_far else "mentioned")
        assert status is not None
        statuses.append(status)
    return statuses


def find_certificates(text: str, aliases: Mapping[str, str]) -> CertificateMentions:
    """Certificates a vacancy text names, each as required, preferred or merely mentioned.

    The text is split into clauses (at , 。 ; line breaks and item numbers ``1.`` ``(2)`` ``③``)
    and each clause into parts at 、. A part's own words decide: 优先, 者佳, 加分 → preferred;
    须, 需, 必须, 要求, or a minimum (以上, 即可: ``计算机二级以上``, ``C2驾照即可``) →
    required; 无需, 不要求 → not listed. A part without such words takes the decision of the
    next decided part in its clause (``电工证、焊工证者优先`` → both preferred) unless both have
    a verb of their own (``持电工证、有焊工证者优先``: two predicates), else of the previous one
    (``须持电工证、焊工证`` → both required), else it is required when the clause says 持, 有 or
    具备 before it (``持电工证``) or the part is the certificate alone (``司机，C1驾照，3年驾龄``),
    and merely mentioned otherwise. The longest alias wins (``高压电工证`` is not read as
    ``电工证``); a code is listed once, in its strongest group. A driving licence is read by its
    class however its minimum is written (``持B2以上驾驶证``, ``A1照``), through the class's
    alias ``B2驾驶证``; the bare 驾驶证 beside it is not a second licence.

    Parameters
    ----------
    text : str
    aliases : mapping of str to str
        Certificate word → code (``{"电工证": "low_voltage_electrician", …}``), matched after
        NFKC and without regard to letter case.

    Returns
    -------
    CertificateMentions
    """
    normalised_aliases: dict[str, str] = {}
    for word, code in aliases.items():
        normalised_aliases.setdefault(_normalise(word).strip().casefold(), code)
    pattern = _alias_pattern(tuple(sorted(aliases.items())))
    if pattern is None:
        return CertificateMentions()
    normalised = _BOTH_VOLTAGES_RE.sub(r"高压电工\1、低压电工\1", _normalise(text))
    generic = {normalised_aliases.get(word) for word in GENERIC_LICENCE_WORDS}
    groups: dict[_Status, list[str]] = {"required": [], "preferred": [], "mentioned": []}
    for clause in _ITEM_BREAK_RE.split(normalised):
        parts = _PART_BREAK_RE.split(clause)
        for part, status in zip(parts, _clause_statuses(parts), strict=True):
            found_aliases = list(pattern.finditer(part))
            hits = (normalised_aliases.get(hit.group().casefold()) for hit in found_aliases)
            codes = [code for code in hits if code is not None]
            if status == "negated":
                continue
            named_alone = sum(hit.end() - hit.start() for hit in found_aliases)
            if status == "mentioned" and codes and len(part.strip()) - named_alone <= 1:
                status = "required"  # a requirement list's bare item: 送货司机，C1驾照，…
            licences = (
                normalised_aliases.get(f"{found.group('cls')}驾驶证".casefold())
                for found in _LICENCE_CLASS_RE.finditer(part)
            )
            classes = [licence for licence in licences if licence is not None]
            if classes:
                named = set(classes)
                codes = [code for code in codes if code not in generic or code in named]
                codes += classes
            for code in codes:
                if code not in groups[status]:
                    groups[status].append(code)
    required = tuple(groups["required"])
    preferred = tuple(code for code in groups["preferred"] if code not in required)
    mentioned = tuple(
        code for code in groups["mentioned"] if code not in required and code not in preferred
    )
    return CertificateMentions(required, preferred, mentioned)


# --- groups a posting is for -----------------------------------------------------------------

_GROUP_WELCOME_RE = re.compile(
    r"优先|欢迎|适合|面向|专招|专门招|招收|招用|安置|可接收|接收|可招|限|要求|本岗位为|岗位为|公益性岗位"
)
"""Words that say a clause's groups are who the post is for (退役军人优先, 欢迎残疾人, 适合残疾人,
要求：本街道就业困难人员、零就业家庭成员)."""
_GROUP_REFUSAL_RE = re.compile(r"不招|谢绝|不接受|不收|不要|不适合|不考虑|除外|勿")
"""Words that turn a clause against a group (不招残疾人, 残疾人勿扰): no target then (the
compliance check flags the refusal itself)."""
_GROUP_DENIED_BEFORE = ("无", "非", "不是")
"""A group word right after these is denied (身体健康无残疾, 非应届生)."""


@dataclass(frozen=True, slots=True)
class TargetGroups:
    """Priority groups a posting says it is for, and whether it welcomes disabled people.

    Attributes
    ----------
    groups : tuple of str
        Group codes in order of first mention, each once.
    accessible : bool
        The posting welcomes or targets disabled people (欢迎肢体残疾、听力残疾人, 适合残疾人,
        残疾人优先).
    """

    groups: tuple[str, ...] = ()
    accessible: bool = False


@lru_cache(maxsize=8)
def _group_table(
    words: tuple[tuple[str, str], ...],
) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """The alternation of the group words, longest first, and each normalised word's code."""
    codes = {_normalise(word).strip(): code for word, code in words}
    codes.pop("", None)
    ordered = sorted(codes, key=len, reverse=True)
    return (re.compile("|".join(map(re.escape, ordered))) if ordered else None), codes


def find_target_groups(
    text: str, words: Mapping[str, str], *, disabled: str = "disabled"
) -> TargetGroups:
    """The priority groups a vacancy text is for: group words (``words``: word → group code) in a
    clause that welcomes or requires them (优先, 欢迎, 适合, 面向, 限, 要求, 可接收 …) and does not
    refuse them (不招, 谢绝, 勿 …), a word not denied by what stands right before it (无残疾,
    非应届生). A clause is cut at , 。 ; ! ? and line breaks, so
    ``退捕渔民、就业困难人员优先`` gives both groups and ``身体健康，残疾人优先`` only the second
    clause's. ``accessible`` is whether ``disabled`` (the disabled group's code) is among them.

    Linear in the length of the text: one alternation of fixed words and two of fixed cue words
    per clause."""
    pattern, codes = _group_table(tuple(sorted(words.items())))
    if pattern is None or not text:
        return TargetGroups()
    found: list[str] = []
    for clause in _CLAUSE_BREAK.split(_normalise(text)):
        hits = [
            codes[hit.group()]
            for hit in pattern.finditer(clause)
            if not clause.endswith(_GROUP_DENIED_BEFORE, 0, hit.start())
        ]
        if not hits or not _GROUP_WELCOME_RE.search(clause) or _GROUP_REFUSAL_RE.search(clause):
            continue
        found.extend(code for code in hits if code not in found)
    return TargetGroups(tuple(found), disabled in found)


# --- welfare ---------------------------------------------------------------------------------

_WELFARE_VARIANTS: Mapping[str, tuple[str, ...]] = {
    "五险一金": ("五险一金", "五险1金", "5险1金", "六险一金", "六险1金", "6险1金", "七险一金"),
    "五险": ("五险", "5险", "五大保险"),
    "社保": ("社保", "社会保险", "缴纳社保", "购买社保", "买社保"),
    "公积金": ("住房公积金", "公积金"),
    "补充医疗保险": ("补充医疗保险", "补充医疗", "补充商业保险"),
    "商业保险": ("商业保险", "意外险", "意外保险"),
    "包吃住": (
        "包吃住",
        "包吃包住",
        "包食宿",
        "管吃住",
        "管吃管住",
        "吃住全包",
        "提供食宿",
        "免费食宿",
    ),
    "包吃": ("包吃", "包餐", "管吃", "包三餐", "免费三餐", "提供三餐"),
    "包住": ("包住", "管住", "提供住宿", "免费住宿"),
    "员工宿舍": ("员工宿舍", "提供宿舍", "免费宿舍", "宿舍免费"),
    "工作餐": ("工作餐", "免费工作餐", "提供工作餐", "免费午餐", "免费早晚餐", "员工食堂"),
    "餐补": ("餐补", "餐饮补贴", "餐费补贴", "饭补", "餐贴", "伙食补贴", "午餐补助", "餐补贴"),
    "交通补贴": ("交通补贴", "交通补助", "车补"),
    "住房补贴": ("住房补贴", "房补", "租房补贴", "住房补助"),
    "通讯补贴": ("通讯补贴", "通讯补助", "话补", "话费补贴"),
    "高温补贴": ("高温补贴", "高温津贴", "高温补助"),
    "双休": ("双休", "周末双休", "做五休二", "五天工作制", "5天工作制"),
    "单休": ("单休", "做六休一", "周末单休"),
    "大小周": ("大小周",),
    "八小时工作制": ("八小时工作制", "8小时工作制"),
    "弹性工作": ("弹性工作", "弹性工作制", "弹性上班"),
    "带薪年假": ("带薪年假", "年假", "带薪休假"),
    "法定节假日": ("法定节假日", "法定假日", "国家法定节假日"),
    "节日福利": ("节日福利", "节日礼品", "节日礼物", "过节费", "节假日福利"),
    "年终奖": ("年终奖", "年终奖金", "年底奖金", "年底双薪", "年终双薪"),
    "十三薪": ("十三薪", "13薪", "第十三个月工资"),
    "全勤奖": ("全勤奖", "全勤奖金"),
    "绩效奖金": ("绩效奖金", "绩效奖", "绩效工资"),
    "加班费": ("加班费", "加班补助", "加班补贴", "加班工资"),
    "定期体检": ("定期体检", "免费体检", "年度体检", "健康体检", "员工体检"),
    "免费培训": ("免费培训", "岗前培训", "免费技能培训", "免费岗前培训"),
    "带薪培训": ("带薪培训",),
    "专业培训": ("专业培训", "公司培训", "培训机会"),
    "员工旅游": ("员工旅游", "公费旅游", "旅游福利"),
    "免费班车": ("免费班车", "班车接送", "通勤班车"),
    "股票期权": ("股票期权", "期权激励", "股权激励"),
    "晋升空间": ("晋升空间", "晋升通道", "晋升机会"),
}
WELFARE_TAGS: tuple[str, ...] = tuple(_WELFARE_VARIANTS)
"""The canonical welfare tags :func:`find_welfare` returns."""
_WELFARE_CANONICAL: Mapping[str, str] = {
    variant: canonical for canonical, variants in _WELFARE_VARIANTS.items() for variant in variants
}
_WELFARE_RE = re.compile(
    "|".join(sorted(map(re.escape, _WELFARE_CANONICAL), key=len, reverse=True))
)
_WELFARE_NEGATION_RE = re.compile(r"(?:不|无|没有|不提供|不含)\s?$")


def find_welfare(text: str) -> tuple[str, ...]:
    """Welfare tags named in a text, as canonical names, in order of first appearance.

    Variants are normalised (``五险1金``/``六险一金`` → 五险一金, ``包食宿`` → 包吃住, ``周末双休``/
    ``做五休二`` → 双休, ``13薪`` → 十三薪); the longest variant wins at a position (``包吃住`` is
    not also 包吃); a negated tag (``不包住``, ``无社保``) is left out. :data:`WELFARE_TAGS` lists
    the canonical names.

    Parameters
    ----------
    text : str

    Returns
    -------
    tuple of str
        Without duplicates; empty when none is named.
    """
    normalised = _normalise(text)
    tags: list[str] = []
    for found in _WELFARE_RE.finditer(normalised):
        before = normalised[max(0, found.start() - 4) : found.start()]
        if _WELFARE_NEGATION_RE.search(before):
            continue
        tag = _WELFARE_CANONICAL[found.group()]
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


# --- the title of a posting ----------------------------------------------------------------

MAX_TITLE_CHARS = 40
"""A posting's first line longer than this is prose, not its title."""
_TITLE_LABEL_RE = re.compile(
    r"(?:岗位名称|职位名称|招聘岗位|岗位|职位|工种)\s?[:：]\s?([^\n,，。;；]{1,30})"
)
_TITLE_HIRING_RE = re.compile(
    r"(?:招聘|招|急招|诚招|聘)([^\n\d,，。;；:：（(、]{2,12}?)"
    r"(?:(?:\d{1,4}|[一二两三四五六七八九十]{1,3}|若干|多)\s?(?:名|人|位)|[:：,，。;；（(])"
)
_NOT_TITLES = frozenset({"要求", "条件", "岗位", "职位", "信息", "简章", "对象", "范围", "人数"})
"""Words after 招聘 that head a section, not a job (招聘要求：…)."""


def find_posting_title(text: str) -> str | None:
    """The job title of a posting given as text alone, or None when none can be told.

    In order: a labelled title (``岗位名称：叉车司机``, ``职位：普工``); the first line when the
    text has several and the first is short (at most :data:`MAX_TITLE_CHARS` characters, the
    way platforms export a posting: title, company, then the description); a hiring phrase
    (``招聘叉车司机2名``, ``急招普工若干名``, ``招聘超市收银员：…``; not a section heading such as
    ``招聘要求：``).

    Parameters
    ----------
    text : str

    Returns
    -------
    str or None
    """
    head = text[:2_000]
    labelled = _TITLE_LABEL_RE.search(head)
    if labelled:
        return labelled.group(1).strip() or None
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    if len(lines) > 1 and len(lines[0]) <= MAX_TITLE_CHARS:
        return lines[0]
    for hiring in _TITLE_HIRING_RE.finditer(head):
        title = hiring.group(1).strip()
        if title and title not in _NOT_TITLES:
            return title
    return None


# --- the posting's place ---------------------------------------------------------------------

PLACE_HEAD_CHARS = 400
"""A posting names its place near the start (title line, company, 工作地点, the first sentence);
later mentions are more often a company's history or a customer's city."""
_PLACE_LABEL_RE = re.compile(
    r"(?:工作地点|工作地址|上班地点|工作区域|工作城市|地点|地址)\s?[:：]\s?"
)
_PLACE_JOINERS = frozenset("-－—·/ 省市")
"""Characters that may stand between a city and its district (``深圳-宝安区``, ``成都市双流区``)."""
_COMPANY_NAME_RE = re.compile(
    r"[^\s,.;:!?，。；：！？某]{0,30}?(?:有限责任公司|有限公司|股份公司|集团|分公司)"
)
"""What follows a place inside a registered company name (``北京达佳互联信息技术有限公司``,
``大健云仓科技（苏州）有限公司``): the city it was registered in, not where the work is. A name
with 某 (``射洪某运输公司``) is how a posting says where it is, and stays a place."""


class PlaceFinder:
    """Where a posting is: the region code of the place it names first, the most specific one
    of a chain (``成都-双流区`` → 双流区, ``遂宁市船山区`` → 船山区), a labelled place
    (``工作地点：深圳-宝安区``) before any other, and a place inside a registered company name
    (``北京某某科技有限公司`` then ``成都-高新区``) only when the text names no other.

    Parameters
    ----------
    places : mapping of str to str
        Place name → GB/T 2260 region code (2, 4 or 6 digits); a name may be a city without its
        市 (``临沂``). The caller leaves out names that are ordinary words or not unique.
    """

    def __init__(self, places: Mapping[str, str]) -> None:
        self.places = {name: code for name, code in places.items() if name}
        names = sorted(self.places, key=lambda name: (-len(name), name))  # longest first
        self._pattern = re.compile("|".join(re.escape(name) for name in names)) if names else None

    def find(self, text: str) -> str | None:
        """The region code of the place ``text`` names first (most specific of its chain) outside
        a registered company name — else the first inside one — or None when it names none in
        its first :data:`PLACE_HEAD_CHARS` characters."""
        if self._pattern is None:
            return None
        head = text[:PLACE_HEAD_CHARS]
        label = _PLACE_LABEL_RE.search(head)
        if label is not None:
            labelled = self._chain(head, label.end(), label.end() + 2)
            if labelled is not None:
                return labelled
        first: int | None = None
        for found in self._pattern.finditer(head):
            if _COMPANY_NAME_RE.match(head, found.end()) is None:
                return self._chain(head, found.start(), found.start() + 1)
            first = found.start() if first is None else first
        return None if first is None else self._chain(head, first, first + 1)

    def _chain(self, text: str, start: int, first_by: int) -> str | None:
        """The code of the first place starting in [start, first_by), refined by the places
        that follow it directly and lie inside it."""
        pattern = self._pattern
        found = pattern.search(text, start) if pattern is not None else None
        if pattern is None or found is None or found.start() >= first_by:
            return None
        code = self.places[found.group()]
        position = found.end()
        while True:
            gap = position
            while gap < len(text) and gap - position < 2 and text[gap] in _PLACE_JOINERS:
                gap += 1
            following = pattern.match(text, gap)
            if following is None:
                return code
            inner = self.places[following.group()]
            if len(inner) <= len(code) or not inner.startswith(code):
                return code
            code, position = inner, following.end()
