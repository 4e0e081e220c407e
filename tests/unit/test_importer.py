from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.domain.records import Employer, Fair, Seeker, Vacancy, id_personal_data
from matcher.errors import ImportFileError
from matcher.intake.importer import import_file
from matcher.storage.store import Store
from tests.conftest import DATA

IMPORT = DATA / "import"
PII = ["王建国", "13800138000", "张伟", "13900139000", "李娜", "1390013900", "赵敏",
       "11010519491231002X", "510902199001011234", "蓬溪县赤城镇"]  # fmt: skip


def lines_of(problems: list[object]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for problem in problems:
        found.setdefault(problem.line, set()).add(problem.field)  # type: ignore[attr-defined]
    return found


def test_employers_csv(store: Store) -> None:
    result = import_file(store, "employers", IMPORT / "employers.csv")
    assert (result.rows, result.written, result.problems) == (3, 3, [])
    assert result.report is None
    assert store.get(Employer, "E002").region == "510981"  # 射洪市 by name


def test_seekers_csv_keeps_good_rows_and_reports_bad(store: Store, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    result = import_file(store, "seekers", IMPORT / "seekers_mixed.csv", report_path=report)
    assert result.rows == 8
    assert sorted(s.id for s in store.list(Seeker)) == ["S001", "S002", "S005"]
    assert result.written == 3 and result.contacts == 2
    assert lines_of(result.problems) == {
        5: {"region"},
        6: {"disability"},
        8: {"education"},
        9: {"id"},
        10: {"experience_years"},
    }
    first = store.get(Seeker, "S001")
    assert first.resume_text.startswith("求职意向：电工\n工作经历")  # multi-line cell kept
    assert first.desired_regions == ["510921", "510903"]
    assert store.get(Seeker, "S002").desired_titles == ["设备技术员", "机修工"]
    disabled = store.get(Seeker, "S005")
    assert disabled.disability is not None
    assert disabled.disability.needs == ["无障碍通道", "可坐姿作业"]
    assert store.get_contact("S005").id_number == "11010519491231002X"
    with report.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(row["line"]) for row in rows] == [5, 6, 8, 9, 10]
    assert rows[3]["message"] == "repeats the id of line 2"
    text = report.read_text(encoding="utf-8-sig")
    assert not [value for value in PII if value in text]


def test_bad_contact_rejects_the_row(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "seekers.csv"
    source.write_text(
        "id,region,birth_year,education,phone\nS1,510903,1990,高中,13800138000\n"
        "S2,510903,1990,高中,1234\n",
        encoding="utf-8",
    )
    result = import_file(store, "seekers", source, reports_dir=tmp_path)
    assert [s.id for s in store.list(Seeker)] == ["S1"]
    assert [(p.line, p.field) for p in result.problems] == [(3, "phone")]
    assert "1234" not in result.problems[0].message
    assert result.report is not None and result.report.parent == tmp_path


def test_vacancies_jsonl(store: Store) -> None:
    import_file(store, "employers", IMPORT / "employers.csv")
    result = import_file(store, "vacancies", IMPORT / "vacancies_mixed.jsonl")
    assert sorted(v.id for v in store.list(Vacancy)) == ["V001", "V002", "V007"]
    problems = {(p.line, p.field): p.message for p in result.problems}
    assert problems[(4, "employer_id")] == "no employer with this id in the store"
    assert "give a monthly figure" in problems[(5, "salary_max")]
    assert "not valid JSON" in problems[(6, "")]
    assert problems[(7, "")] == "must be a JSON object"
    assert problems[(8, "colour")] == "is not a known field"
    assert "greater than or equal to 1" in problems[(8, "openings")]
    assert result.rows == 8  # the blank line is not a row
    assert result.report is None  # no destination given: problems stay in the result
    assert not list(IMPORT.glob("import-*.csv"))


def test_interactions_need_known_seekers_and_vacancies(store: Store) -> None:
    import_file(store, "employers", IMPORT / "employers.csv")
    import_file(store, "vacancies", IMPORT / "vacancies_mixed.jsonl")
    import_file(store, "seekers", IMPORT / "seekers_mixed.csv")
    result = import_file(store, "interactions", IMPORT / "interactions.csv")
    assert result.written == 3
    assert store.count_interactions() == {"apply": 1, "click": 1, "impression": 1}
    assert lines_of(result.problems) == {5: {"vacancy_id"}, 6: {"kind"}, 7: {"position"}}


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("employers_bad_header.csv", "colour are not fields of employers"),
        ("employers_missing_column.csv", "required column(s) missing: region"),
        ("nothing.csv", "file not found"),
        ("employers.txt", "unknown file type '.txt'"),
    ],
)
def test_unusable_files_write_nothing(
    store: Store, tmp_path: Path, name: str, fragment: str
) -> None:
    source = IMPORT / name
    if name == "employers.txt":
        source = tmp_path / name
        shutil.copy(IMPORT / "employers.csv", source)
    with pytest.raises(ImportFileError) as caught:
        import_file(store, "employers", source)
    assert fragment in str(caught.value)
    assert store.is_empty()


