"""The screening set in tests/data/screening and its loader (benchmarks/eval_screening.py)."""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import SHARED_DATA

REPO = Path(__file__).resolve().parent.parent.parent
SET_DIR = REPO / "tests" / "data" / "screening"


def _module(name: str) -> ModuleType:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(REPO / "benchmarks"))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


POSTINGS = _rows(SET_DIR / "postings.tsv")
RESUMES = _rows(SET_DIR / "resumes.tsv")


def test_every_posting_has_passes_and_rejections_each_with_a_reason() -> None:
    assert len(POSTINGS) >= 12 and len(RESUMES) >= 90
    assert len({row["resume_id"] for row in RESUMES}) == len(RESUMES)
    known = {row["posting_id"] for row in POSTINGS}
    assert {row["posting_id"] for row in RESUMES} == known
    for row in RESUMES:
        assert row["label"] in {"0", "3"} and row["reason"] and row["text"], row["resume_id"]
    outcomes = Counter((row["posting_id"], row["label"]) for row in RESUMES)
    for posting in known:
        assert outcomes[(posting, "3")] >= 3 and outcomes[(posting, "0")] >= 4, posting


def test_own_postings_are_the_realtext_sets_and_real_ones_are_referenced_only() -> None:
    own = {row["vacancy_id"] for row in _rows(REPO / "tests/data/realtext/vacancies.tsv")}
    for row in POSTINGS:
        if row["source"] == "own":
            assert row["posting_id"] in own and not row["row"], row["posting_id"]
        else:
            assert row["source"] == "it_jobs_2019.csv" and int(row["row"]) > 0, row["posting_id"]


def test_the_loader_writes_a_pairs_file_every_row_of_which_is_read(tmp_path: Path) -> None:
    from matcher.learning.pairs import pairs_from_file

    screening = _module("eval_screening")
    rows, notes = screening.screening_pairs(shared=tmp_path / "absent")
    own = {row["posting_id"] for row in POSTINGS if row["source"] == "own"}
    assert {row["query_id"] for row in rows} == own and len(notes) == 1
    path = tmp_path / "screening.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=screening.PAIRS_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    data = pairs_from_file(path)
    assert data.ranking.n_rows == len(rows) == sum(r["posting_id"] in own for r in RESUMES)


def test_real_postings_are_found_in_the_shared_data() -> None:
    if not (SHARED_DATA / "vacancies").exists():
        pytest.skip("../shared/data is absent")
    rows, notes = _module("eval_screening").screening_pairs()
    assert notes == [] and len(rows) == len(RESUMES)
    java = next(row for row in rows if row["query_id"] == "J01")
    assert "Java" in java["vacancy_text"] or "JAVA" in java["vacancy_text"]
