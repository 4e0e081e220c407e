"""The batch's cheaper row making says what the per-pair functions say."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path
from typing import Any

import pytest

from matcher.domain.records import Seeker, Vacancy
from matcher.fairs.output import CandidateRow, ShortlistRow, _columns, _csv_lines, _csv_values
from matcher.ranking import engine
from matcher.ranking.engine import explain_match, explain_matches
from matcher.reference import EducationLevel
from matcher.storage.store import Store
from matcher.synth import generate


def _uncached_reason(seeker: Seeker, vacancy: Vacancy) -> str:
    """:func:`explain_match` with each part computed afresh (its cached parts' own code)."""
    parts = (
        engine._skills_reason(seeker.skills, seeker.certificates, vacancy),
        engine._commute_reason.__wrapped__(
            seeker.region, tuple(seeker.desired_regions), vacancy.region
        ),
        engine._salary_reason.__wrapped__(
            seeker.expected_salary, vacancy.salary_min, vacancy.salary_max
        ),
        engine._education_reason.__wrapped__(seeker.education, vacancy.min_education),
        engine._experience_reason.__wrapped__(
            seeker.experience_years, vacancy.min_experience_years
        ),
    )
    return "；".join(part for part in parts if part is not None) or engine.NO_REASON


def test_reasons_equal_explain_match_for_every_pair(tmp_path: Path) -> None:
    """The reasons of millions of batch rows come from parts kept per combination of the few
    values each reads: the same text as computing every part for every pair."""
    with Store.open(tmp_path) as store:
        generate(store, seekers=120, vacancies=150, seed=9)
        seekers, vacancies = store.list(Seeker), store.list(Vacancy)
    first, post = seekers[0], vacancies[0]
    seekers += [  # what the generator may not make: each part's inputs missing or odd
        first.model_copy(update={"region": None, "desired_regions": [post.region]}),
        first.model_copy(update={"region": post.region, "expected_salary": None}),
        first.model_copy(update={"education": None, "skills": [*post.skills, "无此技能"]}),
        first.model_copy(update={"certificates": list(post.required_certificates) or ["X"]}),
        first.model_copy(update={"experience_years": None}),
        first.model_copy(
            update={"experience_years": 0.5, "education": EducationLevel.JUNIOR_OR_BELOW}
        ),
    ]
    vacancies += [
        post.model_copy(update={"salary_min": None}),
        post.model_copy(update={"min_education": EducationLevel.NONE, "skills": []}),
        post.model_copy(update={"required_certificates": ["not-a-code", *first.certificates]}),
        post.model_copy(
            update={"min_experience_years": 3.0, "min_education": EducationLevel.JUNIOR_COLLEGE}
        ),
    ]
    cached = (
        engine._commute_reason,
        engine._salary_reason,
        engine._education_reason,
        engine._experience_reason,
    )
    for part in cached:
        part.cache_clear()
    kinds: set[str] = set()
    for seeker, vacancy in itertools.product(seekers, vacancies):
        want = _uncached_reason(seeker, vacancy)
        assert explain_match(seeker, vacancy) == want, (seeker.id, vacancy.id)
        kinds.update(part.split("：")[0] for part in want.split("；"))
    for seeker in seekers:  # a seeker's whole list at once (the batch's shortlists)
        assert explain_matches(seeker, vacancies) == [
            _uncached_reason(seeker, vacancy) for vacancy in vacancies
        ]
    # every part occurs (and pairs without any), so each was compared
    assert kinds >= {"技能匹配", "通勤", "薪资", "学历", "经验", "综合匹配"}
    kept = sum(part.cache_info().currsize for part in cached)
    assert kept < len(seekers) * len(vacancies) // 10  # parts are shared


def _written(lines: Any) -> str:
    """What the csv module writes for ``lines`` (as the batch's CSV files do)."""
    text = io.StringIO()
    csv.writer(text).writerows(lines)
    return text.getvalue()


def test_csv_lines_equal_csv_values() -> None:
    """The fast CSV cells write the same text as :func:`_csv_values`' strings, with numbers
    (negative, float, zero) and empty cells left to the csv module."""
    rows = [
        ShortlistRow("S1", 1, "V1", "=cmd", "E1", "@厂", "船山区", None, None, 0.5, "-x"),
        ShortlistRow("S2", 2, "V2", "焊工", "E2", "厂", "射洪市", "A1", "上午", 0.25, "综合匹配"),
        ShortlistRow("S3", -3, "V3", "", "E3", "厂", "", None, "", -0.1 / 3, "综合匹配"),
        ShortlistRow("S4", 0, "V4", "焊工", "E4", "厂", "县", None, None, 1e-05, "+"),
    ]
    columns = _columns(ShortlistRow, include_contacts=False)
    fast, plain = list(_csv_lines(rows, columns)), [_csv_values(row, columns) for row in rows]
    assert _written(fast) == _written(plain)
    assert fast[0][3] == "'=cmd" and fast[3][-1] == "'+"
    candidate = CandidateRow(
        "V1", "E1", "厂", None, "船山区", 1, "S1", 0.5, "船山区", "20-24岁", "高中", None,
        "+焊接", "", "理由",
    )  # fmt: skip
    columns = _columns(CandidateRow, include_contacts=False)
    assert _written(_csv_lines([candidate], columns)) == _written([_csv_values(candidate, columns)])
    assert list(_csv_lines([candidate], ["skills"])) == [["'+焊接"]]


def test_the_cluster_workers_file_holds_the_local_workers_settings() -> None:
    """docs/dask-worker.yaml (for ``dask worker`` on a cluster) says what ``--workers`` sets."""
    yaml = pytest.importorskip("yaml")
    from dask.config import collect_yaml, get

    from matcher.fairs.batch import WORKER_CONFIG

    path = Path(__file__).parents[2] / "docs" / "dask-worker.yaml"
    (config,) = collect_yaml([str(path)])
    assert config == yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in WORKER_CONFIG.items():
        assert get(key, config=config, default="absent") == value, key
