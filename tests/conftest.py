"""Shared fixtures. Data paths are relative to this file, never to the working directory."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from matcher.domain.records import Employer, Seeker, Vacancy, validate_record
from matcher.storage.store import Store

TESTS = Path(__file__).parent
DATA = TESTS / "data"
SHARED_DATA = TESTS.parent.parent / "shared" / "data"


def today_of(test_from: str | None) -> dt.date:
    """The day a model trained on the synthetic 2022 calendar is served on: its test start."""
    return dt.date.fromisoformat(test_from) if test_from else dt.date.today()


def read_table(name: str) -> list[list[str]]:
    """Rows of a tab-separated table in tests/data, without '#' comment lines."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return [
            row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")
        ]


def read_records(name: str) -> list[dict[str, str]]:
    """The rows of a tab-separated table in tests/data keyed by its header, without '#' comment
    lines; quote characters are text."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture
def notice_text() -> str:
    """The 2022 Suining campaign notice from ../shared (the test skips when it is absent)."""
    notice = SHARED_DATA.parent / "notice" / "suining-2022-public-employment-campaigns.txt"
    if not notice.exists():
        pytest.skip("../shared/notice is absent")
    return notice.read_text(encoding="utf-8")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "home") as opened:
        yield opened


def employer_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "E001",
        "name": "四川遂宁天齐锂电科技有限公司",
        "credit_code": "91350100M000100Y43",
        "ownership": "民营",
        "size": "中型",
        "industry": "38",
        "region": "510903",
        "verification": "verified",
    }
    return {**data, **changes}


def vacancy_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "V001",
        "employer_id": "E001",
        "title": "电工",
        "occupation": "6-31-01-03",
        "description": "岗位职责：负责车间设备电气维护。任职要求：持低压电工证，3年以上经验。",
        "region": "510903",
        "min_education": "中专",
        "min_experience_years": 3,
        "age_min": 20,
        "age_max": 50,
        "salary_min": 5000,
        "salary_max": 7000,
        "openings": 3,
        "required_certificates": ["电工证"],
        "welfare": ["五险一金", "包吃住"],
        "valid_from": "2022-03-01",
        "valid_until": "2022-06-30",
    }
    return {**data, **changes}


def seeker_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "S001",
        "region": "510921",
        "birth_year": 1980,
        "education": "初中",
        "skills": ["设备维修", "电气接线"],
        "certificates": ["低压电工证"],
        "experience_years": 15,
        "resume_text": "求职意向：电工。工作经历：在成都建筑工地做水电安装十年。",
        "desired_titles": ["电工"],
        "desired_regions": ["510921", "510903"],
        "expected_salary": 5500,
        "priority_groups": ["返乡农民工"],
    }
    return {**data, **changes}


@pytest.fixture
def employer() -> Employer:
    return validate_record(Employer, employer_data())


@pytest.fixture
def vacancy() -> Vacancy:
    return validate_record(Vacancy, vacancy_data())


@pytest.fixture
def seeker() -> Seeker:
    return validate_record(Seeker, seeker_data())
