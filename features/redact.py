"""PII redaction of free text before it is stored or tokenised.

Contact data is personal information (《个人信息保护法》第四条、第二十八条: 身份证号 is sensitive
personal information); it is replaced with a placeholder such as ``[手机]`` and counted. A work
location (遂宁市船山区, 工作地点：射洪市) is not personal and is kept; a street address with a door
number is redacted.

Kinds run in a fixed order so one kind's digits are not taken by another: e-mail before QQ (a QQ
mailbox is an e-mail), 身份证号 before phone numbers, WeChat and QQ ids before bare phone numbers
(``微信：13800138000`` is a WeChat id). Matching runs on a width-folded copy (full-width ASCII →
ASCII, one character for one), so ``１３８…`` is found too and untouched text keeps its width.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from features.text import fold_width

__all__ = ["PII_KINDS", "PII_PLACEHOLDERS", "Redaction", "redact"]

PII_PLACEHOLDERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "email": "[邮箱]",
        "id_number": "[身份证]",
        "wechat": "[微信]",
        "qq": "[QQ]",
        "mobile": "[手机]",
        "landline": "[电话]",
        "address": "[地址]",
    }
)
"""Placeholder per kind of personal information."""

PII_KINDS: Final[tuple[str, ...]] = tuple(PII_PLACEHOLDERS)
"""Kinds in the order they are redacted."""


@dataclass(frozen=True, slots=True)
class Redaction:
    """Redacted text and how many items of each kind were replaced."""

    text: str
    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        """Number of items replaced, all kinds together."""
        return sum(self.counts.values())


# RFC 5322 simplified to what appears in postings: local@domain.tld.
_EMAIL: Final = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![A-Za-z])",
    re.ASCII,
)

# GB 11643-1999: six-digit region, YYYYMMDD birth date, three-digit sequence, check character; the
# 1985 15-digit form has YYMMDD and no check character. A plausible date keeps order numbers out.
# Boundaries are digits only: a letter next to the number may be redacted later (QQ, wx), and the
# number must not then become redactable on a second pass.
_DATE8 = r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_DATE6 = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_ID_NUMBER: Final = re.compile(
    r"(?<!\d)[1-9]\d{5}[ -]?" + _DATE8 + r"[ -]?\d{3}[0-9Xx](?!\d)"
    r"|(?<!\d)[1-9]\d{5}" + _DATE6 + r"\d{3}(?![\dXx])",
    re.ASCII,
)
# After 身份证 the number is redacted whatever its date: when in doubt, redact.
_ID_NUMBER_LABELLED: Final = re.compile(
    r"(?:身份证|身份证号|身份证号码|证件号|证件号码|ID\s*card)\s*(?:号码?)?\s*[:是为]?\s*"
    r"(?P<pii>\d{6}[ -]?\d{8}[ -]?\d{3}[0-9Xx]|\d{15})(?!\d)",
    re.IGNORECASE | re.ASCII,
)

# MIIT numbering plan: mobiles are 11 digits starting 13-19; +86 / 0086 country code optional.
_MOBILE_BODY = r"1[3-9]\d(?:[ -]?\d{4}){2}"
_MOBILE: Final = re.compile(
    r"(?<!\d)(?:(?:\+|00)?86[ -]?|\(\+?86\)\s?)?" + _MOBILE_BODY + r"(?!\d)",
    re.ASCII,
)

# Landlines: 0 + two- or three-digit area code (028 成都, 0825 遂宁), 7-8 digit number, extension.
_LANDLINE: Final = re.compile(
    r"(?:\(0\d{2,3}\)\s?|(?<![\d(])0\d{2,3}[ -]?)[2-9]\d{6,7}"
    r"(?:\s*(?:转|-|ext\.?\s*|分机\s*)\d{1,6})?(?!\d)",
    re.ASCII,
)

# QQ numbers are 5-11 digits and never start with 0.
_QQ: Final = re.compile(
    r"(?:QQ|扣扣|企鹅)\s*(?:号码?|群)?\s*(?:[:是为]\s*)?(?P<pii>[1-9]\d{4,10})(?!\d)",
    re.IGNORECASE | re.ASCII,
)

# WeChat ids are 6-20 characters, start with a letter, then letters, digits, - or _ (WeChat's own
# rule); a phone number also serves as an id. A longer run after the label is redacted whole. After
# a bare "wx"/"微信" an id needs ":" or, after a space, a digit, "_" or "-" in it, so wxWidgets,
# 微信OpenID or "微信 Payment" are not ids.
_WECHAT_ID = r"(?:[A-Za-z][-_A-Za-z0-9]{5,}(?![-_A-Za-z0-9])|" + _MOBILE_BODY + r"(?!\d))"
_WECHAT_LABEL = r"(?:微信|威信|薇信|(?<![A-Za-z])(?:V信|VX|WX|weixin|wechat))"
_WECHAT: Final = re.compile(
    r"(?:" + _WECHAT_LABEL + r"\s*(?:号码?|id)\s*(?:[:是为]\s*)?"
    r"|" + _WECHAT_LABEL + r"\s*[:是为]\s*"
    r"|" + _WECHAT_LABEL + r"\s+(?=[-_A-Za-z0-9]*[-_0-9]))"
    r"(?P<pii>" + _WECHAT_ID + r")",
    re.IGNORECASE | re.ASCII,
)

# A street address with a door number: …路/街/巷/大道 + 号, …村 + 组, …小区 + 栋/单元. The
# part before the anchor (省市区县镇) is taken back to the start of its run of Chinese characters,
# minus a lead-in like 位于 or 地址; a bare city or county name never has an anchor.
_NUMERAL = r"[0-9一二三四五六七八九十百零〇]+"
_ADDRESS_ANCHOR: Final = re.compile(
    r"(?:大道|大街|路|街|巷|胡同|弄|段)\s*" + _NUMERAL + r"\s*(?:-\s*\d+\s*)?号(?![口线站门])"
    r"|村\s*" + _NUMERAL + r"\s*(?:组|社|号)"
    r"|(?:小区|花园|公寓|大厦|家园|广场|苑|院|新村|山庄)\s*"
    + _NUMERAL
    + r"\s*(?:号楼|栋|幢|座|单元|号院)",
    re.ASCII,
)
_ADDRESS_DETAIL: Final = re.compile(
    r"(?:\s*(?:附|之)?\s*[-—]?\s*[0-9A-Za-z一二三四五六七八九十]+\s*"
    r"(?:号楼|号院|栋|幢|座|单元|楼|层|室|号|组|社|户|期|区|门|铺))+"
    r"|\s*(?:[\u4e00-\u9fff]{2,10}?(?:小区|花园|公寓|大厦|家园|广场|中心|大楼|苑))"
    r"(?:\s*[0-9A-Za-z一二三四五六七八九十]+\s*(?:号楼|栋|幢|座|单元|楼|层|室|号))+",
    re.ASCII,
)
_ADDRESS_PREFIX_CHAR: Final = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
# Words that lead into an address and are not part of it: the run is cut after the last of these
# before the anchor; failing that, after the first 在/于/到/至 that is not the run's first character
# (公司在…, 欢迎到… are cut; 于都县 keeps its 于).
_ADDRESS_LEAD_IN: Final = re.compile(
    r".*(?:地址|住址|位于|坐落于|坐落在|地处|家住|住在|居住在|居住于|现住|现居|地点|前往|来到|送至|送到"
    r"|搬至|搬到|收货|负责)"
)
_ADDRESS_SHORT_LEAD_IN: Final = re.compile(r".+?(?:在|于|到|至)")
_ADDRESS_MAX_PREFIX: Final = 30


def _labelled(pattern: re.Pattern[str]) -> Callable[[str], list[tuple[int, int]]]:
    """Spans of the ``pii`` group of each match."""

    def spans(folded: str) -> list[tuple[int, int]]:
        return [match.span("pii") for match in pattern.finditer(folded)]

    return spans


def _whole(pattern: re.Pattern[str]) -> Callable[[str], list[tuple[int, int]]]:
    """Spans of each whole match."""

    def spans(folded: str) -> list[tuple[int, int]]:
        return [match.span() for match in pattern.finditer(folded)]

    return spans


def _id_number_spans(folded: str) -> list[tuple[int, int]]:
    """身份证号: labelled numbers of any date, unlabelled ones with a plausible birth date."""
    return _merge(_labelled(_ID_NUMBER_LABELLED)(folded) + _whole(_ID_NUMBER)(folded))


def _address_spans(folded: str) -> list[tuple[int, int]]:
    """Street addresses: an anchor with a door number, the place names before it, details after."""
    spans: list[tuple[int, int]] = []
    for anchor in _ADDRESS_ANCHOR.finditer(folded):
        start = anchor.start()
        floor = max(0, start - _ADDRESS_MAX_PREFIX)
        while start > floor and _ADDRESS_PREFIX_CHAR.match(folded, start - 1):
            start -= 1
        lead_in = _ADDRESS_LEAD_IN.match(folded, start, anchor.start()) or (
            _ADDRESS_SHORT_LEAD_IN.match(folded, start, anchor.start())
        )
        if lead_in is not None:
            start = lead_in.end()
        end = anchor.end()
        detail = _ADDRESS_DETAIL.match(folded, end)
        if detail is not None:
            end = detail.end()
        spans.append((start, end))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_FINDERS: Final[Mapping[str, Callable[[str], list[tuple[int, int]]]]] = MappingProxyType(
    {
        "email": _whole(_EMAIL),
        "id_number": _id_number_spans,
        "wechat": _labelled(_WECHAT),
        "qq": _labelled(_QQ),
        "mobile": _whole(_MOBILE),
        "landline": _whole(_LANDLINE),
        "address": _address_spans,
    }
)


def redact(text: str) -> Redaction:
    """Replace personal contact data in ``text`` with placeholders and count them.

    Parameters
    ----------
    text : str
        Free text: a vacancy description, a résumé, a note.

    Returns
    -------
    Redaction
        ``text`` with e-mail addresses, 身份证号, WeChat and QQ ids, mobile and landline numbers and
        street addresses replaced (see ``PII_PLACEHOLDERS``), and a count per kind (every kind in
        ``PII_KINDS`` present, zero when none). Salaries, dates, headcounts and work locations are
        kept. Redacting the result again changes nothing.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    counts: dict[str, int] = {}
    for kind, find_spans in _FINDERS.items():
        spans = [(start, end) for start, end in find_spans(fold_width(text)) if end > start]
        counts[kind] = len(spans)
        if spans:
            text = _replace(text, spans, PII_PLACEHOLDERS[kind])
    return Redaction(text=text, counts=MappingProxyType(counts))


def _replace(text: str, spans: list[tuple[int, int]], placeholder: str) -> str:
    """``text`` with each of the sorted, disjoint ``spans`` replaced by ``placeholder``."""
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces.append(text[position:start])
        pieces.append(placeholder)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
