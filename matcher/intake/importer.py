"""Bulk import of seekers, employers, vacancies and interactions from CSV, JSONL or XLSX.

Each row is validated on its own; personal data in free text is redacted
(:mod:`matcher.domain.privacy`) and a vacancy's missing fields are read from its text
(:mod:`matcher.intake.completion`); the good rows are written in one transaction and the bad ones
are reported with their line number, field and message (never with the rejected value, which may
be personal data). A file that cannot be read at all — missing, unknown format, unknown or missing
columns, an encoding it cannot tell, over a size limit — raises
:class:`~matcher.errors.ImportFileError` and nothing is written.

Files are read as hostile: sizes per file, line and cell (for XLSX the zip members' declared
unpacked sizes, before openpyxl opens anything) are checked while reading (:class:`ImportLimits`,
the ``MAX_*`` constants below; ``docs/data.md``), JSON nesting is bounded, NUL characters are
refused, and text is decoded in a declared encoding or one detected without guessing (UTF-8, or
GB18030 only when it reads as simplified Chinese; Big5 or Shift-JIS is named and refused, never
turned into mojibake).

CSV and XLSX cells hold text: list fields are split on ``;`` ``；`` ``|`` or ``、``; an empty cell
means "not given". Seekers files may carry contact columns (``name``, ``phone``, ``id_number``,
``address``) and disability columns (``disability_type``, ``disability_grade``,
``disability_needs``); JSONL rows may instead nest ``contact`` and ``disability`` objects.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import re
import types
import typing
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from matcher.domain.privacy import clean_raw, redact_record
from matcher.domain.records import (
    Contact,
    Employer,
    Fair,
    Interaction,
    Seeker,
    Vacancy,
    problems_from,
)
from matcher.errors import FieldProblem, ImportFileError, InvalidRecord, NotFound
from matcher.intake.completion import complete_seeker, complete_vacancy
from matcher.storage.store import Store
from models.files import atomic_path

IMPORT_KINDS: dict[str, type[BaseModel]] = {
    "seekers": Seeker,
    "employers": Employer,
    "vacancies": Vacancy,
    "interactions": Interaction,
    "fairs": Fair,
}
CONTACT_COLUMNS = ("name", "phone", "id_number", "address")
DISABILITY_COLUMNS = {
    "disability_type": "type",
    "disability_grade": "grade",
    "disability_needs": "needs",
}
LIST_SEPARATORS = re.compile(r"\s*[;；|、]\s*")
SUFFIXES = (".csv", ".jsonl", ".ndjson", ".xlsx")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one row of an import file was rejected."""

    line: int
    field: str
    message: str


@dataclass
class ImportResult:
    """What an import did: rows read, rows written, problems by line and the report file."""

    kind: str
    path: Path
    rows: int = 0
    written: int = 0
    contacts: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    report: Path | None = None
    redactions: Counter[str] = field(default_factory=Counter)
    """Personal data replaced in free text (résumés, descriptions), by kind."""
    records: list[tuple[int, BaseModel]] = field(default_factory=list, repr=False)
    """The records written, with their line, in row order."""
    inferred: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Per line, the fields read from the record's text because the row left them out."""

    @property
    def rejected(self) -> int:
        """Number of rows rejected (a row may have several problems)."""
        return len({problem.line for problem in self.problems})


def _list_fields(model: type[BaseModel]) -> set[str]:
    names = set()
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        if typing.get_origin(annotation) is list:
            names.add(name)
    return names


def _allowed_columns(kind: str) -> set[str]:
    model = IMPORT_KINDS[kind]
    columns = set(model.model_fields)
    if kind == "seekers":
        columns |= set(CONTACT_COLUMNS) | set(DISABILITY_COLUMNS) | {"contact"}
    return columns


def _required_columns(kind: str) -> set[str]:
    return {name for name, info in IMPORT_KINDS[kind].model_fields.items() if info.is_required()}


# --- limits --------------------------------------------------------------------------------

