"""Ranking metrics: hand-computed cases, invariants (hypothesis), a reference and errors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import ndcg_score

from models.dataset import RankingSet
from models.metrics import (
    evaluate,
    evaluate_by_tag,
    evaluate_per_query,
    exposure_gini,
    gini_coefficient,
    map_at_k,
    mrr,
    ndcg_at_k,
    ndcg_of_gains_per_query,
    recall_at_k,
)

ONE_QUERY = np.array([0])


def ranked(labels: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Labels in the given order with strictly decreasing scores (the list is the ranking)."""
    return np.array(labels), np.arange(len(labels), 0, -1, dtype=np.float64)


# --- hand-computed -------------------------------------------------------------------------


def test_ndcg_hand_computed() -> None:
    labels, scores = ranked([0, 1])
    assert ndcg_at_k(labels, scores, ONE_QUERY) == pytest.approx(1 / math.log2(3))
    labels, scores = ranked([3, 2, 3, 0, 1, 2])
    gains = [7, 3, 7, 0, 1, 3]
    dcg = sum(g / math.log2(r + 2) for r, g in enumerate(gains))
    ideal = sum(g / math.log2(r + 2) for r, g in enumerate(sorted(gains, reverse=True)))
    assert ndcg_at_k(labels, scores, ONE_QUERY, k=6) == pytest.approx(dcg / ideal)
    dcg3 = 7 + 3 / math.log2(3) + 7 / 2
    ideal3 = 7 + 7 / math.log2(3) + 3 / 2
    assert ndcg_at_k(labels, scores, ONE_QUERY, k=3) == pytest.approx(dcg3 / ideal3)


def test_map_recall_mrr_hand_computed() -> None:
    labels, scores = ranked([0, 2, 0, 1, 0])
    assert map_at_k(labels, scores, ONE_QUERY, k=10) == pytest.approx((1 / 2 + 2 / 4) / 2)
    assert map_at_k(labels, scores, ONE_QUERY, k=2) == pytest.approx((1 / 2) / 2)
    assert map_at_k(labels, scores, ONE_QUERY, k=10, relevant_from=2) == pytest.approx(1 / 2)
    assert recall_at_k(labels, scores, ONE_QUERY, k=2) == pytest.approx(1 / 2)
    assert recall_at_k(labels, scores, ONE_QUERY, k=4) == 1.0
    assert mrr(labels, scores, ONE_QUERY) == pytest.approx(1 / 2)
    assert mrr(labels, scores, ONE_QUERY, relevant_from=2) == pytest.approx(1 / 2)


def test_map_divides_by_min_of_relevant_and_k() -> None:
    labels, scores = ranked([1, 1, 1, 1])
    assert map_at_k(labels, scores, ONE_QUERY, k=2) == 1.0


def test_mean_over_queries_skips_queries_without_relevant() -> None:
    labels = np.array([1, 0, 0, 0, 0, 1])
    scores = np.array([2.0, 1.0, 5.0, 4.0, 2.0, 1.0])
    starts = np.array([0, 2, 4])
    # query 0: first relevant at rank 1; query 1: none (skipped); query 2: rank 2.
    assert mrr(labels, scores, starts) == pytest.approx((1 + 1 / 2) / 2)
    per_query = evaluate_per_query(labels, scores, starts)
    assert np.isnan(per_query["ndcg@10"][1])
    assert np.isnan(per_query["mrr"][1])
    report = evaluate(labels, scores, starts)
    assert report["queries"] == 3
    assert report["queries_without_relevant"] == 1
    assert report["ndcg@10"] == pytest.approx((1 + 1 / math.log2(3)) / 2)


def test_no_relevant_anywhere_gives_nan() -> None:
    assert math.isnan(ndcg_at_k(np.zeros(3, dtype=int), np.arange(3.0), ONE_QUERY))


def test_ties_are_broken_against_the_ranker() -> None:
    labels = np.array([2, 0, 1])
    constant = np.zeros(3)
    worst = ndcg_at_k(labels, -labels.astype(float), ONE_QUERY)
    assert ndcg_at_k(labels, constant, ONE_QUERY) == pytest.approx(worst)
    assert mrr(labels, constant, ONE_QUERY) == pytest.approx(1 / 2)


def test_evaluate_keys_and_ranking_set() -> None:
    data = RankingSet(
        features=np.zeros((4, 1), dtype=np.float32),
        labels=np.array([1, 0, 0, 2], dtype=np.int8),
        query_ids=np.array([7, 7, 9, 9]),
        feature_names=("x",),
        query_tags={"高校毕业生": np.array([True, False]), "残疾人": np.array([False, False])},
    )
    scores = np.array([1.0, 0.0, 1.0, 0.0])
    report = evaluate(data.labels, scores, data)
    assert set(report) == {
        "ndcg@5",
        "ndcg@10",
        "map@10",
        "recall@50",
        "mrr",
        "queries",
        "queries_without_relevant",
    }
    assert report == evaluate(data.labels, scores, data.query_starts)
    by_tag = evaluate_by_tag(data, scores)
    assert list(by_tag) == ["all", "高校毕业生", "残疾人"]
    assert by_tag["all"] == report
    assert by_tag["高校毕业生"]["queries"] == 1
    assert by_tag["高校毕业生"]["ndcg@10"] == 1.0
    assert by_tag["残疾人"]["queries"] == 0
    assert math.isnan(by_tag["残疾人"]["mrr"])


