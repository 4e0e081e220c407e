"""Callers of :func:`features.redact.redact` check the length first (issue 10).

``redact`` refuses a text longer than ``MAX_TEXT_CHARS`` with ``ValueError``; each caller turns an
over-long text into its own answer (a rejected row, a rejected field, a 422) instead of letting
the ``ValueError`` escape.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from api.errors import scrub
from api.settings import ApiSettings
from features.redact import MAX_TEXT_CHARS
from matcher.domain.privacy import clean_seeker, clean_text
from matcher.errors import InvalidRecord
from matcher.intake.analysis import analyze_rows
from matcher.intake.importer import import_file
from matcher.storage.store import Store
from tests.conftest import seeker_data

PHONE = "13800138000"
TOO_LONG = "电工" * (MAX_TEXT_CHARS // 2) + PHONE


def test_clean_text_rejects_an_over_long_field_by_name_without_echoing_it() -> None:
    with pytest.raises(InvalidRecord) as raised:
        clean_seeker({"id": "S001", "skills": ["电工", TOO_LONG]}, contact=None)
    (problem,) = raised.value.problems
    assert problem.field == "skills"
    assert f"at most {MAX_TEXT_CHARS:,}" in problem.message
    assert PHONE not in str(raised.value)


def test_clean_text_at_the_cap_is_cleaned() -> None:
    text = PHONE + "，" + "岗" * (MAX_TEXT_CHARS - len(PHONE) - 1)
    assert clean_text(text).startswith("[手机]，")


def test_import_rejects_the_over_long_row_and_keeps_the_others(
    tmp_path: Path, store: Store
) -> None:
    rows = [
        seeker_data(id="S001"),
        seeker_data(id="S002", resume_text=TOO_LONG),
        seeker_data(id="S003"),
    ]
    path = tmp_path / "seekers.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), "utf-8")
    result = import_file(store, "seekers", path)
    assert [(problem.line, problem.field) for problem in result.problems] == [(2, "resume_text")]
    assert PHONE not in " ".join(problem.message for problem in result.problems)
    assert result.rows == 3


def test_analysis_rejects_an_over_long_text_or_title() -> None:
    rows = [
        (1, None, None, TOO_LONG),
        (2, None, TOO_LONG, "招聘电工3名，月薪5000元"),
        (3, None, "电工", "招聘电工3名，月薪5000元"),
    ]
    results = list(analyze_rows(iter(rows)))
    assert [result.error.split(":")[0] if result.error else None for result in results] == [
        "text",
        "title",
        None,
    ]
    assert results[2].analysis is not None


def test_api_text_limit_is_at_most_what_the_redactor_reads() -> None:
    assert ApiSettings().max_text_chars == MAX_TEXT_CHARS
    with pytest.raises(ValidationError, match="max_text_chars"):
        ApiSettings(max_text_chars=MAX_TEXT_CHARS + 1)


def test_an_over_long_error_message_is_cut_before_redaction_never_inside_a_number() -> None:
    message = "岗" * (MAX_TEXT_CHARS - 6) + PHONE + "岗" * 100  # the cut falls inside the phone
    scrubbed = scrub(message)
    assert len(scrubbed) <= MAX_TEXT_CHARS
    assert scrubbed.endswith("岗…")
    assert "138" not in scrubbed
