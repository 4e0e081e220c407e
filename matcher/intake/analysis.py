"""岗位归集: analyse posted vacancy text — parsed fields, occupation, certificates, compliance
flags and redaction counts — one vacancy at a time or a whole file.

Personal data is redacted first; every later step (parsing, occupation, flags) sees only the
redacted text, and no output carries the original text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from features.compliance import ComplianceFlag, check_compliance
from features.parsers import (
    AgeRange,
    CertificateMentions,
    EducationRequirement,
    ExperienceRequirement,
    Headcount,
    SalaryRange,
    find_age,
    find_certificates,
    find_education,
    find_experience,
    find_headcount,
    find_salary,
    find_welfare,
)
from features.redact import MAX_TEXT_CHARS, redact
from features.text import normalize
from matcher.errors import ImportFileError
from matcher.intake.completion import certificate_aliases
from matcher.intake.importer import read_rows, read_text
from matcher.intake.occupations import OccupationMatch, occupation_for_title
from matcher.reference import EducationLevel
from models.files import atomic_write

TEXT_COLUMNS = ("text", "description", "job_description", "岗位描述", "职位描述")
TITLE_COLUMNS = ("title", "job_name", "job_title", "岗位名称", "职位名称")
ID_COLUMNS = ("id", "job_id", "vacancy_id")
MAX_TEXT = MAX_TEXT_CHARS
"""Longest text (and title) analysed: what :func:`features.redact.redact` reads."""
_FIRST_CLAUSE = re.compile(r"[，,。;；:：!！?？\n]")
REDACTION_KINDS = ("mobile", "landline", "id_number", "email", "qq", "wechat", "address")


@dataclass(frozen=True)
class VacancyAnalysis:
    """What the text of one vacancy says, parsed."""

    title: str | None
    occupation: OccupationMatch
    salary: SalaryRange
    education: EducationRequirement
    experience: ExperienceRequirement
    age: AgeRange
    headcount: Headcount
    certificates: CertificateMentions
    welfare: tuple[str, ...]
    flags: tuple[ComplianceFlag, ...]
    redactions: Mapping[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Nested, JSON-ready form (the API and JSONL output)."""
        level = self.education.level
        return {
            "title": self.title,
            "occupation": {
                "code": self.occupation.code,
                "name": self.occupation.name,
                "confidence": round(self.occupation.confidence, 3),
                "method": self.occupation.method,
            },
            "salary": {
                "min": self.salary.low,
                "max": self.salary.high,
                "basis": self.salary.basis,
                "months_per_year": self.salary.months_per_year,
            },
            "education": {
                "level": level,
                "label": EducationLevel(level).label if level is not None else None,
                "at_least": self.education.at_least,
            },
            "experience": {
                "min_years": self.experience.min_years,
                "max_years": self.experience.max_years,
                "fresh_graduate": self.experience.fresh_graduate,
            },
            "age": {"min": self.age.low, "max": self.age.high},
            "headcount": {"count": self.headcount.count, "unspecified": self.headcount.unspecified},
            "certificates": {
                "required": list(self.certificates.required),
                "preferred": list(self.certificates.preferred),
                "mentioned": list(self.certificates.mentioned),
            },
            "welfare": list(self.welfare),
            "compliance_flags": [
                {
                    "category": flag.category,
                    "severity": flag.severity,
                    "span": flag.span,
                    "start": flag.start,
                    "end": flag.end,
                    "rule": flag.rule,
                    "message": flag.message,
                }
                for flag in self.flags
            ],
            "redactions": {kind: self.redactions.get(kind, 0) for kind in REDACTION_KINDS},
        }

    def to_row(self) -> dict[str, Any]:
        """Flat form for CSV: one column per value, lists joined with ``;``."""
        nested = self.to_json()
        row: dict[str, Any] = {"title": self.title}
        for group in ("occupation", "salary", "education", "experience", "age", "headcount"):
            for key, value in nested[group].items():
                row[f"{group}_{key}"] = value
        for key, codes in nested["certificates"].items():
            row[f"certificates_{key}"] = ";".join(codes)
        row["welfare"] = ";".join(self.welfare)
        row["compliance_flags"] = ";".join(f"{f.category}:{f.span}" for f in self.flags)
        row["compliance_count"] = len(self.flags)
        for kind, count in nested["redactions"].items():
            row[f"redacted_{kind}"] = count
        return row


def analyze_vacancy(text: str, title: str | None = None) -> VacancyAnalysis:
    """Analyse one vacancy's text (and title, when known; else its first short line)."""
    redaction = redact(text)
    clean = redaction.text
    if title is None:
        first_clause = _FIRST_CLAUSE.split(clean.strip(), maxsplit=1)[0].strip()
        title = first_clause if 0 < len(first_clause) <= 40 else None
    else:
        title = redact(title).text
    occupation = (
        occupation_for_title(title)
        if title
        else OccupationMatch(code=None, name=None, confidence=0.0, method="none")
    )
    return VacancyAnalysis(
        title=title,
        occupation=occupation,
        salary=find_salary(clean),
        education=find_education(clean),
        experience=find_experience(clean),
        age=find_age(clean),
        headcount=find_headcount(clean),
        certificates=find_certificates(clean, certificate_aliases()),
        welfare=find_welfare(clean),
        flags=check_compliance(clean),
        redactions=dict(redaction.counts),
    )


