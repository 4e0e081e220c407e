from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.domain.codes import (
    CREDIT_CODE_CHARSET,
    credit_code_check_char,
    credit_code_problem,
    id_number_check_digit,
    id_number_problem,
    mobile_problem,
    normalize_mobile,
)
from tests.conftest import read_table

CREDIT_CASES = read_table("credit_codes.tsv")
ID_CASES = read_table("id_numbers.tsv")


@pytest.mark.parametrize(("code", "valid", "fragment", "note"), CREDIT_CASES)
def test_credit_code_table(code: str, valid: str, fragment: str, note: str) -> None:
    problem = credit_code_problem(code.upper())
    if valid == "yes":
        assert problem is None, note
    else:
        assert problem is not None and fragment in problem, note


@pytest.mark.parametrize(("number", "valid", "fragment", "note"), ID_CASES)
def test_id_number_table(number: str, valid: str, fragment: str, note: str) -> None:
    problem = id_number_problem(number)
    if valid == "yes":
        assert problem is None, note
    else:
        assert problem is not None and fragment in problem, note


def test_id_number_problem_never_echoes_the_number() -> None:
    number = "510902199001011234"
    problem = id_number_problem(number)
    assert problem is not None
    assert number not in problem
    assert "1990" not in problem


@given(st.text(alphabet=CREDIT_CODE_CHARSET, min_size=17, max_size=17))
def test_credit_check_char_makes_any_body_valid_except_bad_region(body: str) -> None:
    code = body + credit_code_check_char(body)
    problem = credit_code_problem(code)
    # the pattern requires digits in the region part (characters 3–8)
    assert (problem is None) == body[2:8].isdigit()


@given(st.text(alphabet=CREDIT_CODE_CHARSET, min_size=18, max_size=18))
def test_one_changed_character_is_caught(code: str) -> None:
    valid = code[:17] + credit_code_check_char(code[:17])
    changed_char = CREDIT_CODE_CHARSET[(CREDIT_CODE_CHARSET.index(valid[17]) + 1) % 31]
    assert credit_code_problem(valid[:17] + changed_char) is not None


@given(
    st.from_regex(
        r"510903(19[5-9]\d|200[0-5])(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])\d{3}", fullmatch=True
    )
)
def test_id_check_digit_round_trip(first17: str) -> None:
    assert id_number_problem(first17 + id_number_check_digit(first17)) is None
    wrong = "0" if id_number_check_digit(first17) != "0" else "1"
    assert id_number_problem(first17 + wrong) is not None


@pytest.mark.parametrize(
    ("phone", "normal", "valid"),
    [
        ("13800138000", "13800138000", True),
        ("+86 138-0013-8000", "13800138000", True),
        ("0086 19912345678", "19912345678", True),
        ("12800138000", "12800138000", False),
        ("1380013800", "1380013800", False),
        ("0825-2222222", "08252222222", False),
    ],
)
def test_mobile(phone: str, normal: str, valid: bool) -> None:
    assert normalize_mobile(phone) == normal
    assert (mobile_problem(phone) is None) is valid
