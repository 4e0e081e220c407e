"""Campaign progress figures on a hand-built store whose every figure can be counted by hand.

The store (campaign 金秋招聘月, 2022-10-01 … 11-30; its groups 登记失业人员, 离校未就业高校毕业生,
退役军人):

- employers E001 民营 (vacancy V001) and E002 国有 (vacancy V002); V404 is not stored;
- seekers S001 退役军人 船山区; S002 退役军人 + 登记失业人员 蓬溪县; S003 no group 射洪市;
  S004 应届高校毕业生 成都市锦江区; S005 农村劳动力, no region; S999 is not stored.

``EVENTS`` lists the interactions; the expected figures below are counted from it by hand.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import matcher.fairs.progress as progress_module
from matcher.domain.campaigns import CampaignCalendar, load_campaigns
from matcher.domain.records import (
    Employer,
    Interaction,
    InteractionKind,
    Seeker,
    Vacancy,
    validate_record,
)
from matcher.fairs.progress import (
    CHARTS,
    FIGURE_KEYS,
    FOLLOW_UP_DAYS,
    CampaignProgress,
    ProgressRow,
    ReportRequestError,
    campaign_progress,
    check_output,
    render_chart,
)
from matcher.storage.store import Store
from tests.conftest import employer_data, seeker_data, vacancy_data

CAMPAIGN = "golden_autumn"

EVENTS: tuple[tuple[str, str, str, str, str | None, str | None], ...] = (
    # seeker, vacancy, kind, time, campaign, session
    ("S001", "V001", "impression", "2022-10-10T09:00:00", CAMPAIGN, "a"),
    ("S001", "V002", "impression", "2022-10-10T09:00:00", CAMPAIGN, "a"),
    ("S001", "V001", "click", "2022-10-10T09:01:00", CAMPAIGN, "a"),
    ("S001", "V001", "apply", "2022-10-10T09:05:00", CAMPAIGN, "a"),
    ("S002", "V001", "impression", "2022-10-10T10:00:00", CAMPAIGN, "b"),
    # two impressions without a session: one list (S001, 2022-10-11)
    ("S001", "V002", "impression", "2022-10-11T08:00:00", CAMPAIGN, None),
    ("S001", "V001", "impression", "2022-10-11T15:00:00", CAMPAIGN, None),
    ("S003", "V002", "impression", "2022-10-11T11:00:00", CAMPAIGN, "c"),
    ("S002", "V002", "apply", "2022-10-11T12:00:00", CAMPAIGN, "b"),
    # other campaigns, no campaign, and before the campaign: never counted
    ("S003", "V001", "apply", "2022-10-12T10:00:00", "spring_breeze", "x"),
    ("S003", "V002", "apply", "2022-10-12T10:00:00", None, None),
    ("S001", "V001", "impression", "2022-09-30T23:59:59", CAMPAIGN, "early"),
    ("S001", "V001", "interview", "2022-10-20T10:00:00", CAMPAIGN, "a"),
    ("S002", "V002", "interview", "2022-10-20T11:00:00", CAMPAIGN, "b"),
    ("S001", "V001", "offer", "2022-10-20T17:00:00", CAMPAIGN, "a"),
    ("S001", "V001", "hire", "2022-10-25T09:00:00", CAMPAIGN, "a"),
    ("S002", "V002", "reject", "2022-10-25T09:30:00", CAMPAIGN, "b"),
    ("S004", "V001", "impression", "2022-10-25T10:00:00", CAMPAIGN, "d"),
    ("S004", "V001", "apply", "2022-10-25T10:10:00", CAMPAIGN, "d"),
    ("S005", "V002", "impression", "2022-10-25T11:00:00", CAMPAIGN, "e"),
    ("S999", "V001", "impression", "2022-10-25T12:00:00", CAMPAIGN, "z"),
    ("S003", "V404", "impression", "2022-10-25T13:00:00", CAMPAIGN, "c2"),
    # a follow-up after the campaign's last day
    ("S002", "V002", "hire", "2022-12-05T09:00:00", CAMPAIGN, "b"),
)


def figures(**counts: int) -> dict[str, int]:
    """Every figure, zero unless given."""
    unknown = set(counts) - set(FIGURE_KEYS)
    assert not unknown, unknown
    return {key: counts.get(key, 0) for key in FIGURE_KEYS}


def fill(store: Store) -> None:
    store.put_many(
        [
            validate_record(Employer, employer_data(id="E001", ownership="民营")),
            validate_record(
                Employer,
                employer_data(id="E002", ownership="国有", credit_code="914403001922038216"),
            ),
        ]
    )
    valid = {"valid_from": "2022-09-01", "valid_until": "2022-12-31"}
    store.put_many(
        [
            validate_record(Vacancy, vacancy_data(id="V001", employer_id="E001", **valid)),
            validate_record(Vacancy, vacancy_data(id="V002", employer_id="E002", **valid)),
        ]
    )
    people: tuple[tuple[str, str | None, list[str]], ...] = (
        ("S001", "510903", ["退役军人"]),
        ("S002", "510921", ["退役军人", "登记失业人员"]),
        ("S003", "510981", []),
        ("S004", "510104", ["应届高校毕业生"]),
        ("S005", None, ["农村劳动力"]),
    )
    store.put_many(
        [
            validate_record(
                Seeker,
                seeker_data(
                    id=seeker_id, region=region, priority_groups=groups, desired_regions=[]
                ),
            )
            for seeker_id, region, groups in people
        ]
    )
    store.append_interactions(
        [
            Interaction(
                seeker_id=seeker_id,
                vacancy_id=vacancy_id,
                kind=InteractionKind(kind),
                time=dt.datetime.fromisoformat(time),
                campaign_id=campaign,
                session_id=session,
            )
            for seeker_id, vacancy_id, kind, time, campaign, session in EVENTS
        ]
    )


@pytest.fixture
def calendar() -> CampaignCalendar:
    return load_campaigns()


@pytest.fixture
def filled(store: Store) -> Iterator[Store]:
    fill(store)
    # another tenant's interactions under the same ids must never count
    other = store.for_tenant("other-city")
    other.append_interactions(
        [
            Interaction(
                seeker_id="S001",
                vacancy_id="V001",
                kind=InteractionKind.HIRE,
                time=dt.datetime(2022, 10, 15, 9),
                campaign_id=CAMPAIGN,
            )
        ]
    )
    yield store


def rows_by_key(rows: tuple[ProgressRow, ...]) -> dict[str, dict[str, int]]:
    return {row.key: dict(row.values) for row in rows}


@pytest.fixture
def report(filled: Store, calendar: CampaignCalendar) -> CampaignProgress:
    return campaign_progress(filled, calendar, CAMPAIGN)


def test_totals_over_the_campaign_count_distinct_seekers_lists_and_events(
    report: CampaignProgress,
) -> None:
    assert (report.date_from, report.date_to) == (dt.date(2022, 10, 1), dt.date(2022, 11, 30))
    assert dict(report.total.values) == figures(
        served=6,  # S001 S002 S003 S004 S005 S999
        listed=6,
        lists=8,  # S001:a, S001:10-11, S002:b, S003:c, S003:c2, S004:d, S005:e, S999:z
        shown=10,
        applicants=3,  # S001 S002 S004
        applications=3,
        interviewees=2,
        interviews=2,
        offered=1,
        offers=1,
        hired=1,
        hires=1,
    )
    assert report.events == 19
    assert report.later_events == 1  # S002's hire on 12-05
    assert (report.missing_seekers, report.missing_vacancies) == (1, 1)


def test_by_priority_group_counts_a_seeker_in_each_of_their_groups(
    report: CampaignProgress,
) -> None:
    groups = rows_by_key(report.by_group)
    assert groups["veteran"] == figures(
        served=2,
        listed=2,
        lists=3,
        shown=5,
        applicants=2,
        applications=2,
        interviewees=2,
        interviews=2,
        offered=1,
        offers=1,
        hired=1,
        hires=1,
    )
    assert groups["registered_unemployed"] == figures(
        served=1, listed=1, lists=1, shown=1, applicants=1, applications=1,
        interviewees=1, interviews=1,
    )  # fmt: skip
    assert groups["fresh_graduate"] == figures(
        served=1, listed=1, lists=1, shown=1, applicants=1, applications=1
    )
    assert groups["rural_labor"] == figures(served=1, listed=1, lists=1, shown=1)
    assert groups["none"] == figures(served=1, listed=1, lists=2, shown=2)  # S003
    assert groups["missing"] == figures(served=1, listed=1, lists=1, shown=1)  # S999
    assert groups["disabled"] == figures()
    labels = {row.key: row.label for row in report.by_group}
    assert labels["veteran"] == "退役军人"
    assert labels["none"] == "非重点群体"
    assert labels["missing"] == "档案已删除"
    focus = {row.key for row in report.by_group if row.focus}
    assert focus == {"registered_unemployed", "unemployed_graduate", "veteran"}
    # every group of the reference table has a row, in table order, then the others
    keys = [row.key for row in report.by_group]
    assert keys[:2] == ["employment_difficulty", "zero_employment_family"]
    assert keys[-2:] == ["none", "missing"]


def test_by_county_names_the_seekers_home_county(report: CampaignProgress) -> None:
    counties = rows_by_key(report.by_county)
    assert counties["510903"] == figures(
        served=1,
        listed=1,
        lists=2,
        shown=4,
        applicants=1,
        applications=1,
        interviewees=1,
        interviews=1,
        offered=1,
        offers=1,
        hired=1,
        hires=1,
    )
    assert counties["510921"] == figures(
        served=1, listed=1, lists=1, shown=1, applicants=1, applications=1,
        interviewees=1, interviews=1,
    )  # fmt: skip
    assert counties["510981"] == figures(served=1, listed=1, lists=2, shown=2)
    assert counties["510104"] == figures(
        served=1, listed=1, lists=1, shown=1, applicants=1, applications=1
    )
    assert counties["unknown"] == figures(served=1, listed=1, lists=1, shown=1)
    assert counties["missing"] == figures(served=1, listed=1, lists=1, shown=1)
    assert counties["510904"] == figures()  # 安居区: a row though nobody from there took part
    labels = {row.key: row.label for row in report.by_county}
    assert labels["510903"] == "船山区"
    assert labels["510971"] == "遂宁经济技术开发区"
    assert labels["510104"] == "四川省成都市锦江区"
    assert labels["unknown"] == "未填写居住地"
    keys = [row.key for row in report.by_county]
    assert keys[:5] == ["510903", "510904", "510921", "510923", "510971"]


def test_by_employer_kind_follows_the_vacancys_employer(report: CampaignProgress) -> None:
    kinds = rows_by_key(report.by_employer_kind)
    assert kinds["民营"] == figures(
        served=4,  # S001 S002 S004 S999
        listed=4,
        lists=5,
        shown=5,
        applicants=2,
        applications=2,
        interviewees=1,
        interviews=1,
        offered=1,
        offers=1,
        hired=1,
        hires=1,
    )
    assert kinds["国有"] == figures(
        served=4,  # S001 S002 S003 S005
        listed=3,
        lists=4,
        shown=4,
        applicants=1,
        applications=1,
        interviewees=1,
        interviews=1,
    )
    assert kinds["missing"] == figures(served=1, listed=1, lists=1, shown=1)  # V404
    assert kinds["外资"] == figures()
    assert [row.key for row in report.by_employer_kind][:2] == ["民营", "国有"]


def test_daily_series_covers_every_day_people_distinct_within_a_day(
    report: CampaignProgress,
) -> None:
    assert len(report.daily) == 31 + 30
    days = rows_by_key(report.daily)
    assert days["2022-10-10"] == figures(
        served=2, listed=2, lists=2, shown=3, applicants=1, applications=1
    )
    assert days["2022-10-11"] == figures(
        served=3, listed=2, lists=2, shown=3, applicants=1, applications=1
    )
    assert days["2022-10-20"] == figures(
        served=2, interviewees=2, interviews=2, offered=1, offers=1
    )
    assert days["2022-10-25"] == figures(
        served=6, listed=4, lists=4, shown=4, applicants=1, applications=1, hired=1, hires=1
    )
    assert days["2022-10-01"] == figures()
    for key in ("shown", "applications", "interviews", "offers", "hires"):
        assert sum(row[key] for row in report.daily) == report.total[key]


def test_a_range_counts_only_its_days_and_may_reach_into_the_follow_up(
    filled: Store, calendar: CampaignCalendar
) -> None:
    week = campaign_progress(
        filled, calendar, CAMPAIGN, dt.date(2022, 10, 10), dt.date(2022, 10, 11)
    )
    assert dict(week.total.values) == figures(
        served=3, listed=3, lists=4, shown=6, applicants=2, applications=2
    )
    assert week.later_events is None  # only counted when the range reaches the campaign's end
    assert len(week.daily) == 2

    with_follow_up = campaign_progress(filled, calendar, CAMPAIGN, None, dt.date(2022, 12, 5))
    assert with_follow_up.total["hired"] == 2
    assert with_follow_up.later_events == 0
    assert rows_by_key(with_follow_up.by_group)["registered_unemployed"]["hired"] == 1


def test_other_tenants_see_only_their_own_interactions(
    filled: Store, calendar: CampaignCalendar
) -> None:
    other = campaign_progress(filled.for_tenant("other-city"), calendar, CAMPAIGN)
    # the other tenant has one hire of "S001", a seeker it does not store
    assert dict(other.total.values) == figures(served=1, hired=1, hires=1)
    assert rows_by_key(other.by_group)["missing"]["hired"] == 1
    empty = campaign_progress(filled.for_tenant("nobody"), calendar, CAMPAIGN)
    assert dict(empty.total.values) == figures()
    assert all(row["served"] == 0 for row in empty.by_county)


def test_blocks_of_any_size_give_the_same_figures(
    filled: Store, calendar: CampaignCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = campaign_progress(filled, calendar, CAMPAIGN)
    monkeypatch.setattr(progress_module, "LOOKUP_BLOCK", 2)
    lookups: list[int] = []
    original = Store.get_many

    def counted(self: Store, kind: type, ids: list[str]) -> dict:  # type: ignore[type-arg]
        if kind is Seeker:
            lookups.append(len(ids))
        return original(self, kind, ids)

    monkeypatch.setattr(Store, "get_many", counted)
    blocked = campaign_progress(filled, calendar, CAMPAIGN)
    assert blocked == whole
    assert len(lookups) > 3  # looked up block by block …
    assert sum(lookups) == 6  # … each seeker once


def test_interactions_are_read_as_a_stream(
    filled: Store, calendar: CampaignCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[object, object, object]] = []
    original = Store.iter_interactions

    def spied(self: Store, **kwargs: object) -> Iterator[Interaction]:
        seen.append((kwargs.get("since"), kwargs.get("until"), kwargs.get("campaign_id")))
        return original(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "iter_interactions", spied)
    campaign_progress(filled, calendar, CAMPAIGN, dt.date(2022, 10, 10), dt.date(2022, 10, 20))
    assert seen == [(dt.datetime(2022, 10, 10), dt.datetime(2022, 10, 21), CAMPAIGN)]


def test_unknown_campaign_names_it_and_lists_the_choices(
    filled: Store, calendar: CampaignCalendar
) -> None:
    with pytest.raises(ReportRequestError, match=r"unknown campaign 'autumn'.*golden_autumn") as e:
        campaign_progress(filled, calendar, "autumn")
    assert e.value.field == "campaign"
    assert "金秋招聘月" in e.value.reason


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        ("2022-11-05", "2022-11-01", "from", r"--from 2022-11-05 is after --to 2022-11-01"),
        ("2022-09-30", None, "from", r"--from 2022-09-30 is outside campaign 'golden_autumn'"),
        ("2022-12-01", "2022-12-02", "from", r"--from 2022-12-01 is outside"),
        (None, "2022-12-31", "to", r"--to 2022-12-31 is outside .* to 2022-12-30"),
        ("2022-10-01", "2022-12-30", None, None),  # the last day of the follow-up is allowed
    ],
)
def test_ranges_outside_the_campaign_are_refused(
    filled: Store,
    calendar: CampaignCalendar,
    first: str | None,
    last: str | None,
    field: str | None,
    message: str | None,
) -> None:
    first_day = dt.date.fromisoformat(first) if first else None
    last_day = dt.date.fromisoformat(last) if last else None
    if message is None:
        result = campaign_progress(filled, calendar, CAMPAIGN, first_day, last_day)
        assert result.date_to == calendar[CAMPAIGN].end + dt.timedelta(days=FOLLOW_UP_DAYS)
        return
    with pytest.raises(ReportRequestError, match=message) as error:
        campaign_progress(filled, calendar, CAMPAIGN, first_day, last_day)
    assert error.value.field == field
    assert error.value.reason  # a Chinese reason for the desk page


def test_output_must_be_xlsx_or_md_in_an_existing_folder(tmp_path: Path) -> None:
    assert check_output(tmp_path / "r.XLSX") == ".xlsx"
    assert check_output(tmp_path / "r.md") == ".md"
    with pytest.raises(ReportRequestError, match=r"--out .*r\.csv.*\.xlsx or \.md; got \.csv"):
        check_output(tmp_path / "r.csv")
    with pytest.raises(ReportRequestError, match=r"--out .*does not exist"):
        check_output(tmp_path / "absent" / "r.md")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("name", list(CHARTS))
def test_charts_draw_chinese_labels_without_missing_glyphs(
    report: CampaignProgress, name: str
) -> None:
    # pytest turns warnings into errors: a label in a font without CJK glyphs would warn
    # "Glyph … missing from font(s)" and fail here
    width, height = png_size(render_chart(report, name))
    assert width >= 600 and height >= 200


def test_charts_use_the_cjk_font(report: CampaignProgress, monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.text import Text

    fonts: set[tuple[str, ...]] = set()
    draw = Text.draw

    def recorded(self: Text, renderer: Any) -> None:
        if self.get_text():
            fonts.add(tuple(self.get_fontfamily()))
        draw(self, renderer)

    monkeypatch.setattr(Text, "draw", recorded)
    render_chart(report, "groups")
    from matcher.fairs.charts import font_families

    assert fonts == {tuple(font_families())}
    assert font_families()[0] != "DejaVu Sans"  # a CJK font is installed with the package


def test_unknown_chart_lists_the_charts(report: CampaignProgress) -> None:
    with pytest.raises(ValueError, match=r"unknown chart 'pie'; choose one of: overview, groups"):
        render_chart(report, "pie")
