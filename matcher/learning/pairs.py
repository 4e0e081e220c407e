"""An analyst's pairs file → a learning-to-rank set (and rows to score).

Pairs file (for analysts)
-------------------------
:func:`pairs_from_file` reads a CSV (or XLSX) with one (query, candidate) pair per row.
Required columns: ``query_id``, ``resume_text``, ``vacancy_text``, ``label`` (an integer 0–4).
Optional columns are listed in :data:`PAIRS_OPTIONAL_COLUMNS`: seeker fields under their
``Seeker`` names (``region``, ``education``, …), vacancy fields prefixed ``vacancy_``
(``vacancy_region``, ``vacancy_min_education``, …), and ``query_date``, ``position``,
``seeker_id``, ``vacancy_id``. Empty cells mean "not given"; lists are split on ``;`` ``；``
``|`` or ``、``. Features whose inputs are not given take the neutral value documented in
:data:`PAIRS_OPTIONAL_COLUMNS` (``salary_fit`` NaN). A file with any bad row is rejected whole
(:class:`~matcher.errors.ImportFileError` listing the first problems with their line numbers):
training on part of a file without noticing is worse than fixing it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from pydantic import ValidationError
from sklearn.base import clone

from features.pairwise import (
    UNKNOWN_EDUCATION,
    SeekerColumns,
    VacancyColumns,
    model_features,
    occupation_number,
)
from features.parsers import find_posting_title
from features.vectorize import BM25Vectorizer, TextVectorizer
from matcher.domain.records import (
    MAX_DESCRIPTION,
    MAX_RESUME,
    SALARY_MAX_CNY,
    SALARY_MIN_CNY,
    WORKING_AGE_MAX,
    WORKING_AGE_MIN,
    Seeker,
)
from matcher.errors import ImportFileError
from matcher.intake.completion import complete_seeker, vacancy_fields_from_text
from matcher.intake.importer import read_rows
from matcher.intake.lexicon import domain_tokenizer, text_priors
from matcher.learning.sets import (
    TRAINING_FEATURE_NAMES,
    TrainingData,
    _check_estimator,
    _dates,
    _fit_bm25,
    _is_fitted,
    _objects,
    _query_tags,
    _row_dots,
    _TokenCache,
)
from matcher.ranking.columns import (
    EPOCH,
    TermVocabulary,
    Tokenize,
    Vocabularies,
    binding_certificates,
    desired_occupation_lists,
    epoch_days,
    group_positions,
    occupation_rows,
    posting_text,
    profile_text,
    region_number,
    related_table,
    skill_key,
    title_occupations,
    title_text,
    wish_text,
)
from matcher.reference import (
    EducationLevel,
    certificates,
    held_certificates,
    occupation_by_name,
    occupations,
    parse_education,
    regions,
    resolve_certificate,
    resolve_priority_group,
)
from models.dataset import RankingSet

__all__ = [
    "PAIRS_OPTIONAL_COLUMNS",
    "PAIRS_REQUIRED_COLUMNS",
    "SCORING_REQUIRED_COLUMNS",
    "RowProblem",
    "pairs_from_file",
]

_REFERENCE_DAY = 1_000_000
"""The one "today" pair features get for a pairs file; rows carry their own query day as an
offset from it."""
MAX_REPORTED_PROBLEMS = 20
"""Problems quoted in the error for a bad pairs file (all are counted)."""


PAIRS_REQUIRED_COLUMNS = ("query_id", "resume_text", "vacancy_text", "label")
"""Columns every pairs file has; ``label`` is an integer 0–4 (see ``LABEL_OF_KIND``)."""

PAIRS_OPTIONAL_COLUMNS: dict[str, str] = {
    "query_date": "day of the query, YYYY-MM-DD (query_times; ages and freshness); one per query",
    "position": "1-based position shown; 0 or empty when unknown",
    "seeker_id": "the seeker's id (default: the query_id)",
    "vacancy_id": "the vacancy's id (default: 'line:<N>')",
    "region": "seeker's GB/T 2260 code or unique area name; missing: read from the résumé, "
    "else unknown (same_county/same_city NaN)",
    "desired_regions": "list of region codes/names; missing: read from the résumé, else none",
    "education": "seeker's education (code or word, e.g. 大专); missing: read from the résumé, "
    "else unknown (education_gap NaN)",
    "experience_years": "seeker's years of experience, 0–60; missing: read from the résumé, "
    "else unknown (experience_gap NaN)",
    "expected_salary": "CNY per month; missing: read from the résumé, else salary_fit NaN",
    "birth_year": "missing: from an age or birth year in the résumé, else unknown (age_fit "
    "NaN where the vacancy sets ages; age on query_date's year, else this year)",
    "skills": "list of skills; missing: none",
    "certificates": "list of certificates (names or aliases); missing: none",
    "priority_groups": "list of group codes or names; query tags; missing: none",
    "desired_titles": "list of desired job titles (title_similarity); missing: read from the "
    "résumé (walk-in lexicon, title matcher), else none",
    "desired_occupations": "list of 大典 codes or names (occupation_fit, with desired_titles' "
    "codes); missing: desired_titles' codes, else read from the résumé, else unknown (NaN)",
    "past_occupations": "list of 大典 codes or names of work done (occupation_fit at "
    "PAST_WORK_FIT where not desired); missing: read from the résumé, else none",
    "vacancy_title": "title (title_similarity, and twice in the vacancy's text); missing: read "
    "from the text (岗位名称：…, a short first line, 招聘…N名), else none",
    "vacancy_occupation": "大典 code or name (occupation_fit); missing: the title's code, "
    "else unknown (occupation_fit NaN)",
    "vacancy_region": "GB/T 2260 code or unique area name; missing: the place the text names "
    "first, else unknown (same_county/same_city NaN)",
    "vacancy_min_education": "minimum education (学历不限 allowed); missing: read from the text, "
    "else none",
    "vacancy_min_experience_years": "0–40; missing: read from the text, else none",
    "vacancy_age_min": "16–75; missing: read from the text, else no bound",
    "vacancy_age_max": "16–75; missing: read from the text, else no bound",
    "vacancy_salary_min": "CNY per month; missing: the other bound, else read from the text, "
    "else NaN",
    "vacancy_salary_max": "CNY per month; missing: the other bound, else read from the text, "
    "else NaN",
    "vacancy_openings": "positions to fill, ≥ 1; missing: 1",
    "vacancy_applicants": "applications before the query day, ≥ 0; missing: unknown "
    "(congestion NaN)",
    "vacancy_skills": "list of skills asked for; missing: the skills the posting's text names",
    "vacancy_required_certificates": "list; missing: read from the text, else none (coverage 1)",
    "vacancy_preferred_certificates": "list; missing: none",
    "vacancy_accessible": "true/false (1/0, 是/否); missing: false",
    "vacancy_target_groups": "list of priority groups targeted; missing: none",
    "vacancy_valid_from": "YYYY-MM-DD; freshness needs it and query_date, else NaN",
    "vacancy_employer_verified": "true/false; missing: unknown (NaN)",
}
"""Optional columns of a pairs file: what each holds and the value features take without it."""

_LIST_SEPARATORS = re.compile(r"\s*[;；|、]\s*")
_TRUE = frozenset({"1", "true", "yes", "y", "t", "是", "真"})
_FALSE = frozenset({"0", "false", "no", "n", "f", "否", "假"})
_TEXT_COLUMNS = frozenset({"resume_text", "vacancy_text"})
_TEXT_CAPS = {"resume_text": MAX_RESUME, "vacancy_text": MAX_DESCRIPTION}
"""How much of each text a pairs file's row is read for (the records' own caps)."""


def _quote(value: str) -> str:
    return repr(value if len(value) <= 20 else value[:20] + "…")


def _parse_int(value: str, low: int, high: int | None) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{_quote(value)} is not an integer") from None
    if number < low or (high is not None and number > high):
        bound = f"{low}–{high}" if high is not None else f"≥ {low}"
        raise ValueError(f"{number} is outside {bound}")
    return number


def _parse_float(value: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{_quote(value)} is not a number") from None
    if not (math.isfinite(number) and low <= number <= high):
        raise ValueError(f"{_quote(value)} is outside {low:g}–{high:g}")
    return number


def _parse_salary(value: str) -> float:
    return _parse_float(value, SALARY_MIN_CNY, SALARY_MAX_CNY)


def _parse_bool(value: str) -> bool:
    key = value.casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"{_quote(value)} is not true/false (1/0, 是/否)")


def _parse_date(value: str) -> int:
    try:
        return epoch_days(dt.date.fromisoformat(value))
    except ValueError:
        raise ValueError(f"{_quote(value)} is not a date YYYY-MM-DD") from None


def _split(value: str) -> list[str]:
    return [item for item in _LIST_SEPARATORS.split(value) if item]


def _parse_region(value: str) -> int:
    code = regions().resolve(value)
    if code is None:
        raise ValueError(f"{_quote(value)} is not a GB/T 2260 region code (or unique area name)")
    return region_number(code)


def _parse_regions(value: str) -> list[int]:
    return [_parse_region(item) for item in _split(value)]


def _parse_education(value: str, *, allow_none: bool) -> int:
    level = parse_education(value)
    if level is None or (level is EducationLevel.NONE and not allow_none):
        raise ValueError(f"{_quote(value)} is not an education code or word (e.g. 大专, 本科)")
    return int(level)


def _parse_groups(value: str) -> list[str]:
    codes = []
    for item in _split(value):
        code = resolve_priority_group(item)
        if code is None:
            raise ValueError(f"{_quote(item)} is not a known priority group")
        codes.append(code)
    return codes


def _parse_occupation(value: str) -> str:
    if value in occupations():
        return value
    code = occupation_by_name().get(value)
    if code is None:
        raise ValueError(f"{_quote(value)} is not a 职业分类大典 2022 occupation code or name")
    return code


def _parse_occupations(value: str) -> list[str]:
    return list(dict.fromkeys(_parse_occupation(item) for item in _split(value)))


def _parse_certificates(value: str) -> list[str]:
    return [resolve_certificate(item) or item for item in _split(value)]


_PARSERS: dict[str, Callable[[str], Any]] = {
    "label": lambda value: _parse_int(value, 0, 4),
    "query_date": _parse_date,
    "position": lambda value: _parse_int(value, 0, np.iinfo(np.int16).max),
    "seeker_id": str,
    "vacancy_id": str,
    "region": _parse_region,
    "desired_regions": _parse_regions,
    "education": lambda value: _parse_education(value, allow_none=False),
    "experience_years": lambda value: _parse_float(value, 0, 60),
    "expected_salary": _parse_salary,
    "birth_year": lambda value: _parse_int(value, 1900, dt.date.today().year),
    "skills": _split,
    "certificates": _parse_certificates,
    "priority_groups": _parse_groups,
    "desired_titles": _split,
    "desired_occupations": _parse_occupations,
    "past_occupations": _parse_occupations,
    "vacancy_title": str,
    "vacancy_occupation": _parse_occupation,
    "vacancy_region": _parse_region,
    "vacancy_min_education": lambda value: _parse_education(value, allow_none=True),
    "vacancy_min_experience_years": lambda value: _parse_float(value, 0, 40),
    "vacancy_age_min": lambda value: _parse_float(value, WORKING_AGE_MIN, WORKING_AGE_MAX),
    "vacancy_age_max": lambda value: _parse_float(value, WORKING_AGE_MIN, WORKING_AGE_MAX),
    "vacancy_salary_min": _parse_salary,
    "vacancy_salary_max": _parse_salary,
    "vacancy_openings": lambda value: _parse_int(value, 1, 10_000),
    "vacancy_applicants": lambda value: _parse_int(value, 0, None),
    "vacancy_skills": _split,
    "vacancy_required_certificates": _parse_certificates,
    "vacancy_preferred_certificates": _parse_certificates,
    "vacancy_accessible": _parse_bool,
    "vacancy_target_groups": _parse_groups,
    "vacancy_valid_from": _parse_date,
    "vacancy_employer_verified": _parse_bool,
}
"""How each non-text column's cells are read; a ValueError's message is the problem."""


@dataclass(frozen=True)
class RowProblem:
    """A problem of one row of a pairs file: its line, the column (or '') and what is wrong."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


