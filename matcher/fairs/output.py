"""Output layer of the pre-fair batch run: shortlists, invite lists, notifications and a report.

Before each job fair a batch run matches registered seekers against the fair's vacancies. This
module only writes what the run computed, in the forms staff and platforms need:

- CSV (UTF-8 with BOM, so Excel shows Chinese correctly) and Parquet for every row kind;
- one XLSX workbook with the full shortlist, one sheet per county and one invite sheet per
  booth/employer;
- a notification CSV for SMS/WeChat platforms, carrying phone numbers only on explicit request;
- a Markdown report with PNG plots comparing the allocation before and after rebalancing.

Every file is written atomically: to a temporary file in the target directory, then moved into
place with :func:`os.replace`. A failed write leaves neither a half-written file under the final
name nor the temporary file.

Column headers: the files staff open (CSV, XLSX) say what a column is in Chinese by default
(:data:`HEADERS`, the one mapping from a field's key to its header); ``headers="en"`` writes the
field names instead, for machines. Parquet always carries the field names. A program reading a
CSV back reads it with :func:`read_csv_rows`, which accepts either language.

Employer-facing rows (:class:`CandidateRow`) have no name, phone, ID-number or address fields by
design. Text cells that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@`` …) are
written as plain text: prefixed with ``'`` in CSV, typed as strings in XLSX.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import json
import math
import operator
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, TypeAlias

from matcher.fairs.charts import font_families
from matcher.fairs.xlsx import XlsxWriter
from matcher.reference import SUINING_CITY_CODE, priority_group_name, regions
from models.files import atomic_path, atomic_write

__all__ = [
    "CONTACT_FIELDS",
    "FILE_ORDER",
    "HEADERS",
    "HEADER_LANGUAGES",
    "LIST_SEPARATOR",
    "CandidateRow",
    "Notification",
    "Row",
    "RowFiles",
    "ShortlistRow",
    "arrow_schema",
    "column_headers",
    "header_keys",
    "in_file_order",
    "read_csv_rows",
    "sheet_name",
    "write_candidate_blocks",
    "write_csv",
    "write_notifications",
    "write_output_blocks",
    "write_outputs",
    "write_parquet",
    "write_report",
    "write_summary",
    "write_xlsx",
]

LIST_SEPARATOR = "、"
CONTACT_FIELDS = frozenset({"phone"})
"""Fields written only when the operator explicitly asks for contacts (``include_contacts``)."""

REPORT_NAME = "report.md"
SUMMARY_NAME = "summary.json"
APPLICANTS_PLOT = "report-applicants-per-opening.png"
COVERAGE_PLOT = "report-group-coverage.png"
APPLICANTS_TITLE = "每个招聘名额的应聘人数：调整前后"
COVERAGE_TITLE = "分配调整后的重点群体"

SHORTLIST_SHEET = "求职者清单"
COUNTY_SHEET_PREFIX = "清单-"
INVITE_SHEET_PREFIX = "邀约-"
UNKNOWN_COUNTY = "未注明区县"
SHEET_NAME_MAX = 31
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_CELL = 32_767
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PARQUET_ROW_GROUP_ROWS = 65_536
"""Rows per Parquet row group (the last one of a file: the rest), for the writers that take
every row at once and for the streamed ones alike — so both write the same bytes."""
_WIDTH_SAMPLE = 2_000
_MIN_WIDTH, _MAX_WIDTH = 6, 60


# --- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShortlistRow:
    """One vacancy on one seeker's shortlist (seeker-facing)."""

    seeker_id: str
    rank: int
    vacancy_id: str
    title: str
    employer_id: str
    employer: str
    county: str
    """County or district name of the vacancy's workplace, e.g. ``"船山区"``."""
    booth: str | None
    """Fair booth, e.g. ``"A12"``."""
    time: str | None
    """Interview time slot, e.g. ``"2022-02-15 09:00-12:00"``."""
    score: float
    reason: str
    """Short reason, e.g. ``"技能匹配：电工证；通勤：同在船山区"``."""


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """One seeker on one vacancy's invite list (employer-facing).

    Carries the seeker id and non-identifying summaries only: no name, phone, ID number or
    address.
    """

    vacancy_id: str
    employer_id: str
    employer: str
    booth: str | None
    county: str
    rank: int
    seeker_id: str
    score: float
    seeker_county: str
    age_band: str
    education: str
    experience_years: float | None
    skills: str
    certificates: str
    reason: str


@dataclass(frozen=True, slots=True)
class Notification:
    """What to tell one seeker through SMS/WeChat platforms."""

    seeker_id: str
    booths: list[str]
    times: list[str]
    vacancies: list[str]
    phone: str | None = None
    """Filled only when the operator explicitly asks for contacts."""


Row: TypeAlias = ShortlistRow | CandidateRow | Notification
RowType: TypeAlias = type[ShortlistRow] | type[CandidateRow] | type[Notification]

_ROW_TYPES: tuple[RowType, ...] = (ShortlistRow, CandidateRow, Notification)

HEADERS: dict[str, str] = {
    "seeker_id": "求职者编号",
    "rank": "排名",
    "vacancy_id": "岗位编号",
    "title": "岗位名称",
    "employer_id": "单位编号",
    "employer": "用人单位",
    "county": "工作地区县",
    "booth": "展位",
    "time": "面试时间",
    "score": "匹配分",
    "reason": "推荐理由",
    "seeker_county": "求职者所在区县",
    "age_band": "年龄段",
    "education": "学历",
    "experience_years": "工作年限",
    "skills": "技能",
    "certificates": "证书",
    "booths": "展位",
    "times": "面试时间",
    "vacancies": "推荐岗位",
    "phone": "手机号",
}
"""Every output column's field name (the key machines read, and Parquet's column name) → the
Chinese header staff see in CSV and XLSX files. The one place headers are named: the writers
and :func:`header_keys` read it. Headers are unique within each row kind."""

HEADER_LANGUAGES = ("zh", "en")
"""Values of the writers' ``headers``: Chinese headers (:data:`HEADERS`) or the field names."""


def _row_type(rows: Sequence[Row], row_type: RowType | None) -> RowType:
    """The single dataclass of ``rows`` (``row_type`` when given, else the first row's)."""
    if row_type is None:
        if not rows:
            raise ValueError("row_type is required when rows is empty")
        row_type = type(rows[0])
    if row_type not in _ROW_TYPES:
        raise TypeError(f"unsupported row type {row_type.__name__}")
    for row in rows:
        if type(row) is not row_type:
            raise TypeError(f"mixed rows: {type(row).__name__} among {row_type.__name__}")
    return row_type


