"""Evaluation of a labelled pairs file (``matcher.learning.evaluation``) and the promotion rule
of ``matcher.learning.training`` (a model must beat the best lexical baseline)."""

from __future__ import annotations

import csv
import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from matcher.learning.evaluation import (
    BASELINE_SCORERS,
    auc_per_query,
    baseline_scores,
    evaluate_pairs_file,
    evaluate_scores,
    good_from,
    query_metrics,
)
from matcher.learning.training import (
    Evaluation,
    promotion_check,
    score_pairs,
    train_from_pairs,
)
from matcher.ranking.engine import EngineModel
from tests.conftest import DATA

PAIRS_SMALL = DATA / "training" / "pairs_small.csv"

JOBS = (
    "电工，持低压电工证，维修配电柜",
    "焊工，熟练氩弧焊，有焊工证",
    "叉车司机，持叉车证，仓库装卸",
    "会计，熟悉用友财务软件，做账报税",
    "保安，负责小区巡逻和门岗值守",
    "幼儿园教师，持教师资格证，照顾幼儿",
)


def _reference_auc(labels: np.ndarray, scores: np.ndarray, starts: np.ndarray, good: int) -> float:
    """Every (good, other) pair of each query compared one by one, ties ½."""
    values = []
    for start, end in itertools.pairwise([*starts.tolist(), len(labels)]):
        good_scores = scores[start:end][labels[start:end] >= good]
        other = scores[start:end][labels[start:end] < good]
        if len(good_scores) and len(other):
            wins = sum(1.0 if g > o else 0.5 if g == o else 0.0 for g in good_scores for o in other)
            values.append(wins / (len(good_scores) * len(other)))
    return float(np.mean(values)) if values else float("nan")


def test_good_from_binary_or_graded() -> None:
    assert good_from([0, 1, 1, 0]) == 1
    assert good_from([0, 0]) == 1
    assert good_from([0, 1, 2]) == 2
    assert good_from([0, 3, 1]) == 2
    assert good_from([4, 0]) == 2


def test_auc_per_query_matches_pairwise_counting_with_ties() -> None:
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 4, 300)
    scores = rng.integers(0, 5, 300).astype(np.float64)  # many ties
    starts = np.array([0, 10, 11, 60, 140, 200, 290])
    value, count = auc_per_query(labels, scores, starts, good=2)
    assert value == pytest.approx(_reference_auc(labels, scores, starts, 2))
    # the one-row query (10–11) has no pair to compare; the others do
    assert count == 6


def test_auc_is_nan_without_a_query_holding_both_kinds() -> None:
    value, count = auc_per_query([0, 0, 3, 3], [0.1, 0.2, 0.3, 0.4], [0, 2], good=2)
    assert math.isnan(value) and count == 0


def test_perfect_and_reversed_rankings() -> None:
    labels = np.array([3, 2, 0, 1, 0, 2, 0])
    starts = np.array([0, 4])
    perfect = query_metrics(labels, labels.astype(float), starts, good=2)
    assert perfect == {"auc": 1.0, "ndcg@5": 1.0, "ndcg@10": 1.0, "mrr": 1.0}
    reversed_ = query_metrics(labels, -labels.astype(float), starts, good=2)
    assert reversed_["auc"] == 0.0 and reversed_["mrr"] < 1.0 and reversed_["ndcg@5"] < 1.0


def test_query_metrics_rejects_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="same shape"):
        query_metrics([1, 0], [0.5], [0], good=1)


def test_baselines_find_each_seekers_own_job() -> None:
    # checkerboard: seeker i wrote job i's words; every vacancy is offered to every seeker
    resumes = [f"求职意向：{job}" for job in JOBS for _ in JOBS]
    vacancies = [f"招聘{job}" for _ in JOBS for job in JOBS]
    labels = np.array([3 if i == j else 0 for i in range(len(JOBS)) for j in range(len(JOBS))])
    starts = np.arange(len(JOBS)) * len(JOBS)
    scores = baseline_scores(resumes, vacancies)
    assert list(scores) == list(BASELINE_SCORERS)
    for name in ("word_tfidf", "char_tfidf", "bm25"):
        assert scores[name].shape == (len(resumes),)
        metrics = query_metrics(labels, scores[name], starts, good=2)
        assert metrics["auc"] == 1.0 and metrics["mrr"] == 1.0, name
    assert query_metrics(labels, scores["random"], starts, good=2)["auc"] < 1.0


def test_baseline_scores_checks_its_inputs() -> None:
    with pytest.raises(ValueError, match="2 résumé texts but 1 vacancy texts"):
        baseline_scores(["a", "b"], ["c"])
    with pytest.raises(ValueError, match="unknown baseline"):
        baseline_scores(["a"], ["c"], names=["magic"])


