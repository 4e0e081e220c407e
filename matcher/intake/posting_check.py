"""The desk's posting check (岗位检查): a pasted posting's parsed fields in Chinese, and its text
cut into pieces so that each compliance flag can be marked where it stands, with the law it cites.

:func:`read_posting` takes the text staff pasted and what :func:`~matcher.intake.analysis.
analyze_vacancy` made of it. The flags' offsets are offsets into the *redacted* text (personal
data — an HR contact's phone number — is replaced by placeholders such as ``[手机]`` before
anything reads the text), so the pieces are cut from the same redacted text and the original is
never shown back. The pieces are plain text: whoever renders them escapes them (the desk's
templates do), and markup is added only around them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from features.compliance import ComplianceFlag
from features.redact import redact
from matcher.intake.analysis import VacancyAnalysis
from matcher.reference import EducationLevel, certificates

CATEGORY_NAMES = {
    "gender": "性别",
    "ethnicity": "民族",
    "hepatitis_b": "乙肝",
    "infectious_disease": "传染病",
    "marital_childbearing": "婚育",
    "household_registration": "户籍地域",
    "religion": "宗教信仰",
    "zodiac": "属相星座",
    "appearance": "外貌身高",
    "disability": "残疾",
}
"""Chinese name of each compliance category (:data:`features.compliance.COMPLIANCE_CATEGORIES`)."""

SEVERITY_NAMES = {"violation": "违法", "review": "需复核"}

REDACTION_NAMES = {
    "mobile": "手机号",
    "landline": "固定电话",
    "id_number": "身份证号",
    "email": "邮箱",
    "qq": "QQ号",
    "wechat": "微信号",
    "address": "详细地址",
}

SALARY_BASIS_NAMES = {
    "month": "月薪",
    "year": "年薪",
    "day": "日薪",
    "hour": "时薪",
}

UNSTATED = "未写明"

_ARTICLE = r"第[一二三四五六七八九十百零]{1,6}条"
_CITATION = re.compile(
    r"《[^《》]{1,30}》(?:" + _ARTICLE + r"(?:、" + _ARTICLE + r"){0,5})?"
    r"|人社部发〔\d{4}〕\d{1,4}号"
)
"""A law the message of a flag cites: 《就业促进法》第三条、第二十八条, or a ministry notice."""


@dataclass(frozen=True)
class Finding:
    """One compliance flag as the page shows it: numbered from 1 in text order."""

    number: int
    flag: ComplianceFlag
    category: str
    severity: str
    laws: tuple[str, ...]

    @property
    def message(self) -> str:
        return self.flag.message


@dataclass(frozen=True)
class Piece:
    """A run of the redacted text and the findings (by number) that cover it; none for plain
    text. Overlapping flags share the run where they overlap."""

    text: str
    findings: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()
    """The findings that end with this piece (the law they cite is shown after it)."""

    @property
    def flagged(self) -> bool:
        return bool(self.findings)


@dataclass(frozen=True)
class PostingCheck:
    """What the page shows of one posting."""

    text: str
    """The redacted text the flags' offsets refer to."""
    pieces: tuple[Piece, ...]
    findings: tuple[Finding, ...]
    fields: tuple[tuple[str, str], ...]
    """(Chinese label, value) of every parsed field, unknown ones as :data:`UNSTATED`."""
    redacted: tuple[tuple[str, int], ...]
    """(Chinese name, count) of each kind of personal data replaced in the text."""

    def finding(self, number: int) -> Finding:
        return self.findings[number - 1]


def laws_cited(message: str) -> tuple[str, ...]:
    """The laws a flag's message cites, in order (``《就业促进法》第二十七条``, …)."""
    return tuple(found.group(0) for found in _CITATION.finditer(message))


def read_posting(text: str, analysis: VacancyAnalysis) -> PostingCheck:
    """The posting check of ``text``, whose analysis is ``analysis`` (of the same text)."""
    clean = redact(text).text
    flags = sorted(
        (f for f in analysis.flags if 0 <= f.start < f.end <= len(clean)),
        key=lambda f: (f.start, f.end),
    )
    findings = tuple(
        Finding(
            number=number,
            flag=flag,
            category=CATEGORY_NAMES.get(flag.category, flag.category),
            severity=SEVERITY_NAMES.get(flag.severity, flag.severity),
            laws=laws_cited(flag.message),
        )
        for number, flag in enumerate(flags, start=1)
    )
    return PostingCheck(
        text=clean,
        pieces=pieces_of(clean, findings),
        findings=findings,
        fields=fields_of(analysis),
        redacted=tuple(
            (REDACTION_NAMES.get(kind, kind), count)
            for kind, count in analysis.redactions.items()
            if count
        ),
    )