MAX_FILE_BYTES = 512 * 1024 * 1024
"""Largest CSV, JSONL or plain-text import file (bytes on disk)."""
MAX_LINE_BYTES = 2 * 1024 * 1024
"""Longest line of a CSV or JSONL file (bytes, without its line break); a longer line is a
rejected row, read past without being kept."""
MAX_CELL_CHARS = 32_767
"""Longest value of one cell (CSV, XLSX) or JSON string: Excel's own cell limit, four times the
longest free text a record accepts (résumé, 8,000 characters)."""
MAX_JSON_DEPTH = 10
"""Deepest nesting of objects and lists in a JSONL row (a fair's booths need four)."""
MAX_XLSX_FILE_BYTES = 128 * 1024 * 1024
"""Largest XLSX file (compressed, bytes on disk)."""
MAX_XLSX_UNPACKED_BYTES = 256 * 1024 * 1024
"""Largest sum of the declared unpacked sizes of an XLSX file's members."""
MAX_XLSX_LOADED_PART_BYTES = 64 * 1024 * 1024
"""Largest unpacked part openpyxl loads whole — the shared-strings table above all; only
worksheets, which are streamed, may be larger."""
MAX_XLSX_MEMBERS = 1_000
"""Most members (parts) in an XLSX zip archive; a workbook has a few dozen."""
MAX_XLSX_ROWS = 1_048_576
"""Excel's row limit: a worksheet claiming more rows is refused."""
MAX_COLUMNS = 200
"""Most header columns read from a CSV or XLSX file."""


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """The size limits of import files, checked while a file is read (``docs/data.md``).

    The defaults are the module constants; tests and callers with other needs pass their own.
    """

    file_bytes: int = MAX_FILE_BYTES
    line_bytes: int = MAX_LINE_BYTES
    cell_chars: int = MAX_CELL_CHARS
    json_depth: int = MAX_JSON_DEPTH
    xlsx_file_bytes: int = MAX_XLSX_FILE_BYTES
    xlsx_unpacked_bytes: int = MAX_XLSX_UNPACKED_BYTES
    xlsx_loaded_part_bytes: int = MAX_XLSX_LOADED_PART_BYTES
    xlsx_members: int = MAX_XLSX_MEMBERS
    xlsx_rows: int = MAX_XLSX_ROWS
    columns: int = MAX_COLUMNS


DEFAULT_LIMITS = ImportLimits()


def _size(count: int) -> str:
    """A byte count for messages: ``2 MiB``, ``400.0 MiB``, ``512 bytes``."""
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KiB"
    return f"{count / 1024 / 1024:.1f} MiB".replace(".0 MiB", " MiB")


def _shown(name: str, width: int = 40) -> str:
    """A column name as messages show it: at most ``width`` characters."""
    return name if len(name) <= width else name[: width - 1] + "…"


# --- encodings -----------------------------------------------------------------------------

_CHUNK = 1024 * 1024
_SAMPLE = 64 * 1024
_UTF16_32_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)
_SAVE_AS_UTF8 = "save it as UTF-8 (Excel: “CSV UTF-8”)"


def check_encoding(encoding: str) -> str:
    """The codec name for a declared ``encoding`` (``utf-8`` reads a BOM too), or
    :class:`ImportFileError` when Python does not know it or it is not ASCII-compatible (lines,
    commas and quotes must be single ASCII bytes: UTF-8, GB18030, GBK, Big5, Shift-JIS …)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ImportFileError(
            f"unknown encoding {_shown(encoding)!r}; use e.g. utf-8, gb18030, big5 or shift_jis"
        ) from None
    if name in ("utf-8", "utf-8-sig"):
        return "utf-8-sig"
    probe = '\n\r,"{}[]:id'
    try:
        ascii_compatible = probe.encode(name) == probe.encode("ascii")
    except (UnicodeError, LookupError):
        ascii_compatible = False
    if not ascii_compatible:
        raise ImportFileError(
            f"encoding {name!r} cannot be read line by line; {_SAVE_AS_UTF8} or GB18030"
        )
    return name


def _decodes(path: Path, encoding: str, limits: ImportLimits) -> bool:
    """Whether the whole file decodes as ``encoding`` (read in chunks, never held whole)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    total = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            total += len(chunk)
            if total > limits.file_bytes:
                raise ImportFileError(f"{path}: larger than {_size(limits.file_bytes)}")
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _sample_text(sample: bytes, encoding: str) -> str | None:
    """``sample`` decoded (a character cut at its end is left out), or None if it does not
    decode."""
    try:
        return codecs.getincrementaldecoder(encoding)(errors="strict").decode(sample)
    except UnicodeDecodeError:
        return None


def _common_chinese_share(text: str) -> tuple[int, float]:
    """(non-ASCII characters, share of them that are GB2312 hanzi or Chinese punctuation).

    Simplified Chinese text is almost all GB2312 level 1–2 hanzi (rows B0–F7) and full-width
    punctuation (rows A1–A3); Big5 or Shift-JIS bytes read as GB18030 turn into kana, Greek,
    private-use and rare GBK characters instead.
    """
    counts = Counter(char for char in text if ord(char) > 0x7F)
    total = sum(counts.values())
    if not total:
        return 0, 0.0
    common = 0
    for char, count in counts.items():
        try:
            lead = char.encode("gb2312")[0]
        except UnicodeEncodeError:
            continue
        if 0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xF7:
            common += count
    return total, common / total