# --- invariants ------------------------------------------------------------------------------


@st.composite
def queries(draw: st.DrawFn, *, min_relevant: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(labels, query_starts) for 1–6 queries of 1–12 rows."""
    sizes = draw(st.lists(st.integers(1, 12), min_size=1, max_size=6))
    labels = []
    for size in sizes:
        query = draw(st.lists(st.integers(0, 4), min_size=size, max_size=size))
        if min_relevant and not any(query):
            query[draw(st.integers(0, size - 1))] = draw(st.integers(1, 4))
        labels.extend(query)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    return np.array(labels), starts


def scores_for(n: int, data: st.DataObject, *, distinct: bool = False) -> np.ndarray:
    if distinct:
        values = data.draw(st.permutations(range(n)))
        return np.array(values, dtype=np.float64)
    values = data.draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
    return np.array(values, dtype=np.float64)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), case=queries(), k=st.integers(1, 15))
def test_metrics_lie_in_unit_interval(
    data: st.DataObject, case: tuple[np.ndarray, np.ndarray], k: int
) -> None:
    labels, starts = case
    scores = scores_for(len(labels), data)
    per_query = evaluate_per_query(labels, scores, starts, ks=(k,), map_k=k, recall_k=k)
    for values in per_query.values():
        kept = values[~np.isnan(values)]
        assert ((kept >= 0) & (kept <= 1)).all()


@settings(max_examples=60, deadline=None)
@given(case=queries(min_relevant=1), k=st.integers(1, 15))
def test_perfect_ranking_scores_exactly_one(case: tuple[np.ndarray, np.ndarray], k: int) -> None:
    labels, starts = case
    scores = labels.astype(np.float64)
    assert ndcg_at_k(labels, scores, starts, k=k) == 1.0
    assert map_at_k(labels, scores, starts, k=k) == 1.0
    assert mrr(labels, scores, starts) == 1.0


@settings(max_examples=60, deadline=None)
@given(data=st.data(), case=queries())
def test_metrics_invariant_to_row_order_within_queries(
    data: st.DataObject, case: tuple[np.ndarray, np.ndarray]
) -> None:
    labels, starts = case
    scores = scores_for(len(labels), data)  # with ties: broken by label, not row order
    bounds = np.r_[starts, len(labels)]
    order = np.concatenate(
        [
            start + np.array(data.draw(st.permutations(range(end - start))), dtype=int)
            for start, end in itertools.pairwise(bounds)
        ]
    )
    before = evaluate(labels, scores, starts)
    after = evaluate(labels[order], scores[order], starts)
    assert before.keys() == after.keys()
    for name, value in before.items():
        assert after[name] == pytest.approx(value, nan_ok=True)


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 30), data=st.data())
def test_mrr_is_one_over_rank_of_first_relevant(size: int, data: st.DataObject) -> None:
    first = data.draw(st.integers(1, size))
    labels = np.zeros(size, dtype=int)
    labels[first - 1] = data.draw(st.integers(1, 4))
    labels[first:] = data.draw(st.lists(st.integers(0, 4), min_size=size - first, max_size=size))[
        : size - first
    ]
    scores = np.arange(size, 0, -1, dtype=np.float64)
    assert mrr(labels, scores, ONE_QUERY) == pytest.approx(1 / first)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), case=queries(min_relevant=1), k=st.integers(1, 15))
def test_ndcg_matches_scikit_learn(
    data: st.DataObject, case: tuple[np.ndarray, np.ndarray], k: int
) -> None:
    """sklearn's ``ndcg_score`` with gains ``2^rel − 1`` as ``y_true`` (distinct scores)."""
    labels, starts = case
    scores = scores_for(len(labels), data, distinct=True)
    bounds = np.r_[starts, len(labels)]
    expected = []
    for start, end in itertools.pairwise(bounds):
        gains = 2.0 ** labels[start:end] - 1
        if end - start == 1:
            expected.append(1.0)  # sklearn refuses one-document queries
        else:
            expected.append(ndcg_score([gains], [scores[start:end]], k=k))
    assert ndcg_at_k(labels, scores, starts, k=k) == pytest.approx(np.mean(expected))


# --- exposure --------------------------------------------------------------------------------


def test_gini_hand_computed() -> None:
    # Mean absolute difference of 1, 2, 3: 8 / 9 over ordered pairs; / (2 · mean 2) = 2 / 9.
    assert gini_coefficient([1, 2, 3]) == pytest.approx(2 / 9)
    assert gini_coefficient([0, 0, 0, 5]) == pytest.approx(3 / 4)
    assert math.isnan(gini_coefficient([0, 0]))
    assert math.isnan(gini_coefficient([]))


@given(value=st.floats(0.01, 1e6), n=st.integers(1, 50))
def test_gini_of_equal_values_is_zero(value: float, n: int) -> None:
    assert gini_coefficient(np.full(n, value)) == pytest.approx(0.0, abs=1e-12)


@given(impressions=st.lists(st.integers(0, 100), min_size=1, max_size=30))
def test_gini_lies_in_unit_interval(impressions: list[int]) -> None:
    value = gini_coefficient(impressions)
    assert math.isnan(value) if not any(impressions) else 0 <= value < 1


def test_exposure_gini_counts_top_k_impressions_per_opening() -> None:
    item_ids = np.array(["V1", "V2", "V1", "V2", "V3"])
    positions = np.array([1, 2, 1, 2, 11])
    # V1 and V2 twice each in the top 10, V3 only at 11: impressions 2, 2, 0.
    assert exposure_gini(item_ids, positions, k=10) == pytest.approx(gini_coefficient([2, 2, 0]))
    assert exposure_gini(item_ids, positions, k=20) == pytest.approx(gini_coefficient([2, 2, 1]))
    # V1 has two openings: per opening 1, 2, 0.
    openings = np.array([2, 1, 2, 1, 1])
    assert exposure_gini(item_ids, positions, k=10, openings=openings) == pytest.approx(
        gini_coefficient([1, 2, 0])
    )
    # Exposure proportional to openings is equal exposure.
    equal = exposure_gini(np.array([1, 1, 2]), np.array([1, 2, 1]), openings=np.array([2, 2, 1]))
    assert equal == 0.0


# --- errors ----------------------------------------------------------------------------------


def test_bad_inputs_are_refused() -> None:
    labels, scores = ranked([1, 0, 2])
    with pytest.raises(ValueError, match="scores must be finite"):
        ndcg_at_k(labels, np.array([1.0, np.nan, 0.0]), ONE_QUERY)
    with pytest.raises(ValueError, match="query_starts must be strictly increasing from 0"):
        ndcg_at_k(labels, scores, np.array([1]))
    with pytest.raises(ValueError, match="query_starts must be strictly increasing from 0"):
        ndcg_at_k(labels, scores, np.array([0, 0]))
    with pytest.raises(ValueError, match=r"k=0 must be at least 1"):
        ndcg_at_k(labels, scores, ONE_QUERY, k=0)
    with pytest.raises(TypeError, match="k must be an int"):
        ndcg_at_k(labels, scores, ONE_QUERY, k=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scores must have the shape of labels"):
        mrr(labels, scores[:2], ONE_QUERY)
    with pytest.raises(ValueError, match="labels must be ≥ 0"):
        mrr(np.array([-1, 0, 1]), scores, ONE_QUERY)
    with pytest.raises(TypeError, match="labels must be integers"):
        mrr(np.array([0.5, 0, 1]), scores, ONE_QUERY)
    with pytest.raises(ValueError, match="openings differ between rows of item 'V1'"):
        exposure_gini(np.array(["V1", "V1"]), np.array([1, 2]), openings=np.array([1, 2]))
    with pytest.raises(ValueError, match="openings must be integers ≥ 1"):
        exposure_gini(np.array(["V1"]), np.array([1]), openings=np.array([0]))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), case=queries(min_relevant=1), k=st.integers(1, 15))
