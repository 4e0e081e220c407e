"""岗位归集: analyse posted vacancy text — parsed fields, occupation, certificates, compliance
flags and redaction counts — one vacancy at a time or a whole file; and résumés the same way
(what :func:`features.resume.parse_resume` reads: wishes, past jobs, education, experience,
certificates, skills, age, pay, places, priority groups).

Personal data is redacted first; every later step (parsing, occupation, flags) sees only the
redacted text, and no output carries the original text (résumé output carries no evidence
spans either: values, codes and confidences only).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
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
from features.resume import OccupationGuess, Reading, ResumeFields, parse_resume
from features.text import normalize
from matcher.domain.privacy import clean_seeker
from matcher.domain.records import id_personal_data
from matcher.errors import ImportFileError
from matcher.intake.completion import certificate_aliases
from matcher.intake.importer import read_rows, read_text
from matcher.intake.lexicon import resume_vocabulary
from matcher.intake.occupations import OccupationMatch, occupation_for_title
from matcher.reference import EducationLevel, certificates, priority_groups, regions
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
    for line, record_id, title, text, _ in _read_texts(
        path,
        text_column=text_column,
        title_column=title_column,
        text_names=TEXT_COLUMNS,
        title_names=TITLE_COLUMNS,
        id_names=ID_COLUMNS,
    ):
        yield line, record_id, title, text


def _read_texts(
    path: Path,
    *,
    text_column: str | None,
    title_column: str | None,
    text_names: tuple[str, ...],
    title_names: tuple[str, ...],
    id_names: tuple[str, ...],
    extra_names: tuple[str, ...] = (),
) -> Iterator[tuple[int, str | None, str | None, str, dict[str, str]]]:
    """(line, id, title, text, extra cells) of each row of a CSV/JSONL/XLSX file, or of each
    non-empty line of a plain-text file; a row that cannot be read has text ``"\0<why>"``."""
    if path.suffix.lower() not in (".csv", ".jsonl", ".ndjson", ".xlsx"):
        if not path.is_file():
            raise ImportFileError(f"{path}: file not found")
        for line, text in enumerate(read_text(path).splitlines(), start=1):
            if text.strip():
                yield line, None, None, text, {}
        return
    header, rows = read_rows(path)
    text_name = title_name = id_name = ""
    if header is not None:
        text_name = _pick(header, text_column, text_names, "text")
        if not text_name:
            raise ImportFileError(
                f"{path}: no text column (looked for {', '.join(text_names)}); "
                f"columns: {', '.join(header)}; name one with --text-column"
            )
        title_name = _pick(header, title_column, title_names, "title") if title_names else ""
        id_name = _pick(header, None, id_names, "id")
    for line, row in rows:
        if "__error__" in row:
            yield line, None, None, "\0" + str(row["__error__"]), {}
            continue
        if header is None:
            text_name = text_column or next((c for c in text_names if c in row), text_names[0])
            title_name = title_column or next((c for c in title_names if c in row), "")
            id_name = next((c for c in id_names if c in row), "")
        body = row.get(text_name)
        title = row.get(title_name) if title_name else None
        record_id = row.get(id_name) if id_name else None
        extras = {name: str(row[name]) for name in extra_names if row.get(name) not in (None, "")}
        yield (
            line,
            None if record_id is None else str(record_id),
            None if title is None else str(title),
            "" if body is None else str(body),
            extras,
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


def write_analysis(
    rows: Sequence[AnalysisRow] | Sequence[ResumeRow], output: Path | None
) -> str | None:
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


# --- résumés -------------------------------------------------------------------------------

RESUME_TEXT_COLUMNS = ("resume_text", "text", "resume", "简历", "简历内容", "自我介绍")
RESUME_ID_COLUMNS = ("id", "seeker_id", "resume_id")
CONTACT_COLUMNS = ("name", "phone", "id_number", "address")
"""A seekers file's contact columns: their values are redacted from the résumé text (a name
cannot be found by pattern, but it can when the row says what it is); never output."""
RESUME_REDACTION_KINDS = ("name", *REDACTION_KINDS)


def _confidence(value: float) -> float:
    return round(float(value), 3)


def _occupation_json(guess: OccupationGuess) -> dict[str, Any]:
    return {
        "code": guess.code,
        "name": guess.name,
        "confidence": _confidence(guess.confidence),
        "role": guess.role,
        "source": guess.source,
    }


def _region_json(reading: Reading[str]) -> dict[str, Any]:
    table = regions()
    name = table.full_name(reading.value) if reading.value in table else None
    return {"code": reading.value, "name": name, "confidence": _confidence(reading.confidence)}


def _value_json(reading: Reading[Any] | None) -> dict[str, Any] | None:
    if reading is None:
        return None
    return {"value": reading.value, "confidence": _confidence(reading.confidence)}


@dataclass(frozen=True)
class ResumeAnalysis:
    """What the (redacted) text of one résumé says, as :func:`features.resume.parse_resume`
    reads it, and how much personal data was redacted before it was read."""

    fields: ResumeFields
    redactions: Mapping[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Nested, JSON-ready form (the JSONL output): values, codes, names and confidences;
        never the words they were read from."""
        parsed = self.fields
        certificate_table, group_table = certificates(), priority_groups()
        education = parsed.education
        salary = parsed.expected_salary
        return {
            "desired_occupations": [_occupation_json(g) for g in parsed.desired_occupations],
            "past_occupations": [_occupation_json(g) for g in parsed.past_occupations],
            "education": None
            if education is None
            else {
                "level": education.value,
                "label": EducationLevel(education.value).label,
                "confidence": _confidence(education.confidence),
            },
            "experience_years": _value_json(parsed.experience_years),
            "certificates": [
                {
                    "code": reading.value,
                    "name": certificate_table[reading.value].name
                    if reading.value in certificate_table
                    else reading.value,
                    "confidence": _confidence(reading.confidence),
                }
                for reading in parsed.certificates
            ],
            "skills": [
                {"skill": reading.value, "confidence": _confidence(reading.confidence)}
                for reading in parsed.skills
            ],
            "age": _value_json(parsed.age),
            "birth_year": _value_json(parsed.birth_year),
            "expected_salary": None
            if salary is None
            else {
                "min": salary.value.low,
                "max": salary.value.high,
                "confidence": _confidence(salary.confidence),
            },
            "home_region": None if parsed.home_region is None else _region_json(parsed.home_region),
            "desired_regions": [_region_json(reading) for reading in parsed.desired_regions],
            "near_home": None if parsed.near_home is None else parsed.near_home.value,
            "priority_groups": [
                {
                    "code": reading.value,
                    "name": group_table[reading.value].name
                    if reading.value in group_table
                    else None,
                    "confidence": _confidence(reading.confidence),
                }
                for reading in parsed.priority_groups
            ],
            "truncated": parsed.truncated,
            "redactions": {kind: self.redactions.get(kind, 0) for kind in RESUME_REDACTION_KINDS},
        }

    def to_row(self) -> dict[str, Any]:
        """Flat form for CSV: one column per value, lists joined with ``;``."""
        nested = self.to_json()

        def joined(items: Sequence[dict[str, Any]], key: str) -> str:
            return ";".join("" if item[key] is None else str(item[key]) for item in items)

        row: dict[str, Any] = {}
        for side in ("desired", "past"):
            items = nested[f"{side}_occupations"]
            row[f"{side}_occupation_codes"] = joined(items, "code")
            row[f"{side}_occupation_names"] = joined(items, "name")
            row[f"{side}_occupation_confidences"] = joined(items, "confidence")
        education = nested["education"] or {}
        row["education_level"] = education.get("level")
        row["education_label"] = education.get("label")
        for name in ("experience_years", "age", "birth_year"):
            row[name] = (nested[name] or {}).get("value")
        row["certificates"] = joined(nested["certificates"], "code")
        row["certificate_names"] = joined(nested["certificates"], "name")
        row["skills"] = joined(nested["skills"], "skill")
        salary = nested["expected_salary"] or {}
        row["expected_salary_min"] = salary.get("min")
        row["expected_salary_max"] = salary.get("max")
        home = nested["home_region"] or {}
        row["home_region"] = home.get("code")
        row["home_region_name"] = home.get("name")
        row["desired_regions"] = joined(nested["desired_regions"], "code")
        row["near_home"] = nested["near_home"]
        row["priority_groups"] = joined(nested["priority_groups"], "code")
        row["truncated"] = nested["truncated"]
        for kind, count in nested["redactions"].items():
            row[f"redacted_{kind}"] = count
        return row


