"""Field parsers: spec tables in tests/data/parsers/*.tsv, a hand-checked sample of real field
values, and properties over arbitrary text."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from features.parsers import (
    EDUCATION_LEVELS,
    HOURS_PER_WORKING_DAY,
    PAID_DAYS_PER_MONTH,
    WELFARE_TAGS,
    AgeRange,
    CertificateMentions,
    EducationRequirement,
    ExperienceRequirement,
    Headcount,
    SalaryRange,
    TargetGroups,
    find_age,
    find_certificates,
    find_education,
    find_experience,
    find_headcount,
    find_salary,
    find_target_groups,
    find_welfare,
    parse_age,
    parse_education,
    parse_experience,
    parse_headcount,
    parse_salary,
)

TABLES = Path(__file__).parent.parent / "data" / "parsers"

ALIASES = {
    "电工证": "low_voltage_electrician",
    "低压电工证": "low_voltage_electrician",
    "焊工证": "welding",
    "叉车证": "forklift",
    "健康证": "health",
    "C1驾照": "driving_c1",
    "高压电工证": "high_voltage_electrician",
}


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a table in tests/data/parsers, without '#' comment lines."""
    with (TABLES / name).open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
        return [row for row in rows if row and not row[0].startswith("#")]


def optional_int(cell: str) -> int | None:
    return None if cell == "None" else int(cell)


def optional_float(cell: str) -> float | None:
    return None if cell == "None" else float(cell)


def flag(cell: str) -> bool:
    assert cell in ("yes", "no"), f"a flag is yes or no, got {cell!r}"
    return cell == "yes"


def codes(cell: str) -> tuple[str, ...]:
    return tuple(cell.split("|")) if cell else ()


def _annual_salary(text: str) -> SalaryRange:
    return parse_salary(text, unstated_period="year")


SALARY_CALLS: dict[str, Callable[[str], SalaryRange]] = {
    "parse": parse_salary,
    "find": find_salary,
    "year": _annual_salary,
}
EDUCATION_CALLS = {"parse": parse_education, "find": find_education}
EXPERIENCE_CALLS = {"parse": parse_experience, "find": find_experience}
AGE_CALLS = {"parse": parse_age, "find": find_age}
HEADCOUNT_CALLS = {"parse": parse_headcount, "find": find_headcount}


# --- the spec tables -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "text", "low", "high", "basis", "months", "note"), read_tsv("salary.tsv")
)
def test_salary_table(
    call: str, text: str, low: str, high: str, basis: str, months: str, note: str
) -> None:
    expected = SalaryRange(optional_int(low), optional_int(high), basis, optional_int(months))
    assert SALARY_CALLS[call](text) == expected, note


@pytest.mark.parametrize(("call", "text", "level", "at_least", "note"), read_tsv("education.tsv"))
def test_education_table(call: str, text: str, level: str, at_least: str, note: str) -> None:
    expected = EducationRequirement(optional_int(level), flag(at_least))
    assert EDUCATION_CALLS[call](text) == expected, note


@pytest.mark.parametrize(
    ("call", "text", "min_years", "max_years", "fresh", "note"), read_tsv("experience.tsv")
)
def test_experience_table(
    call: str, text: str, min_years: str, max_years: str, fresh: str, note: str
) -> None:
    expected = ExperienceRequirement(
        optional_float(min_years), optional_float(max_years), flag(fresh)
    )
    assert EXPERIENCE_CALLS[call](text) == expected, note


@pytest.mark.parametrize(
    ("call", "text", "low", "high", "unrestricted", "note"), read_tsv("age.tsv")
)
def test_age_table(call: str, text: str, low: str, high: str, unrestricted: str, note: str) -> None:
    expected = AgeRange(optional_int(low), optional_int(high), flag(unrestricted))
    assert AGE_CALLS[call](text) == expected, note


@pytest.mark.parametrize(
    ("call", "text", "count", "unspecified", "note"), read_tsv("headcount.tsv")
)
def test_headcount_table(call: str, text: str, count: str, unspecified: str, note: str) -> None:
    expected = Headcount(optional_int(count), flag(unspecified))
    assert HEADCOUNT_CALLS[call](text) == expected, note


@pytest.mark.parametrize(
    ("text", "required", "preferred", "mentioned", "note"), read_tsv("certificates.tsv")
)
def test_certificate_table(
    text: str, required: str, preferred: str, mentioned: str, note: str
) -> None:
    expected = CertificateMentions(codes(required), codes(preferred), codes(mentioned))
    assert find_certificates(text, ALIASES) == expected, note


@pytest.mark.parametrize(("text", "tags", "note"), read_tsv("welfare.tsv"))
def test_welfare_table(text: str, tags: str, note: str) -> None:
    assert find_welfare(text) == codes(tags), note


MINIMUM_ROWS = {
    "salary.tsv": 40,
    "education.tsv": 15,
    "experience.tsv": 15,
    "age.tsv": 12,
    "headcount.tsv": 10,
    "certificates.tsv": 12,
    "welfare.tsv": 10,
}


@pytest.mark.parametrize(("name", "minimum"), MINIMUM_ROWS.items())
def test_tables_keep_their_size(name: str, minimum: int) -> None:
    assert len(read_tsv(name)) >= minimum


# --- the hand-checked sample of real field values ---------------------------------------------

PARSE_BY_FIELD: dict[str, Callable[[str], object]] = {
    "salary": parse_salary,
    "salary[year]": _annual_salary,
    "education": parse_education,
    "experience": parse_experience,
    "headcount": parse_headcount,
}
HAND_CHECKED = read_tsv("hand_checked_sample.tsv")[1:]  # the first row is the header


