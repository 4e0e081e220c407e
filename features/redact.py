"""PII redaction of free text before it is stored or tokenised.

Contact data is personal information (《个人信息保护法》第四条、第二十八条: 身份证号 is sensitive
personal information); it is replaced with a placeholder such as ``[手机]`` and counted. A work
location (遂宁市船山区, 工作地点：射洪市) is not personal and is kept; a street address with a door
number is redacted.

Kinds run in a fixed order so one kind's digits are not taken by another: e-mail before QQ (a QQ
mailbox is an e-mail), 身份证号 before phone numbers, WeChat and QQ ids before bare phone numbers
(``微信：13800138000`` is a WeChat id). Matching runs on a width-folded copy (full-width ASCII →
ASCII, one character for one), so ``１３８…`` is found too and untouched text keeps its width.

Every pattern runs in time linear in the length of the text (no quantifier over white space or
digits is unbounded where a long run could make it backtrack), and :func:`redact` refuses a text
longer than :data:`MAX_TEXT_CHARS` before any pattern runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from features.text import fold_width

__all__ = ["MAX_TEXT_CHARS", "PII_KINDS", "PII_PLACEHOLDERS", "Redaction", "redact"]

MAX_TEXT_CHARS: Final = 20_000
"""Longest text :func:`redact` takes, in characters. Above every free-text cap of the domain
(title 60, description 5,000, résumé 8,000) and equal to the API's largest analysed text
(``max_text_chars``): callers check lengths against their own caps first, so only a text that no
caller may store reaches this limit. The patterns are linear in the length; the cap bounds the
work of one call."""

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


# Every pattern below runs in time linear in the length of the text: each quantifier over
# characters that may run long is bounded (``\s{0,3}``, ``{1,8}``), no unbounded quantifier is
# nested in another or follows another over the same characters, and redact() refuses texts
# longer than MAX_TEXT_CHARS before any pattern runs. tests/unit/test_patterns_linear.py checks
# the structure of every compiled pattern of the module; benchmarks/bench_redact.py times it.
_GAP = r"\s{0,3}"
"""White space between a label and its value: a few characters, never a run of any length."""

# RFC 5322 simplified to what appears in postings: local@domain.tld, with RFC 5321's lengths (a
# local part of at most 64 characters, labels of at most 63). A longer run of letters is no
# address: bounding it keeps the search linear on long words.
_EMAIL_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL: Final = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
    rf"{_EMAIL_LABEL}(?:\.{_EMAIL_LABEL}){{0,8}}\.[A-Za-z]{{2,63}}(?![A-Za-z])",
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
    rf"(?:身份证|证件号|ID\s?card){_GAP}(?:号码?{_GAP})?(?:[:是为]{_GAP})?"
    r"(?P<pii>\d{6}[ -]?\d{8}[ -]?\d{3}[0-9Xx]|\d{15})(?!\d)",
    re.IGNORECASE | re.ASCII,
)

# MIIT numbering plan: mobiles are 11 digits starting 13-19, written whole or in groups of
# 3-4-4 with any separator people type: spaces, hyphens and dashes, dots, middle dots (full-width
# forms are folded to these before matching); +86 / 0086 country code optional.
_PHONE_SEPARATOR = r"(?:\s{0,2}[-.\u00b7\u2010-\u2015\u2212\u30fb\u3002\ufe63]\s{0,2}|\s{1,2})"
_MOBILE_BODY = rf"1[3-9]\d(?:{_PHONE_SEPARATOR}?\d{{4}}){{2}}"
_MOBILE: Final = re.compile(
    rf"(?<!\d)(?:(?:\+|00)?86{_PHONE_SEPARATOR}?|\(\+?86\)\s{{0,2}})?{_MOBILE_BODY}(?!\d)",
    re.ASCII,
)

# Landlines: 0 + two- or three-digit area code (028 成都, 0825 遂宁), 7-8 digit number, extension.
_LANDLINE: Final = re.compile(
    r"(?:\(0\d{2,3}\)\s{0,2}|(?<![\d(])0\d{2,3}(?:[ .\u2010-\u2015\u2212-]|\s{0,2}-\s{0,2})?)"
    rf"[2-9]\d{{6,7}}(?:{_GAP}(?:转|-|ext\.?{_GAP}|分机{_GAP})\d{{1,6}})?(?!\d)",
    re.ASCII,
)

# QQ numbers are 5-11 digits and never start with 0. "[QQ]" is our own placeholder, not a label.
_QQ: Final = re.compile(
    rf"(?<!\[)(?:QQ|扣扣|企鹅){_GAP}(?:(?:号码?|群){_GAP})?(?:[:是为]{_GAP})?"
    r"(?P<pii>[1-9]\d{4,10})(?!\d)",
    re.IGNORECASE | re.ASCII,
)

# WeChat ids are 6-20 characters, start with a letter, then letters, digits, - or _ (WeChat's own
# rule); a phone number also serves as an id. A longer run after the label is redacted up to 64
# characters. After "微信号", "wx:" and the like any id counts. After a bare label an id needs a
# digit, "_" or "-" in it, so that 微信OpenID or "微信 Payment" are not ids: after a space
# (``微信 zhang_88``) or, for a Chinese label, right after it (``微信ouyang_zh1990``). A Latin label
# right before letters is a word (wxWidgets, VxWorks6): only a phone number counts there
# (``vx13800138000``). WeChat's own generated ids (``wxid_…``) count without a label, unless a
# letter comes before them (a digit may: it may be a phone number redacted after them).
_WECHAT_ID = rf"(?:[A-Za-z][-_A-Za-z0-9]{{5,63}}|{_MOBILE_BODY}(?!\d))"
_WECHAT_MARKED_ID = r"(?=[-_A-Za-z0-9]{0,63}[-_0-9])"
_WECHAT_CHINESE_LABEL = r"(?:微信|威信|薇信|(?<![A-Za-z])V信)"
_WECHAT_LABEL = rf"(?:{_WECHAT_CHINESE_LABEL}|(?<![A-Za-z])(?:VX|WX|weixin|wechat))"
_WECHAT: Final = re.compile(
    rf"(?:{_WECHAT_LABEL}{_GAP}(?:号码?|id){_GAP}(?:[:是为]{_GAP})?"
    rf"|{_WECHAT_LABEL}{_GAP}[:是为]{_GAP}"
    rf"|{_WECHAT_LABEL}\s{{1,3}}{_WECHAT_MARKED_ID}"
    rf"|{_WECHAT_CHINESE_LABEL}{_WECHAT_MARKED_ID}"
    rf"|{_WECHAT_LABEL}(?=1[3-9]\d))"
    rf"(?P<pii>{_WECHAT_ID})",
    re.IGNORECASE | re.ASCII,
)
_WECHAT_GENERATED_ID: Final = re.compile(
    r"(?<![-_A-Za-z])(?P<pii>wxid_[-_A-Za-z0-9]{1,40})", re.IGNORECASE | re.ASCII
)

# A street address with a door number: …路/街/巷/大道 + 号, …村 + 组, …小区 + 栋/单元. The
# part before the anchor (省市区县镇) is taken back to the start of its run of Chinese characters,
# minus a lead-in like 位于 or 地址; a bare city or county name never has an anchor. Door, group
# and building numbers have at most 8 characters (一百二十三 is five).
_NUMERAL = r"[0-9一二三四五六七八九十百零〇]{1,8}"
_SPACE = r"\s{0,2}"
_ADDRESS_ANCHOR: Final = re.compile(
    rf"(?:大道|大街|路|街|巷|胡同|弄|段){_SPACE}{_NUMERAL}{_SPACE}"
    rf"(?:-{_SPACE}\d{{1,6}}{_SPACE})?号(?![口线站门])"
    rf"|村{_SPACE}{_NUMERAL}{_SPACE}(?:组|社|号)"
    rf"|(?:小区|花园|公寓|大厦|家园|广场|苑|院|新村|山庄){_SPACE}{_NUMERAL}{_SPACE}"
    r"(?:号楼|栋|幢|座|单元|号院)",
    re.ASCII,
)
# After the anchor: up to eight more parts (附1号, 3栋, 2单元, 501室), or a named building and its
# parts (维多利广场A座).
_ADDRESS_PART = r"[0-9A-Za-z一二三四五六七八九十]{1,8}"
_ADDRESS_DETAIL: Final = re.compile(
    rf"(?:{_SPACE}(?:[附之]{_SPACE})?(?:[-—]{_SPACE})?{_ADDRESS_PART}{_SPACE}"
    r"(?:号楼|号院|栋|幢|座|单元|楼|层|室|号|组|社|户|期|区|门|铺)){1,8}"
    rf"|{_SPACE}(?:[\u4e00-\u9fff]{{2,10}}?(?:小区|花园|公寓|大厦|家园|广场|中心|大楼|苑))"
    rf"(?:{_SPACE}{_ADDRESS_PART}{_SPACE}(?:号楼|栋|幢|座|单元|楼|层|室|号)){{1,8}}",
    re.ASCII,
)
_ADDRESS_PREFIX_CHAR: Final = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
_ADDRESS_MAX_PREFIX: Final = 30
# Words that lead into an address and are not part of it: the run is cut after the last of these
# before the anchor; failing that, after the first 在/于/到/至 that is not the run's first character
# (公司在…, 欢迎到… are cut; 于都县 keeps its 于). Both look at most _ADDRESS_MAX_PREFIX back.
_ADDRESS_LEAD_IN: Final = re.compile(
    rf".{{0,{_ADDRESS_MAX_PREFIX}}}"
    "(?:地址|住址|位于|坐落于|坐落在|地处|家住|住在|居住在|居住于|现住|现居|地点|前往|来到|送至|送到"
    "|搬至|搬到|收货|负责)"
)
_ADDRESS_SHORT_LEAD_IN: Final = re.compile(rf".{{1,{_ADDRESS_MAX_PREFIX}}}?(?:在|于|到|至)")


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


def _wechat_spans(folded: str) -> list[tuple[int, int]]:
    """WeChat ids after a label, and WeChat's generated ids (``wxid_…``) anywhere."""
    return _merge(_labelled(_WECHAT)(folded) + _labelled(_WECHAT_GENERATED_ID)(folded))


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
        "wechat": _wechat_spans,
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
    ValueError
        If ``text`` is longer than :data:`MAX_TEXT_CHARS`; nothing is matched then. The message
        gives the length and the limit, never the text.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(
            f"text has {len(text):,} characters; redact() takes at most "
            f"MAX_TEXT_CHARS = {MAX_TEXT_CHARS:,}: check the length against the field's cap first"
        )
    counts: dict[str, int] = {}
    folded = fold_width(text)  # placeholders have no full-width characters: fold once, replace both
    for kind, find_spans in _FINDERS.items():
        spans = [(start, end) for start, end in find_spans(folded) if end > start]
        counts[kind] = len(spans)
        if spans:
            text = _replace(text, spans, PII_PLACEHOLDERS[kind])
            folded = _replace(folded, spans, PII_PLACEHOLDERS[kind])
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