def _columns(row_type: RowType, *, include_contacts: bool) -> list[str]:
    return [
        f.name
        for f in dataclasses.fields(row_type)
        if include_contacts or f.name not in CONTACT_FIELDS
    ]


def column_headers(columns: Iterable[str], headers: str = "zh") -> list[str]:
    """The header cells of ``columns`` (field names) in the language ``headers``.

    Parameters
    ----------
    columns
        Field names of a row kind, e.g. ``["seeker_id", "rank"]``.
    headers
        ``"zh"`` for the Chinese headers of :data:`HEADERS`, ``"en"`` for the field names.

    Returns
    -------
    list of str
        ``["求职者编号", "排名"]`` or ``["seeker_id", "rank"]``.

    Raises
    ------
    ValueError
        ``headers`` is not one of :data:`HEADER_LANGUAGES`.
    """
    _check_headers(headers)
    return list(columns) if headers == "en" else [HEADERS[name] for name in columns]


def _check_headers(headers: object) -> None:
    if headers not in HEADER_LANGUAGES:
        raise ValueError(f"headers must be one of {', '.join(HEADER_LANGUAGES)}, got {headers!r}")


def header_keys(header: Sequence[str]) -> tuple[RowType, list[str]]:
    """The row kind and field names of a batch file's header row, in either language.

    Parameters
    ----------
    header
        The header cells of a CSV file or a workbook sheet written by this module, Chinese
        (``求职者编号, 排名 …``) or English (``seeker_id, rank …``); surrounding spaces and a
        leading byte-order mark are ignored.

    Returns
    -------
    (row type, list of str)
        :class:`ShortlistRow`, :class:`CandidateRow` or :class:`Notification`, and the field
        name of each header cell, in order.

    Raises
    ------
    ValueError
        The header is not the full column list of one row kind (with or without
        :data:`CONTACT_FIELDS`); the message names the cells that fit no kind.
    """
    cells = [str(cell).lstrip("\ufeff").strip() for cell in header]
    for row_type in _ROW_TYPES:
        for include_contacts in (False, True):
            columns = _columns(row_type, include_contacts=include_contacts)
            keys = {HEADERS[name]: name for name in columns} | {name: name for name in columns}
            named = [keys.get(cell) for cell in cells]
            if named == columns:
                return row_type, columns
    known = set(HEADERS) | set(HEADERS.values())
    unknown = [cell for cell in cells if cell not in known]
    detail = f"unknown column(s) {', '.join(unknown)}" if unknown else "columns out of order"
    raise ValueError(f"not the header of a batch output file: {detail}")


# --- atomic writes (models.files.atomic_path) -------------------------------------------------


@contextmanager
def _atomic_text(path: Path) -> Iterator[IO[str]]:
    """An open UTF-8-with-BOM text handle whose content replaces ``path`` on success."""
    with atomic_path(path) as temp, temp.open("w", encoding="utf-8-sig", newline="") as handle:
        yield handle


# --- CSV -------------------------------------------------------------------------------------


def _plain_text(text: str) -> str:
    """``text`` made safe from formula interpretation when a spreadsheet opens the CSV."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_value(value: object) -> str:
    if type(value) is str:  # most cells: the checks below in one step
        return "'" + value if value.startswith(_FORMULA_START) else value
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return _plain_text(LIST_SEPARATOR.join(str(item) for item in value))
    if isinstance(value, str):
        return _plain_text(value)
    return str(value)


def _csv_values(row: Row, columns: Sequence[str]) -> list[str]:
    """One CSV line for ``row``."""
    return [_csv_value(getattr(row, name)) for name in columns]


_CSV_OWN_TYPES = frozenset({int, float, type(None)})
"""Cell types the csv module writes as :func:`_csv_value` does (``str(value)``; None as an
empty cell), so :func:`_csv_lines` hands them over unconverted."""


def _csv_lines(rows: Sequence[Row], columns: Sequence[str]) -> Iterator[list[Any]]:
    """:func:`_csv_values` of each row, the same CSV cells: the columns read in one step per
    row, a plain string cell (most cells) passed through without a call, and numbers and
    None left to the csv module, which writes them the same way."""
    if len(columns) < 2:  # attrgetter of one name gives the value, not a tuple
        yield from (_csv_values(row, columns) for row in rows)
        return
    read = operator.attrgetter(*columns)
    starts, own = _FORMULA_START, _CSV_OWN_TYPES
    for values in map(read, rows):
        yield [
            value
            if (type(value) is str and not value.startswith(starts)) or type(value) in own
            else _csv_value(value)
            for value in values
        ]


def write_csv(
    path: str | os.PathLike[str],
    rows: Sequence[Row],
    *,
    row_type: RowType | None = None,
    include_contacts: bool = False,
    headers: str = "zh",
) -> Path:
    """Write ``rows`` as CSV in UTF-8 with BOM, a header naming the dataclass fields.

    Parameters
    ----------
    path
        The output file; replaced atomically.
    rows
        Rows of one kind: :class:`ShortlistRow`, :class:`CandidateRow` or :class:`Notification`.
    row_type
        The row dataclass; required when ``rows`` is empty (the header comes from it).
    include_contacts
        Write :data:`CONTACT_FIELDS` (the notification phone). Off by default.
    headers
        ``"zh"`` (default): the Chinese headers of :data:`HEADERS`, for staff; ``"en"``: the
        field names, for machines. :func:`read_csv_rows` reads either.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValueError
        ``rows`` is empty and ``row_type`` is not given, or ``headers`` is unknown.
    TypeError
        The rows are not all of one supported kind.

    Notes
    -----
    List fields are joined with ``"、"``; ``None`` is written as an empty cell. Text starting
    with ``=``, ``+``, ``-``, ``@``, tab or carriage return is prefixed with ``'`` so that Excel
    shows it as text instead of evaluating it.
    """
    path = Path(path)
    kind = _row_type(rows, row_type)
    columns = _columns(kind, include_contacts=include_contacts)
    header = column_headers(columns, headers)
    with _atomic_text(path) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(_csv_values(row, columns))
    return path


def read_csv_rows(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The rows of a batch CSV file (:func:`write_csv`), keyed by field name whatever the
    language of its header.

    Parameters
    ----------
    path
        A ``shortlists.csv``, ``candidates.csv`` or ``notifications.csv`` written with Chinese
        or English headers.

    Returns
    -------
    list of dict of str to str
        One dict per row, ``{"seeker_id": "S001", "rank": "1", …}``: cells as written (list
        fields joined with ``"、"``, empty for ``None``, a formula-like text with its ``'``).

    Raises
    ------
    ValueError
        The file's header is not a batch file's (:func:`header_keys`).
    """
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ValueError(f"{path}: empty file, no header row")
        _, keys = header_keys(header)
        return [dict(zip(keys, cells, strict=False)) for cells in reader]


