"""Is the model worse than the best baseline for a priority group, or is it noise?

Generates a synthetic Suining store, builds the time-split sets, trains LambdaMART and the
pointwise baseline on the same rows, and prints per priority group the mean per-query difference
in NDCG@10 (model − baseline) with a paired bootstrap 95 % interval (queries resampled; queries
with no relevant row left out). A gap whose interval excludes 0 is a real one to explain.

    python benchmarks/compare_groups.py [--seekers 20000] [--vacancies 4000] [--seed 1]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from matcher.reference import priority_groups
from matcher.store import Store
from matcher.synth import generate
from matcher.training import train_test_sets
from models.metrics import evaluate_per_query
from models.rankers import make_ranker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=20_000)
    parser.add_argument("--vacancies", type=int, default=4_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", default="pointwise")
    parser.add_argument("--resamples", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home, Store.open(Path(home)) as store:
        generate(store, seekers=args.seekers, vacancies=args.vacancies, seed=args.seed)
        train, test = train_test_sets(store)
        data = test.ranking
        per_query = {}
        for kind in ("lambdamart", args.baseline):
            ranker = make_ranker(kind).fit(train.ranking)
            scores = ranker.predict(data.features)
            per_query[kind] = evaluate_per_query(data.labels, scores, data.query_starts)["ndcg@10"]
    model, baseline = per_query["lambdamart"], per_query[args.baseline]
    usable = ~np.isnan(model) & ~np.isnan(baseline)
    rng = np.random.default_rng(0)
    names = {code: group.name for code, group in priority_groups().items()}
    print(f"NDCG@10 lambdamart − {args.baseline}, per-query mean with a paired bootstrap 95 % CI")
    tags = {"all": np.ones(data.n_queries, dtype=bool), **data.query_tags}
    for tag, mask in sorted(tags.items(), key=lambda item: -int(item[1].sum())):
        differences = (model - baseline)[mask & usable]
        if len(differences) < 30:
            continue
        means = [rng.choice(differences, len(differences)).mean() for _ in range(args.resamples)]
        low, high = np.percentile(means, [2.5, 97.5])
        flag = "  ← below the baseline" if high < 0 else ("  ← above" if low > 0 else "")
        print(
            f"{names.get(tag, tag):<14}{len(differences):>6} queries  "
            f"{differences.mean():+.4f}  [{low:+.4f}, {high:+.4f}]{flag}"
        )


if __name__ == "__main__":
    main()