def _looks_like(sample: bytes) -> tuple[str, str] | None:
    """(description, codec) of the encoding ``sample`` looks like, among Big5 and Shift-JIS."""
    japanese = _sample_text(sample, "cp932")
    if japanese is not None:
        kana = sum(
            1 for char in japanese if "\u3040" <= char <= "\u30ff" or "\uff66" <= char <= "\uff9f"
        )
        wide = sum(1 for char in japanese if ord(char) > 0x7F)
        if wide and kana >= wide * 0.1:
            return "Shift-JIS (Japanese)", "shift_jis"
    traditional = _sample_text(sample, "big5")
    if traditional is not None and any("\u4e00" <= char <= "\u9fff" for char in traditional):
        return "Big5 (traditional Chinese)", "big5"
    return None


_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _non_ascii_sample(path: Path) -> bytes:
    """Up to 64 KiB of ``path`` from the start of the first line with a non-ASCII byte: what
    tells encodings apart, though the file may open with pages of ASCII."""
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            found = _NON_ASCII.search(chunk)
            if found is not None:
                start = offset + chunk.rfind(b"\n", 0, found.start()) + 1
                handle.seek(start)
                return handle.read(_SAMPLE)
            offset += len(chunk)
    return b""


def detect_encoding(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> str:
    """The encoding of a text import file: UTF-8 (with or without BOM), else GB18030 when the
    bytes decode cleanly *and* read as simplified Chinese. Anything else — Big5, Shift-JIS,
    UTF-16, binary data — is refused with :class:`ImportFileError` naming the file and what it
    looks like, never decoded into mojibake; the caller may then declare the encoding."""
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE)
    if sample.startswith(_UTF16_32_BOMS):
        raise ImportFileError(f"{path}: UTF-16 or UTF-32 text; {_SAVE_AS_UTF8}")
    if sample.count(b"\0") > max(2, len(sample) // 100):
        raise ImportFileError(
            f"{path}: not a text file (NUL bytes throughout: binary data or UTF-16); "
            f"{_SAVE_AS_UTF8}"
        )
    if _decodes(path, "utf-8-sig", limits):
        return "utf-8-sig"
    sample = _non_ascii_sample(path)
    text = _sample_text(sample, "gb18030")
    wide, share = _common_chinese_share(text or "")
    if text is not None and wide and share >= 0.9 and _decodes(path, "gb18030", limits):
        return "gb18030"
    guess = _looks_like(sample)
    if guess is not None:
        what, codec = guess
        raise ImportFileError(
            f"{path}: not UTF-8 text; it looks like {what}. Declare the encoding if so "
            f"(jobmatch import --encoding {codec}), or {_SAVE_AS_UTF8}"
        )
    raise ImportFileError(
        f"{path}: neither UTF-8 nor GB18030 Chinese text; declare its encoding "
        f"(jobmatch import --encoding NAME) or {_SAVE_AS_UTF8}"
    )


def _text_encoding(path: Path, encoding: str | None, limits: ImportLimits) -> str:
    """The codec to read ``path`` with; refuses a file whose lines end in CR alone (old Mac
    "CSV (Macintosh)"), which would read as one endless line."""
    codec = check_encoding(encoding) if encoding is not None else detect_encoding(path, limits)
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE)
    if b"\r" in sample and b"\n" not in sample:
        raise ImportFileError(
            f"{path}: its lines end in CR alone (old Mac format); save it with Windows or "
            "Unix line breaks (Excel: “CSV UTF-8”)"
        )
    return codec


def _check_file(path: Path, limit: int) -> None:
    if not path.is_file():
        raise ImportFileError(f"{path}: file not found")
    size = path.stat().st_size
    if size > limit:
        raise ImportFileError(f"{path}: {_size(size)}, more than the {_size(limit)} limit")


def read_text(
    path: Path, encoding: str | None = None, limits: ImportLimits = DEFAULT_LIMITS
) -> str:
    """A whole text file's content, in the declared ``encoding`` or the detected one (see
    :func:`detect_encoding`); at most ``limits.file_bytes``."""
    _check_file(path, limits.file_bytes)
    codec = _text_encoding(path, encoding, limits)
    try:
        return path.read_bytes().decode(codec)
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path}: not valid {codec} text (byte {error.start})") from None


# --- reading lines -------------------------------------------------------------------------


