"""Bulk import of seekers, employers, vacancies and interactions from CSV, JSONL or XLSX.

Each row is validated on its own; personal data in free text is redacted
(:mod:`matcher.domain.privacy`) and a vacancy's missing fields are read from its text
(:mod:`matcher.intake.completion`); the good rows are written in one transaction and the bad ones
are reported with their line number, field and message (never with the rejected value, which may
be personal data). A file that cannot be read at all — missing, unknown format, unknown or missing
columns — raises :class:`~matcher.errors.ImportFileError` and nothing is written.

CSV and XLSX cells hold text: list fields are split on ``;`` ``；`` ``|`` or ``、``; an empty cell
means "not given". Seekers files may carry contact columns (``name``, ``phone``, ``id_number``,
``address``) and disability columns (``disability_type``, ``disability_grade``,
``disability_needs``); JSONL rows may instead nest ``contact`` and ``disability`` objects.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import types
import typing
from collections import Counter
from collections.abc import Iterable, Iterator
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
from matcher.errors import FieldProblem, ImportFileError, InvalidRecord
from matcher.intake.completion import complete_vacancy
from matcher.storage.store import Store

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


# --- reading -------------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """A text file's content: UTF-8 (with or without BOM), else GB18030 as Excel saves it."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(f"{path}: neither UTF-8 nor GB18030 text")


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise ImportFileError(f"{path}: the file is empty (no header row)") from None

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        previous = reader.line_num
        for values in reader:
            line = previous + 1
            previous = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                yield line, {"__error__": f"has {len(values)} cells, the header {len(header)}"}
                continue
            yield line, {c: v.strip() for c, v in zip(header, values, strict=True) if v.strip()}

    return header, rows()


def _jsonl_rows(path: Path) -> tuple[list[str] | None, Iterator[tuple[int, dict[str, Any]]]]:
    text = read_text(path)

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for line, content in enumerate(text.splitlines(), start=1):
            if not content.strip():
                continue
            try:
                value = json.loads(content)
            except json.JSONDecodeError as error:
                yield line, {"__error__": f"not valid JSON ({error.msg} at column {error.colno})"}
                continue
            if not isinstance(value, dict):
                yield line, {"__error__": "must be a JSON object"}
                continue
            yield line, value

    return None, rows()


def _xlsx_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    from openpyxl import load_workbook  # imported here: only XLSX imports need it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(f"{path}: not a readable XLSX workbook ({error})") from None
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = [str(cell).strip() if cell is not None else "" for cell in next(values)]
    except StopIteration:
        raise ImportFileError(f"{path}: the first sheet is empty (no header row)") from None

    def cell_text(cell: object) -> str:
        if isinstance(cell, dt.datetime):
            return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return "" if cell is None else str(cell).strip()

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for line, cells in enumerate(values, start=2):
            texts = [cell_text(cell) for cell in cells]
            if not any(texts):
                continue
            yield line, {c: v for c, v in zip(header, texts, strict=False) if c and v}
        workbook.close()

    return header, rows()


def read_rows(path: Path) -> tuple[list[str] | None, Iterator[tuple[int, dict[str, Any]]]]:
    """The header (None for JSONL) and (line number, raw row) pairs of an import file."""
    if not path.is_file():
        raise ImportFileError(f"{path}: file not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl_rows(path)
    if suffix == ".xlsx":
        return _xlsx_rows(path)
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
    kind: str, raw: dict[str, Any], from_text: bool, counts: Counter[str] | None = None
) -> tuple[BaseModel, Contact | None]:
    row, contact_data = _shape(kind, raw, from_text)
    known = contact_data if isinstance(contact_data, dict) else None
    row = clean_raw(kind, row, known, counts)
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
) -> ImportResult:
    """Validate every row of ``path`` as ``kind`` and write the good rows in one transaction.

    Rejected rows are in ``ImportResult.problems``; they also go to a CSV report (line, field,
    message) at ``report_path``, or in ``reports_dir`` under a timestamped name, when either is
    given and a row was rejected.
    """
    _check_kind(kind)
    source = Path(path)
    header, rows = read_rows(source)
    if header is not None:
        _check_header(source, kind, header)
    result = ingest_rows(store, kind, rows, from_text=header is not None, source=source)
    if result.problems and (report_path is not None or reports_dir is not None):
        result.report = _write_report(result, report_path, reports_dir)
    return result


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
) -> ImportResult:
    """Validate numbered rows as ``kind``, redact and complete them, and write the good ones in
    one transaction — the one path behind file imports and the API's bulk routes.

    ``rows`` are ``(line, raw)`` pairs (a file line or an item index); a raw row holding
    ``"__error__"`` is reported as is. With ``from_text`` list fields may be separated strings
    (CSV/XLSX cells). The records written are in ``ImportResult.records`` (in row order); each
    rejected row has at least one problem under its line.
    """
    _check_kind(kind)
    result = ImportResult(kind, source if source is not None else Path("-"))
    records: list[tuple[int, BaseModel]] = []
    contacts: list[Contact] = []
    first_line_of: dict[str, int] = {}
    for line, raw in rows:
        result.rows += 1
        if "__error__" in raw:
            result.problems.append(RowProblem(line, "", raw["__error__"]))
            continue
        try:
            found: Counter[str] = Counter()
            record, contact = _validate(kind, raw, from_text, found)
        except InvalidRecord as error:
            result.problems.extend(RowProblem(line, p.field, p.message) for p in error.problems)
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
    temporary = report_path.with_name(report_path.name + ".tmp")
    with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "field", "message"])
        writer.writerows((p.line, p.field, p.message) for p in result.problems)
    temporary.replace(report_path)
    return report_path
