"""``jobmatch report``: the campaign progress report as XLSX and Markdown, its errors, and its
figures against plain SQL counts on a synthetic store."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

import matcher.fairs.progress as progress_module
from matcher.cli import main
from matcher.domain.campaigns import load_campaigns
from matcher.fairs.progress import CHARTS, FIGURES, campaign_progress
from matcher.storage.store import DATABASE_NAME, Store
from matcher.synth import generate
from tests.unit.test_progress import CAMPAIGN, fill

pytestmark = pytest.mark.integration

SHEETS = ["总览", "按重点群体", "按县区", "按单位性质", "每日"]
LABELS = [figure.label for figure in FIGURES]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A data directory with the hand-built store of ``tests/unit/test_progress.py``."""
    folder = tmp_path / "home"
    with Store.open(folder) as store:
        fill(store)
    return folder


def sheet_rows(path: Path, title: str) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    try:
        return [tuple(row) for row in workbook[title].iter_rows(values_only=True)]
    finally:
        workbook.close()


def test_xlsx_has_chinese_sheets_headers_and_numbers(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "金秋.xlsx"
    code, printed, err = run(
        capsys, "--home", str(home), "report", "--campaign", CAMPAIGN, "--out", str(out)
    )
    assert code == 0, err
    assert "6 seekers served, 8 lists, 3 applied, 2 interviewed, 1 offered, 1 hired" in printed
    assert "1 interactions of the campaign fall after 2022-11-30" in printed
    assert f"wrote {out}" in printed

    workbook = load_workbook(out)
    assert workbook.sheetnames == SHEETS
    workbook.close()

    overview = {row[0]: row[1] for row in sheet_rows(out, "总览")[1:]}
    assert sheet_rows(out, "总览")[0] == ("项目", "数值", "说明")
    assert overview["服务求职者（人）"] == 6
    assert overview["推荐名单（份）"] == 8
    assert overview["投递简历（人次）"] == 3
    assert overview["实现就业（人）"] == 1
    assert overview["统计起始日"] == dt.datetime(2022, 10, 1)  # a date cell, not text
    assert overview["统计截止日"] == dt.datetime(2022, 11, 30)
    assert "金秋招聘月" in str(overview["活动"])

    groups = sheet_rows(out, "按重点群体")
    assert groups[0] == ("重点群体", "本活动重点群体", *LABELS)
    veteran = next(row for row in groups if row[0] == "退役军人")
    assert veteran == ("退役军人", "是", 2, 2, 3, 5, 2, 2, 2, 2, 1, 1, 1, 1)
    assert groups[-1][0] == "合计" and groups[-1][2] == 6

    counties = sheet_rows(out, "按县区")
    assert counties[0] == ("县（市、区）", "区划代码", *LABELS)
    chuanshan = next(row for row in counties if row[0] == "船山区")
    assert chuanshan == ("船山区", "510903", 1, 1, 2, 4, 1, 1, 1, 1, 1, 1, 1, 1)
    assert any(row[0] == "四川省成都市锦江区" for row in counties)

    kinds = sheet_rows(out, "按单位性质")
    assert kinds[0] == ("单位性质", *LABELS)
    assert next(row for row in kinds if row[0] == "国有")[1:4] == (4, 3, 4)

    daily = sheet_rows(out, "每日")
    assert daily[0] == ("日期", *LABELS)
    assert len(daily) == 1 + 61
    day = next(row for row in daily if row[0] == dt.datetime(2022, 10, 25))
    assert day[1] == 6 and day[-1] == 1
    every_number = [value for row in daily[1:] for value in row[1:]]
    assert all(isinstance(value, int) for value in every_number)


def test_markdown_with_plots_beside_it(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "golden autumn.md"
    out.parent.mkdir()
    code, printed, err = run(
        capsys,
        "--home",
        str(home),
        "report",
        "--campaign",
        CAMPAIGN,
        "--from",
        "2022-10-10",
        "--to",
        "2022-12-05",
        "--out",
        str(out),
    )
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 金秋招聘月活动进展情况")
    assert "**统计范围**：2022-10-10 至 2022-12-05" in text
    assert "| 实现就业（人） | 2 |" in text  # S001 in October, S002 in the follow-up
    assert "| 退役军人（本活动重点群体） | 2 | 2 | 3 | 5 | 2 | 2 | 2 | 2 | 1 | 1 | 2 | 2 |" in text
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", text)
    assert images == [f"golden%20autumn-{name}.png" for name in CHARTS]
    for name in CHARTS:
        png = out.parent / f"golden autumn-{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"wrote {png}" in printed
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        [out.name, *(f"golden autumn-{name}.png" for name in CHARTS)]
    )


def test_tenant_option_reports_that_tenants_interactions_only(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "other.xlsx"
    code, printed, err = run(
        capsys,
        "--home",
        str(home),
        "report",
        "--campaign",
        CAMPAIGN,
        "--tenant",
        "other-city",
        "--out",
        str(out),
    )
    assert code == 0, err
    assert "0 seekers served" in printed
    overview = {row[0]: row[1] for row in sheet_rows(out, "总览")[1:]}
    assert overview["服务求职者（人）"] == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--campaign", "autumn"], r"--campaign: unknown campaign 'autumn'; choose one of: "),
        (["--campaign", CAMPAIGN, "--from", "2022-11-02", "--to", "2022-11-01"], r"--from .*"),
        (["--campaign", CAMPAIGN, "--from", "2022-01-01"], r"--from 2022-01-01 is outside"),
        (["--campaign", CAMPAIGN, "--to", "2023-03-01"], r"--to 2023-03-01 is outside"),
    ],
)
def test_bad_requests_exit_2_and_write_nothing(
    capsys: pytest.CaptureFixture[str],
    home: Path,
    tmp_path: Path,
    arguments: list[str],
    message: str,
) -> None:
    out = tmp_path / "out" / "r.xlsx"
    out.parent.mkdir()
    code, _, err = run(capsys, "--home", str(home), "report", *arguments, "--out", str(out))
    assert code == 2
    assert re.search(message, err), err
    assert err.startswith("jobmatch: error: ")
    assert list(out.parent.iterdir()) == []


