from __future__ import annotations

import datetime as dt

from matcher.domain.records import Seeker, Vacancy, validate_record
from matcher.intake.completion import complete_seeker, complete_vacancy
from matcher.intake.importer import import_file
from matcher.reference import EducationLevel
from matcher.storage.store import Store
from tests.conftest import DATA, vacancy_data

TEXT = (
    "任职要求：高中以上学历，2年以上经验，20-45岁，持叉车证。"
    "薪资：月薪5000-7000元，包吃住，五险一金"
)


def bare(**changes: object) -> Vacancy:
    data = vacancy_data(title="急招叉车司机", description=TEXT)
    for name in ("occupation", "salary_min", "salary_max", "min_education", "age_min", "age_max"):
        data.pop(name)
    data.update(min_experience_years=0, required_certificates=[], welfare=[])
    return validate_record(Vacancy, {**data, **changes})


def test_missing_fields_are_read_from_title_and_text() -> None:
    done = complete_vacancy(bare())
    assert done.occupation == "6-30-05-01"
    assert (done.salary_min, done.salary_max) == (5000, 7000)
    assert done.min_education is EducationLevel.SENIOR_SECONDARY
    assert done.min_experience_years == 2
    assert (done.age_min, done.age_max) == (20, 45)
    assert done.required_certificates == ["forklift"]
    assert done.welfare == ["包吃住", "五险一金"]


def test_given_fields_are_kept() -> None:
    given = bare(occupation="4-02-06-01", salary_min=4000, salary_max=4500, welfare=["双休"])
    done = complete_vacancy(given)
    assert done.occupation == "4-02-06-01"
    assert (done.salary_min, done.salary_max) == (4000, 4500)
    assert done.welfare == ["双休"]
    assert done.age_min == 20  # still filled: it was missing


def test_values_the_schema_rejects_are_left_out() -> None:
    yearly = bare(description="年薪：月薪150000-200000元，20-45岁")
    done = complete_vacancy(yearly)
    assert done.salary_min is None and done.salary_max is None
    assert (done.age_min, done.age_max) == (20, 45)


def test_nothing_to_do_returns_the_same_object() -> None:
    complete = validate_record(Vacancy, vacancy_data(description="", welfare=["双休"]))
    assert complete_vacancy(complete) is complete


def test_import_completes_vacancies(store: Store) -> None:
    import_file(store, "employers", DATA / "import" / "employers.csv")
    import_file(store, "vacancies", DATA / "import" / "vacancies_mixed.jsonl")
    brewer = store.get(Vacancy, "V002")
    assert brewer.occupation == "6-02-06-03"  # 酿酒工 → 白酒酿造工, from the title


def test_a_seeker_given_as_text_is_completed_and_given_fields_stay() -> None:
    text = "退伍军人，今年35岁，开过五年货车，有B2驾照，想找司机或者保安的活，住船山区"
    seeker, inferred = complete_seeker(Seeker(id="S9", resume_text=text), today=dt.date(2022, 6, 1))
    assert {"region", "birth_year", "experience_years", "certificates"} <= set(inferred)
    assert seeker.region == "510903" and seeker.birth_year == 1987
    assert seeker.experience_years == 5 and "driving_b2" in seeker.certificates
    assert "4-07-05-01" in seeker.desired_occupations  # 保安
    # a given field is never replaced, and a given wish is not widened by the text's
    given = Seeker(id="S9", resume_text=text, region="510921", desired_titles=["焊工"])
    kept, inferred = complete_seeker(given, today=dt.date(2022, 6, 1))
    assert kept.region == "510921" and kept.desired_titles == ["焊工"]
    assert "region" not in inferred and "desired_occupations" not in inferred
    # what the schema refuses is left out, not half-written: 30 years of work at 35
    old_hand = "今年35岁，开了三十年货车"
    checked, inferred = complete_seeker(
        Seeker(id="S9", resume_text=old_hand), today=dt.date(2022, 6, 1)
    )
    assert checked.experience_years is None and "experience_years" not in inferred
    assert complete_seeker(Seeker(id="S9"))[1] == ()  # no text, nothing read
