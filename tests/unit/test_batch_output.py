"""Batch output files: CSV, XLSX, Parquet, notifications, report, atomic writes."""

from __future__ import annotations

import csv
import dataclasses
import itertools
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from matcher.fairs import output as batch_output
from matcher.fairs.output import (
    HEADERS,
    CandidateRow,
    Notification,
    ShortlistRow,
    arrow_schema,
    column_headers,
    header_keys,
    read_csv_rows,
    sheet_name,
    write_csv,
    write_notifications,
    write_output_blocks,
    write_outputs,
    write_parquet,
    write_report,
    write_seeker_part,
    write_xlsx,
)

BOM = b"\xef\xbb\xbf"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PHONE = "13800138000"
LONG_EMPLOYER = "遂宁市某某某某新能源汽车零部件制造有限责任公司第二分公司"


def shortlist() -> list[ShortlistRow]:
    return [
        ShortlistRow("S001", 1, "V01", "电工", "E01", "四川天齐锂业", "船山区", "A12",
                     "2022-02-15 09:00-12:00", 0.91, "技能匹配：电工证；通勤：同在船山区"),
        ShortlistRow("S001", 2, "V02", "叉车司机", "E02", "遂宁物流", "安居区", "A2",
                     None, 0.75, "证书：叉车证"),
        ShortlistRow("S002", 1, "V03", "=HYPERLINK(\"x\")", "E03", LONG_EMPLOYER, "射洪市",
                     None, None, 0.5, "学历相符"),
    ]  # fmt: skip


def candidates() -> list[CandidateRow]:
    return [
        CandidateRow("V01", "E01", "四川天齐锂业", "A12", "船山区", 1, "S001", 0.91,
                     "船山区", "25-34岁", "大专", 3.5, "电工", "低压电工作业证", "技能匹配"),
        CandidateRow("V01", "E01", "四川天齐锂业", "A12", "船山区", 2, "S003", 0.8,
                     "安居区", "35-44岁", "高中", 10.0, "维修", "", "经验相符"),
        CandidateRow("V02", "E02", "遂宁物流", "A2", "安居区", 1, "S001", 0.75,
                     "船山区", "25-34岁", "大专", 3.5, "叉车", "叉车证", "证书：叉车证"),
        CandidateRow("V03", "E03", LONG_EMPLOYER, "B1", "射洪市", 1, "S002", 0.5,
                     "射洪市", "16-24岁", "本科", 0.0, "", "", "学历相符"),
        CandidateRow("V04", "E04", LONG_EMPLOYER + "（射洪）", "B1", "射洪市", 1, "S002", 0.4,
                     "射洪市", "16-24岁", "本科", 0.0, "", "", "学历相符"),
        CandidateRow("V05", "E05", "川中[油气]*公司?", None, "蓬溪县", 1, "S004", 0.3,
                     "蓬溪县", "45岁以上", "初中", 20.0, "", "", "就近"),
    ]  # fmt: skip


def notifications(phone: str | None = PHONE) -> list[Notification]:
    return [
        Notification("S001", ["A12", "A2"], ["2022-02-15 09:00-12:00"], ["电工", "叉车司机"],
                     phone=phone),
        Notification("S002", [], [], ["文员"], phone="13900139000" if phone else None),
    ]  # fmt: skip


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows keyed by field name, whatever the header's language."""
    return read_csv_rows(path)


