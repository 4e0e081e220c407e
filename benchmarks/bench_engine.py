"""Engine latency: ``recommend_vacancies`` over a pool of 20,000 vacancies, beside brute force.

Generates a synthetic Suining store (default 4,000 seekers, 20,000 vacancies), trains the default
LambdaMART model on its interactions, builds the engine's index once, then times
``recommend_vacancies(seeker, k=20)`` for ``--calls`` seekers (their résumés ~1 KB) — with the
default Chinese reasons, and with TreeSHAP contributions on request; and for stored seekers as
they are in the engine's seeker index (their vectors reused, not recomputed) — beside brute-force
TF-IDF cosine of the same seeker over the whole pool (one sparse product + argpartition, no
filters, no model) in the same run. Then retrieval's recall for ``--recall-calls`` stored seekers:
the served top 20 against the model scoring every vacancy their hard filters leave
(``bench_candidates.vacancy_recall``).
Targets: p50 ≤ 15 ms, p99 ≤ 50 ms; recall ≥ 0.95 (issue 13).

    python benchmarks/bench_engine.py [--seekers 4000] [--vacancies 20000] [--calls 300]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from matcher.domain.campaigns import load_campaigns
from matcher.domain.records import Seeker
from matcher.learning.training import BASELINES, fit_ranker, served_exposure, train_run
from matcher.ranking.columns import seeker_columns
from matcher.ranking.engine import MatchEngine
from matcher.storage.store import Store
from matcher.synth import generate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: tests.conftest
from tests.conftest import today_of

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_candidates import recall_line, vacancy_recall


def percentiles(timings: list[float]) -> str:
    values = np.array(timings) * 1000
    return (
        f"p50 {np.percentile(values, 50):7.2f} ms   p99 {np.percentile(values, 99):7.2f} ms   "
        f"mean {values.mean():7.2f} ms"
    )


def timed(call: Callable[[Seeker], object], seekers: list[Seeker]) -> list[float]:
    timings = []
    for seeker in seekers:
        start = time.perf_counter()
        call(seeker)
        timings.append(time.perf_counter() - start)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=4_000)
    parser.add_argument("--vacancies", type=int, default=20_000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--recall-calls", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home, Store.open(Path(home)) as store:
        start = time.perf_counter()
        generate(store, seekers=args.seekers, vacancies=args.vacancies, seed=args.seed)
        print(
            f"generated {args.seekers:,} seekers, {args.vacancies:,} vacancies "
            f"in {time.perf_counter() - start:.1f} s"
        )
        start = time.perf_counter()
        run = train_run(store, baselines=())
        print(
            f"trained {run.kind} on {run.train.ranking.n_rows:,} rows "
            f"in {time.perf_counter() - start:.1f} s"
        )
        from matcher.ranking.engine import EngineModel

        model = EngineModel(
            run.ranker, run.train.vectorizer, run.train.bm25, run.train.vocabularies
        )
        day = today_of(run.test_from)
        start = time.perf_counter()
        engine = MatchEngine(store, model, load_campaigns(), today=day, index_seekers=True)
        print(
            f"indexes of {engine.size:,} open vacancies and {args.seekers:,} seekers built in "
            f"{time.perf_counter() - start:.1f} s (once per process)"
        )
        # résumés of about 1 KB: the generated ones run 500–700 bytes, so each is written twice
        # over (a longer work history reads the same to the tokenizer and the vectors)
        stored = store.list(Seeker, limit=args.calls)
        seekers = [
            s.model_copy(update={"resume_text": s.resume_text + "\n" + s.resume_text})
            for s in stored
        ]
        size = np.mean([len(s.resume_text.encode("utf-8")) for s in seekers])
        print(f"{len(seekers)} calls, résumés {size:.0f} bytes on average, k = 20, day {day}")
        for seeker in seekers[:20]:  # warm-up
            engine.recommend_vacancies(seeker, k=20)
        with_reasons = timed(lambda s: engine.recommend_vacancies(s, k=20), seekers)
        contributions = timed(
            lambda s: engine.recommend_vacancies(s, k=20, contributions=True), seekers
        )
        from_index = timed(lambda s: engine.recommend_vacancies(s, k=20), stored)
        index = engine._index_for(None)
        assert index is not None
        vectors = index.columns.description_vectors

        def brute_force(seeker: Seeker) -> object:
            query = seeker_columns(
                [seeker], model.vectorizer, vocabularies=model.vocabularies, on=day
            ).profile_vectors
            scores = np.asarray((vectors @ query.T).todense()).ravel()
            return np.argpartition(-scores, 20)[:20]

        brute = timed(brute_force, seekers)
        print(f"engine, with reasons (default)           {percentiles(with_reasons)}")
        print(f"engine, plus TreeSHAP contributions      {percentiles(contributions)}")
        print(f"engine, stored seekers (index vectors)   {percentiles(from_index)}")
        print(f"brute-force TF-IDF cosine, whole pool    {percentiles(brute)}")
        ratio = np.median(with_reasons) / np.median(brute)
        print(f"engine p50 / brute-force p50: {ratio:.1f}×")
        p50, p99 = (np.percentile(np.array(with_reasons) * 1000, q) for q in (50, 99))
        verdict = "meets" if p50 <= 15 and p99 <= 50 else "misses"
        print(f"targets p50 ≤ 15 ms, p99 ≤ 50 ms: {verdict}")
        overlaps = vacancy_recall(engine, stored[: args.recall_calls])
        print(
            recall_line(
                f"retrieval recall, top-20 overlap with the model over every eligible vacancy "
                f"of {engine.size:,}",
                overlaps,
            )
        )
        rankers = {run.kind: run.ranker} | {b: fit_ranker(b, run.train) for b in BASELINES}
        gini = served_exposure(engine, rankers, seekers, k=10, on=day)
        print("exposure of the served top-10 lists (Gini of impressions per opening, whole pool):")
        for kind, value in gini.items():
            print(f"  {kind:<14}{value:.3f}")


if __name__ == "__main__":
    main()
