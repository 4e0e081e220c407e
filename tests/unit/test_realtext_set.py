"""The real-text evaluation set in tests/data/realtext and its loader (benchmarks/realtext.py)."""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

SET_DIR = Path(__file__).resolve().parent.parent / "data" / "realtext"
REPO = Path(__file__).resolve().parent.parent.parent
SUINING_COUNTIES = {"船山区", "安居区", "蓬溪县", "大英县", "射洪市"}


def _loader() -> ModuleType:
    spec = importlib.util.spec_from_file_location("realtext", REPO / "benchmarks" / "realtext.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("realtext", module)
    spec.loader.exec_module(module)
    return module


def _rows(name: str) -> list[dict[str, str]]:
    with (SET_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


SEEKERS = _rows("seekers.tsv")
VACANCIES = _rows("vacancies.tsv")
GRADES = _rows("grades.tsv")


def test_enough_seekers_each_in_both_registers() -> None:
    assert len(SEEKERS) >= 40
    assert len({row["seeker_id"] for row in SEEKERS}) == len(SEEKERS)
    for row in SEEKERS:
        assert row["formal"] and row["walkin"] and row["formal"] != row["walkin"], row["seeker_id"]
        assert row["region"] in SUINING_COUNTIES, row["seeker_id"]


def test_every_priority_group_of_the_notice_has_a_seeker() -> None:
    with (REPO / "matcher" / "reference" / "priority_groups.csv").open(encoding="utf-8") as handle:
        groups = {row["name"] for row in csv.DictReader(handle)}
    covered = {group for row in SEEKERS for group in row["priority_groups"].split(";")}
    assert groups - covered == set()
    assert covered - groups == set(), "a seeker names a group the reference table does not know"


def test_enough_vacancies_own_ones_in_suining_real_ones_by_reference_only() -> None:
    assert len(VACANCIES) >= 80
    own = [row for row in VACANCIES if row["source"] == "own"]
    real = [row for row in VACANCIES if row["source"] != "own"]
    assert own and real
    for row in own:
        assert row["region"] in SUINING_COUNTIES and row["title"] and row["text"], row["vacancy_id"]
    for row in real:
        assert row["source"] in ("it_jobs_2019.csv", "listings_51job_2021.csv")
        assert int(row["row"]) >= 1
        assert row["title"] == row["text"] == row["region"] == "", "real posting text committed"
    assert len({(row["source"], row["row"]) for row in real}) == len(real)


def test_every_pair_is_graded_once_with_a_reason_for_non_zero_grades() -> None:
    pairs = Counter((row["seeker_id"], row["vacancy_id"]) for row in GRADES)
    expected = {(s["seeker_id"], v["vacancy_id"]) for s in SEEKERS for v in VACANCIES}
    assert set(pairs) == expected
    assert max(pairs.values()) == 1
    for row in GRADES:
        assert row["grade"] in {"0", "1", "2", "3"}
        assert row["why"] or row["grade"] == "0", row
    good = Counter(row["seeker_id"] for row in GRADES if int(row["grade"]) >= 2)
    assert set(good) == {row["seeker_id"] for row in SEEKERS}, "a seeker has no good vacancy"


def test_loader_without_shared_data_keeps_own_vacancies_and_their_grades(tmp_path: Path) -> None:
    realtext = _loader()
    data = realtext.load(shared=tmp_path / "absent")
    own = [row["vacancy_id"] for row in VACANCIES if row["source"] == "own"]
    assert [vacancy.vacancy_id for vacancy in data.vacancies] == own
    assert data.real_skipped == len(VACANCIES) - len(own)
    rows = list(data.pairs("walkin"))
    assert len(rows) == len(SEEKERS) * len(own)
    grade = {(row["seeker_id"], row["vacancy_id"]): row["grade"] for row in GRADES}
    for row in rows:
        assert row["label"] == grade[(row["seeker_id"], row["vacancy_id"])]
        assert row["query_id"] == row["seeker_id"]
    walkin = {row["seeker_id"]: row["walkin"] for row in SEEKERS}
    assert rows[0]["resume_text"] == walkin[rows[0]["seeker_id"]]
    with pytest.raises(ValueError, match="register 'spoken' is not one of"):
        next(data.pairs("spoken"))


def test_loader_reads_the_referenced_real_postings() -> None:
    shared = REPO.parent / "shared" / "data" / "vacancies"
    if not shared.exists():
        pytest.skip("../shared/data is absent")
    data = _loader().load()
    real = [vacancy for vacancy in data.vacancies if vacancy.source != "own"]
    assert len(real) == sum(row["source"] != "own" for row in VACANCIES)
    assert all(vacancy.text and vacancy.title for vacancy in real)


def test_pairs_file_is_read_by_the_pairs_loader(tmp_path: Path) -> None:
    from matcher.learning.pairs import pairs_from_file

    realtext = _loader()
    data = realtext.load(shared=tmp_path / "absent")
    path = tmp_path / "walkin.csv"
    count = realtext.write_pairs(data, "walkin", path, fields=True)
    training = pairs_from_file(path)
    assert training.ranking.features.shape[0] == count
    assert sorted(training.ranking.labels.tolist()) == sorted(
        int(row["label"]) for row in data.pairs("walkin")
    )


# --- the tuning set (tests/data/realtext_tune: other seekers, the same vacancies) -------------

TUNE_DIR = SET_DIR.parent / "realtext_tune"


def _tune_rows(name: str) -> list[dict[str, str]]:
    with (TUNE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_tuning_set_has_other_seekers_graded_against_every_vacancy() -> None:
    seekers, grades = _tune_rows("seekers.tsv"), _tune_rows("grades.tsv")
    assert len(seekers) >= 30
    ids = [row["seeker_id"] for row in seekers]
    assert len(set(ids)) == len(ids)
    assert not set(ids) & {row["seeker_id"] for row in SEEKERS}, "a seeker of both sets"
    assert not {row["formal"] for row in seekers} & {row["formal"] for row in SEEKERS}
    with (REPO / "matcher" / "reference" / "priority_groups.csv").open(encoding="utf-8") as handle:
        groups = {row["name"] for row in csv.DictReader(handle)}
    for row in seekers:
        assert row["formal"] and row["walkin"] and row["formal"] != row["walkin"], row["seeker_id"]
        assert row["region"] in SUINING_COUNTIES, row["seeker_id"]
        named = {group for group in row["priority_groups"].split(";") if group}
        assert named <= groups, f"{row['seeker_id']} names a group the reference does not know"
    pairs = Counter((row["seeker_id"], row["vacancy_id"]) for row in grades)
    assert set(pairs) == {(s, v["vacancy_id"]) for s in ids for v in VACANCIES}
    assert max(pairs.values()) == 1
    for row in grades:
        assert row["grade"] in {"0", "1", "2", "3"}
        assert row["why"] or row["grade"] == "0", row
    good = {row["seeker_id"] for row in grades if int(row["grade"]) >= 2}
    assert good == set(ids), "a seeker has no good vacancy"


def test_tuning_set_loads_with_the_evaluation_sets_vacancies(tmp_path: Path) -> None:
    realtext = _loader()
    assert not (TUNE_DIR / "vacancies.tsv").exists()
    data = realtext.load(realtext.SETS["tune"], shared=tmp_path / "absent")
    own = [row["vacancy_id"] for row in VACANCIES if row["source"] == "own"]
    assert [vacancy.vacancy_id for vacancy in data.vacancies] == own
    assert {seeker.seeker_id for seeker in data.seekers} == {
        row["seeker_id"] for row in _tune_rows("seekers.tsv")
    }
    assert len(list(data.pairs("formal"))) == len(data.seekers) * len(own)