def header_of(path: Path) -> list[str]:
    """The header row as written."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def openpyxl_temp_files() -> list[str]:
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    return list(ALL_TEMP_FILES)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# --- CSV -------------------------------------------------------------------------------------


SHORTLIST_KEYS = [
    "seeker_id", "rank", "vacancy_id", "title", "employer_id", "employer",
    "county", "booth", "time", "score", "reason",
]  # fmt: skip
SHORTLIST_ZH = [
    "求职者编号", "排名", "岗位编号", "岗位名称", "单位编号", "用人单位",
    "工作地区县", "展位", "面试时间", "匹配分", "推荐理由",
]  # fmt: skip


def test_csv_has_bom_and_round_trips(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "shortlists.csv", shortlist())
    assert path.read_bytes().startswith(BOM)
    assert header_of(path) == SHORTLIST_ZH  # Chinese headers by default, for staff
    rows = read_csv(path)
    assert list(rows[0]) == SHORTLIST_KEYS
    assert len(rows) == 3
    assert rows[0]["reason"] == "技能匹配：电工证；通勤：同在船山区"
    assert rows[0]["employer"] == "四川天齐锂业"
    assert int(rows[1]["rank"]) == 2
    assert float(rows[0]["score"]) == 0.91
    assert rows[1]["time"] == ""  # None → empty cell
    assert leftovers(tmp_path) == []


def test_csv_with_english_headers_reads_back_the_same(tmp_path: Path) -> None:
    chinese = write_csv(tmp_path / "zh.csv", shortlist())
    english = write_csv(tmp_path / "en.csv", shortlist(), headers="en")
    assert header_of(english) == SHORTLIST_KEYS
    assert read_csv_rows(english) == read_csv_rows(chinese)
    # only the header line differs
    assert chinese.read_bytes().split(b"\r\n")[1:] == english.read_bytes().split(b"\r\n")[1:]
    assert chinese.read_bytes() != english.read_bytes()


def test_csv_refuses_an_unknown_header_language(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="headers must be one of zh, en, got 'fr'"):
        write_csv(tmp_path / "s.csv", shortlist(), headers="fr")
    assert list(tmp_path.iterdir()) == []


def test_headers_name_every_column_once_per_row_kind() -> None:
    for row_type in (ShortlistRow, CandidateRow, Notification):
        names = [field.name for field in dataclasses.fields(row_type)]
        chinese = column_headers(names)
        assert all(re.search(r"[\u4e00-\u9fff]", header) for header in chinese), row_type
        assert len(set(chinese)) == len(names), row_type  # a header names one column
        assert column_headers(names, "en") == names
        for headers in (chinese, names):
            assert header_keys(headers) == (row_type, names)
        without_phone = [name for name in names if name != "phone"]
        assert header_keys(column_headers(without_phone)) == (row_type, without_phone)
    assert set(HEADERS) == {
        field.name
        for row_type in (ShortlistRow, CandidateRow, Notification)
        for field in dataclasses.fields(row_type)
    }


def test_header_keys_accept_mixed_spacing_and_refuse_strangers() -> None:
    assert header_keys(["\ufeff求职者编号", " 展位 ", "面试时间", "推荐岗位"]) == (
        Notification,
        ["seeker_id", "booths", "times", "vacancies"],
    )
    with pytest.raises(ValueError, match="unknown column\\(s\\) 姓名"):
        header_keys(["求职者编号", "姓名"])
    with pytest.raises(ValueError, match="out of order"):
        header_keys(["排名", "求职者编号"])


def test_csv_neutralises_formulas(tmp_path: Path) -> None:
    rows = read_csv(write_csv(tmp_path / "s.csv", shortlist()))
    assert rows[2]["title"] == '\'=HYPERLINK("x")'


def test_csv_joins_lists_and_drops_phone_by_default(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "n.csv", notifications())
    rows = read_csv(path)
    assert rows[0]["booths"] == "A12、A2"
    assert rows[0]["vacancies"] == "电工、叉车司机"
    assert "phone" not in rows[0]
    assert PHONE not in path.read_text(encoding="utf-8-sig")


def test_csv_empty_needs_row_type(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="row_type"):
        write_csv(tmp_path / "e.csv", [])
    path = write_csv(tmp_path / "e.csv", [], row_type=CandidateRow)
    assert header_of(path)[:3] == ["岗位编号", "单位编号", "用人单位"]
    assert read_csv_rows(path) == []
    path = write_csv(tmp_path / "e.csv", [], row_type=CandidateRow, headers="en")
    header = header_of(path)
    assert header[:3] == ["vacancy_id", "employer_id", "employer"]
    assert not {"name", "phone", "id_number", "address"} & set(header)


def test_csv_rejects_mixed_rows(tmp_path: Path) -> None:
    mixed: list[Any] = [shortlist()[0], candidates()[0]]
    with pytest.raises(TypeError, match="mixed"):
        write_csv(tmp_path / "m.csv", mixed)
    assert not (tmp_path / "m.csv").exists()


# --- XLSX ------------------------------------------------------------------------------------


def test_sheet_name_rules() -> None:
    taken: set[str] = set()
    assert sheet_name("清单-船山区", taken) == "清单-船山区"
    assert sheet_name("邀约-A1 a/b\\c[d]:e*f?g", taken) == "邀约-A1 abcdefg"
    long = sheet_name("邀约-B1 " + LONG_EMPLOYER, taken)
    assert len(long) == 31 and long.startswith("邀约-B1 遂宁市")
    clash = sheet_name("邀约-B1 " + LONG_EMPLOYER + "（射洪）", taken)
    assert len(clash) <= 31 and clash.endswith("(2)") and clash != long
    assert sheet_name("清单-船山区", taken) == "清单-船山区(2)"
    assert sheet_name("清单-船山区".upper(), taken) == "清单-船山区(3)"  # case-insensitive
    assert sheet_name("[]:*?/\\", taken) == "Sheet"
    assert sheet_name("'quoted'", taken) == "quoted"
    assert len(taken) == 8


def test_xlsx_sheets_and_rows(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "matches.xlsx", shortlist(), candidates())
    book = load_workbook(path, read_only=True)
    names = book.sheetnames
    long_name = ("邀约-B1 " + LONG_EMPLOYER)[:31]
    assert names[:4] == ["求职者清单", "清单-船山区", "清单-安居区", "清单-射洪市"]
    assert names[4:6] == ["邀约-A2 遂宁物流", "邀约-A12 四川天齐锂业"]  # natural booth order
    assert names[6] == long_name
    assert names[7] == long_name[:28] + "(2)"
    assert names[8] == "邀约-川中油气公司"  # no booth, invalid characters removed
    assert len(names) == 9
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)

    def rows(name: str) -> list[tuple[Any, ...]]:
        return list(book[name].iter_rows(values_only=True))

    assert len(rows("求职者清单")) == 1 + 3
    assert rows("求职者清单")[0][:3] == ("求职者编号", "排名", "岗位编号")
    assert len(rows("清单-船山区")) == 1 + 1
    assert len(rows("邀约-A12 四川天齐锂业")) == 1 + 2
    assert [r[6] for r in rows("邀约-A12 四川天齐锂业")[1:]] == ["S001", "S003"]
    assert rows("求职者清单")[3][3] == '=HYPERLINK("x")'  # kept as text, not a formula
    book.close()

    full = load_workbook(path)
    sheet = full["求职者清单"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet["D4"].data_type == "s"
    assert sheet.column_dimensions["K"].width > sheet.column_dimensions["B"].width
    full.close()


def test_xlsx_removes_control_characters(tmp_path: Path) -> None:
    row = dataclasses.replace(shortlist()[0], reason="技能匹配\x0b电工证\x00")
    book = load_workbook(write_xlsx(tmp_path / "m.xlsx", [row], []), read_only=True)
    assert list(book["求职者清单"].iter_rows(values_only=True))[1][10] == "技能匹配电工证"
    book.close()


def test_xlsx_headers_in_either_language(tmp_path: Path) -> None:
    for headers, expected in (("zh", SHORTLIST_ZH), ("en", SHORTLIST_KEYS)):
        path = write_xlsx(tmp_path / f"{headers}.xlsx", shortlist(), candidates(), headers=headers)
        book = load_workbook(path, read_only=True)
        assert book.sheetnames[0] == "求职者清单"  # sheet names stay Chinese
        for name in book.sheetnames:
            header = next(book[name].iter_rows(values_only=True))
            kind, _ = header_keys([str(cell) for cell in header])
            assert kind is (
                ShortlistRow
                if name.startswith("求职者清单") or name.startswith("清单-")
                else CandidateRow
            )
        assert list(next(book["求职者清单"].iter_rows(values_only=True))) == expected
        book.close()
    with pytest.raises(ValueError, match="headers must be one of"):
        write_xlsx(tmp_path / "x.xlsx", shortlist(), candidates(), headers="EN")
    assert not (tmp_path / "x.xlsx").exists()


def test_xlsx_empty_inputs(tmp_path: Path) -> None:
    book = load_workbook(write_xlsx(tmp_path / "m.xlsx", [], []), read_only=True)
    assert book.sheetnames == ["求职者清单"]
    assert len(list(book["求职者清单"].iter_rows(values_only=True))) == 1
    book.close()


# --- Parquet ---------------------------------------------------------------------------------


def test_parquet_round_trips_with_schema(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "s.parquet", shortlist())
    table = pq.read_table(path)
    assert table.num_rows == 3
    assert table.schema.field("rank").type == pa.int32()
    assert table.schema.field("score").type == pa.float64()
    assert table.schema.field("title").type == pa.string()
    assert table.schema.field("booth").nullable
    assert table.column("employer").to_pylist()[0] == "四川天齐锂业"
    assert table.column("title").to_pylist()[2] == '=HYPERLINK("x")'  # unchanged in Parquet
    assert table.column("time").to_pylist()[1] is None


def test_parquet_keeps_the_field_names_whatever_the_csv_headers(tmp_path: Path) -> None:
    paths = write_outputs(tmp_path, shortlist(), candidates(), notifications(), headers="zh")
    assert header_of(paths["shortlists.csv"]) == SHORTLIST_ZH
    assert pq.read_table(paths["shortlists.parquet"]).schema.names == SHORTLIST_KEYS
    assert pq.read_table(paths["candidates.parquet"]).schema.names == [
        field.name for field in dataclasses.fields(CandidateRow)
    ]


def test_parquet_candidates_and_lists(tmp_path: Path) -> None:
    table = pq.read_table(write_parquet(tmp_path / "c.parquet", candidates()))
    assert table.schema.field("experience_years").type == pa.float64()
    assert table.num_rows == 6
    notes = pq.read_table(write_parquet(tmp_path / "n.parquet", notifications()))
    assert notes.schema.field("booths").type == pa.list_(pa.string())
    assert notes.column("booths").to_pylist() == [["A12", "A2"], []]
    assert "phone" not in notes.schema.names
    assert "phone" in arrow_schema(Notification, include_contacts=True).names


def test_parquet_rejects_missing_required_value(tmp_path: Path) -> None:
    bad = [ShortlistRow("S1", 1, "V1", None, "E1", "x", "船山区", None, None, 0.1, "")]  # type: ignore[arg-type]
    with pytest.raises(pa.ArrowInvalid):
        write_parquet(tmp_path / "bad.parquet", bad)
    assert list(tmp_path.iterdir()) == []


# --- notifications ---------------------------------------------------------------------------


def test_notifications_without_contacts_never_carry_phones(tmp_path: Path) -> None:
    path = write_notifications(tmp_path / "n.csv", notifications(), include_contacts=False)
    text = path.read_bytes()
    assert text.startswith(BOM)
    assert PHONE.encode() not in text and b"13900139000" not in text
    assert header_of(path) == ["求职者编号", "展位", "面试时间", "推荐岗位"]
    rows = read_csv(path)
    assert list(rows[0]) == ["seeker_id", "booths", "times", "vacancies"]
    assert [r["seeker_id"] for r in rows] == ["S001", "S002"]


def test_notifications_with_contacts(tmp_path: Path) -> None:
    path = write_notifications(tmp_path / "n.csv", notifications(), include_contacts=True)
    assert header_of(path)[-1] == "手机号"
    rows = read_csv(path)
    assert list(rows[0]) == ["seeker_id", "booths", "times", "vacancies", "phone"]
    english = write_notifications(
        tmp_path / "en.csv", notifications(), include_contacts=True, headers="en"
    )
    assert header_of(english) == ["seeker_id", "booths", "times", "vacancies", "phone"]
    assert read_csv(english) == rows
    assert [r["phone"] for r in rows] == [PHONE, "13900139000"]


def test_notifications_refuse_phone_hidden_in_text(tmp_path: Path) -> None:
    note = Notification("S9", ["A1"], [], [f"电工（联系 {PHONE}）"], phone=PHONE)
    with pytest.raises(ValueError, match="phone"):
        write_notifications(tmp_path / "n.csv", [note], include_contacts=False)
    assert not (tmp_path / "n.csv").exists()


def test_notifications_one_per_seeker(tmp_path: Path) -> None:
    twice = [notifications()[0], notifications()[0]]
    with pytest.raises(ValueError, match="more than one"):
        write_notifications(tmp_path / "n.csv", twice, include_contacts=False)


# --- atomicity -------------------------------------------------------------------------------


def _fail_on_call(real: Any, failing_call: int) -> Any:
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == failing_call:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    return wrapper


def test_csv_failure_midway_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_output, "_csv_values", _fail_on_call(batch_output._csv_values, 2))
    target = tmp_path / "shortlists.csv"
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_csv(target, shortlist())
    assert list(tmp_path.iterdir()) == []


def test_failure_keeps_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "shortlists.csv"
    write_csv(target, shortlist()[:1])
    before = target.read_bytes()
    monkeypatch.setattr(batch_output, "_csv_values", _fail_on_call(batch_output._csv_values, 3))
    with pytest.raises(RuntimeError):
        write_csv(target, shortlist())
    assert target.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_xlsx_failure_midway_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_output, "_xlsx_values", _fail_on_call(batch_output._xlsx_values, 4))
    with pytest.raises(RuntimeError):
        write_xlsx(tmp_path / "matches.xlsx", shortlist(), candidates())
    assert list(tmp_path.iterdir()) == []
    assert not [name for name in openpyxl_temp_files() if Path(name).exists()]


def test_parquet_failure_midway_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pq.write_table

    def half_write(table: Any, where: Any, **kwargs: Any) -> None:
        real(table.slice(0, 1), where, **kwargs)
        assert Path(where).stat().st_size > 0  # something half-written exists on disk
        raise OSError("no space left on device")

    monkeypatch.setattr(pq, "write_table", half_write)
    with pytest.raises(OSError, match="no space"):
        write_parquet(tmp_path / "s.parquet", shortlist())
    assert list(tmp_path.iterdir()) == []


# --- report ----------------------------------------------------------------------------------

BEFORE = {
    "applicants_per_opening": {"max": 12.0, "p90": 4.0, "gini": 0.61},
    "vacancies_without_candidates": 3,
    "mean_rank_loss": 0.0,
    "groups": {
        "残疾人": {"seekers": 40, "covered_share": 0.9, "mean_list_length": 8.5, "exposure": 340},
        "高校毕业生": {
            "seekers": 120,
            "covered_share": 1.0,
            "mean_list_length": 10.0,
            "exposure": 1200,
        },
    },
    "applicants_per_opening_values": [0.0, 0.5, 1.0, 2.0, 4.0, 12.0],
}
AFTER = {
    "applicants_per_opening": {"max": 5.0, "p90": 3.0, "gini": 0.42},
    "vacancies_without_candidates": 0,
    "mean_rank_loss": 0.37,
    "groups": {
        "残疾人": {"seekers": 40, "covered_share": 1.0, "mean_list_length": 9.8, "exposure": 392},
        "高校毕业生": {
            "seekers": 120,
            "covered_share": 1.0,
            "mean_list_length": 9.9,
            "exposure": 1188,
        },
    },
    "applicants_per_opening_values": [0.5, 1.0, 1.5, 2.0, 3.0, 5.0],
}
META = {
    "fair": "2022年春风行动遂宁市专场招聘会",
    "seekers": 160,
    "vacancies": 6,
    "model_version": "lgbm-2022.02",
    "k": 10,
    "started": "2022-02-10 08:00:00",
    "finished": "2022-02-10 08:03:12",
}


def _png_links(report: Path) -> list[Path]:
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", report.read_text(encoding="utf-8"))
    return [report.parent / link for link in links]


def test_report_contains_figures_and_valid_pngs(tmp_path: Path) -> None:
    report = write_report(tmp_path / "run", BEFORE, AFTER, META)
    assert report == tmp_path / "run" / "report.md"
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# 招聘会批量匹配报告")
    assert "2022年春风行动遂宁市专场招聘会" in text
    assert "| 模型版本 | lgbm-2022.02 |" in text
    assert "| 每个招聘名额的应聘人数：最大值 | 12 | 5 | -7 |" in text
    assert "| 每个招聘名额的应聘人数：基尼系数 | 0.61 | 0.42 | -0.19 |" in text
    assert "| 无候选人的岗位数 | 3 | 0 | -3 |" in text
    assert "| 平均排名损失 | 0 | 0.37 | +0.37 |" in text
    assert "| 残疾人 | 40 | 90.0% | 100.0% | 8.5 | 9.8 | 340 | 392 |" in text
    links = _png_links(report)
    assert sorted(p.name for p in links) == [
        "report-applicants-per-opening.png",
        "report-group-coverage.png",
    ]
    for png in links:
        assert png.read_bytes().startswith(PNG_MAGIC)
    assert leftovers(report.parent) == []


RUN_META = {  # what matcher.fairs.batch.run_meta writes
    "fair": "2022年金秋招聘月遂宁市专场招聘会",
    "day": "2022-09-20",
    "model": "20220920-0001",
    "seekers": 600,
    "vacancies": 160,
    "k": 5,
    "per_vacancy": 30,
    "rerank": 300,
    "pool": 30,
    "allocation": "sinkhorn",
    "protected_groups": "退役军人、残疾人",
    "blocks": 3,
    "resumed_blocks": 1,
}


def _run_table(text: str) -> list[tuple[str, str]]:
    section = text.split("## 运行信息", 1)[1].split("\n## ", 1)[0]
    cells = re.findall(r"^\| (.+?) \| (.+?) \|$", section, flags=re.MULTILINE)
    return [(label, value) for label, value in cells if label != "项目"]


def test_report_run_table_speaks_chinese(tmp_path: Path) -> None:
    report = write_report(tmp_path, BEFORE, AFTER, RUN_META)
    rows = _run_table(report.read_text(encoding="utf-8"))
    assert len(rows) == len(RUN_META)
    labels = [label for label, _ in rows]
    assert not [label for label in labels if re.search(r"[A-Za-z_]", label)], labels
    assert dict(rows) == {
        "招聘会": "2022年金秋招聘月遂宁市专场招聘会",
        "匹配日期": "2022-09-20",
        "模型版本": "20220920-0001",
        "求职者数": "600",
        "岗位数": "160",
        "每人推荐岗位数": "5",
        "每岗位邀约人数": "30",
        "模型重排候选数（每人）": "300",
        "分配候选池（每人）": "30",
        "分配方法": "按名额均衡（熵正则最优传输）",
        "优先保障群体": "退役军人、残疾人",
        "分块数": "3",
        "从检查点续算的块数": "1",
    }
    figures = {
        **BEFORE,
        "vacancies_without_applicants": 4,
        "seekers_with_list": 150,
    }
    text = write_report(tmp_path, figures, AFTER, {"allocation": "greedy"}).read_text("utf-8")
    assert "| 分配方法 | 各取最优（未均衡） |" in text
    assert "| 无人应聘的岗位数 | 4 | — | — |" in text
    assert "| 有推荐清单的求职者数 | 150 | — | — |" in text
    assert "![每个招聘名额的应聘人数：调整前后](report-applicants-per-opening.png)" in text


def test_report_names_groups_given_by_code(tmp_path: Path) -> None:
    figures = {"seekers": 40, "covered_share": 1.0, "mean_list_length": 9.8, "exposure": 392}
    by_code = {**AFTER, "groups": {"veteran": figures}}
    text = write_report(tmp_path, by_code, by_code, {}).read_text(encoding="utf-8")
    assert "| 退役军人 | 40 |" in text
    assert "veteran" not in text


def _drawn_texts(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """The report's figures by file name, kept instead of only saved."""
    drawn: dict[str, list[Any]] = {}
    real = batch_output._save_png

    def keep(figure: Any, path: Path) -> None:
        real(figure, path)
        axes = figure.axes[0]
        texts = [axes.title, axes.xaxis.label, axes.yaxis.label, *axes.get_xticklabels()]
        legend = axes.get_legend()
        texts += list(legend.get_texts()) if legend is not None else []
        drawn[path.name] = [text for text in texts if text.get_text()]

    monkeypatch.setattr(batch_output, "_save_png", keep)
    return drawn