def write_notifications(
    path: str | os.PathLike[str],
    notifications: Sequence[Notification],
    *,
    include_contacts: bool,
    headers: str = "zh",
) -> Path:
    """Write the SMS/WeChat notification file, one line per seeker.

    Parameters
    ----------
    path
        The output CSV (UTF-8 with BOM); replaced atomically.
    notifications
        One :class:`Notification` per seeker.
    include_contacts
        Add the ``phone`` column. When false, no phone number is written anywhere in the file,
        whether or not the notifications carry one.
    headers
        Chinese (``"zh"``, default) or English (``"en"``) headers, as for :func:`write_csv`.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValueError
        Two notifications share a seeker id, or (without contacts) a phone number of a
        notification turns up in another of its fields.
    """
    _check_notifications(notifications, set(), include_contacts=include_contacts)
    return write_csv(
        path,
        notifications,
        row_type=Notification,
        include_contacts=include_contacts,
        headers=headers,
    )


def _check_notifications(
    notifications: Iterable[Notification], seen: set[str], *, include_contacts: bool
) -> None:
    """Refuse a second notification for a seeker of ``seen`` (which records each seeker) and,
    without contacts, a phone number hidden in another field."""
    for note in notifications:
        if note.seeker_id in seen:
            raise ValueError(f"more than one notification for seeker {note.seeker_id!r}")
        seen.add(note.seeker_id)
        if not include_contacts and note.phone and _mentions(note, note.phone):
            raise ValueError(f"notification for {note.seeker_id!r} carries its phone in the text")


def _mentions(note: Notification, phone: str) -> bool:
    texts = [note.seeker_id, *note.booths, *note.times, *note.vacancies]
    return any(phone.strip() in text for text in texts if phone.strip())


# --- Parquet ---------------------------------------------------------------------------------


def arrow_schema(row_type: RowType, *, include_contacts: bool = False) -> Any:
    """The explicit ``pyarrow.Schema`` for one row kind.

    Parameters
    ----------
    row_type
        :class:`ShortlistRow`, :class:`CandidateRow` or :class:`Notification`.
    include_contacts
        Keep :data:`CONTACT_FIELDS`.

    Returns
    -------
    pyarrow.Schema
        Strings as ``string``, ``rank`` as ``int32``, scores and years as ``float64``, list
        fields as ``list<string>``. Optional fields (``booth``, ``time``, ``phone``) are
        nullable, the others not.
    """
    import pyarrow as pa  # imported here: only Parquet output needs it

    types: dict[str, Any] = {
        "rank": pa.int32(),
        "score": pa.float64(),
        "experience_years": pa.float64(),
        "booths": pa.list_(pa.string()),
        "times": pa.list_(pa.string()),
        "vacancies": pa.list_(pa.string()),
    }
    nullable = {"booth", "time", "phone"}
    return pa.schema(
        [
            pa.field(name, types.get(name, pa.string()), nullable=name in nullable)
            for name in _columns(row_type, include_contacts=include_contacts)
        ]
    )


def write_parquet(
    path: str | os.PathLike[str],
    rows: Sequence[Row],
    *,
    row_type: RowType | None = None,
    include_contacts: bool = False,
) -> Path:
    """Write ``rows`` as a Parquet file with the explicit schema of :func:`arrow_schema`.

    Parameters
    ----------
    path
        The output file; replaced atomically.
    rows
        Rows of one kind.
    row_type
        The row dataclass; required when ``rows`` is empty.
    include_contacts
        Write :data:`CONTACT_FIELDS`. Off by default.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValueError
        ``rows`` is empty and ``row_type`` is not given.
    TypeError
        The rows are not all of one supported kind.
    """
    import pyarrow.parquet as pq

    path = Path(path)
    kind = _row_type(rows, row_type)
    table = _arrow_table(rows, arrow_schema(kind, include_contacts=include_contacts))
    with atomic_path(path) as temp:
        pq.write_table(table, temp, row_group_size=PARQUET_ROW_GROUP_ROWS)
    return path


def _arrow_table(rows: Sequence[Row], schema: Any) -> Any:
    """``rows`` as a ``pyarrow.Table`` of ``schema``."""
    import pyarrow as pa

    columns: dict[str, list[Any]] = {}
    for name in schema.names:
        values = list(map(operator.attrgetter(name), rows))
        if pa.types.is_list(schema.field(name).type):
            values = [_arrow_value(value) for value in values]
        columns[name] = values
    return pa.Table.from_pydict(columns, schema=schema)