class _Lines:
    """The decoded lines of a text file, one at a time, with the problem of each bad line.

    A line longer than ``limits.line_bytes`` is read past without being kept, a line that does
    not decode or holds a NUL character is dropped; each becomes an empty line here and its
    problem is kept under its number, so the row it belongs to is rejected and the rest of the
    file is still read. The file's size is counted as it is read.
    """

    def __init__(self, path: Path, encoding: str, limits: ImportLimits) -> None:
        self.path = path
        self.encoding = encoding
        self.limits = limits
        self.number = 0
        self.problems: dict[int, str] = {}
        self._total = 0
        self._first = True

    def _count(self, size: int) -> None:
        self._total += size
        if self._total > self.limits.file_bytes:
            raise ImportFileError(
                f"{self.path}: larger than the {_size(self.limits.file_bytes)} limit"
            )

    def __iter__(self) -> Iterator[str]:
        limit = self.limits.line_bytes
        with self.path.open("rb") as handle:
            while line := handle.readline(limit + 2):
                self.number += 1
                self._count(len(line))
                if len(line.rstrip(b"\r\n")) > limit:
                    while not line.endswith(b"\n") and (line := handle.readline(_CHUNK)):
                        self._count(len(line))
                    self.problems[self.number] = f"line longer than {_size(limit)}"
                    yield "\n"
                    continue
                codec = self.encoding if self._first else self.encoding.replace("-sig", "")
                self._first = False
                try:
                    text = line.decode(codec)
                except UnicodeDecodeError:
                    self.problems[self.number] = f"not valid {self.encoding} text"
                    yield "\n"
                    continue
                if "\0" in text:
                    self.problems[self.number] = "contains a NUL character"
                    yield "\n"
                    continue
                yield text

    def problem_in(self, first: int, last: int) -> str | None:
        """The problem of the first bad line among ``first`` … ``last``, if any."""
        for number in range(first, last + 1):
            if number in self.problems:
                return self.problems[number]
        return None


def _error(message: str, field: str = "") -> dict[str, Any]:
    """A raw row standing for a row that could not be read."""
    return {"__error__": message, "__field__": field}


def _long_cell(limits: ImportLimits) -> str:
    return f"longer than {limits.cell_chars:,} characters"


def _csv_rows(
    path: Path, encoding: str | None, limits: ImportLimits
) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    _check_file(path, limits.file_bytes)
    lines = _Lines(path, _text_encoding(path, encoding, limits), limits)
    reader = csv.reader(iter(lines))
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise ImportFileError(f"{path}: the file is empty (no header row)") from None
    except csv.Error as error:
        raise ImportFileError(f"{path}: the header row is not valid CSV ({error})") from None
    problem = lines.problem_in(1, reader.line_num)
    if problem is not None:
        raise ImportFileError(f"{path}: the header row is unreadable ({problem})")
    if len(header) > limits.columns:
        raise ImportFileError(f"{path}: more than {limits.columns} columns in the header row")

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        previous = reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:  # a field over csv's own limit (128 KiB)
                line, previous = previous + 1, reader.line_num
                yield line, _error(f"not valid CSV ({error})")
                continue
            line, previous = previous + 1, reader.line_num
            problem = lines.problem_in(line, previous)
            if problem is not None:
                yield line, _error(problem)
                continue
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                yield line, _error(f"has {len(values)} cells, the header {len(header)}")
                continue
            long = [c for c, v in zip(header, values, strict=True) if len(v) > limits.cell_chars]
            if long:
                yield line, _error(_long_cell(limits), _shown(long[0]))
                continue
            yield line, {c: v.strip() for c, v in zip(header, values, strict=True) if v.strip()}

    return header, rows()


def _json_problem(value: Any, limits: ImportLimits) -> tuple[str, str] | None:
    """(field, problem) of a parsed JSON row nested too deep, with a string too long or with a
    NUL character, or None; walked without recursion."""
    stack: list[tuple[Any, int, str]] = [(value, 1, "")]
    while stack:
        item, depth, field_name = stack.pop()
        if isinstance(item, dict | list):
            if depth > limits.json_depth:
                return field_name, f"nested deeper than {limits.json_depth} levels"
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                name = field_name or (_shown(key) if isinstance(key, str) else "")
                if isinstance(key, str) and len(key) > limits.cell_chars:
                    return "", "has a key " + _long_cell(limits)
                stack.append((child, depth + 1, name))
        elif isinstance(item, str):
            if len(item) > limits.cell_chars:
                return field_name, _long_cell(limits)
            if "\0" in item:
                return field_name, "contains a NUL character"
    return None


def _json_row(content: str, limits: ImportLimits) -> dict[str, Any]:
    try:
        value = json.loads(content)
    except json.JSONDecodeError as error:
        return _error(f"not valid JSON ({error.msg} at column {error.colno})")
    except RecursionError:
        return _error(f"nested deeper than {limits.json_depth} levels")
    except ValueError as error:  # e.g. an integer of more digits than Python converts
        return _error(f"not valid JSON ({str(error).split('(')[0].strip()})")
    if not isinstance(value, dict):
        return _error("must be a JSON object")
    problem = _json_problem(value, limits)
    if problem is not None:
        return _error(problem[1], problem[0])
    return value


