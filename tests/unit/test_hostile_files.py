"""Hostile import files: too large, too deep, badly encoded, with NUL characters.

Every file is generated small in ``tmp_path`` (a zip bomb packs 80 MiB into 80 KiB); the limits
that would need a large file are lowered through :class:`ImportLimits`. Each unreadable file is
one clear :class:`ImportFileError` (exit 2 at the command line) and nothing is written; each bad
row is reported under its line and the good rows are written.
"""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from matcher.cli import main
from matcher.domain.records import Employer, Seeker
from matcher.errors import ImportFileError
from matcher.intake.importer import (
    MAX_CELL_CHARS,
    MAX_JSON_DEPTH,
    MAX_XLSX_LOADED_PART_BYTES,
    ImportLimits,
    detect_encoding,
    import_file,
)
from matcher.storage.store import Store

SEEKER = {"region": "510903", "birth_year": 1990, "education": "高中"}
HEADER = "id,region,birth_year,education,resume_text\n"
EMPLOYERS = (
    "id,name,credit_code,ownership,size,industry,region\n"
    "E1,遂宁市船山区美味餐饮店,91110000802100433B,民营,小型,H,510903\n"
)


def seeker_line(seeker_id: str, **fields: object) -> str:
    return json.dumps({"id": seeker_id, **SEEKER, **fields}, ensure_ascii=False) + "\n"


def problems_of(result: object) -> dict[int, tuple[str, str]]:
    return {p.line: (p.field, p.message) for p in result.problems}  # type: ignore[attr-defined]


# --- lines and cells -----------------------------------------------------------------------


