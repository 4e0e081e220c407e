"""Benchmark ranker training on ~1M labelled pairs, serving latency, and NDCG against tree count.

Usage::

    .venv/bin/python benchmarks/bench_training.py                    # 50,000 queries × 20
    .venv/bin/python benchmarks/bench_training.py --queries 5000     # a quick run

Data: synthetic, with a planted signal and logged positions. Each query has 20 candidates with
22 features (the 20 pair-feature names of :mod:`features.pairwise`, plus ``bm25`` and a pure
``noise`` column), uniform in [0, 1). A hidden utility — linear in a few features plus
interactions and thresholds, plus Gaussian noise — is cut at fixed quantiles into the graded
labels (about 80 % impressions, 10 % clicks, 6 % applications, 3 % interviews, 1 % hires). A
logging policy (the utility plus noise) sets the shown positions 1–20, and a candidate at
position p is looked at with probability p^-0.5: a label of an unseen candidate becomes 0 (the
position bias LambdaMART's ``position`` input corrects). The held-out queries (a fifth as many,
another seed) keep their true labels.

Each measurement runs in a fresh ``spawn`` process, so its peak resident memory (``ru_maxrss``)
is its own. Printed per ranker: the resident memory once the training set is built (``data MB``,
lightgbm and scikit-learn already imported), the peak while it was built (``data peak``), the
peak after training (``peak MB``) and ``train +MB`` = peak − data: what training adds on top of
the set it is given.

1. LambdaMART with the default parameters (200 trees × 31 leaves, all cores) and the pointwise
   baseline (``HistGradientBoostingRegressor``, 200 iterations) on the same training set; their
   held-out NDCG@10 beside the one-feature baselines and random.
2. Serving: predict for one query of 300 candidates (``num_threads=1``, p50/p99 over 200 calls,
   after 10 warm-up calls; also with all cores) and ``pred_contrib`` for 20 rows.
3. Model size: a 300-tree LambdaMART evaluated with its first 50/100/200/300 trees — held-out
   NDCG@10 and the predict/contributions latency of each size.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from features.pairwise import FEATURE_NAMES  # noqa: E402
from models.dataset import RankingSet  # noqa: E402

NAMES = (*FEATURE_NAMES, "bm25", "noise")
CANDIDATES = 20
LABEL_SHARES = (0.80, 0.10, 0.06, 0.03, 0.01)
"""Share of rows with label 0 (impression) … 4 (hire) before position bias."""
TREE_COUNTS = (50, 100, 200, 300)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _resident_mb() -> float:
    """Current resident memory (Linux ``/proc/self/statm``), not the peak."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def make_pairs(n_queries: int, seed: int, *, biased: bool = True) -> RankingSet:
    """Synthetic (seeker, vacancy) rows with a planted utility; see the module notes."""
    rng = np.random.default_rng(seed)
    n_rows = n_queries * CANDIDATES
    features = rng.random((n_rows, len(NAMES)), dtype=np.float32)

    def column(name: str) -> np.ndarray:
        return features[:, NAMES.index(name)]  # a view: no copy of the matrix

    utility = rng.normal(0.0, 0.5, n_rows).astype(np.float32)
    utility += 1.6 * column("text_similarity")
    utility += 1.2 * column("skill_coverage") * column("vacancy_lists_skills")
    utility += 0.9 * column("salary_fit")
    utility += 0.8 * (column("same_city") > 0.5) * column("in_desired_regions")
    utility -= 1.0 * (column("education_gap") > 0.8)
    utility -= 0.7 * (column("missing_required_certificates") > 0.7)
    utility += 0.6 * column("bm25")
    utility += 0.5 * np.sin(3.0 * column("age_fit"))
    utility += 0.4 * column("priority_group_match") * column("accessibility_fit")
    cuts = np.quantile(utility, np.cumsum(LABEL_SHARES)[:-1])
    grades = np.searchsorted(cuts, utility).astype(np.int8)
    query_ids = np.repeat(np.arange(n_queries, dtype=np.int64), CANDIDATES)
    logging_policy = utility + rng.normal(0.0, 1.0, n_rows).astype(np.float32)
    order = np.lexsort((-logging_policy, query_ids))
    positions = np.empty(n_rows, dtype=np.int16)
    positions[order] = np.arange(n_rows) % CANDIDATES + 1
    labels = grades
    if biased:
        seen = rng.random(n_rows) < positions.astype(np.float64) ** -0.5
        labels = np.where(seen, grades, 0).astype(np.int8)
    return RankingSet(features, labels, query_ids, NAMES, positions=positions)