def _cell_text(value: object) -> str:
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return str(value).strip()


SCORING_REQUIRED_COLUMNS = ("resume_text", "vacancy_text")
"""Columns a file of pairs to score must have (no query or label needed)."""


def _read_pairs(
    path: Path,
    unknown_columns: Literal["error", "ignore"],
    required: tuple[str, ...] = PAIRS_REQUIRED_COLUMNS,
    *,
    bad_rows: list[RowProblem] | None = None,
) -> tuple[list[str], list[int], list[dict[str, Any]]]:
    """The columns, line numbers and parsed rows of a pairs file.

    Raises on any problem, unless ``bad_rows`` is given: then a row with problems is left out
    and its problems appended there (scoring marks such rows and goes on).

    With ``required`` lacking ``query_id``, every row is its own query (``line:<N>``) and the
    label defaults to 0: a file of pairs to score, kept in file order."""
    header, raw_rows = read_rows(path)
    if header is not None:
        columns = [column for column in header if column]
        duplicated = sorted({c for c in columns if columns.count(c) > 1})
        if duplicated:
            raise ImportFileError(f"{path}: column(s) appear twice: {', '.join(duplicated)}")
        missing = [c for c in required if c not in columns]
        if missing:
            raise ImportFileError(
                f"{path}: required column(s) missing: {', '.join(map(repr, missing))}; a pairs "
                f"file needs {', '.join(required)} (it has: {', '.join(columns)})"
            )
        known = set(PAIRS_REQUIRED_COLUMNS) | set(PAIRS_OPTIONAL_COLUMNS)
        unknown = [c for c in columns if c not in known]
        if unknown and unknown_columns == "error":
            raise ImportFileError(
                f"{path}: unknown column(s) {', '.join(map(repr, unknown))}; known: "
                f"{', '.join([*PAIRS_REQUIRED_COLUMNS, *PAIRS_OPTIONAL_COLUMNS])} "
                "(pass unknown_columns='ignore' to skip them)"
            )
        columns = [c for c in columns if c in known]
    else:
        columns = []
    problems: list[RowProblem] = []
    lines: list[int] = []
    parsed_rows: list[dict[str, Any]] = []
    seen_columns: set[str] = set()
    for line, raw in raw_rows:
        if "__error__" in raw:
            problems.append(RowProblem(line, "", str(raw["__error__"])))
            continue
        parsed: dict[str, Any] = {}
        if "query_id" not in required:
            parsed = {"query_id": f"line:{line}", "label": 0}
        for column in required:
            text = _cell_text(raw.get(column, ""))
            if column in _TEXT_COLUMNS:
                # an empty text is scored on what else is known; a long one is read as far as
                # a stored record's text may go (the résumé cap, the posting cap)
                parsed[column] = text[: _TEXT_CAPS[column]]
            elif not text:
                problems.append(RowProblem(line, column, "is empty"))
            elif column == "query_id":
                parsed[column] = text
        for column, value in raw.items():
            if column in _TEXT_COLUMNS or column == "query_id":
                continue
            if column == "label" and "label" not in required:
                continue  # scoring: a label column is carried through, not read
            parser = _PARSERS.get(column)
            if parser is None:
                if column not in PAIRS_REQUIRED_COLUMNS and unknown_columns == "error":
                    problems.append(RowProblem(line, column, "is not a known column"))
                continue
            text = _cell_text(value)
            if not text:
                continue
            try:
                parsed[column] = parser(text)
            except ValueError as error:
                problems.append(RowProblem(line, column, str(error)))
        seen_columns.update(parsed)
        lines.append(line)
        parsed_rows.append(parsed)
    if header is None:  # JSONL: check the required keys over the rows
        missing = [c for c in required if c not in seen_columns]
        if missing and not problems:
            raise ImportFileError(
                f"{path}: required field(s) missing: {', '.join(map(repr, missing))}"
            )
        columns = sorted(seen_columns)
    problems += _cross_problems(lines, parsed_rows)
    if problems and bad_rows is not None:
        bad_rows.extend(problems)
        bad = {problem.line for problem in problems}
        kept = [i for i, line in enumerate(lines) if line not in bad]
        return columns, [lines[i] for i in kept], [parsed_rows[i] for i in kept]
    if problems:
        bad_lines = len({p.line for p in problems})
        shown = "\n".join(f"  {p}" for p in problems[:MAX_REPORTED_PROBLEMS])
        more = len(problems) - MAX_REPORTED_PROBLEMS
        raise ImportFileError(
            f"{path}: {len(problems)} problem(s) in {bad_lines} row(s); the file was not used "
            "(fix the rows and retry):\n" + shown + (f"\n  … and {more} more" if more > 0 else "")
        )
    if not parsed_rows:
        raise ImportFileError(f"{path}: no data rows")
    return columns, lines, parsed_rows