def pieces_of(text: str, findings: Sequence[Finding]) -> tuple[Piece, ...]:
    """``text`` cut at every flag's start and end; each piece names the findings covering it.
    Joined, the pieces are ``text`` again."""
    bounds = {0, len(text)}
    for finding in findings:
        bounds.update((finding.flag.start, finding.flag.end))
    pieces = []
    for start, end in itertools.pairwise(sorted(bounds)):
        covering = tuple(f.number for f in findings if f.flag.start <= start and end <= f.flag.end)
        ending = tuple(f.number for f in findings if f.flag.end == end)
        pieces.append(Piece(text[start:end], covering, ending))
    return tuple(pieces)


def fields_of(analysis: VacancyAnalysis) -> tuple[tuple[str, str], ...]:
    """The parsed fields of a posting as (label, value), in Chinese."""
    return (
        ("岗位名称", analysis.title or UNSTATED),
        ("职业（大典）", _occupation(analysis)),
        ("薪酬", _salary(analysis)),
        ("学历要求", _education(analysis)),
        ("工作经验", _experience(analysis)),
        ("年龄要求", _age(analysis)),
        ("招聘人数", _headcount(analysis)),
        ("证书", _certificates(analysis)),
        ("福利待遇", "、".join(analysis.welfare) or UNSTATED),
    )


def _occupation(analysis: VacancyAnalysis) -> str:
    match = analysis.occupation
    if match.code is None or match.name is None:
        return "未能从岗位名称确定"
    return f"{match.name}（{match.code}），把握度 {match.confidence:.0%}"


def _yuan(value: int) -> str:
    return f"{value:,} 元"


def _salary(analysis: VacancyAnalysis) -> str:
    salary = analysis.salary
    if salary.basis == "negotiable":
        return "面议"
    if not salary.known:
        return UNSTATED
    if salary.low is not None and salary.high is not None:
        amount = (
            _yuan(salary.low) if salary.low == salary.high else f"{salary.low:,}–{salary.high:,} 元"
        )
    elif salary.low is not None:
        amount = f"{_yuan(salary.low)}以上"
    else:
        amount = f"{_yuan(salary.high or 0)}以下"
    shown = f"每月 {amount}"
    if salary.basis in SALARY_BASIS_NAMES and salary.basis != "month":
        shown += f"（按{SALARY_BASIS_NAMES[salary.basis]}折算）"
    if salary.months_per_year:
        shown += f"，每年 {salary.months_per_year} 个月"
    return shown


def _education(analysis: VacancyAnalysis) -> str:
    education = analysis.education
    if education.level is None:
        return UNSTATED
    label = EducationLevel(education.level).label
    if education.level == 0:
        return label
    return f"{label}及以上" if education.at_least else label


def _years(value: float) -> str:
    return f"{value:g}"


def _experience(analysis: VacancyAnalysis) -> str:
    experience = analysis.experience
    parts = []
    low, high = experience.min_years, experience.max_years
    if low is not None and high is not None:
        parts.append(f"{_years(low)} 年" if low == high else f"{_years(low)}–{_years(high)} 年")
    elif low is not None:
        parts.append("不限" if low == 0 else f"{_years(low)} 年以上")
    elif high is not None:
        parts.append(f"{_years(high)} 年以内")
    if experience.fresh_graduate:
        parts.append("招应届毕业生")
    return "，".join(parts) or UNSTATED


def _age(analysis: VacancyAnalysis) -> str:
    age = analysis.age
    if age.unrestricted:
        return "不限"
    if age.low is not None and age.high is not None:
        return f"{age.low}–{age.high} 岁"
    if age.low is not None:
        return f"{age.low} 岁以上"
    if age.high is not None:
        return f"{age.high} 岁以下"
    return UNSTATED


def _headcount(analysis: VacancyAnalysis) -> str:
    headcount = analysis.headcount
    if headcount.count is not None:
        return f"{headcount.count} 人"
    return "若干" if headcount.unspecified else UNSTATED


def _certificates(analysis: VacancyAnalysis) -> str:
    names = {code: entry.name for code, entry in certificates().items()}
    mentions = analysis.certificates
    parts = [
        f"{label}：{'、'.join(names.get(code, code) for code in codes)}"
        for label, codes in (
            ("须持", mentions.required),
            ("优先", mentions.preferred),
            ("提及", mentions.mentioned),
        )
        if codes
    ]
    return "；".join(parts) or UNSTATED


__all__ = [
    "CATEGORY_NAMES",
    "Finding",
    "Piece",
    "PostingCheck",
    "fields_of",
    "laws_cited",
    "pieces_of",
    "read_posting",
]