def _jsonl_rows(
    path: Path, encoding: str | None, limits: ImportLimits
) -> tuple[None, Iterator[tuple[int, dict[str, Any]]]]:
    _check_file(path, limits.file_bytes)
    lines = _Lines(path, _text_encoding(path, encoding, limits), limits)

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for content in lines:
            problem = lines.problems.get(lines.number)
            if problem is not None:
                yield lines.number, _error(problem)
            elif content.strip():
                yield lines.number, _json_row(content, limits)

    return None, rows()


# --- XLSX ----------------------------------------------------------------------------------

_LOADED_WHOLE = "sharedStrings"
_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CONTENT_TYPES = "[Content_Types].xml"


def _zip_entry_count(path: Path) -> int | None:
    """The member count the zip's end-of-central-directory record declares (None if absent):
    read before :mod:`zipfile` builds an entry for each."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 65_557))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    return int.from_bytes(tail[at + 10 : at + 12], "little")


def _worksheet_parts(archive: zipfile.ZipFile, path: Path, limits: ImportLimits) -> set[str]:
    """Names of the members ``[Content_Types].xml`` declares worksheets (streamed by openpyxl)."""
    import xml.etree.ElementTree as ElementTree

    try:
        info = archive.getinfo(_CONTENT_TYPES)
    except KeyError:
        raise ImportFileError(f"{path}: not an XLSX workbook (no {_CONTENT_TYPES})") from None
    if info.file_size > 1024 * 1024:
        raise ImportFileError(f"{path}: not an XLSX workbook ({_CONTENT_TYPES} is too large)")
    try:
        root = ElementTree.fromstring(archive.read(info))
    except (ElementTree.ParseError, zipfile.BadZipFile, ValueError) as error:
        raise ImportFileError(f"{path}: not a readable XLSX workbook ({error})") from None
    return {
        element.get("PartName", "").lstrip("/")
        for element in root
        if element.tag.endswith("Override") and element.get("ContentType") == _WORKSHEET_TYPE
    }


def check_xlsx(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> None:
    """Refuse an XLSX file before openpyxl opens it when it is too large packed or unpacked
    (from the zip members' declared sizes, which :mod:`zipfile` enforces while unpacking), has
    too many members, or has a part openpyxl loads whole — the shared strings above all —
    larger than ``limits.xlsx_loaded_part_bytes``."""
    _check_file(path, limits.xlsx_file_bytes)
    entries = _zip_entry_count(path)
    if entries is None:
        raise ImportFileError(
            f"{path}: not an XLSX workbook (not a zip archive: .xls or encrypted?)"
        )
    if entries > limits.xlsx_members:
        raise ImportFileError(f"{path}: {entries} parts, more than an XLSX workbook has")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(f"{path}: not a readable XLSX workbook ({error})") from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.xlsx_members:
            raise ImportFileError(f"{path}: {len(members)} parts, more than an XLSX workbook has")
        unpacked = sum(member.file_size for member in members)
        if unpacked > limits.xlsx_unpacked_bytes:
            raise ImportFileError(
                f"{path}: unpacks to {_size(unpacked)}, more than the "
                f"{_size(limits.xlsx_unpacked_bytes)} limit; split it or save it as CSV"
            )
        worksheets = _worksheet_parts(archive, path, limits)
        for member in members:
            if (
                member.file_size > limits.xlsx_loaded_part_bytes
                and member.filename not in worksheets
            ):
                what = (
                    "shared-strings table"
                    if _LOADED_WHOLE in member.filename
                    else f"part {_shown(member.filename)}"
                )
                raise ImportFileError(
                    f"{path}: its {what} unpacks to {_size(member.file_size)}, more than the "
                    f"{_size(limits.xlsx_loaded_part_bytes)} limit; split it or save it as CSV"
                )


def _cell_text(cell: object) -> str:
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def _xlsx_rows(
    path: Path, limits: ImportLimits
) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    from openpyxl import load_workbook  # imported here: only XLSX imports need it

    check_xlsx(path, limits)
    # openpyxl raises many kinds of error for a broken file (zip, XML, values): each becomes
    # one clear ImportFileError naming the file.
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a declared A1:XFD1048576 must not pad every row
        first = next(sheet.iter_rows(max_row=1, max_col=limits.columns, values_only=True), None)
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(
            f"{path}: not a readable XLSX workbook ({type(error).__name__})"
        ) from None
    if first is None:
        workbook.close()
        raise ImportFileError(f"{path}: the first sheet is empty (no header row)")
    header = [_cell_text(cell) for cell in first]
    while header and not header[-1]:
        header.pop()
    if any(len(column) > limits.cell_chars or "\0" in column for column in header):
        workbook.close()
        raise ImportFileError(f"{path}: the header row is unreadable")

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        values = sheet.iter_rows(min_row=2, max_col=max(len(header), 1), values_only=True)
        line = 1
        try:
            for cells in values:
                line += 1
                if line > limits.xlsx_rows:
                    raise ImportFileError(f"{path}: more than {limits.xlsx_rows:,} rows")
                texts = [_cell_text(cell) for cell in cells]
                if not any(texts):
                    continue
                bad = [c for c, v in zip(header, texts, strict=False) if len(v) > limits.cell_chars]
                if bad:
                    yield line, _error(_long_cell(limits), _shown(bad[0]))
                    continue
                if any("\0" in text for text in texts):
                    yield line, _error("contains a NUL character")
                    continue
                yield line, {c: v for c, v in zip(header, texts, strict=False) if c and v}
        except ImportFileError:
            raise
        except Exception as error:  # see above: openpyxl's many kinds
            raise ImportFileError(
                f"{path}: row {line} is unreadable ({type(error).__name__})"
            ) from None
        finally:
            workbook.close()

    return header, rows()


def read_rows(
    path: Path, *, encoding: str | None = None, limits: ImportLimits = DEFAULT_LIMITS
) -> tuple[list[str] | None, Iterator[tuple[int, dict[str, Any]]]]:
    """The header (None for JSONL) and (line number, raw row) pairs of an import file.

    ``encoding`` declares a CSV/JSONL file's encoding (default: detected, see
    :func:`detect_encoding`). Sizes are checked against ``limits`` while the file is read; a
    row that cannot be read is a raw row with ``"__error__"`` (and ``"__field__"``) under its
    line; a file that cannot be read at all raises :class:`ImportFileError`.
    """
    if not path.is_file():
        raise ImportFileError(f"{path}: file not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path, encoding, limits)
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl_rows(path, encoding, limits)
    if suffix == ".xlsx":
        return _xlsx_rows(path, limits)
    raise ImportFileError(f"{path}: unknown file type {suffix!r}; use one of {', '.join(SUFFIXES)}")


def _check_header(path: Path, kind: str, header: list[str]) -> None:
    unknown = [column for column in header if column and column not in _allowed_columns(kind)]
    if unknown:
        known = ", ".join(sorted(_allowed_columns(kind)))
        raise ImportFileError(
            f"{path}: column(s) {', '.join(unknown)} are not fields of {kind}; known: {known}"
        )
    missing = sorted(_required_columns(kind) - set(header))
    if missing:
        raise ImportFileError(f"{path}: required column(s) missing: {', '.join(missing)}")
    duplicated = sorted({column for column in header if column and header.count(column) > 1})
    if duplicated:
        raise ImportFileError(f"{path}: column(s) appear twice: {', '.join(duplicated)}")


# --- shaping rows into records -------------------------------------------------------------


def _shape(kind: str, raw: dict[str, Any], from_text: bool) -> tuple[dict[str, Any], Any]:
    """Split a raw row into the record's data and, for seekers, its contact data."""
    row = dict(raw)
    contact: Any = None
    if kind == "seekers":
        flat = {key: row.pop(key) for key in CONTACT_COLUMNS if key in row}
        nested = row.pop("contact", None)
        if nested is not None and flat:
            raise InvalidRecord(
                "Seeker",
                [FieldProblem("contact", "give contact columns or a contact object, not both")],
            )
        contact = nested if nested is not None else (flat or None)
        disability = {
            DISABILITY_COLUMNS[k]: row.pop(k) for k in list(row) if k in DISABILITY_COLUMNS
        }
        if disability:
            if from_text and "needs" in disability:
                disability["needs"] = LIST_SEPARATORS.split(disability["needs"])
            row["disability"] = disability
    if from_text:
        for name in _list_fields(IMPORT_KINDS[kind]) & set(row):
            if isinstance(row[name], str):
                row[name] = [item for item in LIST_SEPARATORS.split(row[name]) if item]
    return row, contact