def _ndcg10(data: RankingSet, scores: np.ndarray) -> float:
    from models.metrics import ndcg_at_k

    return ndcg_at_k(data.labels, scores, data.query_starts, k=10)


def train_task(kind: str, n_queries: int, seed: int, folder: str) -> dict[str, Any]:
    """Build the training set, fit ``kind`` (timed), save it to ``folder``; held-out NDCG."""
    from models.rankers import make_ranker  # imports lightgbm and scikit-learn before measuring

    params: dict[str, Any] = {"num_iterations": 300} if kind == "lambdamart-300" else {}
    data = make_pairs(n_queries, seed)
    resident_data = _resident_mb()
    peak_data = _peak_mb()
    ranker = make_ranker(kind.split("-")[0], **params)
    started = time.perf_counter()
    ranker.fit(data)
    seconds = time.perf_counter() - started
    peak = _peak_mb()
    ranker.save(Path(folder))
    held_out = make_pairs(max(n_queries // 5, 1), seed + 1, biased=False)
    return {
        "kind": kind,
        "rows": data.n_rows,
        "seconds": seconds,
        "resident_data_mb": resident_data,
        "peak_data_mb": peak_data,
        "peak_mb": peak,
        "ndcg@10": _ndcg10(held_out, ranker.predict(held_out.features, **_all_cores(kind))),
    }


def _all_cores(kind: str) -> dict[str, Any]:
    return {"num_threads": 0} if kind.startswith("lambdamart") else {}


def baselines_task(n_queries: int, seed: int) -> dict[str, float]:
    """Held-out NDCG@10 of the one-feature baselines and random (nothing to train)."""
    from models.rankers import make_ranker

    data = make_pairs(8, seed)  # the baselines learn nothing; any set with the names will do
    held_out = make_pairs(max(n_queries // 5, 1), seed + 1, biased=False)
    return {
        kind: _ndcg10(held_out, make_ranker(kind).fit(data).predict(held_out.features))
        for kind in ("tfidf_cosine", "bm25", "random")
    }


def _latency(
    call: Callable[[], object], calls: int = 200, warm_up: int = 10
) -> tuple[float, float]:
    """p50 and p99 of ``call()`` in milliseconds."""
    for _ in range(warm_up):
        call()
    times = np.empty(calls)
    for i in range(calls):
        started = time.perf_counter()
        call()
        times[i] = time.perf_counter() - started
    p50, p99 = np.percentile(times * 1000, [50, 99])
    return float(p50), float(p99)


def serving_task(folder: str, seed: int) -> dict[str, Any]:
    """Latency of the saved default model: 300 candidates, 20 contribution rows."""
    from models.rankers import LambdaMARTRanker

    ranker = LambdaMARTRanker.load(Path(folder))
    query = make_pairs(15, seed + 2).features[:300]
    rows = query[:20]
    started = time.perf_counter()
    LambdaMARTRanker.load(Path(folder))
    load_ms = (time.perf_counter() - started) * 1000
    return {
        "trees": ranker.n_trees_,
        "load_ms": load_ms,
        "predict_1": _latency(lambda: ranker.predict(query, num_threads=1)),
        "predict_all": _latency(lambda: ranker.predict(query, num_threads=0)),
        "contrib_20": _latency(lambda: ranker.contributions(rows, num_threads=1)),
    }


def size_task(folder: str, n_queries: int, seed: int) -> list[dict[str, float]]:
    """A 300-tree model cut to its first 50/100/200/300 trees: NDCG@10 and latency."""
    from models.rankers import LambdaMARTRanker

    booster = LambdaMARTRanker.load(Path(folder)).booster_
    held_out = make_pairs(max(n_queries // 5, 1), seed + 1, biased=False)
    query = make_pairs(15, seed + 2).features[:300]
    rows = query[:20]
    results = []
    for trees in TREE_COUNTS:
        scores = booster.predict(held_out.features, num_iteration=trees, num_threads=0)
        predict = _latency(lambda t=trees: booster.predict(query, num_iteration=t, num_threads=1))
        contrib = _latency(
            lambda t=trees: booster.predict(rows, num_iteration=t, pred_contrib=True, num_threads=1)
        )
        results.append(
            {
                "trees": trees,
                "ndcg@10": _ndcg10(held_out, np.asarray(scores)),
                "predict_p50": predict[0],
                "predict_p99": predict[1],
                "contrib_p50": contrib[0],
                "contrib_p99": contrib[1],
            }
        )
    return results


def _in_fresh_process(function: Callable[..., Any], *arguments: Any) -> Any:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *arguments).result()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--queries", type=int, default=50_000, help="training queries (× 20)")
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args(argv)

    import lightgbm
    import sklearn

    print(
        f"python {platform.python_version()}, lightgbm {lightgbm.__version__}, "
        f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"training set: {arguments.queries:,} queries × {CANDIDATES} = "
        f"{arguments.queries * CANDIDATES:,} pairs, {len(NAMES)} features\n"
    )

    with tempfile.TemporaryDirectory(prefix="jobmatch-bench-") as scratch:
        folders = {kind: str(Path(scratch) / kind) for kind in ("lambdamart", "pointwise", "300")}
        print(
            f"{'ranker':<16}{'train s':>9}{'peak MB':>9}{'data MB':>9}{'data peak':>10}"
            f"{'train +MB':>10}{'NDCG@10':>9}"
        )
        for kind, folder in (
            ("lambdamart", folders["lambdamart"]),
            ("pointwise", folders["pointwise"]),
            ("lambdamart-300", folders["300"]),
        ):
            result = _in_fresh_process(train_task, kind, arguments.queries, arguments.seed, folder)
            print(
                f"{kind:<16}{result['seconds']:>9.1f}{result['peak_mb']:>9.0f}"
                f"{result['resident_data_mb']:>9.0f}{result['peak_data_mb']:>10.0f}"
                f"{result['peak_mb'] - result['resident_data_mb']:>10.0f}"
                f"{result['ndcg@10']:>9.4f}",
                flush=True,
            )
        baselines = _in_fresh_process(baselines_task, arguments.queries, arguments.seed)
        for kind, ndcg in baselines.items():
            print(f"{kind:<16}{'—':>9}{'—':>9}{'—':>9}{'—':>10}{'—':>10}{ndcg:>9.4f}")

        serving = _in_fresh_process(serving_task, folders["lambdamart"], arguments.seed)
        print(
            f"\nserving, default model ({serving['trees']} trees × 31 leaves), "
            f"load {serving['load_ms']:.0f} ms"
        )
        for label, key in (
            ("predict 300 candidates, 1 thread", "predict_1"),
            ("predict 300 candidates, all cores", "predict_all"),
            ("pred_contrib 20 rows, 1 thread", "contrib_20"),
        ):
            p50, p99 = serving[key]
            print(f"  {label:<36} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")

        sizes = _in_fresh_process(size_task, folders["300"], arguments.queries, arguments.seed)
        print(
            "\nmodel size (first n trees of a 300-tree model), held-out NDCG@10 and latency "
            "(1 thread)"
        )
        print(
            f"{'trees':>6}{'NDCG@10':>9}{'predict 300 p50/p99 ms':>26}{'contrib 20 p50/p99 ms':>25}"
        )
        for row in sizes:
            print(
                f"{row['trees']:>6}{row['ndcg@10']:>9.4f}"
                f"{row['predict_p50']:>13.2f} /{row['predict_p99']:>7.2f}"
                f"{row['contrib_p50']:>15.2f} /{row['contrib_p99']:>7.2f}"
            )


if __name__ == "__main__":
    main()