# --- files ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnalysisRow:
    """One input row's outcome: its line, id, and the analysis or why there is none."""

    line: int
    record_id: str | None
    analysis: VacancyAnalysis | None
    error: str | None = None


def _pick(columns: list[str], wanted: str | None, candidates: tuple[str, ...], what: str) -> str:
    if wanted is not None:
        if wanted not in columns:
            raise ImportFileError(
                f"--{what}-column {wanted!r} is not a column; columns: {', '.join(columns)}"
            )
        return wanted
    for name in candidates:
        if name in columns:
            return name
    return ""


def read_vacancy_texts(
    path: Path, *, text_column: str | None = None, title_column: str | None = None
) -> Iterator[tuple[int, str | None, str | None, str]]:
    """(line, id, title, text) of each vacancy in a CSV/JSONL/XLSX file or a plain-text file
    with one vacancy per line."""
    if path.suffix.lower() not in (".csv", ".jsonl", ".ndjson", ".xlsx"):
        if not path.is_file():
            raise ImportFileError(f"{path}: file not found")
        for line, text in enumerate(read_text(path).splitlines(), start=1):
            if text.strip():
                yield line, None, None, text
        return
    header, rows = read_rows(path)
    text_name = title_name = id_name = ""
    if header is not None:
        text_name = _pick(header, text_column, TEXT_COLUMNS, "text")
        if not text_name:
            raise ImportFileError(
                f"{path}: no text column (looked for {', '.join(TEXT_COLUMNS)}); "
                f"columns: {', '.join(header)}; name one with --text-column"
            )
        title_name = _pick(header, title_column, TITLE_COLUMNS, "title")
        id_name = _pick(header, None, ID_COLUMNS, "id")
    for line, row in rows:
        if "__error__" in row:
            yield line, None, None, "\0" + str(row["__error__"])
            continue
        if header is None:
            text_name = text_column or next((c for c in TEXT_COLUMNS if c in row), "text")
            title_name = title_column or next((c for c in TITLE_COLUMNS if c in row), "")
            id_name = next((c for c in ID_COLUMNS if c in row), "")
        body = row.get(text_name)
        title = row.get(title_name) if title_name else None
        record_id = row.get(id_name) if id_name else None
        yield (
            line,
            None if record_id is None else str(record_id),
            None if title is None else str(title),
            "" if body is None else str(body),
        )


def analyze_rows(
    rows: Iterator[tuple[int, str | None, str | None, str]],
) -> Iterator[AnalysisRow]:
    """Analyse each row; a row with no usable text gets an error and no analysis."""
    for line, record_id, title, text in rows:
        if text.startswith("\0"):
            yield AnalysisRow(line, record_id, None, text[1:])
        elif not normalize(text):
            yield AnalysisRow(line, record_id, None, "text: is empty")
        elif len(text) > MAX_TEXT:
            yield AnalysisRow(
                line, record_id, None, f"text: {len(text)} characters, at most {MAX_TEXT}"
            )
        elif title is not None and len(title) > MAX_TEXT:
            yield AnalysisRow(
                line, record_id, None, f"title: {len(title)} characters, at most {MAX_TEXT}"
            )
        else:
            yield AnalysisRow(line, record_id, analyze_vacancy(text, title or None))


def write_analysis(rows: list[AnalysisRow], output: Path | None) -> str | None:
    """Write rows as JSONL (default, also to stdout when ``output`` is None) or CSV (``.csv``).

    The file appears whole or not at all (written beside, then renamed). Returns the JSONL text
    when ``output`` is None.
    """
    if output is not None and output.suffix.lower() == ".csv":
        columns = ["line", "id", "error"]
        flat = []
        for row in rows:
            record: dict[str, Any] = {"line": row.line, "id": row.record_id, "error": row.error}
            if row.analysis is not None:
                record |= row.analysis.to_row()
            for key in record:
                if key not in columns:
                    columns.append(key)
            flat.append(record)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat)
        content = buffer.getvalue()
        encoding = "utf-8-sig"  # so that Excel opens the Chinese correctly
    else:
        lines = []
        for row in rows:
            entry: dict[str, Any] = {"line": row.line, "id": row.record_id}
            if row.analysis is not None:
                entry |= row.analysis.to_json()
            else:
                entry["error"] = row.error
            lines.append(json.dumps(entry, ensure_ascii=False))
        content = "\n".join(lines) + ("\n" if lines else "")
        encoding = "utf-8"
    if output is None:
        return content
    output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(output, content, encoding=encoding)
    return None