def _arrow_value(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


# --- block by block --------------------------------------------------------------------------


class _BlockWriter:
    """What :class:`RowFiles` and :class:`RowPartFiles` share: one row kind's columns, the
    rows written so far, and each block's CSV lines and Arrow table, made the same way; where
    a table goes is the subclass's (:meth:`_add_table`)."""

    def __init__(self, row_type: RowType, *, include_contacts: bool) -> None:
        if row_type not in _ROW_TYPES:
            raise TypeError(f"unsupported row type {row_type.__name__}")
        self.row_type = row_type
        self.columns = _columns(row_type, include_contacts=include_contacts)
        self.rows = 0
        self._csv: Any = None
        self._schema: Any = None

    def write(self, rows: Sequence[Row]) -> None:
        """Append ``rows`` (of this writer's kind) to every file."""
        if not rows:
            return
        _row_type(rows, self.row_type)
        if self._csv is not None:
            self._csv.writerows(_csv_lines(rows, self.columns))
        if self._schema is not None:
            self._add_table(_arrow_table(rows, self._schema))
        self.rows += len(rows)

    def _add_table(self, table: Any) -> None:
        raise NotImplementedError


class RowFiles(_BlockWriter):
    """The CSV and Parquet files of one row kind, written a block of rows at a time.

    Each file is opened in ``stack`` as a temporary file beside its final name and moved into
    place when the stack closes without an error (removed when it closes with one), so a
    failed run leaves no half-written file under the final name. Both files are byte for byte
    what :func:`write_csv` and :func:`write_parquet` write for all the rows at once: the
    Parquet rows are gathered (as Arrow tables) into row groups of
    :data:`PARQUET_ROW_GROUP_ROWS`, as :func:`write_parquet` cuts them, so no more than one
    group and one block of rows are held.

    Parameters
    ----------
    stack
        Where the open files live; closing it finishes them.
    directory
        The output directory (must exist).
    stem
        File name without suffix: ``shortlists`` gives ``shortlists.csv`` and
        ``shortlists.parquet``.
    row_type
        :class:`ShortlistRow`, :class:`CandidateRow` or :class:`Notification`.
    formats
        Which of ``csv`` and ``parquet`` to write (others are ignored).
    include_contacts
        Write :data:`CONTACT_FIELDS`. Off by default.
    headers
        The CSV header's language, ``"zh"`` (default) or ``"en"``, as for :func:`write_csv`;
        the Parquet columns are the field names.
    """

    def __init__(
        self,
        stack: ExitStack,
        directory: Path,
        stem: str,
        row_type: RowType,
        *,
        formats: Iterable[str],
        include_contacts: bool = False,
        headers: str = "zh",
    ) -> None:
        super().__init__(row_type, include_contacts=include_contacts)
        wanted = set(formats)
        header = column_headers(self.columns, headers)
        self.paths: dict[str, Path] = {}
        self._parquet: Any = None
        self._csv_handle: IO[str] | None = None
        if "csv" in wanted:
            path = Path(directory) / f"{stem}.csv"
            self._csv_handle = stack.enter_context(_atomic_text(path))
            self._csv = csv.writer(self._csv_handle)
            self._csv.writerow(header)
            self.paths[path.name] = path
        if "parquet" in wanted:
            import pyarrow.parquet as pq

            path = Path(directory) / f"{stem}.parquet"
            temp = stack.enter_context(atomic_path(path))
            self._schema = arrow_schema(row_type, include_contacts=include_contacts)
            # entered after its temporary file, so closed (footer written) before the move
            self._parquet = stack.enter_context(pq.ParquetWriter(temp, self._schema))
            # and the last, partial row group written before that (unless failing)
            stack.push(self._finish_parquet)
            self.paths[path.name] = path
        self._pending: list[Any] = []
        self._pending_rows = 0

    def _add_table(self, table: Any) -> None:
        self._pending.append(table)
        self._pending_rows += table.num_rows
        self._write_groups(final=False)

    def append_part(self, part: RowPart) -> None:
        """Append the rows another process wrote with :class:`RowPartFiles` (of this kind, in
        this file's formats): its CSV lines copied as they are, its tables gathered into row
        groups as :meth:`write`'s — the files as if this object had written those rows."""
        import pyarrow as pa

        if (self._csv_handle is not None) != (part.csv is not None) or (
            self._parquet is not None
        ) != (part.arrow is not None):
            raise ValueError("the part was written in other formats than these files")
        if self._csv_handle is not None and part.csv is not None:
            with part.csv.open(encoding="utf-8", newline="") as lines:
                while chunk := lines.read(1 << 20):
                    self._csv_handle.write(chunk)
        if self._parquet is not None and part.arrow is not None:
            with pa.memory_map(str(part.arrow)) as source, pa.ipc.open_stream(source) as reader:
                for batch in reader:
                    self._add_table(pa.Table.from_batches([batch], schema=self._schema))
        self.rows += part.rows

    def _write_groups(self, *, final: bool) -> None:
        """Write the gathered Parquet rows as full row groups (and, when ``final``, the rest),
        each one contiguous table as :func:`write_parquet`'s writer gets its slices."""
        import pyarrow as pa

        size = PARQUET_ROW_GROUP_ROWS
        if self._pending_rows < size and not (final and self._pending_rows):
            return
        gathered = pa.concat_tables(self._pending).combine_chunks()
        start = 0
        while gathered.num_rows - start >= size or (final and start < gathered.num_rows):
            self._parquet.write_table(gathered.slice(start, size), row_group_size=size)
            start += size
        rest = gathered.slice(min(start, gathered.num_rows))
        self._pending = [rest] if rest.num_rows else []
        self._pending_rows = rest.num_rows

    def _finish_parquet(self, kind: object, error: object, trace: object) -> bool:
        if error is None:
            self._write_groups(final=True)
        return False


# --- XLSX ------------------------------------------------------------------------------------


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name for ``text``; records it in ``taken``.

    Parameters
    ----------
    text
        The wanted name.
    taken
        Names already used in the workbook, lower-cased (Excel compares names without case).
        The returned name is added.

    Returns
    -------
    str
        ``text`` without ``[]:*?/\\`` and control characters, without leading or trailing
        apostrophes and spaces, at most 31 characters, made unique with a ``(2)``, ``(3)`` …
        suffix (the stem is shortened to make room).
    """
    clean = _SHEET_FORBIDDEN.sub("", text)
    clean = re.sub(r"\s+", " ", clean).strip(" '") or "Sheet"
    stem = clean[:SHEET_NAME_MAX].rstrip(" '") or "Sheet"
    candidate, number = stem, 1
    while candidate.lower() in taken or candidate.lower() == "history":
        number += 1
        suffix = f"({number})"
        candidate = clean[: SHEET_NAME_MAX - len(suffix)].rstrip(" '") + suffix
    taken.add(candidate.lower())
    return candidate


def _display_width(value: object) -> int:
    return _text_width(_csv_value(value) if not isinstance(value, str) else value)


@functools.lru_cache(maxsize=65_536)
def _text_width(text: str) -> int:
    """Columns ``text`` takes (wide and full-width characters two); kept per text, as titles,
    employers and counties repeat down a sheet."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters XML 1.0 cannot carry (tab, line feed and carriage return it can)."""


def _xlsx_value(value: object) -> object:
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)[:EXCEL_MAX_CELL]
    if isinstance(value, list | tuple):
        return _xlsx_value(LIST_SEPARATOR.join(str(item) for item in value))
    return value


def _xlsx_values(row: Row, columns: Sequence[str]) -> list[object]:
    """One worksheet line for ``row``: control characters removed, text capped to Excel's limit."""
    return [_xlsx_value(getattr(row, name)) for name in columns]