def test_gb18030_csv_from_excel(store: Store) -> None:
    result = import_file(store, "employers", IMPORT / "employers_gbk.csv")
    assert result.written == 1
    assert store.get(Employer, "E010").name == "遂宁市船山区美味餐饮店"


def test_xlsx(store: Store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "name", "credit_code", "ownership", "size", "industry", "region"])
    sheet.append(["E020", "大英县纺织有限公司", "91110000802100433B", "民营", "小型", 18, 510923])
    sheet.append(["E021", "坏数据", "123", "民营", "小型", 18, 510923])
    path = tmp_path / "employers.xlsx"
    workbook.save(path)
    result = import_file(store, "employers", path, reports_dir=tmp_path)
    assert store.get(Employer, "E020").industry == "18"
    assert [(p.line, p.field) for p in result.problems] == [(3, "credit_code")]


def test_credit_code_clash_rejects_the_row_not_the_file(store: Store, tmp_path: Path) -> None:
    import_file(store, "employers", IMPORT / "employers.csv")
    clash = tmp_path / "clash.csv"
    clash.write_text(
        "id,name,credit_code,ownership,size,industry,region\n"
        "E100,新公司一,91110000802100433B,民营,小型,18,510923\n"
        "E101,新公司二,91350100M000100Y43,民营,小型,18,510923\n"  # E001 already has this code
        "E102,新公司三,91110000802100433B,民营,小型,18,510923\n",  # repeats line 2
        encoding="utf-8",
    )
    result = import_file(store, "employers", clash, reports_dir=tmp_path)
    assert result.written == 1 and store.get(Employer, "E100").name == "新公司一"
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "employer 'E001' in the store already has this credit code"),
        (4, "repeats the credit code of line 2"),
    ]


