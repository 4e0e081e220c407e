"""Trees against NDCG and prediction time: the serving size of the LambdaMART ranker, measured.

LightGBM's prediction is the largest single cost of a recommendation (about 2 ms of a 6 ms
call for ~330 candidates with 200 trees), and it grows with the trees. This trains the default
ranker on the time-split sets of a synthetic store (the store of ``bench_api.py``: 4,000
seekers, 20,000 vacancies), with more rounds than the default so the curve shows what more
trees would bring, and prints for each number of trees used in prediction:

- NDCG@10 (and NDCG@5) on the training test split — the later campaigns, as ``jobmatch train``
  evaluates;
- NDCG@10 on the real-text set (``tests/data/realtext``, both registers, text only, as
  ``benchmarks/eval_realtext.py`` and ``jobmatch evaluate --pairs`` score it);
- prediction time per request: the candidates' feature rows of real requests (the engine's
  own, captured from ``MatchEngine.recommend_vacancies`` over the store's open vacancies),
  p50 and mean on one thread, beside all trees;

and the size :func:`matcher.learning.training.serving_trees` chooses from the test-split curve
of the default (200-round) model — the rule ``jobmatch train`` applies and records in the
bundle's manifest (``params.serving_trees``), which serving then uses.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_model_size.py [--home DIR] [--rounds 300]
        [--requests 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import setup
from realtext import REGISTERS, load, write_pairs

from matcher.domain.campaigns import load_campaigns
from matcher.domain.records import Seeker
from matcher.learning.evaluation import evaluate_scores, model_scores
from matcher.learning.pairs import pairs_from_file
from matcher.learning.sets import TrainingData, train_test_sets
from matcher.learning.training import (
    SERVING_TOLERANCE,
    TREE_COUNTS,
    fit_ranker,
    serving_trees,
    trees_curve,
)
from matcher.ranking.engine import EngineModel, MatchEngine
from matcher.storage.store import Store
from models.dataset import RankingSet
from models.metrics import evaluate_by_tag
from models.rankers import LambdaMARTRanker

DEFAULT_ROUNDS = 200
"""The default ranker's trees (``LambdaMARTRanker.num_iterations``)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="reuse (or fill) this data directory")
    parser.add_argument("--rounds", type=int, default=300, help="trees to train (≥ 200)")
    parser.add_argument("--requests", type=int, default=200, help="requests timed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        home = args.home or Path(scratch)
        day = setup(home, 4_000, 20_000)
        with Store.open(home) as store:
            started = time.perf_counter()
            train, test = train_test_sets(store)
            full = fit_ranker("lambdamart", train, num_iterations=max(args.rounds, DEFAULT_ROUNDS))
            assert isinstance(full, LambdaMARTRanker)
            print(
                f"trained {full.n_trees_} trees on {train.ranking.n_rows:,} rows "
                f"({train.ranking.n_queries:,} queries) in {time.perf_counter() - started:.0f} s; "
                f"test split {test.ranking.n_queries:,} queries"
            )
            counts = sorted({*TREE_COUNTS, DEFAULT_ROUNDS, full.n_trees_})
            split = {trees: _ndcg(full, test.ranking, trees) for trees in counts}
            realtext = _realtext(full, train, counts)
            timings = _timings(store, full, train, day, counts, args.requests)
    default = full.with_serving_trees(DEFAULT_ROUNDS)
    assert isinstance(default, LambdaMARTRanker)
    curve = trees_curve(default, test.ranking)
    chosen = serving_trees(curve)
    base_time = timings[DEFAULT_ROUNDS]
    print()
    print(
        f"{'trees':>6}{'split NDCG@5':>14}{'split NDCG@10':>15}"
        + "".join(f"{'real ' + r + ' @10':>18}" for r in REGISTERS)
        + f"{'predict p50 ms':>16}{'mean ms':>9}{'vs 200':>8}"
    )
    for trees in counts:
        ndcg5, ndcg10 = split[trees]
        p50, mean = timings[trees]
        mark = (
            "  ← served" if trees == chosen else ("  (default)" if trees == DEFAULT_ROUNDS else "")
        )
        print(
            f"{trees:>6}{ndcg5:>14.4f}{ndcg10:>15.4f}"
            + "".join(f"{realtext[r][trees]:>18.4f}" for r in REGISTERS)
            + f"{p50:>16.3f}{mean:>9.3f}{mean / base_time[1]:>7.2f}×{mark}"
        )
    print()
    print(
        f"serving size (training's rule on the default {DEFAULT_ROUNDS}-tree model: the fewest "
        f"trees within {SERVING_TOLERANCE} of the best test-split NDCG@10): {chosen}"
    )
    if chosen is not None:
        print(
            f"  test split NDCG@10 {split[chosen][1]:.4f} vs {split[DEFAULT_ROUNDS][1]:.4f} "
            f"with {DEFAULT_ROUNDS}; real text "
            + ", ".join(
                f"{r} {realtext[r][chosen]:.4f} vs {realtext[r][DEFAULT_ROUNDS]:.4f}"
                for r in REGISTERS
            )
            + f"; prediction p50 {timings[chosen][0]:.3f} ms vs {base_time[0]:.3f} ms"
        )


def _ndcg(ranker: LambdaMARTRanker, data: RankingSet, trees: int) -> tuple[float, float]:
    scores = ranker.with_serving_trees(trees).predict(data.features, num_threads=0)
    overall = evaluate_by_tag(data, scores)["all"]
    return float(overall["ndcg@5"]), float(overall["ndcg@10"])


def _realtext(
    ranker: LambdaMARTRanker, train: TrainingData, counts: list[int]
) -> dict[str, dict[int, float]]:
    """NDCG@10 on each register of the real-text set, text only, per tree count."""
    data = load()
    results: dict[str, dict[int, float]] = {}
    with tempfile.TemporaryDirectory(prefix="realtext-") as folder:
        for register in REGISTERS:
            path = Path(folder) / f"realtext_{register}.csv"
            write_pairs(data, register, path)
            rows = pairs_from_file(
                path,
                vectorizer=train.vectorizer,
                bm25=train.bm25,
                vocabularies=train.vocabularies,
                unknown_columns="ignore",
            ).ranking
            scores = {
                str(trees): model_scores(
                    EngineModel(
                        ranker.with_serving_trees(trees),
                        train.vectorizer,
                        train.bm25,
                        train.vocabularies,
                    ),
                    rows.features,
                    rows.feature_names,
                )
                for trees in counts
            }
            evaluation = evaluate_scores(rows.labels, rows.query_starts, scores)
            results[register] = {
                trees: float(evaluation.metrics[str(trees)]["ndcg@10"]) for trees in counts
            }
    return results


def _timings(
    store: Store,
    ranker: LambdaMARTRanker,
    train: TrainingData,
    day: dt.date,
    counts: list[int],
    requests: int,
) -> dict[int, tuple[float, float]]:
    """p50 and mean ms of predicting real requests' candidate rows, per tree count."""
    captured: list[np.ndarray] = []

    class Capturing(LambdaMARTRanker):
        def predict(self, features: np.ndarray, num_threads: int = 1) -> np.ndarray:
            captured.append(np.array(features))
            return super().predict(features, num_threads)

    spy = Capturing.__new__(Capturing)
    spy.__dict__.update(ranker.__dict__)
    model = EngineModel(spy, train.vectorizer, train.bm25, train.vocabularies)
    engine = MatchEngine(store, model, load_campaigns(), today=day)
    for seeker in store.list(Seeker, limit=requests):
        engine.recommend_vacancies(seeker, 20)
    rows = np.mean([len(features) for features in captured])
    print(f"{len(captured)} requests captured, {rows:.0f} candidate rows each on average")
    results = {}
    for trees in counts:
        served = ranker.with_serving_trees(trees)
        for features in captured[:20]:
            served.predict(features)
        elapsed = []
        for features in captured:
            start = time.perf_counter()
            served.predict(features)
            elapsed.append(time.perf_counter() - start)
        results[trees] = (float(np.percentile(elapsed, 50)) * 1000, float(np.mean(elapsed)) * 1000)
    return results


if __name__ == "__main__":
    main()
