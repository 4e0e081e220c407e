"""PII redaction of free text (features.redact)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from features.redact import PII_KINDS, PII_PLACEHOLDERS, Redaction, redact
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
