"""PII redaction of free text (features.redact)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from features.redact import MAX_TEXT_CHARS, PII_KINDS, PII_PLACEHOLDERS, Redaction, redact
from features.text import fold_width
from tests.conftest import read_table

CASES = read_table("redaction.tsv")


def test_table_has_enough_cases() -> None:
    assert len(CASES) >= 40
    assert sum(1 for source, expected, _ in CASES if source == expected) >= 10


@pytest.mark.parametrize(
    ("source", "expected", "note"), CASES, ids=[case[0][:24] for case in CASES]
)
def test_redaction_table(source: str, expected: str, note: str) -> None:
    assert redact(source).text == expected, note


def test_counts_per_kind() -> None:
    result = redact("手机13800138000、13900139000，QQ：12345678，地址：遂宁市船山区明月路123号")
    assert result.counts["mobile"] == 2
    assert result.counts["qq"] == 1
    assert result.counts["address"] == 1
    assert result.total == 4
    assert set(result.counts) == set(PII_KINDS)


def test_nothing_to_redact_counts_zero() -> None:
    result = redact("招聘电工3名，月薪5000-7000元")
    assert result == Redaction(text="招聘电工3名，月薪5000-7000元", counts=result.counts)
    assert result.total == 0


def test_id_number_digits_are_not_taken_as_a_phone() -> None:
    result = redact("身份证510903198507150011")
    assert result.text == "身份证[身份证]"
    assert result.counts["mobile"] == 0


def test_every_kind_has_a_bracketed_placeholder() -> None:
    assert set(PII_PLACEHOLDERS) == set(PII_KINDS)
    for placeholder in PII_PLACEHOLDERS.values():
        assert placeholder.startswith("[") and placeholder.endswith("]")
        assert fold_width(placeholder) == placeholder  # redact() replaces in the folded copy too


def test_rejects_non_string() -> None:
    with pytest.raises(TypeError, match="text must be a str, got NoneType"):
        redact(None)  # type: ignore[arg-type]


@given(st.text(max_size=200))
def test_idempotent_and_never_raises(text: str) -> None:
    once = redact(text).text
    assert redact(once).text == once


_PII_LIKE = st.sampled_from(
    [
        "13800138000",
        "0825-2345678",
        "(0825)",
        "510903198507150011",
        "19850715",
        "QQ",
        "扣扣",
        "微信：",
        "vx ",
        "abcdefghijklmnopq",
        "a@b.cn",
        "@",
        ".",
        "+86",
        "转",
        "路",
        "号",
        "村",
        "组",
        "栋",
        "小区",
        "单元",
        "位于",
        "在",
        "-",
        " ",
        "：",
        "1",
        "0",
        "8",
        "X",
        "x",
        "_",
        "遂宁市",
        "明月",
        "(",
        ")",
        "１",
        "　",
        "·",
        "—",
        "．",
        "。",
        "wxid_",
        "V信",
        "vx",
        "  ",
    ]
)
"""Pieces of contact data; joined at random they make the neighbours that break naive rules."""


@given(st.lists(_PII_LIKE, max_size=20).map("".join))
def test_idempotent_on_text_dense_in_contact_data(text: str) -> None:
    once = redact(text).text
    assert redact(once).text == once


_MOBILE = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)


@given(
    st.text(max_size=40).filter(lambda text: not text or not text[-1].isdigit()),
    _MOBILE,
    st.text(max_size=40).filter(lambda text: not text or not text[0].isdigit()),
)
def test_a_mobile_never_survives(prefix: str, mobile: str, suffix: str) -> None:
    assert mobile not in redact(prefix + mobile + suffix).text


# --- the length cap ---------------------------------------------------------------------------


_CONTACT = "手机13800138000，"


def test_text_at_the_cap_is_redacted() -> None:
    text = _CONTACT + "岗" * (MAX_TEXT_CHARS - len(_CONTACT))
    assert redact(text).counts["mobile"] == 1


def test_text_above_the_cap_is_refused_without_echoing_it() -> None:
    text = _CONTACT + "岗" * (MAX_TEXT_CHARS + 1 - len(_CONTACT))
    with pytest.raises(ValueError, match="at most MAX_TEXT_CHARS = 20,000") as raised:
        redact(text)
    assert "20,001 characters" in str(raised.value)
    assert "13800138000" not in str(raised.value)


# --- planted contact data among adversarial neighbours -----------------------------------------

_SEPARATORS = st.sampled_from([" ", "-", ".", "－", "．", "—", "–", "·", "　", " - ", ". ", "  "])


@st.composite
def _mobiles(draw: st.DrawFn) -> str:
    """A mobile number as people write it: whole or 3-4-4 in any separator style, full-width
    digits or not, with or without +86."""
    digits = draw(_MOBILE)
    separator = draw(st.one_of(st.just(""), _SEPARATORS))
    number = separator.join((digits[:3], digits[3:7], digits[7:]))
    if draw(st.booleans()):
        number = number.translate({code: code + 0xFEE0 for code in range(0x30, 0x3A)})
    return draw(st.sampled_from(["", "+86 ", "+86-", "0086 ", "(+86)"])) + number


_ID_NUMBERS = st.builds(
    lambda region, day, sequence, check: f"{region}{day:%Y%m%d}{sequence:03d}{check}",
    st.integers(110000, 659999).map(str),
    st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2010, 12, 31)),
    st.integers(0, 999),
    st.sampled_from("0123456789X"),
)
_EMAILS = st.builds(
    lambda local, domain, tld: f"{local}@{domain}.{tld}",
    st.from_regex(r"[a-z][a-z0-9._]{0,20}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[a-z0-9]{1,20}", fullmatch=True),
    st.sampled_from(["com", "cn", "com.cn", "net"]),
)
_WECHAT_IDS = st.from_regex(r"[a-z][a-z0-9]{2,8}_[a-z0-9]{1,8}[0-9]", fullmatch=True)
_GAPS = st.sampled_from(["", " ", "  ", "   ", "：", " ： "])

_PLANTED = st.one_of(
    _mobiles().map(lambda text: (text, "[手机]", "mobile")),
    _ID_NUMBERS.map(lambda text: (text, "[身份证]", "id_number")),
    st.tuples(_GAPS, _ID_NUMBERS).map(
        lambda pair: (f"身份证{pair[0]}{pair[1]}", f"身份证{pair[0]}[身份证]", "id_number")
    ),
    _EMAILS.map(lambda text: (text, "[邮箱]", "email")),
    st.tuples(_GAPS, st.integers(10_000, 99_999_999_999)).map(
        lambda pair: (f"QQ{pair[0]}{pair[1]}", f"QQ{pair[0]}[QQ]", "qq")
    ),
    st.tuples(st.sampled_from(["", "：", " "]), _WECHAT_IDS).map(
        lambda pair: (f"微信{pair[0]}{pair[1]}", f"微信{pair[0]}[微信]", "wechat")
    ),
    st.integers(2_000_000, 9_999_999).map(lambda n: (f"0825-{n}", "[电话]", "landline")),
)
"""(contact data, what it must become, its kind)."""

_ADVERSARIAL_UNITS = [" ", "　", "\t", "1", "１", "-", ".", "－", "．", "身份证", "路", "路1号",
                      "号", "微信", "QQ", "wx ", "村1组", "小区", "栋", "x"]  # fmt: skip
_NEIGHBOURS = st.one_of(
    st.tuples(st.sampled_from(_ADVERSARIAL_UNITS), st.integers(0, 2_000)).map(
        lambda pair: pair[0] * pair[1]
    ),
    st.lists(st.sampled_from(_ADVERSARIAL_UNITS), max_size=300).map("".join),
)
"""Long runs of one unit (spaces, digits, 身份证身份证…, 路路路, full-width forms) or a mix."""


@given(_NEIGHBOURS, _PLANTED, _NEIGHBOURS)
def test_planted_contact_data_is_found_among_adversarial_neighbours(
    before: str, planted: tuple[str, str, str], after: str
) -> None:
    text, expected, kind = planted
    result = redact(f"{before}，{text}，{after}")
    assert f"，{expected}，" in result.text
    assert result.counts[kind] >= 1


@given(_NEIGHBOURS, _NEIGHBOURS)
def test_adversarial_neighbours_are_idempotent(before: str, after: str) -> None:
    once = redact(before + after).text
    assert redact(once).text == once
