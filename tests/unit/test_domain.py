"""Validation tables: good and bad rows for every rule of the domain schemas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.domain.records import (
    Campaign,
    Contact,
    Employer,
    EmployerKind,
    Fair,
    Interaction,
    Seeker,
    Vacancy,
    validate_record,
)
from matcher.errors import InvalidRecord
from matcher.reference import EducationLevel
from tests.conftest import employer_data, seeker_data, vacancy_data

THIS_YEAR = dt.date.today().year


def problems(model: type[Any], data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidRecord) as caught:
        validate_record(model, data)
    return {problem.field: problem.message for problem in caught.value.problems}


# --- seekers -------------------------------------------------------------------------------


def test_good_seeker_is_normalised() -> None:
    seeker = validate_record(
        Seeker,
        seeker_data(region="蓬溪县", certificates=["电工证", "低压电工作业证"], education="71"),
    )
    assert seeker.region == "510921"
    assert seeker.certificates == ["low_voltage_electrician"]  # aliases merge, duplicates drop
    assert seeker.priority_groups == ["returning_migrant"]
    assert seeker.education is EducationLevel.JUNIOR_OR_BELOW
    assert not hasattr(seeker, "gender")


BAD_SEEKERS = [
    ({"region": "510999"}, "region", "not a GB/T 2260 region code"),
    ({"region": "朝阳区"}, "region", "not a GB/T 2260 region code"),
    ({"education": "幼儿园"}, "education", "not a GB/T 4658 code"),
    ({"education": "学历不限"}, "education", "only for a vacancy"),
    ({"birth_year": THIS_YEAR - 10}, "birth_year", "age outside 16–75"),
    ({"birth_year": 1900}, "birth_year", "age outside 16–75"),
    ({"experience_years": 45}, "experience_years", "more than the seeker's age allows"),
    ({"experience_years": -1}, "experience_years", "greater than or equal to 0"),
    ({"expected_salary": 150_000}, "expected_salary", "give a monthly figure"),
    ({"expected_salary": 100}, "expected_salary", "greater than or equal to 500"),
    ({"priority_groups": ["外星人"]}, "priority_groups.0", "not a known priority group"),
    ({"priority_groups": ["残疾人"]}, "disability", "required for a seeker in the group 残疾人"),
    ({"desired_occupations": ["9-99-99-99"]}, "desired_occupations.0", "大典 2022"),
    ({"resume_text": "经" * 8_001}, "resume_text", "at most 8000"),
    ({"id": "S 001"}, "id", "letters, digits"),
    ({"gender": "男"}, "gender", "is not a known field"),
    ({"phone": "13800138000"}, "phone", "is not a known field"),
]


@pytest.mark.parametrize(("changes", "field", "fragment"), BAD_SEEKERS)
def test_bad_seeker(changes: dict[str, Any], field: str, fragment: str) -> None:
    found = problems(Seeker, seeker_data(**changes))
    assert field in found, found
    assert fragment in found[field]


def test_disabled_seeker_with_disability() -> None:
    seeker = validate_record(
        Seeker,
        seeker_data(
            priority_groups=["残疾登记失业人员"],
            disability={"type": "肢体残疾", "grade": 3, "needs": ["无障碍通道"]},
        ),
    )
    assert seeker.priority_groups == ["disabled"]
    assert seeker.disability is not None and seeker.disability.grade == 3
    found = problems(Seeker, seeker_data(disability={"type": "肢体残疾", "grade": 5}))
    assert "disability.grade" in found


# --- contacts ------------------------------------------------------------------------------


def test_contact_normalises_phone_and_id() -> None:
    contact = validate_record(
        Contact,
        {
            "seeker_id": "S001",
            "name": "张三",
            "phone": "+86 138-0013-8000",
            "id_number": "11010519491231002x",
        },
    )
    assert contact.phone == "13800138000"
    assert contact.id_number == "11010519491231002X"
    assert "张三" not in repr(contact) and "138" not in str(contact)


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"phone": "12345"}, "phone", "11-digit mainland mobile"),
        ({"id_number": "510902199001011234"}, "id_number", "check digit"),
        ({"id_number": "51090219900230123X"}, "id_number", "not a real date"),
        ({"name": "名" * 101}, "name", "at most 100"),
    ],
)
def test_bad_contact(changes: dict[str, Any], field: str, fragment: str) -> None:
    found = problems(Contact, {"seeker_id": "S001", **changes})
    assert fragment in found[field]
    # the rejected personal data is never echoed back
    for value in changes.values():
        assert all(value not in message for message in found.values())


# --- employers -----------------------------------------------------------------------------


def test_good_employer_kinds() -> None:
    employer = validate_record(Employer, employer_data(credit_code="91350100m000100y43"))
    assert employer.credit_code == "91350100M000100Y43"
    assert employer.industry_section == "C"
    assert employer.kinds == {EmployerKind.PRIVATE, EmployerKind.SME, EmployerKind.MANUFACTURING}
    state = validate_record(Employer, employer_data(ownership="国有", size="大型", industry="59"))
    assert state.kinds == {EmployerKind.STATE}


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"credit_code": "91510900MA62A1B2C3"}, "credit_code", "GB 32100 gives 'F'"),
        ({"credit_code": "9151"}, "credit_code", "18 characters"),
        ({"industry": "ZZ"}, "industry", "GB/T 4754"),
        ({"ownership": "私营"}, "ownership", "Input should be"),
        ({"size": "巨型"}, "size", "Input should be"),
        ({"region": "000000"}, "region", "GB/T 2260"),
        ({"name": "X"}, "name", "at least 2"),
    ],
)
def test_bad_employer(changes: dict[str, Any], field: str, fragment: str) -> None:
    assert fragment in problems(Employer, employer_data(**changes))[field]


# --- vacancies -----------------------------------------------------------------------------


def test_good_vacancy() -> None:
    vacancy = validate_record(
        Vacancy,
        vacancy_data(
            occupation="电工",
            required_certificates=["电工证"],
            preferred_certificates=["低压电工证", "焊工证"],
        ),
    )
    assert vacancy.occupation == "6-31-01-03"
    assert vacancy.min_education is EducationLevel.SENIOR_SECONDARY
    assert vacancy.preferred_certificates == ["welding"]  # required ones are not also preferred
    assert vacancy.is_active(dt.date(2022, 4, 1))
    assert not vacancy.is_active(dt.date(2022, 7, 1))
    assert validate_record(Vacancy, vacancy_data(min_education="学历不限")).min_education == 0


BAD_VACANCIES = [
    ({"salary_min": 8000, "salary_max": 6000}, "salary_max", "below salary_min"),
    ({"salary_max": 180_000}, "salary_max", "give a monthly figure"),
    ({"salary_min": 120_000, "salary_max": 180_000}, "salary_min", "above 100000"),
    ({"salary_min": 0}, "salary_min", "greater than or equal to 500"),
    ({"openings": 0}, "openings", "greater than or equal to 1"),
    ({"age_min": 50, "age_max": 30}, "age_max", "ages must be ordered"),
    ({"age_min": 12}, "age_min", "greater than or equal to 16"),
    ({"age_max": 90}, "age_max", "less than or equal to 75"),
    ({"valid_until": "2022-02-01"}, "valid_until", "before valid_from"),
    ({"valid_until": "2024-01-01"}, "valid_until", "at most one year"),
    ({"valid_from": "2022-13-01"}, "valid_from", "valid date"),
    ({"title": "工" * 61}, "title", "at most 60"),
    ({"description": "字" * 5_001}, "description", "at most 5000"),
    ({"occupation": "普工师"}, "occupation", "大典 2022"),
    ({"min_education": "幼儿园"}, "min_education", "GB/T 4658"),
    ({"target_groups": ["unknown"]}, "target_groups.0", "not a known priority group"),
    ({"status": "deleted"}, "status", "'open' or 'closed'"),
    ({"salary": "4000-6000"}, "salary", "is not a known field"),
]


@pytest.mark.parametrize(("changes", "field", "fragment"), BAD_VACANCIES)
def test_bad_vacancy(changes: dict[str, Any], field: str, fragment: str) -> None:
    found = problems(Vacancy, vacancy_data(**changes))
    assert field in found, found
    assert fragment in found[field]


# --- campaigns, fairs, interactions --------------------------------------------------------


def test_campaign_periods() -> None:
    campaign = validate_record(
        Campaign,
        {
            "id": "c1",
            "name": "测试活动",
            "short_name": "测试",
            "periods": [
                {"start": "2022-03-01", "end": "2022-04-30"},
                {"start": "2022-09-01", "end": "2022-10-31"},
            ],
            "priority_groups": ["退役军人"],
        },
    )
    assert campaign.start == dt.date(2022, 3, 1) and campaign.end == dt.date(2022, 10, 31)
    assert campaign.is_running(dt.date(2022, 9, 5)) and not campaign.is_running(dt.date(2022, 6, 1))
    found = problems(
        Campaign,
        {
            "id": "c1",
            "name": "测试活动",
            "short_name": "测试",
            "periods": [{"start": "2022-05-01", "end": "2022-04-01"}],
        },
    )
    assert "before start" in found["periods.0.end"]


def test_fair_rules() -> None:
    fair = {
        "id": "F1",
        "name": "春风行动专场招聘会",
        "date": "2022-02-15",
        "start_time": "09:00",
        "end_time": "12:00",
        "region": "510903",
        "booths": [
            {"booth": "A01", "employer_id": "E001", "vacancy_ids": ["V001"], "interview_slots": 20}
        ],
    }
    assert validate_record(Fair, fair).booths[0].interview_slots == 20
    assert "not after" in problems(Fair, {**fair, "end_time": "08:00"})["end_time"]
    twice = {**fair, "booths": fair["booths"] * 2}
    assert "unique" in problems(Fair, twice)["booths"]


def test_interaction_rules() -> None:
    good = {
        "seeker_id": "S001",
        "vacancy_id": "V001",
        "kind": "apply",
        "time": "2022-04-02T10:00:00",
        "position": 3,
    }
    assert validate_record(Interaction, good).position == 3
    assert "Input should be" in problems(Interaction, {**good, "kind": "like"})["kind"]
    assert (
        "greater than or equal to 1" in problems(Interaction, {**good, "position": 0})["position"]
    )


# --- robustness ----------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(
    model=st.sampled_from([Seeker, Contact, Employer, Vacancy, Fair, Interaction, Campaign]),
    changes=st.dictionaries(
        st.sampled_from(
            ["id", "region", "birth_year", "education", "certificates", "salary_min", "salary_max",
             "valid_from", "valid_until", "phone", "id_number", "credit_code", "industry",
             "priority_groups", "periods", "booths", "kind", "time", "openings", "age_min", "x"]
        ),
        JSON_VALUES,
        max_size=6,
    ),
)  # fmt: skip
def test_validation_never_crashes(model: type[Any], changes: dict[str, Any]) -> None:
    """Whatever arrives, validation either accepts it or raises InvalidRecord with fields."""
    base = {Seeker: seeker_data(), Employer: employer_data(), Vacancy: vacancy_data()}.get(
        model, {}
    )
    try:
        validate_record(model, {**base, **changes})
    except InvalidRecord as error:
        assert error.problems
        assert all(
            isinstance(problem.message, str) and problem.message for problem in error.problems
        )