def _add_sheets(
    workbook: XlsxWriter,
    taken: set[str],
    title: str,
    columns: Sequence[str],
    rows: Sequence[Row],
    headers: str,
) -> None:
    """Add ``rows`` as one sheet, or as continuation sheets past Excel's row limit; the header
    row in the language ``headers``, widths fitted to the first rows."""
    per_sheet = EXCEL_MAX_ROWS - 1
    chunks = [rows[start : start + per_sheet] for start in range(0, len(rows), per_sheet)]
    header = column_headers(columns, headers)
    for chunk in chunks or [rows]:
        widths = []
        for index, name in enumerate(columns):
            sample = [_display_width(getattr(row, name)) for row in chunk[:_WIDTH_SAMPLE]]
            width = max([_display_width(header[index]), *sample]) + 2
            widths.append(min(max(width, _MIN_WIDTH), _MAX_WIDTH))
        values = (_xlsx_values(row, columns) for row in chunk)
        workbook.add_sheet(sheet_name(title, taken), header, values, widths)


def _county_key(county: str) -> tuple[int, str]:
    """Suining counties and parks in code order first, other names after them by name."""
    table = regions()
    codes = [code for code in table.by_name.get(county, []) if code.startswith(SUINING_CITY_CODE)]
    return (int(min(codes)) if codes else 10**9, county)


def _natural_key(text: str) -> list[tuple[int, int | str]]:
    """Sort key putting ``A2`` before ``A12``."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)]


def write_xlsx(
    path: str | os.PathLike[str],
    shortlists: Sequence[ShortlistRow],
    candidates: Sequence[CandidateRow],
    *,
    headers: str = "zh",
) -> Path:
    """Write the fair workbook staff print and hand out.

    Parameters
    ----------
    path
        The output ``.xlsx``; replaced atomically.
    shortlists
        All seekers' shortlist rows.
    candidates
        All vacancies' invite-list rows.
    headers
        The header rows' language: ``"zh"`` (default, :data:`HEADERS`) or ``"en"`` (the field
        names). Sheet names are Chinese either way.

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    Sheets, in order: ``求职者清单`` (every shortlist row), ``清单-<区县>`` per workplace
    county (Suining counties in code order, then others), ``邀约-<展位> <单位>`` per booth and
    employer (booths in natural order, ``A2`` before ``A12``; rows without a booth last).
    Sheet names are cleaned, cut to 31 characters and made unique by :func:`sheet_name`. Each
    sheet has a bold, frozen header row (Chinese column labels by default) and widths fitted to
    the first rows. The workbook is streamed (:class:`~matcher.fairs.xlsx.XlsxWriter`); a sheet
    past Excel's row limit continues on ``<name>(2)`` ….
    """
    path = Path(path)
    _check_headers(headers)
    _row_type(shortlists, ShortlistRow)
    _row_type(candidates, CandidateRow)
    short_columns = _columns(ShortlistRow, include_contacts=False)
    candidate_columns = _columns(CandidateRow, include_contacts=False)

    by_county: dict[str, list[ShortlistRow]] = {}
    for row in shortlists:
        by_county.setdefault(row.county.strip() or UNKNOWN_COUNTY, []).append(row)
    by_booth: dict[tuple[str, str], list[CandidateRow]] = {}
    names: dict[tuple[str, str], str] = {}
    for cand in candidates:
        key = ((cand.booth or "").strip(), cand.employer_id)
        by_booth.setdefault(key, []).append(cand)
        names.setdefault(key, cand.employer.strip() or cand.employer_id)

    taken: set[str] = set()
    order = sorted(by_booth, key=lambda k: (not k[0], _natural_key(k[0]), names[k], k[1]))
    with atomic_path(path) as temp, XlsxWriter(temp) as workbook:
        _add_sheets(workbook, taken, SHORTLIST_SHEET, short_columns, shortlists, headers)
        for county in sorted(by_county, key=_county_key):
            title = COUNTY_SHEET_PREFIX + county
            _add_sheets(workbook, taken, title, short_columns, by_county[county], headers)
        for key in order:
            booth = key[0]
            title = INVITE_SHEET_PREFIX + (f"{booth} {names[key]}" if booth else names[key])
            _add_sheets(workbook, taken, title, candidate_columns, by_booth[key], headers)
    return path


# --- report ----------------------------------------------------------------------------------

_META_LABELS = {
    "fair": "招聘会",
    "campaign": "专项活动",
    "day": "匹配日期",
    "model": "模型版本",
    "model_version": "模型版本",
    "seekers": "求职者数",
    "vacancies": "岗位数",
    "employers": "用人单位数",
    "openings": "招聘人数",
    "k": "每人推荐岗位数",
    "per_vacancy": "每岗位邀约人数",
    "rerank": "模型重排候选数（每人）",
    "pool": "分配候选池（每人）",
    "allocation": "分配方法",
    "protected_groups": "优先保障群体",
    "blocks": "分块数",
    "resumed_blocks": "从检查点续算的块数",
    "started": "开始时间",
    "finished": "结束时间",
}
"""The run table's Chinese labels of the ``meta`` keys batch runs write (others show as is)."""
_META_VALUES = {
    "allocation": {
        "sinkhorn": "按名额均衡（熵正则最优传输）",
        "greedy": "各取最优（未均衡）",
    },
}
"""Chinese words for the coded values of some ``meta`` keys."""
_FIGURE_LABELS = {
    "applicants_per_opening.max": "每个招聘名额的应聘人数：最大值",
    "applicants_per_opening.p90": "每个招聘名额的应聘人数：P90",
    "applicants_per_opening.gini": "每个招聘名额的应聘人数：基尼系数",
    "vacancies_without_candidates": "无候选人的岗位数",
    "vacancies_without_applicants": "无人应聘的岗位数",
    "seekers_with_list": "有推荐清单的求职者数",
    "mean_rank_loss": "平均排名损失",
}
_VALUES_KEY = "applicants_per_opening_values"


