"""The fair workbook's SpreadsheetML writer, read back by openpyxl."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from matcher.fairs.xlsx import XlsxWriter, column_letter


@pytest.mark.parametrize(
    ("index", "letters"), [(1, "A"), (11, "K"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA")]
)
def test_column_letters(index: int, letters: str) -> None:
    assert column_letter(index) == letters


def test_column_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="column index must be ≥ 1, got 0"):
        column_letter(0)


def _book(path: Path) -> Path:
    rows = [
        ["S001", 1, 0.8125, "A&B <公司>", None],
        ["S002", 2, 2.5e-05, '=HYPERLINK("x")', "  空格  "],
    ]
    with XlsxWriter(path) as book:
        header = ["编号", "排名", "匹配分", "单位", "备注"]
        book.add_sheet("求职者清单", header, rows, [12, 6, 8, 30, 9])
        book.add_sheet("邀约-A1 遂宁物流", ["编号"], [], [10])
    return path


def test_sheets_cells_and_styles_read_back(tmp_path: Path) -> None:
    path = _book(tmp_path / "m.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["求职者清单", "邀约-A1 遂宁物流"]
    sheet = book["求职者清单"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["编号", "排名", "匹配分", "单位", "备注"],
        ["S001", 1, 0.8125, "A&B <公司>", None],
        ["S002", 2, 2.5e-05, '=HYPERLINK("x")', "  空格  "],
    ]
    assert sheet["D3"].data_type == "s"  # text that looks like a formula stays text
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width == 30
    assert [[c.value for c in row] for row in book["邀约-A1 遂宁物流"].iter_rows()] == [["编号"]]
    book.close()


def test_the_same_rows_give_the_same_bytes(tmp_path: Path) -> None:
    assert _book(tmp_path / "a.xlsx").read_bytes() == _book(tmp_path / "b.xlsx").read_bytes()


def test_a_row_of_the_wrong_width_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="zip"), XlsxWriter(tmp_path / "m.xlsx") as book:
        book.add_sheet("x", ["a", "b"], [["1"]], [8, 8])