def test_report_charts_label_in_chinese_with_the_packaged_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matcher.fairs.charts import cjk_font

    font = cjk_font()
    assert font is not None, "the packaged CJK font (mplfonts) is missing"
    drawn = _drawn_texts(monkeypatch)
    groups = {
        name: {"seekers": 10, "covered_share": 0.8, "mean_list_length": 5, "exposure": 10.0}
        for name in ("退役军人", "退捕渔民", "残疾人", "高校毕业生")
    }
    before = {**BEFORE, "groups": groups}
    write_report(tmp_path, before, {**AFTER, "groups": groups}, META)
    assert sorted(drawn) == ["report-applicants-per-opening.png", "report-group-coverage.png"]
    coverage = [text.get_text() for text in drawn["report-group-coverage.png"]]
    assert {"退役军人", "退捕渔民", "残疾人", "高校毕业生"} <= set(coverage)
    assert not [t for t in coverage if re.fullmatch(r"G\d+|[a-z_]+", t)]  # no codes
    for name, texts in drawn.items():
        words = [text.get_text() for text in texts]
        assert all(re.search(r"[\u4e00-\u9fff]|^P90$|^[−-]?[\d.]+$", word) for word in words), words
        for text in texts:  # drawn with the packaged font: a Chinese glyph is never tofu
            assert text.get_fontproperties().get_family()[0] == font, (name, text.get_text())