def test_an_overlong_jsonl_line_is_one_rejected_row(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "seekers.jsonl"
    long_text = "电工" * 4_000  # 24,000 bytes of UTF-8
    source.write_text(
        seeker_line("S1") + seeker_line("S2", resume_text=long_text) + seeker_line("S3"),
        encoding="utf-8",
    )
    result = import_file(store, "seekers", source, limits=ImportLimits(line_bytes=10_000))
    assert sorted(s.id for s in store.list(Seeker)) == ["S1", "S3"]
    assert problems_of(result) == {2: ("", "line longer than 10 KiB")}


def test_a_line_of_megabytes_is_read_past_at_the_default_limit(
    store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "seekers.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        handle.write(seeker_line("S1"))
        handle.write('{"id": "S2", "resume_text": "' + "1 " * 1_500_000 + '"}\n')  # 3 MB
        handle.write(seeker_line("S3"))
    started = time.perf_counter()
    result = import_file(store, "seekers", source)
    assert time.perf_counter() - started < 30  # a guard against a hang, not a speed target
    assert sorted(s.id for s in store.list(Seeker)) == ["S1", "S3"]
    assert problems_of(result) == {2: ("", "line longer than 2 MiB")}


def test_a_csv_field_over_csvs_own_limit_is_one_rejected_row(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "seekers.csv"
    source.write_text(
        HEADER + "S1,510903,1990,高中,电工\n"
        f'S2,510903,1990,高中,"{"x" * 200_000}"\n'  # over csv's 131,072
        "S3,510903,1990,高中,焊工\n",
        encoding="utf-8",
    )
    result = import_file(store, "seekers", source)
    assert sorted(s.id for s in store.list(Seeker)) == ["S1", "S3"]
    assert list(problems_of(result)) == [3]
    assert "not valid CSV" in problems_of(result)[3][1]


def test_a_cell_over_the_cell_limit_names_its_column(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "seekers.csv"
    source.write_text(
        HEADER + f"S1,510903,1990,高中,{'x' * (MAX_CELL_CHARS + 1)}\nS2,510903,1990,高中,电工\n",
        encoding="utf-8",
    )
    result = import_file(store, "seekers", source)
    assert [s.id for s in store.list(Seeker)] == ["S2"]
    assert problems_of(result) == {2: ("resume_text", "longer than 32,767 characters")}


def test_an_overlong_line_inside_a_quoted_csv_cell_rejects_its_row(
    store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "seekers.csv"
    source.write_text(
        HEADER + f'S1,510903,1990,高中,"第一行\n{"y" * 5_000}\n第三行"\nS2,510903,1990,高中,电工\n',
        encoding="utf-8",
    )
    result = import_file(store, "seekers", source, limits=ImportLimits(line_bytes=1_000))
    assert [s.id for s in store.list(Seeker)] == ["S2"]
    assert problems_of(result) == {2: ("", "line longer than 1000 bytes")}


def test_a_file_over_the_file_limit_is_refused_as_it_is_read(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "seekers.jsonl"
    source.write_text("".join(seeker_line(f"S{n}") for n in range(50)), encoding="utf-8")
    with pytest.raises(ImportFileError, match="more than the 1 KiB limit"):
        import_file(store, "seekers", source, limits=ImportLimits(file_bytes=1024))
    assert store.is_empty()


# --- JSON ----------------------------------------------------------------------------------


def test_jsonl_nested_100000_deep_is_a_rejected_row(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "seekers.jsonl"
    deep = '{"id": "S2", "skills": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    source.write_text(
        seeker_line("S1") + deep + "[" * 100_000 + "\n" + seeker_line("S4"), encoding="utf-8"
    )
    result = import_file(store, "seekers", source)
    assert sorted(s.id for s in store.list(Seeker)) == ["S1", "S4"]
    found = problems_of(result)
    assert set(found) == {2, 3}
    assert all(f"nested deeper than {MAX_JSON_DEPTH} levels" in m for _, m in found.values())


def test_json_nesting_just_over_the_limit_names_its_field(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "seekers.jsonl"
    skills = json.dumps([[[["电工"]]]])  # four levels inside the row: five in all
    source.write_text(f'{{"id": "S1", "skills": {skills}}}\n', encoding="utf-8")
    result = import_file(store, "seekers", source, limits=ImportLimits(json_depth=4))
    assert problems_of(result) == {1: ("skills", "nested deeper than 4 levels")}


def test_an_integer_of_thousands_of_digits_is_a_rejected_row(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "seekers.jsonl"
    source.write_text('{"id": "S1", "birth_year": 1' + "0" * 5_000 + "}\n", encoding="utf-8")
    result = import_file(store, "seekers", source)
    assert list(problems_of(result)) == [1]
    assert "not valid JSON" in problems_of(result)[1][1]


# --- NUL -----------------------------------------------------------------------------------


def test_nul_characters_are_refused_in_csv_and_jsonl(store: Store, tmp_path: Path) -> None:
    csv_source = tmp_path / "seekers.csv"
    csv_source.write_text(
        HEADER + "S1,510903,1990,高中,电\x00工\nS2,510903,1990,高中,电工\n", encoding="utf-8"
    )
    result = import_file(store, "seekers", csv_source)
    assert problems_of(result) == {2: ("", "contains a NUL character")}
    jsonl_source = tmp_path / "seekers.jsonl"
    jsonl_source.write_text(
        seeker_line("S3", resume_text="电\u0000工") + seeker_line("S4"), encoding="utf-8"
    )
    result = import_file(store, "seekers", jsonl_source)
    assert problems_of(result) == {1: ("resume_text", "contains a NUL character")}
    assert sorted(s.id for s in store.list(Seeker)) == ["S2", "S4"]
    assert not [s for s in store.list(Seeker) if "\x00" in s.model_dump_json()]


def test_nul_bytes_throughout_refuse_the_file(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "employers.csv"
    source.write_bytes(EMPLOYERS.encode("utf-16-le"))  # UTF-16 without a BOM
    with pytest.raises(ImportFileError, match="NUL bytes throughout"):
        import_file(store, "employers", source)
    assert store.is_empty()


# --- encodings -----------------------------------------------------------------------------

FOREIGN = {
    "big5": "臺北市電子工廠作業員，熟悉焊接與電路維修，願意輪班。",
    "shift_jis": "東京のレストランで三年間働きました。よろしくお願いします。",
}


def foreign_seekers(encoding: str) -> bytes:
    return (HEADER + f"S1,510903,1990,高中,{FOREIGN[encoding]}\n").encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("big5", "Big5 (traditional Chinese)"), ("shift_jis", "Shift-JIS (Japanese)")],
)
def test_big5_and_shift_jis_are_refused_not_imported_as_mojibake(
    store: Store, tmp_path: Path, encoding: str, named: str
) -> None:
    source = tmp_path / "seekers.csv"
    source.write_bytes(foreign_seekers(encoding))
    source.read_bytes().decode("gb18030")  # the trap: it decodes "cleanly" as GB18030
    with pytest.raises(ImportFileError) as caught:
        import_file(store, "seekers", source)
    message = str(caught.value)
    assert str(source) in message and named in message and f"--encoding {encoding}" in message
    assert store.is_empty()


@pytest.mark.parametrize("encoding", ["big5", "shift_jis"])
def test_a_declared_encoding_is_used(store: Store, tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "seekers.csv"
    source.write_bytes(foreign_seekers(encoding))
    result = import_file(store, "seekers", source, encoding=encoding)
    assert result.written == 1
    assert store.get(Seeker, "S1").resume_text == FOREIGN[encoding]


def test_an_unknown_or_unusable_declared_encoding_is_refused(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "employers.csv"
    source.write_text(EMPLOYERS, encoding="utf-8")
    with pytest.raises(ImportFileError, match="unknown encoding 'klingon'"):
        import_file(store, "employers", source, encoding="klingon")
    with pytest.raises(ImportFileError, match="cannot be read line by line"):
        import_file(store, "employers", source, encoding="utf-16")


def test_a_wrongly_declared_encoding_rejects_rows_not_the_run(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "employers.csv"
    source.write_bytes(
        EMPLOYERS.encode("utf-8")
        + "E2,射洪市锂电有限公司,91350100M000100Y43,民营,小型,C,510981\n".encode("gb18030")
    )
    result = import_file(store, "employers", source, encoding="utf-8")
    assert [e.id for e in store.list(Employer)] == ["E1"]
    assert problems_of(result) == {3: ("", "not valid utf-8-sig text")}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (EMPLOYERS.encode("utf-8"), "utf-8-sig"),
        (b"\xef\xbb\xbf" + EMPLOYERS.encode("utf-8"), "utf-8-sig"),
        (EMPLOYERS.encode("gb18030"), "gb18030"),
        (b"id,name\nE1,plain ascii\n", "utf-8-sig"),
    ],
)
def test_detected_encodings(tmp_path: Path, data: bytes, expected: str) -> None:
    source = tmp_path / "file.csv"
    source.write_bytes(data)
    assert detect_encoding(source) == expected


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("id,name\nE1,café\n".encode("latin-1"), "neither UTF-8 nor GB18030 Chinese text"),
        (b"\xff\xfe" + EMPLOYERS.encode("utf-16-le"), "UTF-16 or UTF-32 text"),
    ],
)
def test_undetectable_encodings_are_refused(tmp_path: Path, data: bytes, fragment: str) -> None:
    source = tmp_path / "file.csv"
    source.write_bytes(data)
    with pytest.raises(ImportFileError, match=fragment):
        detect_encoding(source)


# --- XLSX ----------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def write_xlsx(
    path: Path,
    rows: list[tuple[int, list[object]]],
    *,
    dimension: str = "A1:G3",
    shared_mib: int = 0,
) -> None:
    """A minimal XLSX written by hand: inline strings, a declared dimension, and a shared
    strings part of ``shared_mib`` MiB of one repeated letter (it packs a thousandfold)."""
    overrides = {
        "/xl/workbook.xml": f"{_TYPE}.sheet.main+xml",
        "/xl/worksheets/sheet1.xml": f"{_TYPE}.worksheet+xml",
        "/xl/sharedStrings.xml": f"{_TYPE}.sharedStrings+xml",
    }
    types = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides.items())
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{types}</Types>"
    )
    package_rels = (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE}"><sheets>'
        '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        f'<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )

    def cell(column: int, row: int, value: object) -> str:
        ref = f"{chr(65 + column)}{row}"
        if isinstance(value, int):
            return f'<c r="{ref}"><v>{value}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'

    data = "".join(
        f'<row r="{r}">' + "".join(cell(c, r, v) for c, v in enumerate(values)) + "</row>"
        for r, values in rows
    )
    sheet = (
        f'<worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{data}</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        with archive.open("xl/sharedStrings.xml", "w") as handle:
            handle.write(f'<sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t>'.encode())
            for _ in range(shared_mib):
                handle.write(b"a" * 1024 * 1024)
            handle.write(b"x</t></si></sst>")


EMPLOYER_COLUMNS: list[object] = ["id", "name", "credit_code", "ownership", "size", "industry"]
EMPLOYER_ROW: list[object] = ["E1", "遂宁市船山区美味餐饮店", "91110000802100433B", "民营", "小型"]


def employer_rows() -> list[tuple[int, list[object]]]:
    return [(1, [*EMPLOYER_COLUMNS, "region"]), (2, [*EMPLOYER_ROW, "H", 510903])]


def test_a_hand_written_xlsx_imports(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "employers.xlsx"
    write_xlsx(path, employer_rows())
    assert import_file(store, "employers", path).written == 1


def test_an_xlsx_whose_shared_strings_unpack_to_80_mib_is_refused_unopened(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "employers.xlsx"
    write_xlsx(path, employer_rows(), shared_mib=80)
    assert path.stat().st_size < 200_000
    assert MAX_XLSX_LOADED_PART_BYTES < 80 * 1024 * 1024

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl must not open the file")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with pytest.raises(ImportFileError, match="shared-strings table unpacks to 80 MiB"):
        import_file(store, "employers", path)
    assert store.is_empty()


def test_an_xlsx_over_the_unpacked_limit_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "employers.xlsx"
    write_xlsx(path, employer_rows(), shared_mib=3)
    with pytest.raises(ImportFileError, match="unpacks to 3 MiB, more than the 2 MiB limit"):
        import_file(store, "employers", path, limits=ImportLimits(xlsx_unpacked_bytes=2 << 20))


def test_a_declared_dimension_does_not_pad_rows_and_rows_are_bounded(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "employers.xlsx"
    rows: list[tuple[int, list[object]]] = [*employer_rows(), (5_000, ["E2"])]
    write_xlsx(path, rows, dimension="A1:XFD1048576")
    with pytest.raises(ImportFileError, match="more than 1,000 rows"):
        import_file(store, "employers", path, limits=ImportLimits(xlsx_rows=1_000))
    result = import_file(store, "employers", path)  # the gap is read through, quickly
    assert result.written == 1 and {p.line for p in result.problems} == {5_000}


def test_an_xlsx_cell_over_the_cell_limit_is_a_rejected_row(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "employers.xlsx"
    long_row: list[object] = ["E2", "x" * 5_000, *EMPLOYER_ROW[2:], "H", 510903]
    write_xlsx(path, [*employer_rows(), (3, long_row)])
    result = import_file(store, "employers", path, limits=ImportLimits(cell_chars=1_000))
    assert result.written == 1
    assert problems_of(result) == {3: ("name", "longer than 1,000 characters")}


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"id,name\nE1,not a zip\n", "not a zip archive"),
        (b"PK\x03\x04" + b"\0" * 100, "not a zip archive"),
    ],
)
def test_an_xlsx_that_is_no_workbook_is_refused(
    store: Store, tmp_path: Path, content: bytes, fragment: str
) -> None:
    path = tmp_path / "employers.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=fragment):
        import_file(store, "employers", path)


def test_a_truncated_xlsx_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "employers.xlsx"
    write_xlsx(path, employer_rows())
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2] + whole[-22:])  # the directory points at nothing
    with pytest.raises(ImportFileError, match=str(path)):
        import_file(store, "employers", path)


# --- the command line: exit 2 and a message, never a traceback ------------------------------


def test_hostile_files_at_the_command_line_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    big5 = tmp_path / "big5.csv"
    big5.write_bytes(foreign_seekers("big5"))
    bomb = tmp_path / "bomb.xlsx"
    write_xlsx(bomb, employer_rows(), shared_mib=80)
    directory = tmp_path / "folder.csv"
    directory.mkdir()
    for source in (big5, bomb, directory):
        code = main(["--home", str(tmp_path / "home"), "import", "seekers", str(source)])
        err = capsys.readouterr().err
        assert code == 2, err
        assert str(source) in err and "Traceback" not in err
    code = main(
        ["--home", str(tmp_path / "home"), "import", "seekers", str(big5), "--encoding", "big5"]
    )
    assert code == 0, capsys.readouterr().err


def test_lines_ending_in_cr_alone_are_refused_with_a_clear_message(
    store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "employers.csv"
    source.write_bytes(EMPLOYERS.replace("\n", "\r").encode("utf-8"))
    with pytest.raises(ImportFileError, match="lines end in CR alone"):
        import_file(store, "employers", source)


def test_the_encoding_is_told_from_the_first_non_ascii_text_not_the_first_bytes(
    tmp_path: Path,
) -> None:
    ascii_rows = "".join(f"S{n},510903,1990,2,plain\n" for n in range(10_000))  # ~270 KB
    source = tmp_path / "seekers.csv"
    source.write_bytes((HEADER + ascii_rows + "S0,510903,1990,高中,电工焊工\n").encode("gb18030"))
    assert detect_encoding(source) == "gb18030"
    source.write_bytes((HEADER + ascii_rows).encode() + foreign_seekers("big5")[len(HEADER) :])
    with pytest.raises(ImportFileError, match="Big5"):
        detect_encoding(source)
