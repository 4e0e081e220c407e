"""Does the default model beat the best baseline, overall and for every priority group?

Generates a synthetic Suining store, builds the time-split sets, trains LambdaMART and every
baseline on the same training rows and scores the same test sessions against two truths:

- ``logged``: the graded labels in the interaction log. They are position-biased (a vacancy
  shown at position p is examined with probability p^−0.7), so they reward rankers that copy
  the logging policy's order as much as rankers that find relevance.
- ``oracle``: each shown pair's expected NDCG gain when examined, from the generator's hidden
  utility (:class:`matcher.synth.Oracle`) — the unbiased truth, available for generated data
  only, never a feature.

For each truth it prints mean NDCG@5 and NDCG@10 per ranker, then per priority group the mean
per-query difference in NDCG@10 (model − best baseline) with a paired bootstrap 95 % interval
(queries resampled) and a Holm-adjusted p-value over the groups (17 groups tested at once: one
nominal 95 % "below" is expected by chance, so a gap counts only when its adjusted p < 0.05).

    python benchmarks/compare_groups.py [--seekers 20000] [--vacancies 4000] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from matcher.learning.sets import train_test_sets
from matcher.learning.training import fit_ranker
from matcher.reference import priority_groups
from matcher.storage.store import Store
from matcher.synth import Oracle, generate
from models import RANKERS
from models.metrics import evaluate_per_query, ndcg_of_gains_per_query

MIN_QUERIES = 30
"""Groups with fewer test queries (with something relevant) are not tested."""


def bootstrap(
    differences: NDArray[np.float64], resamples: int, rng: np.random.Generator
) -> tuple[float, float, float]:
    """Paired bootstrap 95 % interval of the mean and a two-sided p-value for mean = 0."""
    picks = rng.integers(0, len(differences), size=(resamples, len(differences)))
    means = differences[picks].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    p_value = min(1.0, 2.0 * min(float((means <= 0).mean()), float((means >= 0).mean())))
    return float(low), float(high), max(p_value, 1.0 / resamples)


def holm(p_values: list[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values (same order as given)."""
    order = np.argsort(p_values)
    adjusted = np.empty(len(p_values))
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted.tolist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=20_000)
    parser.add_argument("--vacancies", type=int, default=4_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--resamples", type=int, default=2_000)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as home, Store.open(Path(home)) as store:
        generate(store, seekers=args.seekers, vacancies=args.vacancies, seed=args.seed)
        train, test = train_test_sets(store)
    oracle = Oracle(args.seekers, args.vacancies, args.seed)
    data = test.ranking
    truths = {
        "logged": None,
        "oracle": oracle.expected_gains(test.seeker_ids.tolist(), test.vacancy_ids.tolist()),
    }
    per_query: dict[str, dict[str, dict[str, NDArray[np.float64]]]] = {t: {} for t in truths}
    for kind in RANKERS:
        scores = fit_ranker(kind, train).predict(data.features)  # as `jobmatch train` fits
        for truth, gains in truths.items():
            if gains is None:
                values = evaluate_per_query(data.labels, scores, data.query_starts)
                per_query[truth][kind] = {k: values[k] for k in ("ndcg@5", "ndcg@10")}
            else:
                per_query[truth][kind] = {
                    f"ndcg@{k}": ndcg_of_gains_per_query(gains, scores, data.query_starts, k)
                    for k in (5, 10)
                }
    print(
        f"{args.seekers:,} seekers / {args.vacancies:,} vacancies, seed {args.seed}: "
        f"{train.n_queries:,} training queries, {data.n_queries:,} test queries "
        f"({time.perf_counter() - started:.0f} s)"
    )
    names = {code: group.name for code, group in priority_groups().items()}
    rng = np.random.default_rng(0)
    for truth, rankers in per_query.items():
        print(f"\n== truth: {truth} ==")
        for kind, values in sorted(
            rankers.items(), key=lambda item: -np.nanmean(item[1]["ndcg@10"])
        ):
            print(
                f"  {kind:<14} NDCG@5 {np.nanmean(values['ndcg@5']):.4f}  "
                f"NDCG@10 {np.nanmean(values['ndcg@10']):.4f}"
            )
        model = rankers["lambdamart"]["ndcg@10"]
        best = max(
            (kind for kind in rankers if kind != "lambdamart"),
            key=lambda kind: np.nanmean(rankers[kind]["ndcg@10"]),
        )
        baseline = rankers[best]["ndcg@10"]
        usable = ~np.isnan(model) & ~np.isnan(baseline)
        tags = {"all": np.ones(data.n_queries, dtype=bool), **data.query_tags}
        rows = []
        for tag, mask in sorted(tags.items(), key=lambda item: -int(item[1].sum())):
            differences = (model - baseline)[mask & usable]
            if len(differences) < MIN_QUERIES:
                continue
            rows.append((tag, differences, *bootstrap(differences, args.resamples, rng)))
        group_rows = [row for row in rows if row[0] != "all"]
        adjusted = dict(
            zip((row[0] for row in group_rows), holm([r[4] for r in group_rows]), strict=True)
        )
        print(f"  NDCG@10 lambdamart − {best} (best baseline), paired bootstrap 95 % CI")
        for tag, differences, low, high, p_value in rows:
            p_shown = adjusted.get(tag, p_value)
            verdict = ""
            if p_shown < 0.05:
                verdict = "  ← above" if differences.mean() > 0 else "  ← BELOW the baseline"
            label = "overall" if tag == "all" else names.get(tag, tag)
            print(
                f"  {label:<14}{len(differences):>6} queries  {differences.mean():+.4f}  "
                f"[{low:+.4f}, {high:+.4f}]  p{'(Holm)' if tag != 'all' else ''} "
                f"{p_shown:.3f}{verdict}"
            )


if __name__ == "__main__":
    main()