_ORDERED_PAIRS = (
    ("vacancy_age_min", "vacancy_age_max"),
    ("vacancy_salary_min", "vacancy_salary_max"),
)


def _cross_problems(lines: list[int], rows: list[dict[str, Any]]) -> list[RowProblem]:
    """Problems between cells: bounds out of order, a query's rows on different days."""
    first: dict[str, int | None] = {}
    problems = []
    for line, row in zip(lines, rows, strict=True):
        for low, high in _ORDERED_PAIRS:
            if low in row and high in row and row[low] > row[high]:
                problems.append(
                    RowProblem(line, high, f"{row[high]:g} is below {low} {row[low]:g}")
                )
        query = row.get("query_id")
        if query is None:
            continue
        day = row.get("query_date")
        if query not in first:
            first[query] = day
        elif first[query] != day:
            problems.append(
                RowProblem(line, "query_date", f"differs from the date of query {_quote(query)}")
            )
    return problems


def _column(rows: list[dict[str, Any]], name: str, missing: Any) -> list[Any]:
    return [row.get(name, missing) for row in rows]


def _floats(rows: list[dict[str, Any]], name: str) -> NDArray[np.float64]:
    return np.array(_column(rows, name, math.nan), dtype=np.float64)


def _padded(lists: list[list[int]]) -> NDArray[np.int64]:
    width = max((len(items) for items in lists), default=0)
    out = np.full((len(lists), width), -1, dtype=np.int64)
    for row, items in enumerate(lists):
        out[row, : len(items)] = items
    return out