def _validate(
    kind: str,
    raw: dict[str, Any],
    from_text: bool,
    counts: Counter[str] | None = None,
    stored_contact: Contact | None = None,
) -> tuple[BaseModel, Contact | None]:
    row, contact_data = _shape(kind, raw, from_text)
    known = contact_data if isinstance(contact_data, dict) else None
    stored = stored_contact.model_dump() if stored_contact is not None else None
    row = clean_raw(kind, row, known, counts, stored_contact=stored)
    model = IMPORT_KINDS[kind]
    try:
        record = model.model_validate(row)
    except ValidationError as error:
        raise InvalidRecord(model.__name__, problems_from(error)) from None
    contact = None
    if contact_data is not None:
        if not isinstance(contact_data, dict):
            raise InvalidRecord("Seeker", [FieldProblem("contact", "must be an object")])
        try:
            contact = Contact.model_validate({**contact_data, "seeker_id": record.id})  # type: ignore[attr-defined]
        except ValidationError as error:
            problems = problems_from(error)
            raise InvalidRecord("Contact", problems) from None
    return record, contact


# --- the import ----------------------------------------------------------------------------


def import_file(
    store: Store,
    kind: str,
    path: str | Path,
    *,
    report_path: Path | None = None,
    reports_dir: Path | None = None,
    encoding: str | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
    campaign_ids: Collection[str] | None = None,
    on_row: Callable[[], None] | None = None,
) -> ImportResult:
    """Validate every row of ``path`` as ``kind`` and write the good rows in one transaction.

    Rejected rows are in ``ImportResult.problems``; they also go to a CSV report (line, field,
    message) at ``report_path``, or in ``reports_dir`` under a timestamped name, when either is
    given and a row was rejected. ``encoding`` declares a CSV/JSONL file's encoding (default:
    detected); ``limits`` bound the file, its lines and cells; with ``campaign_ids`` (the
    calendar's) a vacancy naming another campaign is rejected; ``on_row`` is called as each
    row is read (for a progress display). A file that cannot be read at all raises
    :class:`ImportFileError` and nothing is written.
    """
    _check_kind(kind)
    source = Path(path)
    try:
        header, rows = read_rows(source, encoding=encoding, limits=limits)
        if header is not None:
            _check_header(source, kind, header)
        if on_row is not None:
            rows = _told(rows, on_row)
        result = ingest_rows(
            store,
            kind,
            rows,
            from_text=header is not None,
            source=source,
            campaign_ids=campaign_ids,
        )
    except OSError as error:  # unreadable: a directory, no permission, a disk error
        raise ImportFileError(f"{source}: cannot be read ({error.strerror or error})") from None
    if result.problems and (report_path is not None or reports_dir is not None):
        result.report = _write_report(result, report_path, reports_dir)
    return result