def test_report_without_values_or_groups(tmp_path: Path) -> None:
    before = {
        k: v for k, v in BEFORE.items() if k not in ("groups", "applicants_per_opening_values")
    }
    after = {"applicants_per_opening": {"max": 6.0}}
    report = write_report(tmp_path, before, after, {"campaign": "就业援助月"})
    text = report.read_text(encoding="utf-8")
    assert "就业援助月" in text
    assert "| 无候选人的岗位数 | 3 | — | — |" in text
    assert "无重点群体数据" in text
    for png in _png_links(report):
        assert png.read_bytes().startswith(PNG_MAGIC)


# --- everything ------------------------------------------------------------------------------


def test_write_outputs_writes_every_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    paths = write_outputs(out, shortlist(), candidates(), notifications())
    assert set(paths) == {
        "shortlists.csv",
        "candidates.csv",
        "shortlists.parquet",
        "candidates.parquet",
        "matches.xlsx",
        "notifications.csv",
    }
    assert all(p.parent == out and p.is_file() for p in paths.values())
    assert len(read_csv(paths["candidates.csv"])) == 6
    assert pq.read_table(paths["shortlists.parquet"]).num_rows == 3
    for path in out.iterdir():
        assert PHONE.encode() not in path.read_bytes()
    assert leftovers(out) == []


