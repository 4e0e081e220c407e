"""Job-fair shortlists: ``own_best`` (each seeker's own top k) beside capacity-aware ``allocate``.

Synthetic fair: ``--seekers`` seekers (default 100,000), ``--vacancies`` vacancies (default
20,000) with 1–10 openings each, ``--top`` candidates per seeker (default 200). Vacancy appeal is
Zipf-skewed — ``appeal_j = −zipf · ln(popularity rank_j)`` — and a seeker's score for a candidate
is ``appeal_j + N(0, 1)`` fit noise. Half of each seeker's candidates come from the most popular
tenth of the vacancies, half from the rest (distinct within the seeker, drawn as arithmetic
progressions with a step coprime to the pool size).

Prints, for each method, wall time and peak traced memory (``tracemalloc``, numpy allocations
included) of the call alone, then the :func:`~matcher.fairs.allocation.allocation_report` figures
before (own_best) and after (allocate), and the process's peak RSS.

    python benchmarks/bench_allocation.py [--seekers 100000] [--vacancies 20000] [--top 200]
        [--k 10] [--target-per-opening T] [--protected-share 0.05] [--seed 7]

A random ``--protected-share`` of the seekers is protected (kept on their own top k); their
entries alone can keep a popular vacancy over target, which bounds the "after" maximum.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from matcher.fairs.allocation import (
    Allocation,
    AllocationReport,
    Candidates,
    allocate,
    allocation_report,
    own_best,
)

T = TypeVar("T")


def progression(rng: np.random.Generator, rows: int, length: int, pool: int) -> NDArray[np.int64]:
    """``rows`` × ``length`` distinct values in ``0 … pool − 1`` per row: ``(a + s·m) mod pool``
    with a random start ``a`` and a random step ``s`` coprime to ``pool``."""
    start = rng.integers(0, pool, size=rows)
    step = rng.integers(1, max(pool, 2), size=rows)
    while (bad := np.gcd(step, pool) != 1).any():
        step[bad] = rng.integers(1, max(pool, 2), size=int(bad.sum()))
    values = start[:, None] + step[:, None] * np.arange(length)
    return np.asarray(values % pool, dtype=np.int64)


def synthetic(
    n_seekers: int, n_vacancies: int, top: int, seed: int, zipf: float = 1.0
) -> tuple[Candidates, NDArray[np.float64]]:
    """A Zipf-skewed fair: candidates (ordered by seeker, score descending) and openings."""
    rng = np.random.default_rng(seed)
    top = min(top, n_vacancies)
    popularity_rank = rng.permutation(n_vacancies)  # vacancy row → 0 = most popular
    appeal = -zipf * np.log1p(popularity_rank)
    by_popularity = np.argsort(popularity_rank)
    head = max(n_vacancies // 10, min(top, n_vacancies))
    from_head = min(top // 2, head)
    from_tail = min(top - from_head, n_vacancies - head)
    picks = np.concatenate(
        [
            progression(rng, n_seekers, from_head, head),
            head + progression(rng, n_seekers, from_tail, n_vacancies - head),
        ],
        axis=1,
    )
    vacancy = by_popularity[picks]
    score = appeal[vacancy] + rng.standard_normal(vacancy.shape)
    order = np.argsort(-score, axis=1)
    vacancy = np.take_along_axis(vacancy, order, axis=1).ravel()
    score = np.take_along_axis(score, order, axis=1).ravel()
    seeker = np.repeat(np.arange(n_seekers, dtype=np.int64), picks.shape[1])
    openings = rng.integers(1, 11, size=n_vacancies).astype(np.float64)
    return Candidates(seeker, vacancy, score, n_seekers, n_vacancies), openings


def measured(call: Callable[[], T]) -> tuple[T, float, float]:
    """Result, wall seconds and peak traced MB of one call."""
    tracemalloc.start()
    start = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def show(label: str, report: AllocationReport) -> None:
    protected = report.groups["protected"]
    listed = f"{protected.with_list_share:6.1%}" if protected.seekers else "   n/a"
    print(
        f"  {label:<9} applicants/opening max {report.applicants_per_opening_max:9.1f}   "
        f"p90 {report.applicants_per_opening_p90:6.2f}   "
        f"Gini {report.applicants_per_opening_gini:5.3f}   "
        f"vacancies on no list {report.vacancies_without_applicants:6d}   "
        f"mean rank loss {report.mean_rank_loss:6.2f}   "
        f"seekers changed {report.seekers_changed_share:6.1%}   "
        f"protected listed {listed}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=20_000)
    parser.add_argument("--top", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--target-per-opening", type=float, default=None)
    parser.add_argument("--protected-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    start = time.perf_counter()
    candidates, openings = synthetic(args.seekers, args.vacancies, args.top, args.seed)
    protected = np.random.default_rng(args.seed + 1).random(args.seekers) < args.protected_share
    print(
        f"{args.seekers:,} seekers × {args.vacancies:,} vacancies ({int(openings.sum()):,} "
        f"openings), top {args.top} → {candidates.n_pairs:,} pairs, k = {args.k}, "
        f"{int(protected.sum()):,} protected; generated in {time.perf_counter() - start:.1f} s"
    )
    _, seconds, peak = measured(
        lambda: Candidates(
            candidates.seeker,
            candidates.vacancy,
            candidates.score,
            candidates.n_seekers,
            candidates.n_vacancies,
        )
    )
    print(f"  Candidates validation          {seconds:7.2f} s   peak {peak:8.1f} MB")
    before: Allocation
    after: Allocation
    before, seconds, peak = measured(lambda: own_best(candidates, args.k))
    print(f"  own_best                       {seconds:7.2f} s   peak {peak:8.1f} MB")
    after, seconds, peak = measured(
        lambda: allocate(
            candidates,
            openings,
            args.k,
            protected=protected,
            target_per_opening=args.target_per_opening,
        )
    )
    print(
        f"  allocate                       {seconds:7.2f} s   peak {peak:8.1f} MB   "
        f"({after.iterations} iterations, converged {after.converged})"
    )
    groups = {"protected": protected}
    show("own_best", allocation_report(candidates, before, openings, groups))
    show("allocate", allocation_report(candidates, after, openings, groups))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"  process peak RSS {rss:,.0f} MB")


if __name__ == "__main__":
    main()