def analyze_resume(
    text: str, contact: Mapping[str, str] | None = None, *, reference_year: int | None = None
) -> ResumeAnalysis:
    """Analyse one résumé (or what a walk-in seeker says): personal data out first — the
    ``contact``'s own name, phone, 身份证号 and address wherever they appear, then every
    pattern-shaped item (:func:`matcher.domain.privacy.clean_seeker`) — then
    :func:`features.resume.parse_resume` on what is left. ``reference_year`` is "now" for
    periods such as ``2019年至今`` (default: this year).

    Raises
    ------
    InvalidRecord
        The text is longer than :data:`features.redact.MAX_TEXT_CHARS` (named, not quoted).
    """
    counts: Counter[str] = Counter()
    cleaned = clean_seeker({"resume_text": text}, contact, counts)["resume_text"]
    year = reference_year if reference_year is not None else dt.date.today().year
    parsed = parse_resume(cleaned, resume_vocabulary(), reference_year=year)
    return ResumeAnalysis(parsed, dict(counts))


@dataclass(frozen=True)
class ResumeRow:
    """One input row's outcome: its line, id, and the analysis or why there is none."""

    line: int
    record_id: str | None
    analysis: ResumeAnalysis | None
    error: str | None = None


def read_resume_texts(
    path: Path, *, text_column: str | None = None
) -> Iterator[tuple[int, str | None, str, dict[str, str]]]:
    """(line, id, text, contact cells) of each résumé in a CSV/JSONL/XLSX file with a text
    column (:data:`RESUME_TEXT_COLUMNS`, or ``text_column``) or a plain-text file with one
    résumé per line. An id that looks like personal data (a phone number, a 身份证号) is
    given as None."""
    for line, record_id, _, text, contact in _read_texts(
        path,
        text_column=text_column,
        title_column=None,
        text_names=RESUME_TEXT_COLUMNS,
        title_names=(),
        id_names=RESUME_ID_COLUMNS,
        extra_names=CONTACT_COLUMNS,
    ):
        if record_id is not None and id_personal_data(record_id):
            record_id = None
        yield line, record_id, text, contact


def analyze_resume_rows(
    rows: Iterator[tuple[int, str | None, str, dict[str, str]]],
    *,
    reference_year: int | None = None,
) -> Iterator[ResumeRow]:
    """Analyse each row; a row with no usable text gets an error (never quoting the text)
    and no analysis."""
    for line, record_id, text, contact in rows:
        if text.startswith("\0"):
            yield ResumeRow(line, record_id, None, text[1:])
        elif not normalize(text):
            yield ResumeRow(line, record_id, None, "text: is empty")
        elif len(text) > MAX_TEXT:
            yield ResumeRow(
                line, record_id, None, f"text: {len(text)} characters, at most {MAX_TEXT}"
            )
        else:
            analysis = analyze_resume(text, contact, reference_year=reference_year)
            yield ResumeRow(line, record_id, analysis)
