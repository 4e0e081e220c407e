"""权益维护: discriminatory requirements in vacancy text (features.compliance)."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from features import compliance
from features.compliance import COMPLIANCE_CATEGORIES, ComplianceFlag, check_compliance
from features.redact import MAX_TEXT_CHARS
from features.text import fold_width
from tests.conftest import read_table

CASES = read_table("compliance.tsv")
POSITIVE = [case for case in CASES if case[1]]
NEGATIVE = [case for case in CASES if not case[1]]


def test_table_has_enough_cases_both_ways() -> None:
    assert len(POSITIVE) >= 40
    assert len(NEGATIVE) >= 40


@pytest.mark.parametrize(("text", "expected", "note"), CASES, ids=[case[0][:24] for case in CASES])
def test_compliance_table(text: str, expected: str, note: str) -> None:
    flags = check_compliance(text)
    found = {flag.category for flag in flags}
    wanted = set(expected.split(",")) if expected else set()
    assert found == wanted, f"{note}: {[(flag.rule, flag.span) for flag in flags]}"
    for flag in flags:
        assert text[flag.start : flag.end] == flag.span
        assert flag.category in COMPLIANCE_CATEGORIES


def test_flag_carries_span_rule_and_law() -> None:
    text = "招聘叉车司机，限男性，乙肝携带者勿扰。"
    gender, hepatitis = check_compliance(text)
    assert gender == ComplianceFlag(
        category="gender",
        severity="violation",
        start=7,
        end=10,
        span="限男性",
        rule="gender.restrict",
        message=gender.message,
    )
    assert "就业促进法" in gender.message and "第二十七条" in gender.message
    assert hepatitis.span == "乙肝携带者勿扰"
    assert hepatitis.category == "hepatitis_b"
    assert "第三十条" in hepatitis.message


def test_household_registration_is_review_not_violation() -> None:
    (flag,) = check_compliance("限本地户口")
    assert flag.severity == "review"
    assert "需复核" in flag.message


def test_offsets_refer_to_the_original_full_width_text() -> None:
    text = "ＡＢＣ公司　性别：男，月薪５０００元"
    (flag,) = check_compliance(text)
    assert flag.span == "性别：男"
    assert text[flag.start : flag.end] == "性别：男"


def test_flags_are_sorted_and_do_not_overlap_within_a_category() -> None:
    text = "要求：男，限男性，男性优先，女性勿扰"
    flags = check_compliance(text)
    assert [flag.start for flag in flags] == sorted(flag.start for flag in flags)
    for first, second in itertools.pairwise(flags):
        assert first.end <= second.start
    assert len(flags) == 4


def test_rejects_non_string() -> None:
    with pytest.raises(TypeError, match="text must be a str, got bytes"):
        check_compliance(b"\xe9\x99\x90\xe7\x94\xb7")  # type: ignore[arg-type]


def test_empty_text_has_no_flags() -> None:
    assert check_compliance("") == ()


@given(st.text(max_size=300))
def test_never_raises_and_offsets_are_in_bounds(text: str) -> None:
    for flag in check_compliance(text):
        assert 0 <= flag.start < flag.end <= len(text)
        assert text[flag.start : flag.end] == flag.span
        assert flag.severity in ("violation", "review")


_PHRASE_CHARS = st.sampled_from(
    list("男女性别限仅只招要求优先勿扰不乙肝汉族户籍口已婚未育，。：；、 0123456789")
)


@given(st.lists(_PHRASE_CHARS, max_size=60).map("".join))
def test_never_raises_on_text_dense_in_trigger_characters(text: str) -> None:
    for flag in check_compliance(text):
        assert text[flag.start : flag.end] == flag.span


def test_every_category_has_rules_and_a_gate() -> None:
    rule_categories = {rule.category for rule in compliance._RULES}
    assert rule_categories == set(COMPLIANCE_CATEGORIES)
    assert set(compliance._CATEGORY_GATES) == set(COMPLIANCE_CATEGORIES)


_WORD_LINES = (
    "基督徒 妊娠测试 HBsAg hbsag 大三阳 艾滋病 HIV 传染病 生小孩 单身 五官端正 颜值 形象佳",
    "健全 缺陷 穆斯林 无神论者 处女座 属狗 维族 勿扰 不招 除外 携带者 阴性 入职体检 计划",
    "年内 本地 外地 河南",
)
_RULE_WORDS = st.sampled_from(
    list(
        "男女性别限仅只招要求优先勿扰不无汉族户籍口人已婚未育孕属座身高体重貌残教信，。：；、 1６0"
    )
    + [word for line in _WORD_LINES for word in line.split()]
)
"""Characters and words the rules are made of, so random texts match rules often."""


@given(st.lists(_RULE_WORDS, max_size=12).map("".join))
def test_category_gates_never_hide_a_match(text: str) -> None:
    folded = fold_width(text)
    for rule in compliance._RULES:
        if rule.pattern.search(folded):
            assert compliance._CATEGORY_GATES[rule.category].search(folded), rule.rule


def test_gender_beside_an_age_flags_the_gender_word_only() -> None:
    text = "叉车司机（男性，年龄18-50周岁）"
    (flag,) = check_compliance(text)
    assert (flag.category, flag.span, flag.start, flag.end) == ("gender", "男性", 5, 7)
    (flag,) = check_compliance("27-35岁女性，本科及以上")
    assert (flag.rule, flag.span) == ("gender.after_age", "女性")


def test_quota_by_sex_cites_the_law() -> None:
    (flag,) = check_compliance("普工男女各2名")
    assert flag.span == "男女各2名"
    assert "第二十七条" in flag.message


def test_text_longer_than_the_limit_is_refused() -> None:
    padding = " " * (MAX_TEXT_CHARS - 4)
    assert check_compliance(padding + "限男性")
    with pytest.raises(ValueError, match="at most MAX_TEXT_CHARS = 20,000 are checked"):
        check_compliance(padding + "限男性。。")


def _unbounded_repeats(pattern: re.Pattern[str]) -> list[str]:
    """Repeats of a compiled pattern without an upper bound (``*``, ``+``, ``{n,}``)."""
    parser = pytest.importorskip("re._parser")
    found: list[str] = []

    def walk(items: object) -> None:
        for op, value in items:  # type: ignore[attr-defined]
            if op in (
                parser.MAX_REPEAT,
                parser.MIN_REPEAT,
                getattr(parser, "POSSESSIVE_REPEAT", None),
            ):
                low, high, body = value
                if high == parser.MAXREPEAT:
                    found.append(f"{op} {low}..")
                walk(body)
            elif op == parser.SUBPATTERN:
                walk(value[-1])
            elif op == parser.BRANCH:
                for branch in value[1]:
                    walk(branch)
            elif op in (parser.ASSERT, parser.ASSERT_NOT):
                walk(value[1])

    walk(parser.parse(pattern.pattern, pattern.flags))
    return found


def test_every_pattern_has_bounded_repeats_only() -> None:
    patterns = [rule.pattern for rule in compliance._RULES] + [
        compliance._ALLOWANCE_AFTER,
        compliance._ALLOWANCE_BEFORE,
        compliance._CARED_FOR_BEFORE,
        compliance._PROHIBITION,
    ]
    for pattern in patterns:
        assert _unbounded_repeats(pattern) == [], pattern.pattern[:60]


def test_unbounded_repeat_check_sees_a_star() -> None:
    assert _unbounded_repeats(re.compile(r"性\s*别(?:男|女+)"))
