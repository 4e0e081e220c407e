from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from matcher.fairs.allocation import (
    Allocation,
    Candidates,
    allocate,
    allocation_report,
    exposure,
    own_best,
)

# --------------------------------------------------------------------------------------------
# Builders


def candidates(pairs: list[tuple[int, int, float]], n_seekers: int, n_vacancies: int) -> Candidates:
    """Candidates from (seeker, vacancy, score) triples."""
    seeker, vacancy, score = zip(*pairs, strict=True) if pairs else ((), (), ())
    return Candidates(
        np.array(seeker, dtype=np.int64),
        np.array(vacancy, dtype=np.int64),
        np.array(score, dtype=np.float64),
        n_seekers,
        n_vacancies,
    )


def one_hot_fair() -> tuple[Candidates, NDArray[np.float64]]:
    """Ten seekers whose first choice is vacancy 0 (one opening). Seeker i's second choice,
    vacancy 1 + i, scores 0.5 + 0.04 i: seeker 0 loves vacancy 0 the most, seeker 9 the least.
    Vacancies 1–10 have one opening each."""
    pairs = []
    for i in range(10):
        pairs.append((i, 0, 1.0))
        pairs.append((i, 1 + i, 0.5 + 0.04 * i))
        pairs.append((i, 1 + (i + 1) % 10, 0.3))
        pairs.append((i, 1 + (i + 2) % 10, 0.2))
    return candidates(pairs, 10, 11), np.ones(11)


def pair_set(c: Candidates, allocation: Allocation) -> set[tuple[int, int]]:
    chosen = allocation.chosen
    return set(zip(c.seeker[chosen].tolist(), c.vacancy[chosen].tolist(), strict=True))


@st.composite
def instances(draw: st.DrawFn) -> tuple[Candidates, NDArray[np.float64], int, NDArray[np.bool_]]:
    """Small random fairs: some seekers without candidates, tied scores, 1–3 openings."""
    n_seekers = draw(st.integers(1, 8))
    n_vacancies = draw(st.integers(1, 8))
    grid = [(i, j) for i in range(n_seekers) for j in range(n_vacancies)]
    chosen = draw(st.lists(st.sampled_from(grid), unique=True, max_size=len(grid)))
    scores = draw(
        st.lists(
            st.sampled_from([0.0, 0.25, 0.5, 1.0, 2.0, -1.0]),
            min_size=len(chosen),
            max_size=len(chosen),
        )
    )
    c = candidates(
        [(i, j, s) for (i, j), s in zip(chosen, scores, strict=True)], n_seekers, n_vacancies
    )
    capacity = np.array(
        draw(st.lists(st.integers(1, 3), min_size=n_vacancies, max_size=n_vacancies)), float
    )
    k = draw(st.integers(1, 4))
    protected = np.array(
        draw(st.lists(st.booleans(), min_size=n_seekers, max_size=n_seekers)), dtype=bool
    )
    return c, capacity, k, protected


# --------------------------------------------------------------------------------------------
# Candidates


def test_rank_orders_by_score_then_vacancy_row() -> None:
    c = candidates([(1, 4, 0.5), (0, 2, 0.1), (1, 0, 0.9), (1, 3, 0.5), (0, 1, 0.7)], 3, 5)
    assert c.rank.tolist() == [3, 2, 1, 2, 1]
    assert c.counts.tolist() == [2, 3, 0]
    assert not c.is_ordered
    assert c.order.tolist() == [4, 1, 2, 3, 0]
    assert c.top(1).tolist() == [False, False, True, False, True]


def test_ordered_input_is_recognised() -> None:
    c = candidates([(0, 3, 0.9), (0, 1, 0.5), (0, 2, 0.5), (2, 0, 1.0)], 3, 4)
    assert c.is_ordered
    assert c.rank.tolist() == [1, 2, 3, 1]
    assert c.order.tolist() == [0, 1, 2, 3]


