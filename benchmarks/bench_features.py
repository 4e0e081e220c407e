"""Benchmark the vectorisers on real vacancy text and pair features on a million pairs.

Usage::

    .venv/bin/python benchmarks/bench_features.py                  # both parts
    .venv/bin/python benchmarks/bench_features.py --skip-text      # pair features only
    .venv/bin/python benchmarks/bench_features.py --stand-in       # character tokens, no jieba

1. Vectorising: the 12,561 real descriptions of ``../shared/data/vacancies/it_jobs_2019.csv``.
   Tokenised with ``features.text.DomainTokenizer()`` (default arguments: jieba's own dictionary)
   when that class exists, else (or with ``--stand-in``) one token per character. Then
   ``TextVectorizer`` (word TF-IDF + character 1–2-gram TF-IDF) fit and transform, BM25 fit and
   transform, and an LSA projection to 128 dimensions — each timed, with MB/s of description
   text (UTF-8).
2. Pair features: ``pair_features`` for 1,000,000 random pairs over 20,000 seekers × 5,000
   vacancies with plausible random columns (dense 128-d LSA text vectors; then the same with
   sparse TF-IDF rows), beside the plain per-pair Python reference of the unit tests measured on
   20,000 pairs and extrapolated to the same count.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
DESCRIPTIONS = SHARED_DATA / "vacancies" / "it_jobs_2019.csv"
sys.path.insert(0, str(ROOT))  # the per-pair reference lives in the unit tests

from features.pairwise import pair_features  # noqa: E402
from features.vectorize import (  # noqa: E402
    BM25Vectorizer,
    LSAProjection,
    TextVectorizer,
    l2_normalize_rows,
)
from tests.unit.test_pairwise import TODAY, random_columns, reference_pair_features  # noqa: E402


def _timed(function: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def _tokenizer(stand_in: bool) -> tuple[str, Callable[[str], list[str]]]:
    if not stand_in:
        try:
            from features.text import DomainTokenizer
        except ImportError:
            pass
        else:
            return "DomainTokenizer() (jieba)", DomainTokenizer()
    return "one token per character (stand-in)", list


def bench_vectorising(stand_in: bool, components: int) -> None:
    if not DESCRIPTIONS.is_file():
        sys.exit(f"{DESCRIPTIONS} not found: ../shared/data is absent; run with --skip-text")
    csv.field_size_limit(10_000_000)
    with DESCRIPTIONS.open(encoding="utf-8", newline="") as handle:
        texts = [row["description"] or "" for row in csv.DictReader(handle)]
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    print(f"\n== vectorising {len(texts):,} descriptions, {megabytes:.2f} MB of UTF-8 ==")
    name, tokenize = _tokenizer(stand_in)
    tokens, seconds = _timed(lambda: [tokenize(text) for text in texts])
    n_tokens = sum(map(len, tokens))
    print(
        f"tokenise   {seconds:7.2f} s  {megabytes / seconds:6.2f} MB/s  {name}, {n_tokens:,} tokens"
    )

    def line(step: str, seconds: float, note: str = "") -> None:
        print(f"{step:10s} {seconds:7.2f} s  {megabytes / seconds:6.2f} MB/s  {note}")

    vectorizer = TextVectorizer()
    matrix, fit_seconds = _timed(lambda: vectorizer.fit_transform(texts, tokens))
    _, transform_seconds = _timed(lambda: vectorizer.transform(texts, tokens))
    words, chars = len(vectorizer.word_.vocabulary_), len(vectorizer.char_.vocabulary_)
    line("fit+trans", fit_seconds, f"word + char TF-IDF: {words:,} + {chars:,} char 1–2-grams")
    line("transform", transform_seconds, f"again, fitted: {matrix.shape}, {matrix.nnz:,} nnz")

    bm25 = BM25Vectorizer()
    _, bm25_seconds = _timed(lambda: bm25.fit(tokens).transform(tokens))
    line("bm25", bm25_seconds, "fit + transform")

    lsa = LSAProjection(n_components=components)
    dense, lsa_seconds = _timed(lambda: lsa.fit_transform(matrix))
    line("lsa", lsa_seconds, f"fit + transform to {dense.shape[1]} dims (randomized SVD)")


def _sparse_text(rng: np.random.Generator, rows: int, width: int, nnz: int) -> Any:
    matrix = sp.random_array(
        (rows, width), density=nnz / width, format="csr", dtype=np.float32, rng=rng
    )
    return l2_normalize_rows(matrix)


def bench_pairs(n_seekers: int, n_vacancies: int, n_pairs: int, baseline_pairs: int) -> None:
    print(f"\n== pair features: {n_pairs:,} pairs over {n_seekers:,} × {n_vacancies:,} ==")
    seekers, vacancies = random_columns(
        11,
        n_seekers,
        n_vacancies,
        "dense",
        text_width=128,
        skill_width=500,
        certificate_width=60,
    )
    rng = np.random.default_rng(12)
    seeker_index = rng.integers(0, n_seekers, n_pairs)
    vacancy_index = rng.integers(0, n_vacancies, n_pairs)

    def run(s: Any, v: Any) -> tuple[float, float]:
        times = [
            _timed(lambda: pair_features(s, v, seeker_index, vacancy_index, today=TODAY))[1]
            for _ in range(3)
        ]
        return min(times), statistics.median(times)

    best, median = run(seekers, vacancies)
    print(f"vectorised, dense 128-d text   best {best:6.2f} s  median {median:6.2f} s")
    text_width = 20_000
    sparse_seekers = dataclasses.replace(
        seekers,
        profile_vectors=_sparse_text(rng, n_seekers, text_width, 60),
        desired_vectors=_sparse_text(rng, n_seekers, text_width, 6),
    )
    sparse_vacancies = dataclasses.replace(
        vacancies,
        description_vectors=_sparse_text(rng, n_vacancies, text_width, 120),
        title_vectors=_sparse_text(rng, n_vacancies, text_width, 6),
    )
    sparse_best, sparse_median = run(sparse_seekers, sparse_vacancies)
    print(
        f"vectorised, sparse TF-IDF text best {sparse_best:6.2f} s  median {sparse_median:6.2f} s"
        "  (rows of 60/120 non-zeros over 20,000 terms)"
    )

    pairs = list(
        zip(
            seeker_index[:baseline_pairs].tolist(),
            vacancy_index[:baseline_pairs].tolist(),
            strict=True,
        )
    )
    _, loop_seconds = _timed(
        lambda: [reference_pair_features(seekers, vacancies, s, v, TODAY) for s, v in pairs]
    )
    extrapolated = loop_seconds * n_pairs / baseline_pairs
    print(
        f"per-pair Python loop           {loop_seconds:6.2f} s for {baseline_pairs:,} pairs → "
        f"{extrapolated:7.1f} s for {n_pairs:,} (extrapolated)"
    )
    print(f"speed-up (loop / vectorised dense best) {extrapolated / best:7.0f}×")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-text", action="store_true", help="skip the vectorising part")
    parser.add_argument("--skip-pairs", action="store_true", help="skip the pair-feature part")
    parser.add_argument("--stand-in", action="store_true", help="character tokens, no jieba")
    parser.add_argument("--components", type=int, default=128, help="LSA dimensions")
    parser.add_argument("--seekers", type=int, default=20_000)
    parser.add_argument("--vacancies", type=int, default=5_000)
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--baseline-pairs", type=int, default=20_000)
    args = parser.parse_args(argv)
    if not args.skip_text:
        bench_vectorising(args.stand_in, args.components)
    if not args.skip_pairs:
        bench_pairs(args.seekers, args.vacancies, args.pairs, args.baseline_pairs)


if __name__ == "__main__":
    main()
