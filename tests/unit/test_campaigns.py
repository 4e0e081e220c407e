from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from matcher.domain.campaigns import (
    DEFAULT_CAMPAIGNS_FILE,
    employer_eligible,
    load_campaigns,
    seeker_eligible,
    vacancy_eligible,
)
from matcher.domain.records import Employer, EmployerKind, Seeker, Vacancy, validate_record
from matcher.errors import CampaignFileError
from tests.conftest import employer_data, seeker_data, vacancy_data


def test_default_calendar_has_the_twelve_activities() -> None:
    calendar = load_campaigns()
    assert len(calendar) == 12
    names = {campaign.short_name for campaign in calendar.values()}
    assert {"就业援助月", "春风行动", "高校毕业生专场", "民营企业招聘月", "残疾人就业帮扶"} <= names
    assert {"百日千万网络招聘", "金秋招聘月", "遂企智造", "村支书进企业"} <= names
    assert all(campaign.start.year == 2022 for campaign in calendar.values())


def test_default_calendar_encodes_the_notice() -> None:
    calendar = load_campaigns()
    assistance = calendar["employment_assistance_month"]
    assert (assistance.start, assistance.end) == (dt.date(2022, 1, 1), dt.date(2022, 1, 31))
    assert set(assistance.priority_groups) == {
        "employment_difficulty",
        "zero_employment_family",
        "disabled",
        "retired_fisher",
    }
    disability = calendar["disability_employment"]
    assert disability.policy.accessible_only
    assert disability.start == disability.end == dt.date(2022, 5, 15)
    assert calendar["private_enterprise_month"].policy.employer_kinds == [EmployerKind.PRIVATE]
    assert calendar["suiqi_zhizao"].policy.employer_kinds == [EmployerKind.MANUFACTURING]
    assert len(calendar["suiqi_zhizao"].periods) == 2
    assert [c.id for c in calendar.running_on(dt.date(2022, 10, 17))] == [
        "assistance_week",
        "golden_autumn",
        "suiqi_zhizao",
        "village_secretary_enterprise",
    ]


def test_every_campaign_name_is_in_the_notice(notice_text: str) -> None:
    for campaign in load_campaigns().values():
        assert campaign.name.strip("“”") in notice_text or campaign.name in notice_text, (
            campaign.name
        )


def test_unknown_campaign_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="known: employment_assistance_month"):
        load_campaigns()["nope"]


BAD_FILES = [
    ("not = [valid", "not valid TOML"),
    ("version = 9\n[[campaign]]\nid='x'", "version 9 is not supported"),
    ("version = 1", "no [[campaign]] tables"),
    ("colour = 'red'\n[[campaign]]\nid='x'", "unknown top-level keys"),
    (
        "[[campaign]]\nid='a1'\nname='活动一'\nshort_name='活动'\n"
        "[[campaign.periods]]\nstart=2022-05-01\nend=2022-04-01\n",
        "campaign #1 (a1): periods.0.end: 2022-04-01 is before start",
    ),
    (
        "[[campaign]]\nid='a1'\nname='活动一'\nshort_name='活动'\npriority_groups=['外星人']\n"
        "[[campaign.periods]]\nstart=2022-04-01\nend=2022-04-30\n",
        "priority_groups.0: is not a known priority group",
    ),
    (
        "[[campaign]]\nid='a1'\nname='活动一'\nshort_name='活动'\n"
        "[[campaign.periods]]\nstart=2022-04-01\nend=2022-04-30\n"
        "[campaign.policy]\nemployer_kinds=['外企']\n",
        "policy.employer_kinds.0",
    ),
    (
        "[[campaign]]\nid='a1'\nname='活动一'\nshort_name='活动'\n"
        "[[campaign.periods]]\nstart=2022-04-01\nend=2022-04-30\n"
        "[[campaign]]\nid='a1'\nname='活动二'\nshort_name='活动'\n"
        "[[campaign.periods]]\nstart=2022-04-01\nend=2022-04-30\n",
        "id 'a1' appears twice",
    ),
    ("[[campaign]]\nid='a1'\nname='活动一'\nshort_name='活动'\n", "periods: Field required"),
]


@pytest.mark.parametrize(("text", "fragment"), BAD_FILES)
def test_bad_campaign_files(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "campaigns.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignFileError) as caught:
        load_campaigns(path)
    assert fragment in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CampaignFileError, match="not found"):
        load_campaigns(tmp_path / "none.toml")


def test_staff_copy_can_be_edited(tmp_path: Path) -> None:
    text = DEFAULT_CAMPAIGNS_FILE.read_text(encoding="utf-8").replace(
        "start = 2022-04-01\nend = 2022-04-30", "start = 2023-04-01\nend = 2023-04-30"
    )
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    calendar = load_campaigns(path)
    assert calendar["private_enterprise_month"].start == dt.date(2023, 4, 1)
    assert calendar.source == path


def test_policies_filter_employers_vacancies_and_seekers() -> None:
    calendar = load_campaigns()
    private = validate_record(Employer, employer_data())
    state = validate_record(Employer, employer_data(ownership="国有", size="大型", industry="59"))
    outside = validate_record(Employer, employer_data(region="510104"))
    month = calendar["private_enterprise_month"]
    assert employer_eligible(month, private) and not employer_eligible(month, state)
    zhizao = calendar["suiqi_zhizao"]
    assert employer_eligible(zhizao, private) and not employer_eligible(zhizao, outside)

    disability = calendar["disability_employment"]
    plain = validate_record(Vacancy, vacancy_data())
    accessible = validate_record(Vacancy, vacancy_data(accessible=True))
    assert not vacancy_eligible(disability, plain, private)
    assert vacancy_eligible(disability, accessible, private)

    migrant = validate_record(Seeker, seeker_data())
    disabled = validate_record(
        Seeker, seeker_data(priority_groups=["残疾人"], disability={"type": "听力残疾"})
    )
    assert not seeker_eligible(disability, migrant) and seeker_eligible(disability, disabled)
    graduate = validate_record(
        Seeker,
        seeker_data(
            birth_year=2000, education="大专", experience_years=0, major="机电一体化技术",
            priority_groups=["离校未就业高校毕业生"],
        ),
    )  # fmt: skip
    assert seeker_eligible(zhizao, graduate) and not seeker_eligible(zhizao, migrant)
