from __future__ import annotations

from matcher.domain.records import Vacancy, validate_record
from matcher.intake.completion import complete_vacancy
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
