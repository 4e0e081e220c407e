"""The campaign progress page (活动进展): figures equal to the matcher's for the account's
tenant, charts inline, downloads through the report writers, form errors naming the field,
and access (analyst and above; a counter gets 403; another tenant sees only its own)."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Iterator

import pytest

from api.desk.progress import default_campaign
from matcher.domain.campaigns import load_campaigns
from matcher.errors import StaffAccountError
from matcher.fairs.progress import CHARTS, FIGURE_KEYS, CampaignProgress, campaign_progress
from matcher.storage.staff import StaffAccounts
from matcher.storage.store import Store
from tests.api.support import TestClient
from tests.desk.support import OTHER_TENANT, DeskWorld, sign_in

CAMPAIGN = "golden_autumn"
TILE = re.compile(r'<li data-figure="(\w+)"><span class="value">([\d,]+)</span>')
ROW = re.compile(r'<tr data-key="([^"]+)"[^>]*>\s*<th scope="row">(.*?)</th>(.*?)</tr>', re.S)
CELL = re.compile(r'<td class="num">([\d,]+)</td>')
DATA_PNG = re.compile(r'<img class="plot" id="plot-(\w+)" src="data:image/png;base64,([^"]+)"')


def expected(world: DeskWorld, first: dt.date | None = None, last: dt.date | None = None,
             tenant: str = "") -> CampaignProgress:  # fmt: skip
    with Store.open(world.world.home) as store:
        return campaign_progress(store.for_tenant(tenant), load_campaigns(), CAMPAIGN, first, last)


def tiles(page: str) -> dict[str, int]:
    return {key: int(value.replace(",", "")) for key, value in TILE.findall(page)}


def table(page: str, element: str) -> dict[str, tuple[str, list[int]]]:
    """key → (label, figures) of the table ``element`` on the page."""
    found = re.search(rf'<table class="figures-table" id="{element}">(.*?)</table>', page, re.S)
    assert found is not None, f"no table {element}"
    rows = {}
    for key, label, cells in ROW.findall(found.group(1)):
        text = html.unescape(re.sub(r"<[^>]+>", "", label)).strip()
        rows[key] = (text, [int(value.replace(",", "")) for value in CELL.findall(cells)])
    return rows


def sign_in_other_analyst(client: TestClient, world: DeskWorld) -> None:
    """An analyst of the other tenant (which holds no records)."""
    name = "progress-other-analyst"
    with Store.open(world.world.home) as store:
        accounts = StaffAccounts(store)
        try:
            accounts.get(name)
            password = accounts.set_password(name)
        except StaffAccountError:
            _, password = accounts.add(name, "analyst", OTHER_TENANT)
    sign_in(client, name, password)


@pytest.fixture
def analyst(desk_client: TestClient, desk_world: DeskWorld) -> Iterator[TestClient]:
    sign_in(desk_client, *desk_world.staff["analyst"])
    yield desk_client


def test_analyst_sees_the_campaigns_figures_tables_and_plots(
    analyst: TestClient, desk_world: DeskWorld
) -> None:
    truth = expected(desk_world)
    assert truth.total["served"] > 10 and truth.total["applicants"] > 0  # the world has data
    answer = analyst.get("/desk/progress", params={"campaign": CAMPAIGN})
    assert answer.status_code == 200
    page = answer.text
    assert "金秋招聘月：2022-10-01 至 2022-11-30" in page
    assert tiles(page) == {
        key: truth.total[key]
        for key in ("served", "lists", "applicants", "interviewees", "offered", "hired")
    }
    for element, rows in (
        ("by-group-table", truth.by_group),
        ("by-county-table", truth.by_county),
        ("by-employer-kind-table", truth.by_employer_kind),
        ("daily-table", truth.daily),
    ):
        shown = table(page, element)
        for row in rows:
            label, figures = shown[row.key]
            assert figures == [row[key] for key in FIGURE_KEYS], (element, row.key)
            assert label.startswith(row.label)
        assert set(shown) == {row.key for row in rows} | (
            {"total"} if element != "daily-table" else set()
        )
    groups = table(page, "by-group-table")
    assert groups["veteran"][0] == "退役军人 重点"  # a focus group of 金秋招聘月, named in Chinese
    assert groups["disabled"][0] == "残疾人"
    assert table(page, "by-county-table")["510903"][0] == "船山区"
    assert (
        table(page, "by-employer-kind-table")["民营"][1][0] == truth.by_employer_kind[0]["served"]
    )
    plots = dict(DATA_PNG.findall(page))
    assert sorted(plots) == sorted(CHARTS)
    for encoded in plots.values():
        assert base64.b64decode(encoded)[:8] == b"\x89PNG\r\n\x1a\n"
    # the CSP forbids inline styles and scripts: the page has none
    assert 'style="' not in page and "<script>" not in page and "onclick" not in page
    assert "img-src 'self' data:" in answer.headers["content-security-policy"]


def test_a_range_and_the_default_campaign(analyst: TestClient, desk_world: DeskWorld) -> None:
    first, last = dt.date(2022, 10, 10), dt.date(2022, 10, 20)
    truth = expected(desk_world, first, last)
    page = analyst.get(
        "/desk/progress", params={"campaign": CAMPAIGN, "from": "2022-10-10", "to": "2022-10-20"}
    ).text
    assert "金秋招聘月：2022-10-10 至 2022-10-20" in page
    assert tiles(page)["served"] == truth.total["served"]
    assert len(table(page, "daily-table")) == 11
    assert 'value="2022-10-10"' in page and 'value="2022-10-20"' in page

    default = default_campaign(load_campaigns(), desk_world.world.today)
    assert default is not None
    page = analyst.get("/desk/progress").text
    assert f'<option value="{default.id}" selected>' in page
    assert f"{default.name}：{default.start} 至 {default.end}" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2022-11-05", "to": "2022-11-01"},
         "「开始日期」填写有误：2022-11-05 晚于结束日期 2022-11-01"),
        ({"from": "2022/10/05"}, "「开始日期」填写有误：请按 年-月-日 填写，例如 2022-10-01"),
        ({"to": "2022-02-30"}, "「结束日期」填写有误：2022-02-30 不是有效的日期"),
        ({"from": "2022-01-05"}, "「开始日期」填写有误：2022-01-05 不在活动「金秋招聘月」期间"),
        ({"to": "2023-01-05"}, "「结束日期」填写有误：2023-01-05 不在活动「金秋招聘月」期间"),
        ({"campaign": "autumn"}, "「活动」填写有误：活动日历中没有这个活动，可选：就业援助月、"),
        ({"campaign": "x" * 300}, "「活动」填写有误：最多 64 个字符"),
        ({"from": "2" * 300}, "「开始日期」填写有误：请按 年-月-日 填写"),
    ],
)  # fmt: skip
def test_bad_fields_are_named_in_chinese_and_the_form_comes_back(
    analyst: TestClient, params: dict[str, str], message: str
) -> None:
    answer = analyst.get("/desk/progress", params={"campaign": CAMPAIGN, **params})
    assert answer.status_code == 422
    page = answer.text
    errors = re.search(r'<div class="error" role="alert" id="form-errors">(.*?)</div>', page, re.S)
    assert errors is not None and message in html.unescape(errors.group(1))
    assert 'id="progress-form"' in page and 'id="headline"' not in page
    assert "x" * 65 not in page and "2" * 11 not in page  # a long value is never echoed
    for name in ("from", "to"):
        typed = params.get(name)
        if typed and len(typed) <= 10:
            assert f'value="{typed}"' in page  # what was typed comes back


def test_a_counter_account_is_refused(desk_client: TestClient, desk_world: DeskWorld) -> None:
    sign_in(desk_client, *desk_world.staff["counter"])
    for path in ("/desk/progress", "/desk/progress/report.xlsx", "/desk/progress/report.zip"):
        answer = desk_client.get(path, params={"campaign": CAMPAIGN})
        assert answer.status_code == 403, path
        assert "此页面需要「分析」及以上权限" in answer.text
    assert 'href="/desk/progress"' not in desk_client.get("/desk/").text


def test_another_tenant_sees_only_its_own_records(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    assert expected(desk_world).total["served"] > 0
    sign_in_other_analyst(desk_client, desk_world)
    page = desk_client.get("/desk/progress", params={"campaign": CAMPAIGN}).text
    assert tiles(page) == dict.fromkeys(
        ("served", "lists", "applicants", "interviewees", "offered", "hired"), 0
    )
    assert all(
        figures == [0] * len(FIGURE_KEYS) for _, figures in table(page, "by-county-table").values()
    )
    download = desk_client.get("/desk/progress/report.xlsx", params={"campaign": CAMPAIGN})
    from openpyxl import load_workbook

    overview = load_workbook(io.BytesIO(download.content))["总览"]
    values = {row[0]: row[1] for row in overview.iter_rows(values_only=True)}
    assert values["服务求职者（人）"] == 0


def test_downloads_are_the_reports_jobmatch_report_writes(
    analyst: TestClient, desk_world: DeskWorld
) -> None:
    from openpyxl import load_workbook

    truth = expected(desk_world, dt.date(2022, 10, 1), dt.date(2022, 12, 30))
    page = analyst.get("/desk/progress", params={"campaign": CAMPAIGN, "to": "2022-12-30"}).text
    link = re.search(r'id="download-xlsx" href="([^"]+)"', page)
    assert link is not None
    answer = analyst.get(html.unescape(link.group(1)))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert answer.headers["content-disposition"] == (
        'attachment; filename="progress-golden_autumn-2022-10-01-2022-12-30.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(answer.content))
    assert workbook.sheetnames == ["总览", "按重点群体", "按县区", "按单位性质", "每日"]
    values = {row[0]: row[1] for row in workbook["总览"].iter_rows(values_only=True)}
    assert values["服务求职者（人）"] == truth.total["served"]
    assert values["实现就业（人次）"] == truth.total["hires"]

    link = re.search(r'id="download-md" href="([^"]+)"', page)
    assert link is not None
    answer = analyst.get(html.unescape(link.group(1)))
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(answer.content))
    stem = "progress-golden_autumn-2022-10-01-2022-12-30"
    assert sorted(bundle.namelist()) == sorted(
        [f"{stem}.md", *(f"{stem}-{name}.png" for name in CHARTS)]
    )
    text = bundle.read(f"{stem}.md").decode("utf-8")
    assert f"| 服务求职者（人） | {truth.total['served']} |" in text
    assert f"]({stem}-groups.png)" in text

    refused = analyst.get("/desk/progress/report.xlsx", params={"campaign": "nope"})
    assert refused.status_code == 422
    assert "「活动」填写有误" in refused.text
