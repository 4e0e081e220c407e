"""Candidates latency (``POST /v1/candidates``'s in-process call) over a city's seekers, beside
the old full scan, and the seeker index's retrieval recall.

In one run:

1. A small store (``--scan-seekers``, default 5,000 seekers; ``--scan-vacancies``) is generated
   and a LambdaMART model trained on its interactions (``train_run`` with no baselines). On it,
   the old path — ``MatchEngine.scan_seekers``: every seeker read, validated, vectorised and
   scored per call — is timed over ``--scan-calls`` vacancies, and its cost per seeker
   extrapolated to the big pool (it grows linearly with the seekers stored).
2. The big store (``--seekers``, default 100,000; ``--vacancies``, default 4,000) is generated
   into a temporary ``JOBMATCH_HOME``; the model is saved there and promoted; a
   ``MatchService`` starts (its engine builds both indexes once — the time is printed), then
   ``MatchService.candidates(vacancy_id, 20)`` is timed for ``--calls`` stored vacancies
   (employer-side, the default: group-blind, opaque references) — p50/p99.
3. Recall: for ``--recall-calls`` of those vacancies, the indexed top 20 against the model
   scoring every admitted seeker (``recommend_seekers(..., retrieval=False)``, same filters,
   same features): |indexed ∩ whole pool| / |whole pool top 20|, averaged — at the engine's
   ``seeker_retrieval_size`` (1,000) and, for the record, at 700. The other direction too
   (:func:`vacancy_recall`): ``--recall-calls`` stored seekers' recommendations against the
   model scoring every vacancy their hard filters leave.

Targets (issue 13): p50 ≤ 30 ms, p99 ≤ 100 ms over 100,000 seekers; recall ≥ 0.95 both ways.

    python benchmarks/bench_candidates.py [--seekers 100000] [--calls 200] [--scan-seekers 5000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from matcher.domain.campaigns import load_campaigns
from matcher.domain.records import Seeker, Vacancy
from matcher.learning.training import save_run, train_run
from matcher.ranking.engine import EngineModel, MatchEngine
from matcher.ranking.service import MatchService
from matcher.ranking.serving import registry_for
from matcher.storage.store import Store
from matcher.synth import generate

K = 20


def percentiles(timings: list[float]) -> str:
    values = np.array(timings) * 1000
    return (
        f"p50 {np.percentile(values, 50):8.2f} ms   p99 {np.percentile(values, 99):8.2f} ms   "
        f"mean {values.mean():8.2f} ms"
    )


def vacancy_recall(engine: MatchEngine, seekers: Sequence[Seeker], k: int = K) -> list[float]:
    """Recommendations' retrieval recall, seeker by seeker: |served top k ∩ whole-pool top k| /
    |whole-pool top k|, the whole pool being every vacancy the seeker's hard filters leave,
    scored by the same model (retrieval made wider than the index for that call)."""
    served_size = engine.retrieval_size
    overlaps = []
    try:
        for seeker in seekers:
            engine.retrieval_size = served_size
            served = {r.vacancy_id for r in engine.recommend_vacancies(seeker, k)}
            engine.retrieval_size = sys.maxsize
            whole = [r.vacancy_id for r in engine.recommend_vacancies(seeker, k)]
            if whole:
                overlaps.append(len(served & set(whole)) / len(whole))
    finally:
        engine.retrieval_size = served_size
    return overlaps


def candidates_recall(
    engine: MatchEngine, vacancy_ids: Sequence[str], k: int = K
) -> dict[int, list[float]]:
    """Candidates' retrieval recall per vacancy at the engine's re-ranking size and at 700."""
    sizes = sorted({engine.seeker_retrieval_size, 700}, reverse=True)
    served_size = engine.seeker_retrieval_size
    overlaps: dict[int, list[float]] = {size: [] for size in sizes}
    try:
        for vacancy_id in vacancy_ids:
            whole = [
                c.seeker_id
                for c in engine.recommend_seekers(vacancy_id, k, group_blind=True, retrieval=False)
            ]
            if not whole:
                continue
            for size in sizes:
                engine.seeker_retrieval_size = size
                indexed = {
                    c.seeker_id for c in engine.recommend_seekers(vacancy_id, k, group_blind=True)
                }
                overlaps[size].append(len(indexed & set(whole)) / len(whole))
    finally:
        engine.seeker_retrieval_size = served_size
    return overlaps


def recall_line(label: str, overlaps: list[float]) -> str:
    mean = float(np.mean(overlaps)) if overlaps else float("nan")
    return (
        f"{label}: mean over {len(overlaps)} = {mean:.3f} (min {min(overlaps, default=0):.2f}, "
        f"{sum(o < 0.95 for o in overlaps)} below 0.95)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=4_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--recall-calls", type=int, default=100)
    parser.add_argument("--scan-seekers", type=int, default=5_000)
    parser.add_argument("--scan-vacancies", type=int, default=1_000)
    parser.add_argument("--scan-calls", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    calendar = load_campaigns()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as small_home, tempfile.TemporaryDirectory() as big_home:
        # 1. the small store: train, then the old full scan
        with Store.open(Path(small_home)) as small:
            start = time.perf_counter()
            generate(small, seekers=args.scan_seekers, vacancies=args.scan_vacancies, seed=3)
            run = train_run(small, baselines=())
            print(
                f"small store: {args.scan_seekers:,} seekers, {args.scan_vacancies:,} vacancies; "
                f"generated and trained in {time.perf_counter() - start:.0f} s"
            )
            # served on the first day of the model's test split (the synthetic 2022 calendar)
            day = dt.date.fromisoformat(run.test_from) if run.test_from else dt.date.today()
            model = EngineModel(
                run.ranker, run.train.vectorizer, run.train.bm25, run.train.vocabularies
            )
            engine = MatchEngine(small, model, calendar, today=day)
            targets = rng.sample([v.id for v in small.iter(Vacancy)], args.scan_calls)
            scan = []
            for vacancy_id in targets:
                started = time.perf_counter()
                engine.scan_seekers(vacancy_id, K, group_blind=True)
                scan.append(time.perf_counter() - started)
            indexed_small = []
            engine.recommend_seekers(targets[0], K, group_blind=True)  # builds the index
            for vacancy_id in targets:
                started = time.perf_counter()
                engine.recommend_seekers(vacancy_id, K, group_blind=True)
                indexed_small.append(time.perf_counter() - started)
        per_seeker = float(np.median(scan)) / args.scan_seekers

        # 2. the big store: the service's candidates
        with Store.open(Path(big_home)) as big:
            start = time.perf_counter()
            generate(big, seekers=args.seekers, vacancies=args.vacancies, seed=args.seed)
            print(
                f"big store: {args.seekers:,} seekers, {args.vacancies:,} vacancies generated "
                f"in {time.perf_counter() - start:.0f} s"
            )
            registry = registry_for(Path(big_home))
            registry.promote(save_run(registry, run).version)
            vacancy_ids = [v.id for v in big.iter(Vacancy)]
        start = time.perf_counter()
        service = MatchService(Path(big_home), calendar, today=day, check_interval=3600.0)
        built = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"service started in {built:.0f} s (both indexes built once; "
            f"peak RSS so far {peak:,.0f} MB)"
        )
        try:
            chosen = rng.sample(vacancy_ids, args.calls)
            for vacancy_id in chosen[:10]:  # warm-up
                service.candidates(vacancy_id, K)
            timings = []
            for vacancy_id in chosen:
                started = time.perf_counter()
                service.candidates(vacancy_id, K)
                timings.append(time.perf_counter() - started)
            staff = []
            for vacancy_id in chosen[: args.calls // 2]:
                started = time.perf_counter()
                service.candidates(vacancy_id, K, employer_side=False)
                staff.append(time.perf_counter() - started)

            # 3. recall against scoring the whole admitted pool, both ways
            engine = service.engine()
            served_size = engine.seeker_retrieval_size
            by_size = candidates_recall(engine, chosen[: args.recall_calls])
            overlaps = by_size[served_size]
            stored = engine.seekers()
            other_way = vacancy_recall(engine, rng.sample(stored, args.recall_calls))
            vacancy_pool = engine.size
        finally:
            service.close()

    print(f"\nk = {K}, day {day}, {args.calls} calls on stored vacancies (ids)")
    print(
        f"old full scan, {args.scan_seekers:,} seekers      {percentiles(scan)}   "
        f"({per_seeker * 1e6:.0f} µs per seeker)"
    )
    print(f"seeker index, {args.scan_seekers:,} seekers       {percentiles(indexed_small)}")
    print(
        f"old full scan extrapolated to {args.seekers:,}: "
        f"p50 ≈ {per_seeker * args.seekers:.1f} s per call"
    )
    print(f"candidates (employer side), {args.seekers:,} seekers {percentiles(timings)}")
    print(f"candidates (staff, ids), {args.seekers:,} seekers    {percentiles(staff)}")
    ratio = per_seeker * args.seekers / float(np.median(timings))
    print(
        f"speed-up at {args.seekers:,} seekers (extrapolated scan p50 / index p50): {ratio:,.0f}×"
    )
    recall = float(np.mean(overlaps)) if overlaps else float("nan")
    print(f"retrieval recall, top-{K} overlap with the whole admitted pool scored:")
    for size, values in by_size.items():
        print("  " + recall_line(f"candidates, {size:,} seekers re-ranked", values))
    vacancy_recall_mean = float(np.mean(other_way)) if other_way else float("nan")
    print(
        "  "
        + recall_line(f"recommendations over {vacancy_pool:,} vacancies, stored seekers", other_way)
    )
    p50, p99 = (np.percentile(np.array(timings) * 1000, q) for q in (50, 99))
    verdict = (
        "meets"
        if p50 <= 30 and p99 <= 100 and recall >= 0.95 and vacancy_recall_mean >= 0.95
        else "misses"
    )
    print(f"targets p50 ≤ 30 ms, p99 ≤ 100 ms, recall ≥ 0.95 both ways: {verdict}")


if __name__ == "__main__":
    main()