def _fmt(value: object) -> str:
    """A short, Markdown-safe rendering of one figure."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.3f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    return str(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _share(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and not math.isnan(value):
        return f"{value * 100:.1f}%"
    return "—"


def _delta(old: object, new: object) -> str:
    numeric = (int, float)
    if (
        isinstance(old, numeric)
        and isinstance(new, numeric)
        and not isinstance(old, bool)
        and not isinstance(new, bool)
    ):
        diff = new - old
        if isinstance(diff, float) and math.isnan(diff):
            return "—"
        return ("+" if diff > 0 else "") + _fmt(diff)
    return "—"


def _flat_figures(figures: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Scalar figures of ``before``/``after`` keyed ``a.b``; groups and value lists left out."""
    flat: dict[str, Any] = {}
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if key == "groups" or key == _VALUES_KEY or isinstance(value, list | tuple):
            continue
        if isinstance(value, Mapping):
            flat.update(_flat_figures(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _meta_value(key: str, value: object) -> str:
    """A run-table cell: a coded value in words, anything else as :func:`_fmt` shows it."""
    words = _META_VALUES.get(key, {})
    return words.get(value, _fmt(value)) if isinstance(value, str) else _fmt(value)


def _numbers(values: object) -> list[float]:
    if not isinstance(values, list | tuple):
        return []
    return [
        float(v)
        for v in values
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    ]


def _number(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return 0.0


def _save_png(figure: Any, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    with atomic_path(path) as temp:
        figure.savefig(temp, format="png", dpi=110)


def _plot_applicants(path: Path, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """Histogram of applicants per opening, or max/P90 bars when no per-vacancy values."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with rc_context({"font.family": font_families(), "axes.unicode_minus": False}):
        figure = Figure(figsize=(7, 4))
        axes = figure.add_subplot()
        old, new = _numbers(before.get(_VALUES_KEY)), _numbers(after.get(_VALUES_KEY))
        if old or new:
            top = max([*old, *new, 1.0])
            bins = [top * i / 20 for i in range(21)]
            if old:
                axes.hist(old, bins=bins, alpha=0.55, label="调整前", color="#d62728")
            if new:
                axes.hist(new, bins=bins, alpha=0.55, label="调整后", color="#1f77b4")
            axes.set_xlabel("每个招聘名额的应聘人数")
            axes.set_ylabel("岗位数")
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        else:
            stats = ("max", "p90")
            olds = before.get("applicants_per_opening") or {}
            news = after.get("applicants_per_opening") or {}
            positions = range(len(stats))
            old_bars = [_number(olds.get(s)) for s in stats]
            new_bars = [_number(news.get(s)) for s in stats]
            axes.bar([p - 0.2 for p in positions], old_bars, 0.4, label="调整前", color="#d62728")
            axes.bar([p + 0.2 for p in positions], new_bars, 0.4, label="调整后", color="#1f77b4")
            axes.set_xticks(list(positions), ["最大值", "P90"])
            axes.set_ylabel("每个招聘名额的应聘人数")
        axes.set_title(APPLICANTS_TITLE)
        axes.legend()
        figure.tight_layout()
        _save_png(figure, path)


def _plot_coverage(
    path: Path,
    groups: Sequence[str],
    names: Sequence[str],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> None:
    """Bars of each priority group's covered share and exposure (after as a share of
    before) — coverage shows who has a list, exposure how good the lists are. The groups
    (keys of ``before`` and ``after``) are labelled with their Chinese ``names``."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context({"font.family": font_families(), "axes.unicode_minus": False}):
        figure = Figure(figsize=(max(6.0, 1.0 + 0.9 * len(groups)), 4))
        axes = figure.add_subplot()
        positions = list(range(len(groups)))
        covered = [_number((after.get(g) or {}).get("covered_share")) * 100 for g in groups]
        kept = []
        for g in groups:
            old_exposure = _number((before.get(g) or {}).get("exposure"))
            new_exposure = _number((after.get(g) or {}).get("exposure"))
            kept.append(100 * new_exposure / old_exposure if old_exposure > 0 else float("nan"))
        axes.bar(
            [p - 0.2 for p in positions],
            covered,
            0.4,
            label="有推荐清单（占本群体求职者）",
            color="#2ca02c",
        )
        axes.bar(
            [p + 0.2 for p in positions], kept, 0.4, label="曝光保留（占调整前）", color="#1f77b4"
        )
        axes.set_xticks(positions, list(names))
        if len(groups) > 6:
            axes.tick_params(axis="x", labelrotation=30)
        axes.set_ylim(0, 120)
        axes.set_yticks(range(0, 101, 20))
        axes.set_ylabel("调整后（%）")
        axes.set_title(COVERAGE_TITLE)
        axes.legend(loc="upper center", ncols=2)
        if not groups:
            axes.text(
                0.5, 0.5, "无重点群体数据", ha="center", va="center", transform=axes.transAxes
            )
        figure.tight_layout()
        _save_png(figure, path)


def write_report(
    directory: str | os.PathLike[str],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    meta: Mapping[str, Any],
) -> Path:
    """Write ``report.md`` and its PNG plots comparing the allocation before and after.

    Parameters
    ----------
    directory
        Where to write; created when missing.
    before, after
        Allocation figures: ``applicants_per_opening`` (``max``, ``p90``, ``gini``),
        ``vacancies_without_candidates``, ``mean_rank_loss``, ``groups`` (name — or
        priority-group code, shown by its name — → ``seekers``, ``covered_share``,
        ``mean_list_length``, ``exposure``) and optionally
        ``applicants_per_opening_values`` (one number per vacancy, for a histogram). Other
        scalar figures are reported too; missing ones show as ``—``.
    meta
        Run information: fair or campaign name, counts, model version, ``k``, start and end
        times. Known keys get Chinese labels; others are shown under their own name.

    Returns
    -------
    Path
        The path of ``report.md``.

    Notes
    -----
    Plots are drawn with matplotlib's Agg canvas (no global backend switch) in the packaged
    CJK font (:func:`matcher.fairs.charts.font_families`): titles, axes, legends and the
    groups' names are Chinese.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    before_groups: Mapping[str, Any] = before.get("groups") or {}
    after_groups: Mapping[str, Any] = after.get("groups") or {}
    groups = list(dict.fromkeys([*before_groups, *after_groups]))

    _plot_applicants(out / APPLICANTS_PLOT, before, after)
    names = [priority_group_name(group) for group in groups]
    _plot_coverage(out / COVERAGE_PLOT, groups, names, before_groups, after_groups)

    title = meta.get("fair") or meta.get("campaign")
    lines = ["# 招聘会批量匹配报告", ""]
    if title:
        lines += [f"**{_fmt(title)}**", ""]
    lines += ["## 运行信息", ""]
    lines += _table(
        ["项目", "值"],
        [[_META_LABELS.get(k, _fmt(k)), _meta_value(k, v)] for k, v in meta.items()],
    )

    old_flat, new_flat = _flat_figures(before), _flat_figures(after)
    figure_rows = []
    for name in dict.fromkeys([*_FIGURE_LABELS, *old_flat, *new_flat]):
        if name not in old_flat and name not in new_flat:
            continue
        old, new = old_flat.get(name), new_flat.get(name)
        label = _FIGURE_LABELS.get(name, _fmt(name))
        figure_rows.append([label, _fmt(old), _fmt(new), _delta(old, new)])
    lines += ["", "## 分配调整前后对比", ""]
    lines += _table(["指标", "调整前", "调整后", "变化"], figure_rows)
    lines += ["", f"![{APPLICANTS_TITLE}]({APPLICANTS_PLOT})"]

    lines += ["", "## 重点群体覆盖", ""]
    group_rows = []
    for group, name in zip(groups, names, strict=True):
        old_g: Mapping[str, Any] = before_groups.get(group) or {}
        new_g: Mapping[str, Any] = after_groups.get(group) or {}
        seekers = new_g.get("seekers", old_g.get("seekers"))
        group_rows.append(
            [
                _fmt(name),
                _fmt(seekers),
                _share(old_g.get("covered_share")),
                _share(new_g.get("covered_share")),
                _fmt(old_g.get("mean_list_length")),
                _fmt(new_g.get("mean_list_length")),
                _fmt(old_g.get("exposure")),
                _fmt(new_g.get("exposure")),
            ]
        )
    if group_rows:
        headers = [
            "群体",
            "人数",
            "覆盖率（前）",
            "覆盖率（后）",
            "平均清单长度（前）",
            "平均清单长度（后）",
            "曝光（前）",
            "曝光（后）",
        ]
        lines += _table(headers, group_rows)
    else:
        lines.append("（本次运行无重点群体数据）")
    lines += ["", f"![{COVERAGE_TITLE}]({COVERAGE_PLOT})", ""]

    report = out / REPORT_NAME
    with atomic_path(report) as temp:
        temp.write_text("\n".join(lines), encoding="utf-8")
    return report


def write_summary(
    directory: str | os.PathLike[str],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    meta: Mapping[str, Any],
) -> Path:
    """Write ``summary.json``: the figures of :func:`write_report`, machine-readable.

    Parameters
    ----------
    directory
        Where to write; created when missing.
    before, after, meta
        As for :func:`write_report`; the per-vacancy ``applicants_per_opening_values`` are
        left out (the report's histogram draws them).

    Returns
    -------
    Path
        The path of ``summary.json``, replaced atomically; UTF-8 JSON with Chinese as is.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    summary = {
        "meta": dict(meta),
        "before": _without_values(before),
        "after": _without_values(after),
    }
    path = out / SUMMARY_NAME
    atomic_write(path, json.dumps(summary, ensure_ascii=False, indent=2))
    return path


def _without_values(figures: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in figures.items() if key != _VALUES_KEY}


# --- everything ------------------------------------------------------------------------------


def write_outputs(
    out_dir: str | os.PathLike[str],
    shortlists: Sequence[ShortlistRow],
    candidates: Sequence[CandidateRow],
    notifications: Sequence[Notification],
    *,
    include_contacts: bool = False,
    formats: Sequence[str] = ("csv", "parquet", "xlsx"),
    headers: str = "zh",
) -> dict[str, Path]:
    """Write every batch output file into ``out_dir``.

    Parameters
    ----------
    out_dir
        The output directory; created when missing.
    shortlists, candidates, notifications
        The run's rows.
    include_contacts
        Put phone numbers into ``notifications.csv``. Off by default.
    formats
        Which of ``csv``, ``parquet`` and ``xlsx`` to write (``notifications.csv`` always).
    headers
        The CSV and XLSX headers: Chinese (``"zh"``, default) or the field names (``"en"``).
        Parquet columns are the field names either way.

    Returns
    -------
    dict of str to Path
        File name → path, for ``shortlists.csv``, ``candidates.csv``, ``shortlists.parquet``,
        ``candidates.parquet``, ``matches.xlsx`` and ``notifications.csv``.

    Notes
    -----
    Each file is replaced atomically; when one write fails, the files written before it stay.
    """
    _check_headers(headers)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    steps: list[tuple[str, Callable[[Path], Path]]] = [
        (
            "shortlists.csv",
            lambda p: write_csv(p, shortlists, row_type=ShortlistRow, headers=headers),
        ),
        (
            "candidates.csv",
            lambda p: write_csv(p, candidates, row_type=CandidateRow, headers=headers),
        ),
        ("shortlists.parquet", lambda p: write_parquet(p, shortlists, row_type=ShortlistRow)),
        ("candidates.parquet", lambda p: write_parquet(p, candidates, row_type=CandidateRow)),
        ("matches.xlsx", lambda p: write_xlsx(p, shortlists, candidates, headers=headers)),
        (
            "notifications.csv",
            lambda p: write_notifications(
                p, notifications, include_contacts=include_contacts, headers=headers
            ),
        ),
    ]
    wanted = set(formats)
    written = {
        name: write(out / name)
        for name, write in steps
        if name.rsplit(".", 1)[-1] in wanted or name == "notifications.csv"
    }
    return in_file_order(written)


@dataclass(frozen=True)
class RowPart:
    """Rows of one kind made and encoded in another process, to be appended to the files the
    batch process writes (:meth:`RowFiles.append_part`): CSV lines without header or BOM, and
    the Parquet tables as an Arrow IPC stream."""

    csv: Path | None
    arrow: Path | None
    rows: int


class RowPartFiles(_BlockWriter):
    """The :class:`RowPart` of one row kind, written a block at a time into ``directory``
    (a scratch folder): what :class:`RowFiles` would write for the same rows after its
    header, and the Arrow tables it would gather."""

    def __init__(
        self,
        stack: ExitStack,
        directory: Path,
        stem: str,
        row_type: RowType,
        *,
        formats: Iterable[str],
        include_contacts: bool = False,
    ) -> None:
        import pyarrow as pa

        super().__init__(row_type, include_contacts=include_contacts)
        wanted = set(formats)
        self._csv_path = self._arrow_path = None
        self._arrow: Any = None
        if "csv" in wanted:
            self._csv_path = Path(directory) / f"{stem}.csv.part"
            handle = stack.enter_context(self._csv_path.open("w", encoding="utf-8", newline=""))
            self._csv = csv.writer(handle)
        if "parquet" in wanted:
            self._schema = arrow_schema(row_type, include_contacts=include_contacts)
            self._arrow_path = Path(directory) / f"{stem}.arrow.part"
            sink = stack.enter_context(pa.OSFile(str(self._arrow_path), "wb"))
            self._arrow = stack.enter_context(pa.ipc.new_stream(sink, self._schema))

    def _add_table(self, table: Any) -> None:
        self._arrow.write_table(table)

    @property
    def part(self) -> RowPart:
        return RowPart(self._csv_path, self._arrow_path, self.rows)


def write_seeker_part(
    directory: str | os.PathLike[str],
    seeker_blocks: Iterable[tuple[Sequence[ShortlistRow], Sequence[Notification]]],
    *,
    include_contacts: bool = False,
    formats: Sequence[str] = ("csv", "parquet"),
) -> dict[str, RowPart]:
    """The shortlist and notification rows of ``seeker_blocks`` as :class:`RowPart` files in
    ``directory``, checked as :func:`write_output_blocks` checks its own, for it to append
    after its blocks (``seeker_tail``): a second process makes the later seekers' rows."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        shortlists = RowPartFiles(stack, out, "shortlists", ShortlistRow, formats=formats)
        notes = RowPartFiles(
            stack,
            out,
            "notifications",
            Notification,
            formats=("csv",),
            include_contacts=include_contacts,
        )
        _write_seeker_blocks(shortlists, notes, seeker_blocks, include_contacts=include_contacts)
    return {"shortlists": shortlists.part, "notifications": notes.part}


def _write_seeker_blocks(
    shortlists: _BlockWriter,
    notes: _BlockWriter,
    seeker_blocks: Iterable[tuple[Sequence[ShortlistRow], Sequence[Notification]]],
    *,
    include_contacts: bool,
    keep: list[ShortlistRow] | None = None,
) -> None:
    """Each block's shortlist rows and notifications to their writers, the notifications
    checked first (one per seeker, contacts only when asked for); each shortlist row also to
    ``keep`` when given."""
    seen: set[str] = set()
    for shortlist_rows, notifications in seeker_blocks:
        _check_notifications(notifications, seen, include_contacts=include_contacts)
        shortlists.write(shortlist_rows)
        notes.write(notifications)
        if keep is not None:
            keep.extend(shortlist_rows)


def write_output_blocks(
    out_dir: str | os.PathLike[str],
    seeker_blocks: Iterable[tuple[Sequence[ShortlistRow], Sequence[Notification]]],
    candidate_blocks: Iterable[Sequence[CandidateRow]] | None,
    *,
    include_contacts: bool = False,
    formats: Sequence[str] = ("csv", "parquet", "xlsx"),
    headers: str = "zh",
    seeker_tail: Callable[[], Mapping[str, RowPart]] | None = None,
) -> dict[str, Path]:
    """Write the files of :func:`write_outputs` from rows made a block at a time.

    Parameters
    ----------
    out_dir
        The output directory; created when missing.
    seeker_blocks
        Blocks of seekers in file order: each block's shortlist rows and notifications.
    candidate_blocks
        Blocks of vacancies in file order: each block's invite-list rows; None when another
        process writes them (:func:`write_candidate_blocks`; not with ``xlsx``).
    include_contacts, formats, headers
        As for :func:`write_outputs`.
    seeker_tail
        Called after the last of ``seeker_blocks``: the shortlist and notification rows of the
        seekers after them, made by :func:`write_seeker_part` (in another process), appended
        to the files before they are replaced. Not with ``xlsx``.

    Returns
    -------
    dict of str to Path
        File name → path, the files and their order of :func:`write_outputs`.

    Notes
    -----
    CSV and Parquet rows go to disk block by block (:class:`RowFiles`), so only one block's
    rows are held at a time; the CSV files are byte-identical to :func:`write_outputs`', the
    Parquet files hold equal tables. The workbook needs every row at once (its county and
    booth sheets regroup them): with ``xlsx`` among the formats the rows are also kept for it,
    as :func:`write_outputs` keeps them. The shortlists and notifications are replaced
    together after the last seeker block, the invite lists after the last vacancy block.
    """
    _check_headers(headers)
    wanted = set(formats)
    streamed = wanted & {"csv", "parquet"}
    workbook = "xlsx" in wanted
    if workbook and candidate_blocks is None:  # refused before any file is written
        raise ValueError("the workbook needs the invite lists: candidate_blocks is None")
    if workbook and seeker_tail is not None:
        raise ValueError("the workbook needs every seeker row: seeker_tail is not None")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    kept_shortlists: list[ShortlistRow] = []
    kept_candidates: list[CandidateRow] = []
    with ExitStack() as stack:
        shortlists = RowFiles(
            stack, out, "shortlists", ShortlistRow, formats=streamed, headers=headers
        )
        notes = RowFiles(
            stack,
            out,
            "notifications",
            Notification,
            formats=("csv",),
            include_contacts=include_contacts,
            headers=headers,
        )
        _write_seeker_blocks(
            shortlists,
            notes,
            seeker_blocks,
            include_contacts=include_contacts,
            keep=kept_shortlists if workbook else None,
        )
        if seeker_tail is not None:
            tail = seeker_tail()
            shortlists.append_part(tail["shortlists"])
            notes.append_part(tail["notifications"])
    paths = {**shortlists.paths, **notes.paths}
    if candidate_blocks is not None:
        keep = kept_candidates if workbook else None
        paths.update(
            write_candidate_blocks(
                out, candidate_blocks, formats=streamed, headers=headers, keep=keep
            )
        )
    if workbook:
        paths["matches.xlsx"] = write_xlsx(
            out / "matches.xlsx", kept_shortlists, kept_candidates, headers=headers
        )
    return in_file_order(paths)


def write_candidate_blocks(
    out_dir: str | os.PathLike[str],
    candidate_blocks: Iterable[Sequence[CandidateRow]],
    *,
    formats: Iterable[str] = ("csv", "parquet"),
    headers: str = "zh",
    keep: list[CandidateRow] | None = None,
) -> dict[str, Path]:
    """The invite-list files of :func:`write_output_blocks` (``candidates.csv`` and
    ``.parquet``, as ``formats`` asks), streamed from blocks of vacancies in file order and
    replaced after the last block; each row also goes to ``keep`` when given. A second process
    may write these while another writes the seeker files (the batch does so for large runs)."""
    _check_headers(headers)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        candidates = RowFiles(
            stack, out, "candidates", CandidateRow, formats=formats, headers=headers
        )
        for candidate_rows in candidate_blocks:
            candidates.write(candidate_rows)
            if keep is not None:
                keep.extend(candidate_rows)
    return dict(candidates.paths)


FILE_ORDER = (
    "shortlists.csv",
    "candidates.csv",
    "shortlists.parquet",
    "candidates.parquet",
    "matches.xlsx",
    "notifications.csv",
)
"""The order :func:`write_outputs` and :func:`write_output_blocks` list their files in."""


def in_file_order(paths: Mapping[str, Path]) -> dict[str, Path]:
    """``paths`` (file name → path) in :data:`FILE_ORDER`, names it lacks left out."""
    return {name: paths[name] for name in FILE_ORDER if name in paths}