def test_write_outputs_with_contacts(tmp_path: Path) -> None:
    paths = write_outputs(tmp_path, [], [], notifications(), include_contacts=True)
    assert PHONE in paths["notifications.csv"].read_text(encoding="utf-8-sig")
    assert read_csv(paths["shortlists.csv"]) == []


# --- block by block --------------------------------------------------------------------------


def _blocks(rows: list[Any], *cuts: int) -> list[list[Any]]:
    """``rows`` cut at ``cuts`` (an empty block where two cuts meet)."""
    bounds = [0, *cuts, len(rows)]
    return [rows[start:stop] for start, stop in itertools.pairwise(bounds)]


@pytest.mark.parametrize("headers", ["zh", "en"])
@pytest.mark.parametrize("include_contacts", [False, True])
def test_streamed_files_equal_the_all_at_once_writers(
    tmp_path: Path, include_contacts: bool, headers: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matcher.fairs import output

    monkeypatch.setattr(output, "PARQUET_ROW_GROUP_ROWS", 2)  # groups across the blocks
    whole = write_outputs(
        tmp_path / "whole", shortlist(), candidates(), notifications(),
        include_contacts=include_contacts, headers=headers,
    )  # fmt: skip
    seeker_blocks = list(
        zip(_blocks(shortlist(), 2, 2), _blocks(notifications(), 1, 1), strict=True)
    )
    streamed = write_output_blocks(
        tmp_path / "streamed", seeker_blocks, _blocks(candidates(), 0, 3, 3, 5),
        include_contacts=include_contacts, headers=headers,
    )  # fmt: skip
    assert list(streamed) == list(whole)  # the same files, in the same order
    for name, path in whole.items():
        if name.endswith((".csv", ".parquet")):
            assert streamed[name].read_bytes() == path.read_bytes(), name
    expected = SHORTLIST_ZH if headers == "zh" else SHORTLIST_KEYS
    assert header_of(streamed["shortlists.csv"]) == expected
    assert read_csv_rows(streamed["shortlists.csv"])[0]["seeker_id"] == "S001"
    # row groups of 2 rows, the last one the rest, whatever the blocks
    for name, rows in (("shortlists", shortlist()), ("candidates", candidates())):
        groups = pq.ParquetFile(streamed[f"{name}.parquet"]).metadata
        sizes = [groups.row_group(i).num_rows for i in range(groups.num_row_groups)]
        assert sizes == [2] * (len(rows) // 2) + [1] * (len(rows) % 2), name
        assert pq.read_table(streamed[f"{name}.parquet"]).num_rows == len(rows) > 2
    book = load_workbook(streamed["matches.xlsx"], read_only=True)
    sheet = list(book["求职者清单"].iter_rows(values_only=True))
    assert len(sheet) == 1 + len(shortlist())
    assert list(sheet[0]) == expected
    book.close()
    assert leftovers(tmp_path / "streamed") == []


@pytest.mark.parametrize("headers", ["zh", "en"])
@pytest.mark.parametrize("cut", [0, 1, 2])
def test_seekers_written_in_two_parts_equal_the_all_at_once_writers(
    tmp_path: Path, headers: str, cut: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The later seekers' rows made as a part elsewhere (:func:`write_seeker_part`) and
    appended after this writer's blocks: the same files, row groups across the cut included."""
    from matcher.fairs import output

    monkeypatch.setattr(output, "PARQUET_ROW_GROUP_ROWS", 2)
    formats = ("csv", "parquet")
    whole = write_outputs(
        tmp_path / "whole", shortlist(), candidates(), notifications(phone=None),
        formats=formats, headers=headers,
    )  # fmt: skip
    blocks = list(zip(_blocks(shortlist(), 2), _blocks(notifications(phone=None), 1), strict=True))
    part = write_seeker_part(tmp_path / "scratch", blocks[cut:], formats=formats)
    assert part["shortlists"].rows == sum(len(rows) for rows, _ in blocks[cut:])
    streamed = write_output_blocks(
        tmp_path / "two", blocks[:cut], [candidates()], formats=formats, headers=headers,
        seeker_tail=lambda: part,
    )  # fmt: skip
    assert list(streamed) == list(whole)
    for name, path in whole.items():
        assert streamed[name].read_bytes() == path.read_bytes(), name
    assert leftovers(tmp_path / "two") == []


def test_a_seeker_part_is_refused_with_the_workbook_or_in_other_formats(tmp_path: Path) -> None:
    part = write_seeker_part(tmp_path / "scratch", [(shortlist(), [])], formats=("csv",))
    with pytest.raises(ValueError, match="the workbook needs every seeker row"):
        write_output_blocks(tmp_path / "a", [], [], formats=("csv", "xlsx"), seeker_tail=dict)
    assert not (tmp_path / "a").exists()
    with pytest.raises(ValueError, match="other formats"):
        write_output_blocks(
            tmp_path / "b", [], [], formats=("csv", "parquet"), seeker_tail=lambda: part
        )
    assert list((tmp_path / "b").iterdir()) == []  # nothing half-written is left


@pytest.mark.parametrize("headers", ["zh", "en"])
def test_streamed_files_without_rows_have_headers_and_schemas(tmp_path: Path, headers: str) -> None:
    formats = ("csv", "parquet")
    whole = write_outputs(tmp_path / "whole", [], [], [], formats=formats, headers=headers)
    streamed = write_output_blocks(
        tmp_path / "streamed", iter([]), iter([[]]), formats=formats, headers=headers
    )
    assert "matches.xlsx" not in streamed
    for name, path in whole.items():
        if name.endswith(".csv"):
            assert streamed[name].read_bytes() == path.read_bytes(), name
            assert read_csv_rows(streamed[name]) == []
        else:
            assert pq.read_table(streamed[name]).equals(pq.read_table(path)), name


def test_streamed_writer_refuses_an_unknown_header_language(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="headers must be one of"):
        write_output_blocks(tmp_path, iter([]), iter([]), headers="chinese")
    assert list(tmp_path.iterdir()) == []


def test_streamed_workbook_without_invite_lists_is_refused_before_writing(
    tmp_path: Path,
) -> None:
    """The invite lists may be written elsewhere (None) only without the workbook, which
    needs them; the call is refused before any file is written."""
    blocks = [(shortlist(), notifications())]
    with pytest.raises(ValueError, match="workbook needs the invite lists"):
        write_output_blocks(tmp_path, blocks, None, formats=("csv", "xlsx"))
    assert list(tmp_path.iterdir()) == []


def test_streamed_notifications_stay_one_per_seeker_across_blocks(tmp_path: Path) -> None:
    twice: list[Any] = [([], notifications()[:1]), ([], notifications()[:1])]
    with pytest.raises(ValueError, match="more than one notification"):
        write_output_blocks(tmp_path, twice, [], formats=("csv",))
    assert list(tmp_path.iterdir()) == []  # nothing half-written under a final name


def test_streamed_failure_in_a_later_block_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "shortlists.csv"
    write_csv(target, shortlist()[:1])
    before = target.read_bytes()

    def blocks() -> Any:
        yield shortlist()[:2], notifications()[:1]
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        write_output_blocks(tmp_path, blocks(), [], formats=("csv", "parquet"))
    assert target.read_bytes() == before  # the previous file stays
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shortlists.csv"]


def test_streamed_rows_must_be_of_the_file_kind(tmp_path: Path) -> None:
    wrong: list[Any] = [(candidates()[:1], [])]
    with pytest.raises(TypeError, match="mixed"):
        write_output_blocks(tmp_path, wrong, [], formats=("csv",))
    assert list(tmp_path.iterdir()) == []
