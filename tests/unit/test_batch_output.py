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
    CandidateRow,
    Notification,
    ShortlistRow,
    arrow_schema,
    sheet_name,
    write_csv,
    write_notifications,
    write_output_blocks,
    write_outputs,
    write_parquet,
    write_report,
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
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def openpyxl_temp_files() -> list[str]:
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    return list(ALL_TEMP_FILES)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# --- CSV -------------------------------------------------------------------------------------


def test_csv_has_bom_and_round_trips(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "shortlists.csv", shortlist())
    assert path.read_bytes().startswith(BOM)
    rows = read_csv(path)
    assert list(rows[0]) == [
        "seeker_id", "rank", "vacancy_id", "title", "employer_id", "employer",
        "county", "booth", "time", "score", "reason",
    ]  # fmt: skip
    assert len(rows) == 3
    assert rows[0]["reason"] == "技能匹配：电工证；通勤：同在船山区"
    assert rows[0]["employer"] == "四川天齐锂业"
    assert int(rows[1]["rank"]) == 2
    assert float(rows[0]["score"]) == 0.91
    assert rows[1]["time"] == ""  # None → empty cell
    assert leftovers(tmp_path) == []


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
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
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
    rows = read_csv(path)
    assert list(rows[0]) == ["seeker_id", "booths", "times", "vacancies"]
    assert [r["seeker_id"] for r in rows] == ["S001", "S002"]


def test_notifications_with_contacts(tmp_path: Path) -> None:
    path = write_notifications(tmp_path / "n.csv", notifications(), include_contacts=True)
    rows = read_csv(path)
    assert list(rows[0]) == ["seeker_id", "booths", "times", "vacancies", "phone"]
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
    assert re.search(
        r"\| 残疾人 \| \S+ \| 40 \| 90\.0% \| 100\.0% \| 8\.5 \| 9\.8 \| 340 \| 392 \|", text
    )
    links = _png_links(report)
    assert sorted(p.name for p in links) == [
        "report-applicants-per-opening.png",
        "report-group-coverage.png",
    ]
    for png in links:
        assert png.read_bytes().startswith(PNG_MAGIC)
    assert leftovers(report.parent) == []


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


@pytest.mark.parametrize("include_contacts", [False, True])
def test_streamed_files_equal_the_all_at_once_writers(
    tmp_path: Path, include_contacts: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matcher.fairs import output

    monkeypatch.setattr(output, "PARQUET_ROW_GROUP_ROWS", 2)  # groups across the blocks
    whole = write_outputs(
        tmp_path / "whole", shortlist(), candidates(), notifications(),
        include_contacts=include_contacts,
    )  # fmt: skip
    seeker_blocks = list(
        zip(_blocks(shortlist(), 2, 2), _blocks(notifications(), 1, 1), strict=True)
    )
    streamed = write_output_blocks(
        tmp_path / "streamed", seeker_blocks, _blocks(candidates(), 0, 3, 3, 5),
        include_contacts=include_contacts,
    )  # fmt: skip
    assert list(streamed) == list(whole)  # the same files, in the same order
    for name, path in whole.items():
        if name.endswith((".csv", ".parquet")):
            assert streamed[name].read_bytes() == path.read_bytes(), name
    # row groups of 2 rows, the last one the rest, whatever the blocks
    for name, rows in (("shortlists", shortlist()), ("candidates", candidates())):
        groups = pq.ParquetFile(streamed[f"{name}.parquet"]).metadata
        sizes = [groups.row_group(i).num_rows for i in range(groups.num_row_groups)]
        assert sizes == [2] * (len(rows) // 2) + [1] * (len(rows) % 2), name
        assert pq.read_table(streamed[f"{name}.parquet"]).num_rows == len(rows) > 2
    book = load_workbook(streamed["matches.xlsx"], read_only=True)
    assert len(list(book["求职者清单"].iter_rows(values_only=True))) == 1 + len(shortlist())
    book.close()
    assert leftovers(tmp_path / "streamed") == []


def test_streamed_files_without_rows_have_headers_and_schemas(tmp_path: Path) -> None:
    whole = write_outputs(tmp_path / "whole", [], [], [], formats=("csv", "parquet"))
    streamed = write_output_blocks(
        tmp_path / "streamed", iter([]), iter([[]]), formats=("csv", "parquet")
    )
    assert "matches.xlsx" not in streamed
    for name, path in whole.items():
        if name.endswith(".csv"):
            assert streamed[name].read_bytes() == path.read_bytes(), name
        else:
            assert pq.read_table(streamed[name]).equals(pq.read_table(path)), name


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