def _group_mask(codes: Iterable[str]) -> int:
    positions = group_positions()
    mask = 0
    for code in codes:
        mask |= 1 << positions[code]
    return mask


def _certificate_names(codes: Sequence[str]) -> list[str]:
    table = certificates()
    return [table[code].name if code in table else code for code in codes]


def _pair_texts(row: dict[str, Any]) -> tuple[str, str, str, str]:
    """Profile, desired, vacancy and title texts, composed by :mod:`matcher.ranking.columns`'s
    own functions, as for stored records."""
    occupation = row.get("vacancy_occupation")
    return (
        profile_text(
            row.get("desired_titles", []),
            [*row.get("desired_occupations", []), *row.get("past_occupations", [])],
            "",
            row.get("skills", []),
            row.get("certificates", []),
            row["resume_text"],
        ),
        wish_text(row.get("desired_titles", []), row.get("desired_occupations", [])),
        posting_text(
            row.get("vacancy_title", ""),
            occupation,
            row.get("vacancy_skills", []),
            row.get("vacancy_required_certificates", []),
            row["vacancy_text"],
        ),
        title_text(row.get("vacancy_title", ""), occupation),
    )


_SEEKER_FROM_TEXT: dict[str, Callable[[Any], Any]] = {
    "region": region_number,
    "birth_year": int,
    "education": int,
    "experience_years": float,
    "certificates": list,
    "skills": list,
    "desired_titles": list,
    "desired_occupations": list,
    "past_occupations": list,
    "desired_regions": lambda codes: [region_number(code) for code in codes],
    "expected_salary": float,
}
"""Seeker fields read from a résumé, each as the pairs file's own columns hold it."""