@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.sampled_from([0.0, 1.0, 2.5, -3.0])),
        unique_by=lambda t: (t[0], t[1]),
        max_size=30,
    )
)
def test_order_matches_a_three_key_sort(pairs: list[tuple[int, int, float]]) -> None:
    c = candidates(pairs, 6, 6)
    expected = np.lexsort((c.vacancy, -c.score, c.seeker))
    assert c.order.tolist() == expected.tolist()
    positions = {int(p): r for r, p in enumerate(expected)}
    starts = np.cumsum(c.counts) - c.counts
    for pair in range(c.n_pairs):
        assert c.rank[pair] == positions[pair] - starts[c.seeker[pair]] + 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (([[0, 1]], [0], [1.0], 2, 2), "seeker must be 1-D"),
        (([0, 1], [0], [1.0, 2.0], 2, 2), "same length"),
        (([0], [0], [1.0, 2.0], 2, 2), "same length"),
        (([0, 2], [0, 1], [1.0, 2.0], 2, 2), r"seeker must lie in 0 … 1, got 2"),
        (([0, 1], [0, -1], [1.0, 2.0], 2, 2), r"vacancy must lie in 0 … 1, got -1"),
        (([0.0, 1.0], [0, 1], [1.0, 2.0], 2, 2), "seeker must hold integer rows"),
        (([0, 0], [1, 1], [1.0, 2.0], 2, 2), r"repeat the pair \(seeker 0, vacancy 1\)"),
        (([0, 1], [0, 1], [1.0, np.nan], 2, 2), "score must be finite"),
        (([0, 1], [0, 1], [1.0, np.inf], 2, 2), "score must be finite"),
        (([0], [0], [[1.0]], 2, 2), "score must be 1-D"),
        (([0], [0], [1.0], -1, 2), "n_seekers must be an integer ≥ 0"),
        (([0], [0], [1.0], 2, 1.5), "n_vacancies must be an integer ≥ 0"),
    ],
)
def test_candidates_validation_names_the_argument(arguments: tuple[Any, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Candidates(*arguments)


def test_order_with_many_seekers_and_a_very_long_list() -> None:
    rng = np.random.default_rng(5)
    # 70,000 seekers need two 16-bit radix passes; one seeker with 3,000 candidates makes the
    # padded per-seeker table too wide, so the second set takes the lexsort path.
    for n_seekers, long_list in ((70_000, 0), (1_000, 3_000)):
        n_vacancies = 4_000
        keys = rng.choice(n_seekers * n_vacancies, size=6_000, replace=False)
        seeker = np.r_[keys // n_vacancies, np.zeros(long_list, dtype=np.int64)]
        vacancy = np.r_[keys % n_vacancies, np.arange(long_list)]
        keep = np.unique(seeker * n_vacancies + vacancy, return_index=True)[1]
        seeker, vacancy = seeker[keep], vacancy[keep]
        score = rng.integers(0, 5, len(seeker)).astype(float)  # many ties
        shuffle = rng.permutation(len(seeker))
        c = Candidates(seeker[shuffle], vacancy[shuffle], score[shuffle], n_seekers, n_vacancies)
        assert not c.is_ordered
        expected = np.lexsort((c.vacancy, -c.score, c.seeker))
        assert np.array_equal(c.order, expected)


# --------------------------------------------------------------------------------------------
# The one-vacancy rush


def test_allocation_spreads_a_rush_own_best_does_not() -> None:
    c, capacity = one_hot_fair()
    before = own_best(c, 1)
    after = allocate(c, capacity, 1)
    assert after.method == "sinkhorn" and after.converged
    assert np.bincount(c.vacancy[before.chosen], minlength=11)[0] == 10
    load = np.bincount(c.vacancy[after.chosen], minlength=11)
    assert 1 <= load[0] <= 2
    report_before = allocation_report(c, before, capacity)
    report_after = allocation_report(c, after, capacity)
    assert report_before.applicants_per_opening_max == 10
    assert report_after.applicants_per_opening_max <= 2
    assert report_after.applicants_per_opening_gini < report_before.applicants_per_opening_gini
    assert report_after.vacancies_without_applicants < report_before.vacancies_without_applicants
    assert report_before.mean_rank_loss == 0
    assert 0 < report_after.mean_rank_loss <= 1
    assert report_after.max_rank_loss == 1  # nobody drops below their second choice
    # Those who keep vacancy 0 are the ones who prefer it most (seeker 0 first).
    keepers = sorted(c.seeker[after.chosen & (c.vacancy == 0)].tolist())
    assert keepers == list(range(len(keepers)))
    # Vacancy 0 carries by far the highest price.
    assert after.price is not None and after.price[0] > 3 * after.price[1:].max()


def test_protected_rushers_keep_their_first_choice() -> None:
    c, capacity = one_hot_fair()
    protected = np.zeros(10, dtype=bool)
    protected[[5, 9]] = True
    after = allocate(c, capacity, 1, protected=protected)
    keepers = set(c.seeker[after.chosen & (c.vacancy == 0)].tolist())
    assert {5, 9} <= keepers
    assert len(keepers) <= 3
    report = allocation_report(
        c, after, capacity, groups={"protected": protected, "others": ~protected}
    )
    group = report.groups["protected"]
    assert (group.seekers, group.with_list_share, group.mean_list_length) == (2, 1.0, 1.0)
    assert group.exposure_total == pytest.approx(2.0)  # two lists of own rank 1
    assert report.groups["others"].exposure_total < 8.0


@pytest.mark.parametrize("per_opening", [2, 3, 5])
def test_explicit_target_is_met_by_the_keenest(per_opening: int) -> None:
    c, capacity = one_hot_fair()
    near_hard = allocate(c, capacity, 1, target_per_opening=per_opening, overload_weight=10.0)
    keepers = sorted(c.seeker[near_hard.chosen & (c.vacancy == 0)].tolist())
    assert keepers == list(range(per_opening))
    soft = allocate(c, capacity, 1, target_per_opening=per_opening)
    load = np.bincount(c.vacancy[soft.chosen], minlength=11)
    assert per_opening <= load[0] <= 2 * per_opening
    assert load[1:].max() <= per_opening


def test_ample_target_gives_own_best() -> None:
    c, capacity = one_hot_fair()
    after = allocate(c, capacity, 2, target_per_opening=10.0)
    assert np.array_equal(after.chosen, own_best(c, 2).chosen)
    assert after.iterations == 0


def test_shortlists_follow_own_score() -> None:
    c = candidates([(0, 2, 0.1), (0, 0, 0.9), (0, 1, 0.5), (2, 1, 1.0)], 3, 3)
    lists = own_best(c, 2).shortlists(c)
    assert [lst.tolist() for lst in lists] == [[0, 1], [], [1]]
    assert own_best(c, 2).list_lengths(c).tolist() == [2, 0, 1]


# --------------------------------------------------------------------------------------------
# Guarantees on random fairs


@settings(max_examples=150, deadline=None)
@given(instances(), st.sampled_from([0.0, 0.5, 1.0]), st.sampled_from([0.02, 0.05, 0.3]))
def test_guarantees(
    instance: tuple[Candidates, NDArray[np.float64], int, NDArray[np.bool_]],
    rank_weight: float,
    epsilon: float,
) -> None:
    c, capacity, k, protected = instance
    result = allocate(c, capacity, k, protected=protected, rank_weight=rank_weight, epsilon=epsilon)
    baseline = own_best(c, k)
    # Everyone with candidates gets min(k, n_i) distinct candidates.
    assert result.list_lengths(c).tolist() == np.minimum(c.counts, k).tolist()
    assert result.chosen.dtype == np.bool_ and len(result.chosen) == c.n_pairs
    for seeker, listed in enumerate(result.shortlists(c)):
        assert len(set(listed.tolist())) == len(listed)
        assert set(listed.tolist()) <= set(c.vacancy[c.seeker == seeker].tolist())
    # Protected seekers keep their own top k, hence their exposure.
    mine = protected[c.seeker]
    assert np.array_equal(result.chosen[mine], baseline.chosen[mine])
    assert np.allclose(exposure(c, result)[protected], exposure(c, baseline)[protected])
    # Nobody's exposure exceeds their own top k's; rank loss is ≥ 0.
    assert (exposure(c, result) <= exposure(c, baseline) + 1e-12).all()
    assert allocation_report(c, result, capacity).mean_rank_loss >= 0 or c.n_pairs == 0
    # Seekers whose own top k is all unpriced keep it.
    if result.price is not None:
        priced = result.price[c.vacancy] > 0
        touched = np.bincount(c.seeker[baseline.chosen & priced], minlength=c.n_seekers) > 0
        calm = ~touched[c.seeker]
        assert np.array_equal(result.chosen[calm], baseline.chosen[calm])


@settings(max_examples=60, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_pair_order(
    instance: tuple[Candidates, NDArray[np.float64], int, NDArray[np.bool_]], random: Any
) -> None:
    c, capacity, k, protected = instance
    first = allocate(c, capacity, k, protected=protected)
    again = allocate(c, capacity, k, protected=protected)
    assert np.array_equal(first.chosen, again.chosen)
    shuffle = np.array(random.sample(range(c.n_pairs), c.n_pairs), dtype=np.int64)
    shuffled = Candidates(
        c.seeker[shuffle], c.vacancy[shuffle], c.score[shuffle], c.n_seekers, c.n_vacancies
    )
    assert pair_set(shuffled, allocate(shuffled, capacity, k, protected=protected)) == pair_set(
        c, first
    )


@settings(max_examples=60, deadline=None)
@given(instances())
def test_ample_capacity_returns_own_best(
    instance: tuple[Candidates, NDArray[np.float64], int, NDArray[np.bool_]],
) -> None:
    c, capacity, k, _ = instance
    ample = allocate(c, capacity, k, target_per_opening=float(c.n_seekers))
    assert np.array_equal(ample.chosen, own_best(c, k).chosen)
    huge = allocate(c, np.full(c.n_vacancies, 1e6), k, target_per_opening=1.0)
    assert np.array_equal(huge.chosen, own_best(c, k).chosen)


def test_everyone_protected_or_short_keeps_own_best() -> None:
    c, capacity = one_hot_fair()
    everyone = allocate(c, capacity, 1, protected=np.ones(10, dtype=bool))
    assert np.array_equal(everyone.chosen, own_best(c, 1).chosen)
    short = allocate(c, capacity, 4)  # nobody has more than 4 candidates
    assert np.array_equal(short.chosen, own_best(c, 4).chosen)


def test_empty_and_candidate_less_seekers() -> None:
    empty = candidates([], 3, 2)
    assert not allocate(empty, np.ones(2), 3).chosen.any()
    report = allocation_report(empty, own_best(empty, 3), np.ones(2), {"all": np.ones(3, bool)})
    assert report.list_entries == 0 and report.vacancies_without_candidates == 2
    assert np.isnan(report.mean_rank_loss) and np.isnan(report.applicants_per_opening_gini)
    assert report.groups["all"].with_list_share == 0.0


def test_iteration_limit_still_gives_full_lists() -> None:
    c, capacity = one_hot_fair()
    result = allocate(c, capacity, 1, iterations=1, tolerance=0.0)
    assert result.iterations == 1 and not result.converged
    assert result.list_lengths(c).tolist() == [1] * 10


# --------------------------------------------------------------------------------------------
# Report


def test_report_figures() -> None:
    # Seeker 0: vacancies 0 > 1 > 2; seeker 1: 0 > 2; seeker 2: nothing.
    c = candidates([(0, 0, 3.0), (0, 1, 2.0), (0, 2, 1.0), (1, 0, 5.0), (1, 2, 4.0)], 3, 4)
    chosen = np.array([False, True, True, True, False])  # seeker 0 takes ranks 2 and 3
    allocation = Allocation(chosen=chosen, method="sinkhorn")
    capacity = np.array([1.0, 2.0, 4.0, 1.0])
    report = allocation_report(
        c, allocation, capacity, groups={"first": np.array([True, False, False])}
    )
    per_opening = np.array([1.0, 0.5, 0.25, 0.0])
    assert report.applicants_per_opening_max == 1.0
    assert report.applicants_per_opening_p90 == pytest.approx(np.percentile(per_opening, 90))
    gini = sum(abs(a - b) for a in per_opening for b in per_opening) / (2 * 16 * per_opening.mean())
    assert report.applicants_per_opening_gini == pytest.approx(gini)
    assert report.vacancies_without_applicants == 1
    assert report.vacancies_without_candidates == 1
    assert (report.seekers_with_list, report.list_entries) == (2, 3)
    assert report.mean_rank_loss == pytest.approx((1.0 + 0.0) / 2)  # (2.5 − 1.5) and 0
    assert report.max_rank_loss == 1.0
    assert report.seekers_changed_share == 0.5
    expected_exposure = 1 / np.log2(3) + 1 / np.log2(4) + 1.0
    assert report.exposure_total == pytest.approx(expected_exposure)
    first = report.groups["first"]
    assert (first.seekers, first.with_list_share, first.mean_list_length) == (1, 1.0, 2.0)
    assert first.exposure_total == pytest.approx(1 / np.log2(3) + 1 / np.log2(4))
    data = report.to_dict()
    assert data["groups"]["first"]["seekers"] == 1
    assert json.loads(json.dumps(data))["applicants_per_opening_max"] == 1.0


# --------------------------------------------------------------------------------------------
# Validation


@pytest.mark.parametrize("k", [0, -1, True, 1.5])
def test_k_must_be_a_positive_integer(k: Any) -> None:
    c, capacity = one_hot_fair()
    with pytest.raises(ValueError, match="k must be a whole number ≥ 1"):
        own_best(c, k)
    with pytest.raises(ValueError, match="k must be a whole number ≥ 1"):
        allocate(c, capacity, k)


@pytest.mark.parametrize(
    ("capacity", "message"),
    [
        (np.ones(10), r"capacity must have shape \(11,\)"),
        (np.ones((11, 1)), r"capacity must have shape \(11,\)"),
        (np.r_[0.0, np.ones(10)], "capacity must be finite and > 0, got 0.0 at vacancy 0"),
        (np.r_[np.ones(10), -2.0], "capacity must be finite and > 0, got -2.0 at vacancy 10"),
        (np.r_[np.ones(10), np.inf], "capacity must be finite and > 0"),
    ],
)
def test_capacity_validation(capacity: NDArray[np.float64], message: str) -> None:
    c, _ = one_hot_fair()
    with pytest.raises(ValueError, match=message):
        allocate(c, capacity, 1)
    with pytest.raises(ValueError, match=message):
        allocation_report(c, own_best(c, 1), capacity)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"protected": np.ones(9, dtype=bool)}, r"protected must be a bool array of shape \(10,\)"),
        ({"protected": np.ones(10, dtype=int)}, "protected must be a bool array"),
        ({"epsilon": 0.0}, "epsilon must be a finite number > 0"),
        ({"epsilon": np.inf}, "epsilon must be a finite number > 0"),
        ({"target_per_opening": -1.0}, "target_per_opening must be a finite number > 0"),
        ({"iterations": 0}, "iterations must be an integer ≥ 1"),
        ({"tolerance": -1e-3}, "tolerance must be a finite number ≥ 0"),
        ({"rank_weight": 1.5}, r"rank_weight must lie in \[0, 1\]"),
        ({"overload_weight": 0}, "overload_weight must be a finite number > 0"),
    ],
)
def test_allocate_validation_names_the_argument(options: dict[str, Any], message: str) -> None:
    c, capacity = one_hot_fair()
    with pytest.raises(ValueError, match=message):
        allocate(c, capacity, 1, **options)