def _write_pairs(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _similarity_pairs(interleaved: bool) -> list[dict[str, str]]:
    """One query per job: its own posting labelled 3, the others 0 — text similarity is the
    label. Interleaved: the rows of the queries alternate in the file."""
    rows = [
        {
            "query_id": f"q{i}",
            "resume_text": f"求职意向：{JOBS[i]}",
            "vacancy_text": f"招聘{JOBS[j]}",
            "label": "3" if i == j else "0",
        }
        for i in range(len(JOBS))
        for j in range(len(JOBS))
    ]
    if interleaved:
        rows = [rows[i * len(JOBS) + j] for j in range(len(JOBS)) for i in range(len(JOBS))]
    return rows


@pytest.mark.parametrize("interleaved", [False, True])
def test_pairs_file_baselines_line_up_with_the_rows(tmp_path: Path, interleaved: bool) -> None:
    path = _write_pairs(tmp_path / "pairs.csv", _similarity_pairs(interleaved))
    result = evaluate_pairs_file(path)
    assert (result.rows, result.queries, result.auc_queries) == (36, 6, 6)
    assert result.good == 2 and result.label_counts == {0: 30, 3: 6}
    assert result.model is None
    for name in ("word_tfidf", "char_tfidf", "bm25"):
        assert result.metrics[name]["auc"] == 1.0, name  # rows and texts line up
    table = result.table()
    assert "good = label ≥ 2 (graded labels)" in table
    assert table.splitlines()[2].split() == ["ranker", "auc", "ndcg@5", "ndcg@10", "mrr"]
    assert "best lexical baseline by NDCG@10:" in table


def test_binary_labels_count_label_1_as_good(tmp_path: Path) -> None:
    rows = _similarity_pairs(False)
    for row in rows:
        row["label"] = "1" if row["label"] == "3" else "0"
    result = evaluate_pairs_file(_write_pairs(tmp_path / "binary.csv", rows))
    assert result.good == 1 and result.auc_queries == 6
    assert "good = label ≥ 1 (binary labels)" in result.table()
    assert result.metrics["word_tfidf"]["mrr"] == 1.0


def test_model_scores_are_the_scores_of_score_pairs(tmp_path: Path) -> None:
    run = train_from_pairs(PAIRS_SMALL, folds=3)
    model = EngineModel(run.ranker, run.train.vectorizer, run.train.bm25, run.train.vocabularies)
    result = evaluate_pairs_file(PAIRS_SMALL, model)
    assert result.model == "lambdamart" and next(iter(result.metrics)) == "lambdamart"
    assert "lambdamart − " in result.table()
    # pairs_small.csv keeps each query's rows together, so file order is query order
    scored = tmp_path / "scored.csv"
    score_pairs(PAIRS_SMALL, scored, model)
    with scored.open(encoding="utf-8-sig", newline="") as handle:
        file_scores = np.array([float(row["score"]) for row in csv.DictReader(handle)])
    with PAIRS_SMALL.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    labels = np.array([int(row["label"]) for row in records])
    starts = np.flatnonzero(
        [
            i == 0 or records[i]["query_id"] != records[i - 1]["query_id"]
            for i in range(len(records))
        ]
    )
    expected = query_metrics(labels, file_scores, starts, good=2)
    for name, value in expected.items():
        assert result.metrics["lambdamart"][name] == pytest.approx(value, abs=1e-4), name


def test_evaluate_scores_names_the_model_first() -> None:
    labels = np.array([2, 0, 0, 1])
    result = evaluate_scores(
        labels,
        [0, 2],
        {"word_tfidf": np.array([0.9, 0.1, 0.2, 0.3]), "mine": np.array([0.1, 0.9, 0.5, 0.4])},
        model="mine",
    )
    lines = result.table().splitlines()
    assert lines[3].startswith("mine") and lines[4].startswith("word_tfidf")
    assert result.best_lexical() == ("word_tfidf", 1.0)
    assert "mine − word_tfidf = -" in lines[-1]


# --- promotion -----------------------------------------------------------------------------


def _evaluation(**ndcg: float) -> Evaluation:
    return Evaluation(
        {kind: {"all": {"ndcg@10": value}} for kind, value in ndcg.items()},
        dict.fromkeys(ndcg, 0.0),
        {"all": 10},
    )


def test_a_model_below_the_best_lexical_baseline_is_not_better() -> None:
    check = promotion_check(
        _evaluation(lambdamart=0.563, tfidf_cosine=0.610, bm25=0.58), "lambdamart"
    )
    assert not check.better and check.baseline == "tfidf_cosine"
    assert (
        check.reason == "lambdamart NDCG@10 0.5630 is below tfidf_cosine 0.6100 on the test split"
    )


def test_a_model_above_every_lexical_baseline_is_better() -> None:
    check = promotion_check(
        _evaluation(lambdamart=0.67, tfidf_cosine=0.61, bm25=0.62, random=0.9, pointwise=0.9),
        "lambdamart",
        where="in cross-validation",
    )
    assert check.better and check.baseline == "bm25"
    assert check.reason == "lambdamart NDCG@10 0.6700 is above bm25 0.6200 in cross-validation"


def test_a_tie_nan_or_missing_baseline_is_not_better() -> None:
    tie = promotion_check(_evaluation(lambdamart=0.6, tfidf_cosine=0.6, bm25=0.5), "lambdamart")
    assert not tie.better and "equals tfidf_cosine" in tie.reason
    undefined = promotion_check(
        _evaluation(lambdamart=float("nan"), tfidf_cosine=0.6, bm25=0.5), "lambdamart"
    )
    assert not undefined.better and "undefined" in undefined.reason
    alone = promotion_check(_evaluation(lambdamart=0.9, random=0.1), "lambdamart")
    assert not alone.better and alone.baseline is None and "no lexical baseline" in alone.reason


def test_a_lexical_ranker_is_compared_with_the_other_baselines() -> None:
    check = promotion_check(_evaluation(tfidf_cosine=0.61, bm25=0.60), "tfidf_cosine")
    assert check.better and check.baseline == "bm25"