_WISH = frozenset({"desired_titles", "desired_occupations"})
"""Two ways of stating one wish: when a row gives either, the résumé's is not added."""

_VACANCY_FROM_TEXT = {
    "occupation": "vacancy_occupation",
    "salary_min": "vacancy_salary_min",
    "salary_max": "vacancy_salary_max",
    "min_education": "vacancy_min_education",
    "min_experience_years": "vacancy_min_experience_years",
    "age_min": "vacancy_age_min",
    "age_max": "vacancy_age_max",
    "required_certificates": "vacancy_required_certificates",
    "region": "vacancy_region",
    "skills": "vacancy_skills",
    "target_groups": "vacancy_target_groups",
    "accessible": "vacancy_accessible",
}
"""Vacancy fields read from a posting's text → their pairs-file columns."""
_VACANCY_CELL: dict[str, Callable[[Any], Any]] = {"region": region_number}
"""Fields whose read value differs from the column's cell (a region code → its number)."""


def _complete_rows(rows: list[dict[str, Any]]) -> None:
    """Fill each row's missing fields from its texts, as import and the API do: the seeker's
    from the résumé (:func:`matcher.intake.completion.complete_seeker`), the vacancy's title
    from the text when not given, and its occupation, pay, minimum education and experience,
    ages, required certificates, skills and the groups it is for from the title and text. Each
    distinct text is read once; a given cell is never replaced."""
    seekers: dict[tuple[str, int | None], dict[str, Any]] = {}
    postings: dict[tuple[str, str], tuple[str, list[dict[str, Any]]]] = {}
    for row in rows:
        text, day = row["resume_text"], row.get("query_date")
        if (text, day) not in seekers:
            seekers[(text, day)] = _seeker_fields(
                text, None if day is None else EPOCH + dt.timedelta(days=int(day))
            )
        wish_given = "desired_titles" in row or "desired_occupations" in row
        for name, value in seekers[(text, day)].items():
            if not (wish_given and name in _WISH):
                row.setdefault(name, value)
        key = (row.get("vacancy_title", ""), row["vacancy_text"])
        if key not in postings:
            title = key[0] or find_posting_title(key[1]) or ""
            postings[key] = (title, vacancy_fields_from_text(title, key[1]))
        title, groups = postings[key]
        if title:
            row.setdefault("vacancy_title", title)
        for group in groups:
            columns = {
                _VACANCY_FROM_TEXT[name]: _VACANCY_CELL.get(name, _same)(value)
                for name, value in group.items()
                if name in _VACANCY_FROM_TEXT
            }
            if columns and not any(column in row for column in columns):
                row.update(
                    {column: value for column, value in columns.items() if value is not None}
                )