def test_ndcg_of_gains_equals_graded_ndcg_with_the_same_gains(
    data: st.DataObject, case: tuple[np.ndarray, np.ndarray], k: int
) -> None:
    """Given gains 2^label − 1, the gains form is the graded NDCG, query by query."""
    labels, starts = case
    scores = scores_for(len(labels), data)
    graded = evaluate_per_query(labels, scores, starts, ks=(k,))[f"ndcg@{k}"]
    direct = ndcg_of_gains_per_query(2.0**labels - 1.0, scores, starts, k=k)
    np.testing.assert_allclose(direct, graded, equal_nan=True)


def test_ndcg_of_gains_takes_real_gains_and_refuses_bad_ones() -> None:
    gains = np.array([0.5, 2.0, 0.0, 0.0])
    scores = np.array([3.0, 2.0, 1.0, 0.0])
    starts = np.array([0, 2])
    ideal = 2.0 + 0.5 / math.log2(3)
    result = ndcg_of_gains_per_query(gains, scores, starts, k=2)
    assert result[0] == pytest.approx((0.5 + 2.0 / math.log2(3)) / ideal)
    assert math.isnan(result[1])  # nothing relevant in the second query
    with pytest.raises(ValueError, match="gains must be ≥ 0"):
        ndcg_of_gains_per_query(-gains, scores, starts)
    with pytest.raises(ValueError, match="gains must be finite"):
        ndcg_of_gains_per_query(np.array([np.nan, 1, 0, 0]), scores, starts)