def test_allocation_and_groups_must_fit_the_candidates() -> None:
    c, capacity = one_hot_fair()
    with pytest.raises(ValueError, match="chosen must be a 1-D bool array"):
        Allocation(chosen=np.zeros(40, dtype=int), method="greedy")
    with pytest.raises(ValueError, match="method must be one of"):
        Allocation(chosen=np.zeros(40, dtype=bool), method="random")
    short = Allocation(chosen=np.zeros(39, dtype=bool), method="greedy")
    with pytest.raises(ValueError, match="allocation has 39 pairs but candidates has 40"):
        allocation_report(c, short, capacity)
    with pytest.raises(ValueError, match=r"groups\['young'\] must be a bool array of shape"):
        allocation_report(c, own_best(c, 1), capacity, {"young": np.ones(3, dtype=bool)})


# --------------------------------------------------------------------------------------------
# Scale


def test_scale_smoke_200k_pairs() -> None:
    rng = np.random.default_rng(3)
    n_seekers, n_vacancies, top = 2_000, 1_000, 100
    appeal = -np.log1p(rng.permutation(n_vacancies))
    vacancy = np.stack([rng.choice(n_vacancies, top, replace=False) for _ in range(n_seekers)])
    score = appeal[vacancy] + rng.standard_normal(vacancy.shape)
    c = Candidates(
        np.repeat(np.arange(n_seekers), top), vacancy.ravel(), score.ravel(), n_seekers, n_vacancies
    )
    capacity = rng.integers(1, 11, n_vacancies).astype(float)
    start = time.perf_counter()
    result = allocate(c, capacity, 10)
    assert time.perf_counter() - start < 20
    assert c.n_pairs == 200_000 and result.converged
    assert (result.list_lengths(c) == 10).all()
    before = allocation_report(c, own_best(c, 10), capacity)
    after = allocation_report(c, result, capacity)
    assert after.applicants_per_opening_max < before.applicants_per_opening_max / 5
    assert after.applicants_per_opening_gini < before.applicants_per_opening_gini / 2
