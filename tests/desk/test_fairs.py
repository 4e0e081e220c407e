"""The fairs pages: the calendar, a fair, batch runs in the background, downloads, the report.

A run started through the page is the batch's own run: its files are compared with
``run_batch`` of the same fair and options into another folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from matcher.domain.campaigns import load_campaigns
from matcher.domain.records import Employer, Fair, Seeker, Vacancy
from matcher.errors import NotFound
from matcher.fairs.batch import BatchOptions, plan_batch, run_plan
from matcher.fairs.runs import (
    FILES_FOLDER,
    STATUS_NAME,
    DeskRuns,
    RunStatus,
    block_size_for,
    parse_report,
    tenant_folder,
)
from matcher.storage.store import Store
from tests.api.support import TestClient, copy_world, serve
from tests.desk.fair_runs import RUN_PATH, run_state, start_run, wait_for_run
from tests.desk.support import OTHER_TENANT, DeskWorld, sign_in, stored_contacts

FAIR = "F-golden_autumn"
EMPTY_FAIR = "F-test-no-booths"
"""A fair without booths, written into the small world by the test that needs it (whether the
generator draws one depends on the world's size and words)."""
K, PER_VACANCY = 4, 7
"""Not the defaults, so the files show the run used the form's values."""


@pytest.fixture(scope="module")
def finished_run(desk_world: DeskWorld) -> Iterator[tuple[str, str]]:
    """A run of FAIR started through the page and finished: (run page path, its HTML)."""
    with serve(desk_world.world) as client:
        csrf = sign_in(client, *desk_world.staff["counter"])
        path = start_run(client, csrf, FAIR, k=K, per_vacancy=PER_VACANCY)
        yield path, wait_for_run(client, path)


def _signed_in(client: TestClient, desk_world: DeskWorld, who: str = "counter") -> str:
    return sign_in(client, *desk_world.staff[who])


# --- the calendar -------------------------------------------------------------------------------


def test_calendar_lists_the_campaigns_and_the_tenants_fairs_with_their_counts(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    _signed_in(desk_client, desk_world)
    page = desk_client.get("/desk/fairs")
    assert page.status_code == 200
    calendar = load_campaigns(None)
    for campaign in calendar.campaigns.values():
        assert campaign.name in page.text
    with Store.open(desk_world.world.home) as store:
        fairs = store.list(Fair)
    assert fairs
    for fair in fairs:
        link = f'<a href="/desk/fairs/{fair.id}">{fair.name}</a>'
        assert link in page.text
        row = page.text[page.text.index(link) :]
        row = row[: row.index("</tr>")]
        employers = len({b.employer_id for b in fair.booths})
        vacancies = len({v for b in fair.booths for v in b.vacancy_ids})
        cells = re.findall(r'<td class="num">(\d+)</td>', row)
        assert cells == [str(employers), str(vacancies)], fair.id
    # the fairs in date order
    positions = [page.text.index(f'href="/desk/fairs/{f.id}"') for f in fairs]
    by_date = sorted(fairs, key=lambda f: (f.date, f.id))
    assert [f.id for _, f in sorted(zip(positions, fairs, strict=True))] == [f.id for f in by_date]


def test_a_fair_page_lists_its_booths_employers_and_vacancies(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    _signed_in(desk_client, desk_world)
    page = desk_client.get(f"/desk/fairs/{FAIR}")
    assert page.status_code == 200
    with Store.open(desk_world.world.home) as store:
        fair = store.get(Fair, FAIR)
        employers = store.get_many(Employer, [b.employer_id for b in fair.booths])
        vacancies = store.get_many(Vacancy, [v for b in fair.booths for v in b.vacancy_ids])
    for booth in fair.booths:
        assert employers[booth.employer_id].name in page.text
        for vacancy_id in booth.vacancy_ids:
            assert (
                f'href="/desk/booths/{vacancy_id}?fair={FAIR}">{vacancies[vacancy_id].title}<'
                in (page.text)
            )
    assert 'action="/desk/fairs/F-golden_autumn/runs"' in page.text
    for name in ("k", "per_vacancy"):
        assert f'<label for="{name}">' in page.text


def test_an_unknown_fair_is_404(desk_client: TestClient, desk_world: DeskWorld) -> None:
    _signed_in(desk_client, desk_world)
    assert desk_client.get("/desk/fairs/F-nothing").status_code == 404
    assert desk_client.get("/desk/fairs/F-nothing/runs/20220101-000000-abcdef").status_code == 404


# --- a run through the page -----------------------------------------------------------------------


def test_a_run_finishes_and_its_files_are_the_batchs(
    finished_run: tuple[str, str], desk_world: DeskWorld, tmp_path: Path
) -> None:
    path, html = finished_run
    assert run_state(html) == "已完成"
    assert 'data-poll="2"' not in html
    progress = re.search(r'<progress id="run-progress" max="(\d+)" value="(\d+)"', html)
    assert progress is not None and progress.group(1) == progress.group(2)

    # the same run by the batch's own functions, into another folder
    home = desk_world.world.home
    with Store.open(home) as store:
        calendar = load_campaigns(None)
        plan = plan_batch(store, calendar, fair_id=FAIR)
        options = BatchOptions(
            k=K, per_vacancy=PER_VACANCY, block_size=block_size_for(len(plan.seekers))
        )
        reference = run_plan(store, calendar, home, tmp_path / "ref", plan, options=options)
        contacts = stored_contacts(store)
    phones = [c.phone for c in contacts if c.phone]
    assert phones

    links = re.findall(r'href="(/desk/fairs/[^"]+/files/([^"/]+))"', html)
    names = {name for _, name in links}
    for wanted in ("matches.xlsx", "shortlists.csv", "candidates.csv", "report.md"):
        assert wanted in names
    assert names <= set(reference.files)
    with serve(desk_world.world) as client:
        sign_in(client, *desk_world.staff["counter"])
        for url, name in links:
            answer = client.get(url)
            assert answer.status_code == 200, name
            disposition = answer.headers["content-disposition"]
            assert disposition.startswith("attachment") and name in disposition
            assert answer.headers["x-content-type-options"] == "nosniff"
            expected = reference.files[name].read_bytes()
            if name.endswith(".xlsx"):
                assert _workbook(answer.content) == _workbook(expected)
                assert answer.headers["content-type"].startswith(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml"
                )
            elif name.endswith(".parquet"):
                import pyarrow.parquet as pq

                assert pq.read_table(io.BytesIO(answer.content)).equals(
                    pq.read_table(io.BytesIO(expected))
                )
            else:
                assert answer.content == expected, name
            if name.endswith(".csv"):
                text = answer.content.decode("utf-8-sig")
                assert not any(phone in text for phone in phones), f"a phone number in {name}"
        # the options of the form reached the batch
        shortlists = client.get(f"{path}/files/shortlists.csv").content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(shortlists)))[1:]
        per_seeker: dict[str, int] = {}
        for row in rows:
            per_seeker[row[0]] = per_seeker.get(row[0], 0) + 1
        assert max(per_seeker.values()) == K
        summary = json.loads(client.get(f"{path}/files/summary.json").content)
        assert summary["meta"]["k"] == K and summary["meta"]["per_vacancy"] == PER_VACANCY


def _workbook(content: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}
    finally:
        book.close()


def test_the_run_page_shows_the_reports_figures_and_plots(
    finished_run: tuple[str, str], desk_world: DeskWorld
) -> None:
    path, html = finished_run
    fair_id, run_id = RUN_PATH.match(path).groups()  # type: ignore[union-attr]
    report = DeskRuns(desk_world.world.home, "").file(run_id, "report.md", fair_id=fair_id)
    blocks = parse_report(report.read_text(encoding="utf-8"), ["x"])
    tables = [b for b in blocks if b.kind == "table"]
    assert tables
    for table in tables:  # every figure of the report's tables is on the page
        for row in table.rows:
            for cell in row:
                assert f">{cell}</td>" in html, cell
    plots = re.findall(r'<img class="plot" src="([^"]+)"', html)
    assert len(plots) == 2
    with serve(desk_world.world) as client:
        sign_in(client, *desk_world.staff["counter"])
        for src in plots:
            answer = client.get(src)
            assert answer.status_code == 200
            assert answer.headers["content-type"] == "image/png"
            assert answer.content.startswith(b"\x89PNG")
        # the tiles: seekers matched and those with a list
        with Store.open(desk_world.world.home) as store:
            seekers = store.count(Seeker)
        assert f"<strong>{seekers}</strong><span>参与匹配的求职者</span>" in html
        # the fair page lists the run, the calendar shows it done
        fair_page = client.get(f"/desk/fairs/{fair_id}").text
        assert f'href="/desk/fairs/{fair_id}/runs/{run_id}"' in fair_page
        calendar = client.get("/desk/fairs").text
        row = calendar[calendar.index(f'href="/desk/fairs/{fair_id}"') :]
        assert "已完成" in row[: row.index("</tr>")]


def test_files_are_served_only_by_the_names_the_run_wrote(
    finished_run: tuple[str, str], desk_world: DeskWorld
) -> None:
    path, _ = finished_run
    fair_id, run_id = RUN_PATH.match(path).groups()  # type: ignore[union-attr]
    runs = DeskRuns(desk_world.world.home, "")
    assert runs.file(run_id, "matches.xlsx", fair_id=fair_id).name == "matches.xlsx"
    for name in (
        "../status.json",
        STATUS_NAME,
        "/etc/passwd",
        str(runs.folder(run_id) / STATUS_NAME),
        "files/../status.json",
        "..",
        ".checkpoints",
        "other.csv",
        "matches.xlsx/",
        "",
    ):
        with pytest.raises(NotFound):
            runs.file(run_id, name, fair_id=fair_id)
    with pytest.raises(NotFound):  # the run belongs to another fair
        runs.file(run_id, "matches.xlsx", fair_id="F-assistance_week")
    with pytest.raises(NotFound):  # not a run id
        runs.status("../" + run_id)
    with serve(desk_world.world) as client:
        sign_in(client, *desk_world.staff["counter"])
        for tail in (
            "files/..%2Fstatus.json",
            "files/%2E%2E%2Fstatus.json",
            "files/%2Fetc%2Fpasswd",
            "files/status.json",
            "files/other.csv",
            "plots/matches.xlsx",
            "plots/..%2F..%2Fstatus.json",
        ):
            answer = client.get(f"{path}/{tail}")
            assert answer.status_code == 404, tail
            assert "attachment" not in answer.headers.get("content-disposition", "")
        assert client.get(f"/desk/fairs/{fair_id}/runs/..%2F{run_id}").status_code == 404
        # the run under another fair's path
        assert client.get(f"/desk/fairs/F-assistance_week/runs/{run_id}").status_code == 404
        assert (
            client.get(f"/desk/fairs/F-assistance_week/runs/{run_id}/files/matches.xlsx")
        ).status_code == 404


def test_another_tenant_cannot_see_or_download_the_run(
    finished_run: tuple[str, str], desk_world: DeskWorld
) -> None:
    path, _ = finished_run
    fair_id, run_id = RUN_PATH.match(path).groups()  # type: ignore[union-attr]
    with serve(desk_world.world) as client:
        csrf = sign_in(client, *desk_world.staff["other"])
        calendar = client.get("/desk/fairs")
        assert calendar.status_code == 200
        assert fair_id not in calendar.text
        for url in (
            f"/desk/fairs/{fair_id}",
            path,
            f"{path}/files/matches.xlsx",
            f"{path}/plots/report-group-coverage.png",
        ):
            assert client.get(url).status_code == 404, url
        answer = client.post(
            f"/desk/fairs/{fair_id}/runs",
            data={"csrf": csrf, "k": "10", "per_vacancy": "30"},
            follow_redirects=False,
        )
        assert answer.status_code == 404
    # the other tenant's runs are another folder, where this run is not
    other = DeskRuns(desk_world.world.home, OTHER_TENANT)
    assert other.root != DeskRuns(desk_world.world.home, "").root
    assert other.runs() == []
    with pytest.raises(NotFound):
        other.status(run_id)


def test_one_run_at_a_time_per_fair(desk_client: TestClient, desk_world: DeskWorld) -> None:
    """A run another worker is running (its status fresh) blocks a second start of the fair,
    with a message and a link to it; once its status is stale it reads as failed and blocks
    nothing."""
    fair_id = "F-graduate_service_action"
    runs = DeskRuns(desk_world.world.home, "")
    run_id = "20220101-090000-abc123"
    folder = runs.folder(run_id)
    (folder / FILES_FOLDER).mkdir(parents=True)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    status = RunStatus(
        run_id=run_id,
        fair_id=fair_id,
        fair_name="毕业生就业服务行动现场招聘会",
        state="running",
        stage="正在排序",
        started=now.isoformat(),
        updated=now.isoformat(),
        started_by="someone",
        k=10,
        per_vacancy=30,
        blocks_done=3,
        blocks_total=8,
        host=socket.gethostname(),
        pid=os.getpid(),
    )
    (folder / STATUS_NAME).write_text(status.to_json(), encoding="utf-8")
    try:
        csrf = _signed_in(desk_client, desk_world)
        answer = desk_client.post(
            f"/desk/fairs/{fair_id}/runs",
            data={"csrf": csrf, "k": "12", "per_vacancy": "30"},
            follow_redirects=False,
        )
        assert answer.status_code == 409
        assert "已有一次批量匹配正在运行" in answer.text
        assert f'href="/desk/fairs/{fair_id}/runs/{run_id}"' in answer.text
        assert 'value="12"' in answer.text  # what was typed is kept
        page = desk_client.get(f"/desk/fairs/{fair_id}/runs/{run_id}")
        assert run_state(page.text) == "运行中" and 'data-poll="2"' in page.text
        assert '<progress id="run-progress" max="8" value="3">' in page.text
        assert [r.run_id for r in runs.runs(fair_id) if r.running] == [run_id]

        stale = now - dt.timedelta(minutes=10)
        old = RunStatus(**{**status.__dict__, "updated": stale.isoformat()})
        (folder / STATUS_NAME).write_text(old.to_json(), encoding="utf-8")
        page = desk_client.get(f"/desk/fairs/{fair_id}/runs/{run_id}")
        assert run_state(page.text) == "失败"
        assert "运行中断" in page.text and 'data-poll="2"' not in page.text
        assert not any(r.running for r in runs.runs(fair_id))
    finally:
        shutil.rmtree(folder)


def test_the_run_form_checks_its_fields(desk_client: TestClient, desk_world: DeskWorld) -> None:
    csrf = _signed_in(desk_client, desk_world)
    cases = [
        ({"k": "abc", "per_vacancy": "30"}, "「每人推荐岗位数」填写有误"),
        ({"k": "0", "per_vacancy": "30"}, "「每人推荐岗位数」填写有误：应在 1 到 50 之间"),
        ({"k": "10", "per_vacancy": "999"}, "「每个岗位邀约人数」填写有误：应在 1 到 200 之间"),
        ({"k": "10", "per_vacancy": "1" * 5000}, "「每个岗位邀约人数」填写有误"),
        ({"k": "", "per_vacancy": "30"}, "「每人推荐岗位数」填写有误"),
        ({"k": "１０", "per_vacancy": "30"}, "「每人推荐岗位数」填写有误"),
    ]
    for values, message in cases:
        answer = desk_client.post(
            f"/desk/fairs/{FAIR}/runs", data={"csrf": csrf, **values}, follow_redirects=False
        )
        assert answer.status_code == 422, values
        assert message in answer.text
        assert 'aria-invalid="true"' in answer.text
        if values["k"] == "abc":
            assert 'value="abc"' in answer.text


def test_a_fair_without_booth_vacancies_cannot_be_run(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    with Store.open(desk_world.world.home) as store:
        today = desk_world.world.today
        store.put(Fair(id=EMPTY_FAIR, name="没有展位的招聘会", date=today, region="510903"))
    csrf = _signed_in(desk_client, desk_world)
    page = desk_client.get(f"/desk/fairs/{EMPTY_FAIR}")
    assert page.status_code == 200 and "没有登记岗位" in page.text
    answer = desk_client.post(
        f"/desk/fairs/{EMPTY_FAIR}/runs",
        data={"csrf": csrf, "k": "10", "per_vacancy": "30"},
        follow_redirects=False,
    )
    assert answer.status_code == 422
    assert "没有登记岗位，无法进行批量匹配" in answer.text
    assert DeskRuns(desk_world.world.home, "").runs(EMPTY_FAIR) == []


def test_a_failed_run_shows_its_reason(tmp_path: Path, desk_world: DeskWorld) -> None:
    """The model's files damaged after the server started: the run fails, says why in
    Chinese, and a new run may be started."""
    world = copy_world(desk_world.world, tmp_path / "world")
    with serve(world) as client:
        csrf = sign_in(client, *desk_world.staff["counter"])
        bundle = world.home / "models" / world.version
        target = next(
            p for p in sorted(bundle.rglob("*")) if p.is_file() and p.name != "manifest.json"
        )
        with target.open("ab") as handle:
            handle.write(b"\0damaged")
        path = start_run(client, csrf, FAIR)
        html = wait_for_run(client, path)
        assert run_state(html) == "失败"
        error = re.search(r'id="run-error">([^<]+)<', html)
        assert error is not None and "模型无法使用" in error.group(1)
        assert "/files/" not in html
        assert 'id="run-detail"' not in html and str(world.home) not in html
        fair_page = client.get(f"/desk/fairs/{FAIR}").text
        assert "失败" in fair_page and "正在运行" not in fair_page
        client.cookies.clear()
        sign_in(client, *desk_world.staff["admin"])  # the technical words, for whoever fixes it
        detail = re.search(r'id="run-detail">技术信息：<code>([^<]+)<', client.get(path).text)
        assert detail is not None and detail.group(1).strip()


def test_pages_and_the_form_refuse_without_a_session_or_the_csrf_token(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    for url in (
        "/desk/fairs",
        f"/desk/fairs/{FAIR}",
        f"/desk/fairs/{FAIR}/runs/20220101-000000-abcdef",
    ):
        answer = desk_client.get(url, follow_redirects=False)
        assert answer.status_code == 303 and "/desk/login" in answer.headers["location"]
    answer = desk_client.post(
        f"/desk/fairs/{FAIR}/runs", data={"k": "10", "per_vacancy": "30"}, follow_redirects=False
    )
    assert answer.status_code == 401
    _signed_in(desk_client, desk_world)
    answer = desk_client.post(
        f"/desk/fairs/{FAIR}/runs",
        data={"csrf": "forged", "k": "10", "per_vacancy": "30"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert not any(r.running for r in DeskRuns(desk_world.world.home, "").runs(FAIR))


# --- pieces ---------------------------------------------------------------------------------------


def test_a_run_whose_process_is_gone_reads_as_failed(tmp_path: Path) -> None:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    runs = DeskRuns(tmp_path, "")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    for run_id, pid, state in (
        ("20220101-090000-aaaaaa", child.pid, "failed"),
        ("20220101-090000-bbbbbb", os.getpid(), "running"),
    ):
        runs.folder(run_id).mkdir(parents=True)
        status = RunStatus(
            run_id=run_id,
            fair_id="F-1",
            fair_name="某招聘会",
            state="running",
            stage="正在排序",
            started=now,
            updated=now,
            started_by="",
            k=10,
            per_vacancy=30,
            host=socket.gethostname(),
            pid=pid,
        )
        (runs.folder(run_id) / STATUS_NAME).write_text(status.to_json(), encoding="utf-8")
        assert runs.status(run_id).state == state
    (runs.folder("20220101-090000-bbbbbb") / STATUS_NAME).write_text("{broken", encoding="utf-8")
    with pytest.raises(NotFound):
        runs.status("20220101-090000-bbbbbb")
    assert [r.run_id for r in runs.runs("F-1")] == ["20220101-090000-aaaaaa"]


def test_tenant_folders_are_distinct_and_plain() -> None:
    names = ["", "default", "other-city", "其他 平台", "a.b", "a_b"]
    folders = [tenant_folder(name) for name in names]
    assert len(set(folders)) == len(folders)
    for folder in folders:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", folder) and ".." not in folder


def test_block_sizes_give_about_twenty_blocks_of_50_to_1000() -> None:
    assert block_size_for(300) == 50
    assert block_size_for(10_000) == 500
    assert block_size_for(100_000) == 1_000
    assert block_size_for(0) == 50


def test_parse_report_reads_headings_tables_and_only_written_plots() -> None:
    text = "\n".join(
        [
            "# 招聘会批量匹配报告",
            "",
            "**某\\|招聘会**",
            "## 运行信息",
            "",
            "| 项目 | 值 |",
            "|---|---|",
            "| 名称 | A\\|B |",
            "| 求职者数 | 300 |",
            "",
            "![图一](plot-a.png)",
            "![图二](../secret.png)",
        ]
    )
    blocks = parse_report(text, ["plot-a.png"])
    assert [b.kind for b in blocks] == ["text", "heading", "table", "image"]
    assert blocks[0].text == "某|招聘会"
    assert blocks[1].text == "运行信息"
    assert blocks[2].headers == ("项目", "值")
    assert blocks[2].rows == (("名称", "A|B"), ("求职者数", "300"))
    assert blocks[3].text == "图一" and blocks[3].headers == ("plot-a.png",)