@pytest.mark.parametrize(("field", "raw", "parsed", "correct", "note"), HAND_CHECKED)
def test_hand_checked_sample_is_pinned(
    field: str, raw: str, parsed: str, correct: str, note: str
) -> None:
    if correct != "yes":
        pytest.skip(f"marked wrong by hand: {note}")
    assert repr(PARSE_BY_FIELD[field](raw)) == parsed


def test_hand_checked_sample_is_mostly_correct() -> None:
    assert len(HAND_CHECKED) == 100
    assert sum(row[3] == "yes" for row in HAND_CHECKED) >= 98


# --- single behaviours -----------------------------------------------------------------------


def test_conversion_factors() -> None:
    assert PAID_DAYS_PER_MONTH == 21.75
    assert parse_salary("100元/天").low == round(100 * PAID_DAYS_PER_MONTH)
    hourly = parse_salary("20元/小时").low
    assert hourly == round(20 * HOURS_PER_WORKING_DAY * PAID_DAYS_PER_MONTH)


def test_known_flags() -> None:
    assert not parse_salary("面议").known
    assert parse_salary("面议").basis == "negotiable"
    assert parse_salary("5000元以上").known
    assert not parse_education("").known
    assert parse_experience("经验不限").known
    assert parse_age("年龄不限").known
    assert not parse_age("").known
    assert parse_headcount("若干").known
    assert not parse_headcount("").known


def test_education_levels_cover_the_scale() -> None:
    assert sorted(EDUCATION_LEVELS) == list(range(7))


def test_welfare_tags_are_canonical_and_unique() -> None:
    assert len(set(WELFARE_TAGS)) == len(WELFARE_TAGS)
    assert {"五险一金", "包吃住", "双休", "十三薪"} <= set(WELFARE_TAGS)


def test_certificates_without_aliases() -> None:
    assert find_certificates("持电工证", {}) == CertificateMentions()


def test_certificate_aliases_are_normalised() -> None:
    assert find_certificates("持有C1驾照", {"Ｃ１驾照": "driving_c1"}).required == ("driving_c1",)


# --- properties ------------------------------------------------------------------------------

TEXT_PARSERS: tuple[Callable[[str], object], ...] = (
    parse_salary,
    find_salary,
    _annual_salary,
    parse_education,
    find_education,
    parse_experience,
    find_experience,
    parse_age,
    find_age,
    parse_headcount,
    find_headcount,
    find_welfare,
)
FIELD_ALPHABET = list(
    "0123456789.,-~至到万千kKwW元/月年天日小时薪以上下起+面议底薪年龄岁周招聘人名若干学历本科大专"
    "不限经验应届一二两三十半个以内:;，。、优先须持电工证焊五险一金包吃住 ①()\n"
)
fieldish = st.text(alphabet=st.sampled_from(FIELD_ALPHABET), max_size=40)
any_text = st.one_of(st.text(), fieldish)
FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)} | {0x20: 0x3000}


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_no_parser_raises(text: str) -> None:
    for parse in TEXT_PARSERS:
        parse(text)
    find_certificates(text, ALIASES)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_ranges_are_ordered(text: str) -> None:
    for salary in (parse_salary(text), find_salary(text), _annual_salary(text)):
        if salary.low is not None and salary.high is not None:
            assert salary.low <= salary.high
        assert salary.known == (salary.basis not in ("negotiable", "unknown"))
    for age in (parse_age(text), find_age(text)):
        if age.low is not None and age.high is not None:
            assert age.low <= age.high
    for experience in (parse_experience(text), find_experience(text)):
        if experience.min_years is not None and experience.max_years is not None:
            assert experience.min_years <= experience.max_years


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_full_width_input_reads_the_same(text: str) -> None:
    full_width = text.translate(FULL_WIDTH)
    for parse in TEXT_PARSERS:
        assert parse(full_width) == parse(text)
    assert find_certificates(full_width, ALIASES) == find_certificates(text, ALIASES)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 200), st.integers(0, 200), st.sampled_from(["K", "千", "万"]))
def test_salary_ranges_in_units(low: int, width: int, unit: str) -> None:
    high = low + width
    scale = {"K": 1000, "千": 1000, "万": 10_000}[unit]
    salary = parse_salary(f"{low}-{high}{unit}")
    if unit == "万" and high * scale > 100_000:
        assert not salary.known
    else:
        assert (salary.low, salary.high) == (low * scale, high * scale)


GROUP_WORDS = {
    "残疾人": "disabled",
    "残疾": "disabled",
    "退役军人": "veteran",
    "应届生": "fresh_graduate",
}


@pytest.mark.parametrize(
    ("text", "groups", "accessible"),
    [
        ("退役军人优先", ("veteran",), False),
        ("欢迎肢体残疾、听力残疾人；退役军人优先", ("disabled", "veteran"), True),
        ("适合残疾人居家就业", ("disabled",), True),
        ("要求：本岗位限应届生", ("fresh_graduate",), False),
        # each clause for itself: the welcome of one is not the other's
        ("有退役军人的纪律，工作认真。应届生优先", ("fresh_graduate",), False),
        # a word with no welcome, a refusal, a denied word
        ("负责残疾人康复训练", (), False),
        ("不招残疾人", (), False),
        ("身体健康无残疾，非应届生优先", (), False),
        ("", (), False),
    ],
)
def test_target_groups(text: str, groups: tuple[str, ...], accessible: bool) -> None:
    assert find_target_groups(text, GROUP_WORDS) == TargetGroups(groups, accessible)


def test_target_groups_without_words_and_on_long_text() -> None:
    assert find_target_groups("退役军人优先", {}) == TargetGroups()
    long = "残疾人优先，" * 2_000  # every clause welcomes; the groups are listed once
    assert find_target_groups(long, GROUP_WORDS) == TargetGroups(("disabled",), True)