def test_other_suffixes_are_refused_naming_out(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    for name in ("r.csv", "r"):
        code, _, err = run(
            capsys,
            "--home",
            str(home),
            "report",
            "--campaign",
            CAMPAIGN,
            "--out",
            str(tmp_path / name),
        )
        assert code == 2
        assert "--out" in err and ".xlsx or .md" in err
    assert not (tmp_path / "r.csv").exists()


def test_a_failed_write_leaves_the_old_file_and_no_half_file(
    capsys: pytest.CaptureFixture[str],
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "r.md"
    out.write_text("the report of last week\n", encoding="utf-8")
    drawn: list[str] = []
    original = progress_module.render_chart

    def failing(progress: object, name: str) -> bytes:
        drawn.append(name)
        if name == "daily":
            raise OSError("disk full")
        return original(progress, name)  # type: ignore[arg-type]

    monkeypatch.setattr(progress_module, "render_chart", failing)
    with pytest.raises(OSError, match="disk full"):
        main(["--home", str(home), "report", "--campaign", CAMPAIGN, "--out", str(out)])
    assert drawn == list(CHARTS)
    assert out.read_text(encoding="utf-8") == "the report of last week\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "r.md"]  # no plot, no temp

    xlsx = tmp_path / "r.xlsx"
    xlsx.write_bytes(b"old")

    def failing_save(self: object, filename: object) -> None:
        Path(str(filename)).write_bytes(b"PK half a workbook")
        raise OSError("disk full")

    from openpyxl import Workbook

    monkeypatch.setattr(Workbook, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        main(["--home", str(home), "report", "--campaign", CAMPAIGN, "--out", str(xlsx)])
    assert xlsx.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "r.md", "r.xlsx"]


def test_figures_equal_plain_sql_counts_on_a_synthetic_store(tmp_path: Path) -> None:
    home = tmp_path / "synthetic"
    calendar = load_campaigns()
    with Store.open(home) as store:
        generate(store, seekers=300, vacancies=120, seed=11)
        report = campaign_progress(store, calendar, "private_enterprise_month")
    first, last = report.date_from.isoformat(), (report.date_to + dt.timedelta(days=1)).isoformat()
    where = "campaign_id = 'private_enterprise_month' AND time >= ? AND time < ?"
    with closing(sqlite3.connect(home / DATABASE_NAME)) as connection:

        def one(sql: str) -> int:
            return int(connection.execute(sql, (first, last)).fetchone()[0])

        served = one(f"SELECT COUNT(DISTINCT seeker_id) FROM interactions WHERE {where}")
        applicants = one(
            f"SELECT COUNT(DISTINCT seeker_id) FROM interactions WHERE {where} AND kind = 'apply'"
        )
        hires = one(f"SELECT COUNT(*) FROM interactions WHERE {where} AND kind = 'hire'")
        shown = one(f"SELECT COUNT(*) FROM interactions WHERE {where} AND kind = 'impression'")
        lists = one(
            "SELECT COUNT(*) FROM (SELECT DISTINCT seeker_id, session_id FROM interactions "
            f"WHERE {where} AND kind = 'impression')"
        )
        events = one(f"SELECT COUNT(*) FROM interactions WHERE {where}")
    assert served > 20 and hires > 0  # the campaign did something in the synthetic year
    total = report.total
    assert (total["served"], total["applicants"], total["hires"]) == (served, applicants, hires)
    assert (total["shown"], total["lists"], report.events) == (shown, lists, events)
    assert sum(row["served"] for row in report.by_county) == served  # one county per seeker
    assert sum(row["hires"] for row in report.by_employer_kind) == hires  # one kind per vacancy