def _same(value: Any) -> Any:
    return value


def _seeker_fields(text: str, day: dt.date | None) -> dict[str, Any]:
    """The seeker fields a résumé text states, in pairs-file form (empty for no text), read as
    of ``day`` (the query's; None: today): a stated age becomes a birth year of that day's year,
    as the features take the age on it."""
    if not text.strip():
        return {}
    try:
        seeker, inferred = complete_seeker(Seeker(id="pairs", resume_text=text), today=day)
    except ValidationError:  # e.g. a text over the résumé cap
        return {}
    fields = {name: getattr(seeker, name) for name in inferred if name in _SEEKER_FROM_TEXT}
    return {name: _SEEKER_FROM_TEXT[name](value) for name, value in fields.items()}


def _text_rows(
    texts: list[str], vectorizer: TextVectorizer, tokenize: Tokenize
) -> tuple[Any, NDArray[np.int64]]:
    """Vectors of the distinct texts and each text's row among them."""
    distinct = list(dict.fromkeys(texts))
    row = {text: index for index, text in enumerate(distinct)}
    vectors = vectorizer.transform(distinct, [tokenize(text) for text in distinct])
    return vectors, np.array([row[text] for text in texts], dtype=np.int64)


def pairs_from_file(
    path: str | Path,
    *,
    vectorizer: TextVectorizer | None = None,
    bm25: BM25Vectorizer | None = None,
    vocabularies: Vocabularies | None = None,
    tokenize: Tokenize | None = None,
    unknown_columns: Literal["error", "ignore"] = "error",
    scoring: bool = False,
    bad_rows: list[RowProblem] | None = None,
) -> TrainingData:
    """A learning-to-rank set from an analyst's file of labelled pairs (format: module
    docstring, :data:`PAIRS_REQUIRED_COLUMNS`, :data:`PAIRS_OPTIONAL_COLUMNS`).

    With ``bad_rows`` (a list), rows with problems are left out and their problems appended
    there instead of refusing the file (``score-pairs`` marks them and scores the rest).

    With ``scoring``, the file only needs :data:`SCORING_REQUIRED_COLUMNS`: each row is its
    own query in file order, labels are 0, and other columns (a ``query_id``, notes …) are
    ignored here — the caller carries them through.

    Works on the texts alone; structured columns, where given, feed the pair features. Queries
    keep the order of their first row; a query's rows keep the file's order.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (UTF-8, with or without BOM, or GB18030) or ``.xlsx`` file.
    vectorizer, bm25, vocabularies, tokenize
        As for :func:`build_training_data`: fitted ones are reused (e.g. a bundle's, to score
        the file with a trained model); otherwise fitted on the file's distinct texts.
    unknown_columns : {"error", "ignore"}
        A column that is not a known one is an error (a misspelt optional column would
        otherwise be dropped without notice), or is ignored.

    Raises
    ------
    ImportFileError (a ValueError)
        The file is missing or unreadable; a required column is absent (named with the file);
        or rows are bad: the message lists the first :data:`MAX_REPORTED_PROBLEMS` problems
        with their line numbers (label not 0–4, empty text, unknown region …). Nothing is
        returned for a file with any bad row.
    """
    _check_estimator("vectorizer", vectorizer, TextVectorizer)
    _check_estimator("bm25", bm25, BM25Vectorizer)
    _check_estimator("vocabularies", vocabularies, Vocabularies)
    if unknown_columns not in ("error", "ignore"):
        raise ValueError(f"unknown_columns={unknown_columns!r} is not one of ['error', 'ignore']")
    file = Path(path)
    if scoring:
        columns, lines, rows = _read_pairs(
            file, "ignore", SCORING_REQUIRED_COLUMNS, bad_rows=bad_rows
        )
        if not rows:
            shown = "; ".join(str(p) for p in (bad_rows or [])[:MAX_REPORTED_PROBLEMS])
            raise ImportFileError(f"{file}: no row can be scored: {shown}")
    else:
        columns, lines, rows = _read_pairs(file, unknown_columns)

    # queries in order of first appearance, rows of a query together in file order
    first_row: dict[str, int] = {}
    for row in rows:
        first_row.setdefault(row["query_id"], len(first_row))
    query_of_row = np.array([first_row[row["query_id"]] for row in rows], dtype=np.int64)
    order = np.argsort(query_of_row, kind="stable")
    rows = [rows[i] for i in order.tolist()]
    lines = [lines[i] for i in order.tolist()]
    query_ids = query_of_row[order]
    starts = np.flatnonzero(np.r_[True, query_ids[1:] != query_ids[:-1]])
    n = len(rows)
    _complete_rows(rows)

    texts = [_pair_texts(row) for row in rows]
    profile_texts, desired_texts, vacancy_texts, title_texts = (
        [t[i] for t in texts] for i in range(4)
    )
    cut = _TokenCache(tokenize or domain_tokenizer())
    if vectorizer is None or not _is_fitted(vectorizer):
        model = clone(vectorizer) if vectorizer is not None else TextVectorizer()
        corpus = list(dict.fromkeys([*profile_texts, *vacancy_texts]))
        word_prior, char_prior = text_priors()
        tokens = [cut(text) for text in corpus]
        vectorizer = model.fit(corpus, tokens, word_prior=word_prior, char_prior=char_prior)
    distinct_vacancy_texts = list(dict.fromkeys(vacancy_texts))
    bm25 = _fit_bm25(bm25, [cut(text) for text in distinct_vacancy_texts])
    if vocabularies is None:
        skills = {
            skill_key(skill)
            for row in rows
            for skill in (*row.get("skills", []), *row.get("vacancy_skills", []))
        }
        seen = {
            code
            for row in rows
            for name in (
                "certificates",
                "vacancy_required_certificates",
                "vacancy_preferred_certificates",
            )
            for code in row.get(name, [])
        }
        table = tuple(certificates())
        vocabularies = Vocabularies(
            TermVocabulary(tuple(sorted(skills))),
            TermVocabulary((*table, *sorted(seen - set(table)))),
        )

    # structured columns, with the documented neutral values where not given
    query_day = np.array(_column(rows, "query_date", -1), dtype=np.int64)
    has_day = np.array(["query_date" in row for row in rows], dtype=bool)
    this_year = dt.date.today().year
    year = np.array(
        [
            (EPOCH + dt.timedelta(days=int(day))).year if known else this_year
            for day, known in zip(query_day, has_day, strict=True)
        ],
        dtype=np.float64,
    )
    education = np.array(_column(rows, "education", UNKNOWN_EDUCATION), dtype=np.int64)
    min_education = np.array(_column(rows, "vacancy_min_education", 0), dtype=np.int64)
    experience = _floats(rows, "experience_years")  # NaN: unknown
    min_experience = np.nan_to_num(_floats(rows, "vacancy_min_experience_years"), nan=0.0)
    valid_from = np.array(_column(rows, "vacancy_valid_from", 0), dtype=np.int64)
    has_valid_from = np.array(["vacancy_valid_from" in row for row in rows], dtype=bool)
    # pair_features takes one "today": shift each row's valid_from by its query day instead,
    # around a reference day far above 0 (a valid_from below 0 means unknown)
    freshness_base = np.where(has_day & has_valid_from, _REFERENCE_DAY + valid_from - query_day, -1)
    seeker_groups = [_group_mask(row.get("priority_groups", [])) for row in rows]

    profile_vectors, profile_row = _text_rows(profile_texts, vectorizer, cut)
    desired_vectors, desired_row = _text_rows(desired_texts, vectorizer, cut)
    vacancy_vectors, vacancy_row = _text_rows(vacancy_texts, vectorizer, cut)
    title_vectors, title_row = _text_rows(title_texts, vectorizer, cut)
    disabled_bit = 1 << group_positions()["disabled"]
    desired_occupations = desired_occupation_lists(
        _column(rows, "desired_occupations", []), _column(rows, "desired_titles", [])
    )
    title_codes = title_occupations(_column(rows, "vacancy_title", ""))
    vacancy_occupations = [
        row.get("vacancy_occupation", from_title)
        for row, from_title in zip(rows, title_codes, strict=True)
    ]
    seekers = SeekerColumns(
        region=np.array(_column(rows, "region", 0), dtype=np.int64),
        desired_regions=_padded(_column(rows, "desired_regions", [])),
        education=education.astype(np.int8),
        experience_years=experience.astype(np.float32),
        expected_salary=_floats(rows, "expected_salary").astype(np.float32),
        age=(year - _floats(rows, "birth_year")).astype(np.float32),
        skills=vocabularies.skills.encode(
            [[skill_key(s) for s in row.get("skills", [])] for row in rows]
        ),
        certificates=vocabularies.certificates.encode(
            [held_certificates(codes) for codes in _column(rows, "certificates", [])]
        ),
        groups=np.array(seeker_groups, dtype=np.int64),
        disabled=(np.array(seeker_groups, dtype=np.int64) & disabled_bit) != 0,
        profile_vectors=sp.csr_array(profile_vectors)[profile_row],
        desired_vectors=sp.csr_array(desired_vectors)[desired_row],
        desired_occupations=occupation_rows(
            desired_occupations, _column(rows, "past_occupations", [])
        ),
    )
    vacancies = VacancyColumns(
        region=np.array(_column(rows, "vacancy_region", 0), dtype=np.int64),
        min_education=min_education.astype(np.int8),
        min_experience_years=min_experience.astype(np.float32),
        age_min=_floats(rows, "vacancy_age_min").astype(np.float32),
        age_max=_floats(rows, "vacancy_age_max").astype(np.float32),
        salary_min=_floats(rows, "vacancy_salary_min").astype(np.float32),
        salary_max=_floats(rows, "vacancy_salary_max").astype(np.float32),
        required_certificates=vocabularies.certificates.encode(
            [binding_certificates(c) for c in _column(rows, "vacancy_required_certificates", [])]
        ),
        preferred_certificates=vocabularies.certificates.encode(
            _column(rows, "vacancy_preferred_certificates", [])
        ),
        skills=vocabularies.skills.encode(
            [[skill_key(s) for s in row.get("vacancy_skills", [])] for row in rows]
        ),
        accessible=np.array(_column(rows, "vacancy_accessible", False), dtype=bool),
        target_groups=np.array(
            [_group_mask(row.get("vacancy_target_groups", [])) for row in rows], dtype=np.int64
        ),
        valid_from=freshness_base,
        employer_verified=np.array(
            _column(rows, "vacancy_employer_verified", math.nan), dtype=np.float32
        ),
        openings=np.array(_column(rows, "vacancy_openings", 1), dtype=np.int64),
        applicants=np.array(_column(rows, "vacancy_applicants", -1), dtype=np.int64),
        description_vectors=sp.csr_array(vacancy_vectors)[vacancy_row],
        title_vectors=sp.csr_array(title_vectors)[title_row],
        occupation=np.array([occupation_number(c) for c in vacancy_occupations], dtype=np.int64),
    )
    everyone = np.arange(n, dtype=np.int64)
    queries = bm25.transform_queries([cut(text) for text in profile_texts])
    documents = bm25.transform([cut(text) for text in vacancy_texts])
    features = model_features(
        seekers,
        vacancies,
        everyone,
        everyone,
        bm25=_row_dots(queries, documents, everyone, everyone),
        bm25_ceiling=bm25.query_ceilings(queries),
        today=_REFERENCE_DAY,
        related=related_table(),
    )

    first_rows = [rows[start] for start in starts.tolist()]
    dates = np.array([row.get("query_date", -1) for row in first_rows], dtype=np.int64)
    known_dates = np.array(["query_date" in row for row in first_rows], dtype=bool)
    query_dates = np.where(known_dates, _dates(dates), np.datetime64("NaT", "D"))
    ranking = RankingSet(
        features=features,
        labels=np.array([row["label"] for row in rows], dtype=np.int8),
        query_ids=query_ids,
        feature_names=TRAINING_FEATURE_NAMES,
        positions=(
            np.array(_column(rows, "position", 0), dtype=np.int16)
            if "position" in columns
            else None
        ),
        query_tags=_query_tags([row.get("priority_groups", []) for row in first_rows]),
        query_times=dates if known_dates.all() else None,
    )
    return TrainingData(
        ranking=ranking,
        seeker_ids=_objects(row.get("seeker_id", row["query_id"]) for row in rows),
        vacancy_ids=_objects(
            row.get("vacancy_id", f"line:{line}") for row, line in zip(rows, lines, strict=True)
        ),
        query_keys=_objects(row["query_id"] for row in first_rows),
        query_dates=query_dates.astype("datetime64[D]"),
        query_campaigns=_objects(None for _ in first_rows),
        vectorizer=vectorizer,
        bm25=bm25,
        vocabularies=vocabularies,
    )
