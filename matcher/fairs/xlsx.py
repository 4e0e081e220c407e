"""A write-only XLSX writer for the fair workbook: SpreadsheetML (ECMA-376 Part 1) written
straight into the zip, a row at a time.

openpyxl's write-only mode builds a cell object and an lxml element per value; for a city's
batch (a million and more cells) that was most of the run's writing time. The workbook needs
little of a spreadsheet library: text and numbers, one bold header row frozen at the top and
column widths. Strings are written inline (``t="inlineStr"``), so no shared-string table is held
in memory and text that looks like a formula stays text. Every member carries the same fixed
timestamp, so the same rows give the same bytes.

Values must already be clean for XML (control characters removed, as
:func:`matcher.fairs.output._xlsx_value` does); this module only escapes ``& < >``.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every member's timestamp: the same workbook, byte for byte, from the same rows."""
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
"""What every XML member starts with."""
COMPRESSION_LEVEL = 1
"""Deflate level: the XML of a large batch compresses ~10× even at the fastest level."""

_STYLES = (
    XML_DECLARATION + f'<styleSheet xmlns="{MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
BOLD = 1
"""The style index of the header cells (``cellXfs`` entry 1: the bold font)."""


def column_letter(index: int) -> str:
    """``1`` → ``A``, ``27`` → ``AA`` (Excel's column names, 1-based)."""
    if index < 1:
        raise ValueError(f"column index must be ≥ 1, got {index}")
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(reference: str, value: object, style: int = 0) -> str:
    """One ``<c>`` element (empty text for None, which is left out)."""
    styled = f' s="{style}"' if style else ""
    if isinstance(value, str):
        text = escape(value) if ("&" in value or "<" in value or ">" in value) else value
        return (
            f'<c r="{reference}"{styled} t="inlineStr">'
            f'<is><t xml:space="preserve">{text}</t></is></c>'
        )
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}"{styled} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{reference}"{styled}><v>{value}</v></c>'
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return f'<c r="{reference}"{styled}><v>{value!r}</v></c>'
    text = escape(str(value))
    return (
        f'<c r="{reference}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    )


class XlsxWriter:
    """Write sheets into ``path`` one at a time; :meth:`close` (or leaving the ``with`` block)
    writes the workbook's parts. On an error inside the block the file is left as it is: write
    to a temporary path and move it into place only on success (``models.files.atomic_path``).

    Parameters
    ----------
    path
        The ``.xlsx`` to create.
    """

    def __init__(self, path: str | Path) -> None:
        self._zip = zipfile.ZipFile(
            path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION_LEVEL
        )
        self._sheets: list[str] = []

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if error is None:
            self.close()
        else:
            self._zip.close()

    def _member(self, name: str) -> IO[bytes]:
        info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return self._zip.open(info, "w", force_zip64=True)

    def _put(self, name: str, text: str) -> None:
        with self._member(name) as member:
            member.write(text.encode("utf-8"))

    def add_sheet(
        self,
        name: str,
        header: Sequence[str],
        rows: Iterable[Sequence[object]],
        widths: Sequence[float],
    ) -> None:
        """A sheet named ``name``: the bold ``header`` row, frozen, then ``rows`` (text,
        numbers, None for an empty cell), columns ``widths`` characters wide."""
        letters = [column_letter(i) for i in range(1, len(header) + 1)]
        number = len(self._sheets) + 1
        self._sheets.append(name)
        with self._member(f"xl/worksheets/sheet{number}.xml") as member:
            columns = "".join(
                f'<col min="{i}" max="{i}" width="{width:g}" customWidth="1"/>'
                for i, width in enumerate(widths, start=1)
            )
            pairs = zip(letters, header, strict=True)
            head = "".join(_cell(f"{letter}1", text, BOLD) for letter, text in pairs)
            member.write(
                (
                    XML_DECLARATION + f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
                    '<sheetViews><sheetView workbookViewId="0">'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                    "</sheetView></sheetViews>"
                    '<sheetFormatPr defaultRowHeight="15"/>'
                    f"{'<cols>' + columns + '</cols>' if columns else ''}"
                    f'<sheetData><row r="1">{head}</row>'
                ).encode()
            )
            lines: list[str] = []
            for line, values in enumerate(rows, start=2):
                cells = "".join(
                    _cell(f"{c}{line}", value) for c, value in zip(letters, values, strict=True)
                )
                lines.append(f'<row r="{line}">{cells}</row>')
                if len(lines) >= 1000:
                    member.write("".join(lines).encode("utf-8"))
                    lines.clear()
            member.write(("".join(lines) + "</sheetData></worksheet>").encode("utf-8"))

    def close(self) -> None:
        """Write the workbook, its relationships, styles and content types; close the file."""
        if self._zip.fp is None:
            return
        count = len(self._sheets)
        sheets = "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(self._sheets, start=1)
        )
        self._put(
            "xl/workbook.xml",
            XML_DECLARATION
            + f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{sheets}</sheets></workbook>',
        )
        relations = "".join(
            f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        self._put(
            "xl/_rels/workbook.xml.rels",
            XML_DECLARATION + f'<Relationships xmlns="{PACKAGE_RELS}">{relations}'
            f'<Relationship Id="rId{count + 1}" Type="{RELS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        self._put("xl/styles.xml", _STYLES)
        self._put(
            "_rels/.rels",
            XML_DECLARATION + f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_TYPE}"/>'
            for i in range(1, count + 1)
        )
        self._put(
            "[Content_Types].xml",
            XML_DECLARATION
            + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        self._zip.close()


__all__ = ["XlsxWriter", "column_letter"]