def test_failed_write_leaves_database_unchanged(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails half-way (here: the contacts) rolls back the seekers too."""
    before = sqlite3.connect(store.path).execute("SELECT COUNT(*) FROM seekers").fetchone()

    def fail(*args: object) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "put_contacts", fail)
    with pytest.raises(sqlite3.OperationalError):
        import_file(store, "seekers", IMPORT / "seekers_mixed.csv", reports_dir=tmp_path)
    after = sqlite3.connect(store.path).execute("SELECT COUNT(*) FROM seekers").fetchone()
    assert before == after == (0,)


def test_personal_data_in_free_text_is_redacted(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "seekers.jsonl"
    source.write_text(
        '{"id": "S1", "region": "510903", "birth_year": 1990, "education": "高中", '
        '"resume_text": "求职意向：电工。电话13800138000，微信 wx_abc12345，'
        '住遂宁市船山区明月路123号"}\n',
        encoding="utf-8",
    )
    result = import_file(store, "seekers", source)
    stored = store.get(Seeker, "S1").resume_text
    assert "13800138000" not in stored and "明月路123号" not in stored
    assert stored.startswith("求职意向：电工。")
    assert result.redactions["mobile"] == 1 and result.redactions["address"] == 1


def test_fairs_jsonl_check_their_booths(store: Store) -> None:
    import_file(store, "employers", IMPORT / "employers.csv")
    import_file(store, "vacancies", IMPORT / "vacancies_mixed.jsonl")
    result = import_file(store, "fairs", IMPORT / "fairs.jsonl")
    assert [fair.id for fair in store.list(Fair)] == ["F001"]
    assert store.get(Fair, "F001").booths[0].interview_slots == 6
    problems = {(p.line, p.field): p.message for p in result.problems}
    assert problems[(2, "booths[0].vacancy_ids")] in {
        "vacancy 'V002' belongs to another employer",
        "no vacancy 'V404' in the store",
    }
    assert problems[(2, "booths[1].employer_id")] == "no employer with this id in the store"
    assert "end_time" in {field for line, field in problems if line == 3}
    assert result.rejected == 2


def test_short_fields_and_the_seekers_own_name_are_redacted_at_import(
    store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "seekers.jsonl"
    source.write_text(
        '{"id": "S2", "region": "510903", "birth_year": 1990, "education": "高中", '
        '"skills": ["电焊", "联系13912345678"], "desired_titles": ["焊工"], '
        '"resume_text": "我叫王建国，做过五年焊工。", '
        '"contact": {"name": "王建国", "phone": "13912345678"}}\n',
        encoding="utf-8",
    )
    result = import_file(store, "seekers", source)
    seeker = store.get(Seeker, "S2")
    stored = seeker.model_dump_json()
    assert "王建国" not in stored and "13912345678" not in stored
    assert seeker.skills[0] == "电焊" and "做过五年焊工" in seeker.resume_text
    assert result.redactions["name"] == 1 and result.redactions["mobile"] == 1
    assert store.get_contact("S2").name == "王建国"  # the contact itself is kept, apart


# --- record ids that are personal data -----------------------------------------------------

PERSONAL_IDS = [
    ("510903199001011238", "身份证号"),
    ("51090319900101123X", "身份证号"),
    ("510903900101123", "身份证号"),  # the 15-digit form of 1985
    ("S510903199001011238", "身份证号"),
    ("13912345678", "mobile"),
    ("139-1234-5678", "mobile"),
    ("139.1234.5678", "mobile"),
    ("139_1234_5678", "mobile"),
    ("+86 139 1234 5678", "mobile"),
    ("８６１３９１２３４５６７８", "mobile"),
    ("S-13912345678", "mobile"),
    ("0825-2345678", "landline"),
    ("028.8765.4321", "landline"),
    ("01062345678", "landline"),
]
FINE_IDS = ["S0000001", "V0000123", "E000004", "golden_autumn", "2022-10-01", "202212061230001",
            "F2022:spring", "12345678901", "V2022-0001-0003"]  # fmt: skip


@pytest.mark.parametrize(("record_id", "kind"), PERSONAL_IDS)
def test_ids_that_look_like_personal_data_are_refused(
    store: Store, tmp_path: Path, record_id: str, kind: str
) -> None:
    source = tmp_path / "seekers.jsonl"
    rows = [{"id": record_id}, {"id": "S1"}]
    source.write_text(
        "".join(
            json.dumps({**row, "region": "510903", "birth_year": 1990, "education": "高中"}) + "\n"
            for row in rows
        ),
        encoding="utf-8",
    )
    result = import_file(store, "seekers", source)
    assert [s.id for s in store.list(Seeker)] == ["S1"]
    assert [(p.line, p.field) for p in result.problems] == [(1, "id")]
    message = result.problems[0].message
    assert "looks like personal data" in message and kind in message
    digits = "".join(char for char in record_id if char.isdigit())
    assert record_id not in message and digits[-6:] not in message


@pytest.mark.parametrize("record_id", FINE_IDS)
def test_opaque_ids_are_accepted(record_id: str) -> None:
    assert id_personal_data(record_id) is None


def test_references_that_look_like_personal_data_are_refused(store: Store, tmp_path: Path) -> None:
    import_file(store, "employers", IMPORT / "employers.csv")
    source = tmp_path / "vacancies.jsonl"
    vacancy = {"title": "电工", "region": "510903", "valid_from": "2022-03-01",
               "valid_until": "2022-06-30"}  # fmt: skip
    rows = [
        {**vacancy, "id": "V1", "employer_id": "13912345678"},
        {**vacancy, "id": "V2", "employer_id": "E001", "campaigns": ["510903199001011238"]},
    ]
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = import_file(store, "vacancies", source)
    assert [(p.line, p.field) for p in result.problems] == [(1, "employer_id"), (2, "campaigns.0")]
    assert all("looks like personal data" in p.message for p in result.problems)


# --- the seeker's stored contact is a redaction term for later writes -----------------------


def test_a_stored_contact_is_redacted_from_later_rows_without_it(
    store: Store, tmp_path: Path
) -> None:
    first = tmp_path / "first.jsonl"
    first.write_text(
        '{"id": "S7", "region": "510903", "birth_year": 1990, "education": "高中", '
        '"contact": {"name": "欧阳秀英", "phone": "13912345678", '
        '"id_number": "11010519491231002X"}}\n',
        encoding="utf-8",
    )
    import_file(store, "seekers", first)
    later = tmp_path / "later.csv"
    later.write_text(
        "id,region,birth_year,education,skills,desired_titles,resume_text\n"
        "S7,510903,1990,高中,电焊;欧阳秀英;欧阳 秀英,焊工,"
        '"我是欧阳秀英，电话139.1234.5678 或 １３９ １２３４ ５６７８，'
        '证件 110105 19491231 002x。"\n',
        encoding="utf-8",
    )
    result = import_file(store, "seekers", later)
    assert result.written == 1 and result.problems == []
    stored = store.get(Seeker, "S7").model_dump_json()
    for value in (
        "欧阳秀英",
        "欧阳 秀英",
        "139.1234.5678",
        "１３９ １２３４ ５６７８",
        "002x",
        "19491231",
    ):
        assert value not in stored, value
    assert result.redactions["name"] == 3
    assert result.redactions["mobile"] == 2 and result.redactions["id_number"] == 1
    assert store.get_contact("S7").name == "欧阳秀英"  # still kept, apart


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    phone=st.builds(
        lambda d, rest: f"1{d}{rest:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1)
    ),
    separator=st.sampled_from(["", "-", ".", "_", ":", " ", "--"]),
    prefix=st.sampled_from(["", "S", "S-", "seeker.", "V2022-"]),
    full_width=st.booleans(),
)
def test_any_mobile_in_any_separator_style_is_not_an_id(
    phone: str, separator: str, prefix: str, full_width: bool
) -> None:
    styled = separator.join((phone[:3], phone[3:7], phone[7:]))
    if full_width:
        styled = styled.translate(_FULL_WIDTH)
    assert id_personal_data(prefix + styled) == "a mobile phone number"


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(letter=st.sampled_from("SVEFC"), number=st.integers(0, 10**8 - 1))
def test_sequence_ids_are_never_personal_data(letter: str, number: int) -> None:
    assert id_personal_data(f"{letter}{number:07d}") is None
    assert id_personal_data(f"{letter}{number:08d}") is None


def test_a_file_import_refuses_vacancies_naming_campaigns_outside_the_calendar(
    store: Store, tmp_path: Path
) -> None:
    import_file(store, "employers", IMPORT / "employers.csv")
    first = (IMPORT / "vacancies_mixed.jsonl").read_text(encoding="utf-8").splitlines()[0]
    good = json.loads(first)  # V001, a good row
    source = tmp_path / "campaigns.jsonl"
    source.write_text(
        "\n".join(
            json.dumps({**good, "id": vacancy_id, "campaigns": campaigns}, ensure_ascii=False)
            for vacancy_id, campaigns in (("VC1", ["spring_breeze"]), ("VC2", ["moon_landing"]))
        ),
        encoding="utf-8",
    )
    result = import_file(store, "vacancies", source, campaign_ids={"spring_breeze"})
    assert [(p.line, p.field) for p in result.problems] == [(2, "campaigns")]
    assert store.exists(Vacancy, ["VC1", "VC2"]) == {"VC1"}