def _told(
    rows: Iterator[tuple[int, dict[str, Any]]], on_row: Callable[[], None]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``rows``, calling ``on_row`` as each is read."""
    for row in rows:
        on_row()
        yield row


def _check_kind(kind: str) -> None:
    if kind not in IMPORT_KINDS:
        raise ImportFileError(
            f"unknown import kind {kind!r}; choose one of {', '.join(IMPORT_KINDS)}"
        )


def ingest_rows(
    store: Store,
    kind: str,
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    from_text: bool = False,
    source: Path | None = None,
    campaign_ids: Collection[str] | None = None,
) -> ImportResult:
    """Validate numbered rows as ``kind``, redact and complete them, and write the good ones in
    one transaction — the one path behind file imports and the API's bulk routes.

    ``rows`` are ``(line, raw)`` pairs (a file line or an item index); a raw row holding
    ``"__error__"`` is reported as is. With ``from_text`` list fields may be separated strings
    (CSV/XLSX cells). The records written are in ``ImportResult.records`` (in row order); each
    rejected row has at least one problem under its line. With ``campaign_ids`` (the calendar's),
    a vacancy naming any other campaign is rejected.
    """
    _check_kind(kind)
    result = ImportResult(kind, source if source is not None else Path("-"))
    records: list[tuple[int, BaseModel]] = []
    contacts: list[Contact] = []
    first_line_of: dict[str, int] = {}
    for line, raw in rows:
        result.rows += 1
        if "__error__" in raw:
            result.problems.append(RowProblem(line, raw.get("__field__", ""), raw["__error__"]))
            continue
        stored = _stored_contact(store, raw) if kind == "seekers" else None
        try:
            found: Counter[str] = Counter()
            record, contact = _validate(kind, raw, from_text, found, stored)
        except InvalidRecord as error:
            result.problems.extend(RowProblem(line, p.field, p.message) for p in error.problems)
            continue
        if campaign_ids is not None and isinstance(record, Vacancy):
            unknown = [i for i, c in enumerate(record.campaigns) if c not in campaign_ids]
            if unknown:
                result.problems.extend(
                    RowProblem(line, "campaigns", f"item {i + 1} is not a campaign of the calendar")
                    for i in unknown
                )
                continue
        record_id = getattr(record, "id", None)
        if record_id is not None:
            if record_id in first_line_of:
                result.problems.append(
                    RowProblem(line, "id", f"repeats the id of line {first_line_of[record_id]}")
                )
                continue
            first_line_of[record_id] = line
        record, redacted = redact_record(record)
        if isinstance(record, Vacancy):
            record = complete_vacancy(record)
        elif isinstance(record, Seeker):
            record, inferred = complete_seeker(record)
            if inferred:
                result.inferred[line] = inferred
        result.redactions.update(found + redacted)
        records.append((line, record))
        if contact is not None:
            contacts.append(contact)
    records = _check_references(store, kind, records, result)
    kept_ids = {getattr(record, "id", None) for _, record in records}
    contacts = [contact for contact in contacts if contact.seeker_id in kept_ids]
    _write(store, kind, [record for _, record in records], contacts)
    result.written = len(records)
    result.contacts = len(contacts)
    result.records = records
    result.problems.sort(key=lambda problem: problem.line)
    return result


def _stored_contact(store: Store, raw: dict[str, Any]) -> Contact | None:
    """The contact the store holds for the seeker ``raw`` names: its values are redaction terms
    for this write too, though the row carries no contact."""
    seeker_id = raw.get("id")
    if not isinstance(seeker_id, str) or not seeker_id.strip():
        return None
    try:
        return store.get_contact(seeker_id.strip())
    except NotFound:
        return None


def _check_references(
    store: Store, kind: str, records: list[tuple[int, BaseModel]], result: ImportResult
) -> list[tuple[int, BaseModel]]:
    """Reject rows that point at records the store does not have."""
    checks: list[tuple[str, type[Any]]] = []
    if kind == "vacancies":
        checks = [("employer_id", Employer)]
    elif kind == "interactions":
        checks = [("seeker_id", Seeker), ("vacancy_id", Vacancy)]
    kept = records
    if kind == "employers":
        kept = _check_credit_codes(store, kept, result)
    if kind == "fairs":
        kept = _check_booths(store, kept, result)
    for field_name, target in checks:
        present = store.exists(target, (getattr(record, field_name) for _, record in kept))
        still: list[tuple[int, BaseModel]] = []
        for line, record in kept:
            if getattr(record, field_name) in present:
                still.append((line, record))
            else:
                noun = target.__name__.lower()
                result.problems.append(
                    RowProblem(line, field_name, f"no {noun} with this id in the store")
                )
        kept = still
    return kept


def _check_booths(
    store: Store, records: list[tuple[int, BaseModel]], result: ImportResult
) -> list[tuple[int, BaseModel]]:
    """A fair's booths must name stored employers and their own stored vacancies."""
    fairs = [(line, r) for line, r in records if isinstance(r, Fair)]
    employers = store.exists(Employer, {b.employer_id for _, f in fairs for b in f.booths})
    vacancy_ids = sorted({i for _, f in fairs for b in f.booths for i in b.vacancy_ids})
    vacancies = store.get_many(Vacancy, vacancy_ids)
    kept: list[tuple[int, BaseModel]] = []
    for line, fair in fairs:
        problems = []
        for number, booth in enumerate(fair.booths):
            where = f"booths[{number}]"
            if booth.employer_id not in employers:
                problems.append(f"{where}.employer_id: no employer with this id in the store")
            for vacancy_id in booth.vacancy_ids:
                found = vacancies.get(vacancy_id)
                if found is None:
                    problems.append(f"{where}.vacancy_ids: no vacancy {vacancy_id!r} in the store")
                elif found.employer_id != booth.employer_id:
                    problems.append(
                        f"{where}.vacancy_ids: vacancy {vacancy_id!r} belongs to another employer"
                    )
        if problems:
            result.problems.extend(
                RowProblem(line, problem.split(":", 1)[0], problem.split(": ", 1)[1])
                for problem in problems
            )
        else:
            kept.append((line, fair))
    return kept


def _check_credit_codes(
    store: Store, records: list[tuple[int, BaseModel]], result: ImportResult
) -> list[tuple[int, BaseModel]]:
    """One credit code, one employer: reject rows whose code another employer already has."""
    employers = [(line, r) for line, r in records if isinstance(r, Employer)]
    owners = store.employers_by_credit_code(record.credit_code for _, record in employers)
    first_line: dict[str, int] = {}
    kept: list[tuple[int, BaseModel]] = []
    for line, record in employers:
        owner = owners.get(record.credit_code)
        if owner is not None and owner != record.id:
            message = f"employer {owner!r} in the store already has this credit code"
        elif record.credit_code in first_line:
            message = f"repeats the credit code of line {first_line[record.credit_code]}"
        else:
            first_line[record.credit_code] = line
            kept.append((line, record))
            continue
        result.problems.append(RowProblem(line, "credit_code", message))
    return kept


def _write(store: Store, kind: str, records: list[BaseModel], contacts: list[Contact]) -> None:
    with store.transaction():
        if kind == "interactions":
            store.append_interactions(records)  # type: ignore[arg-type]
        else:
            store.put_many(records)  # type: ignore[arg-type]
        if contacts:
            store.put_contacts(contacts)


def _write_report(result: ImportResult, report_path: Path | None, reports_dir: Path | None) -> Path:
    if report_path is None:
        assert reports_dir is not None
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        report_path = reports_dir / f"import-{result.kind}-{stamp}.csv"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        atomic_path(report_path) as temporary,
        temporary.open("w", encoding="utf-8-sig", newline="") as handle,
    ):
        writer = csv.writer(handle)
        writer.writerow(["line", "field", "message"])
        writer.writerows((p.line, p.field, p.message) for p in result.problems)
    return report_path
