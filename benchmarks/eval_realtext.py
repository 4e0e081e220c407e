"""Rankers on the real-text evaluation set (``tests/data/realtext/``), per register.

Usage::

    .venv/bin/python benchmarks/eval_realtext.py                   # baselines + var/demo's model
    .venv/bin/python benchmarks/eval_realtext.py --home var        # the model of another home
    .venv/bin/python benchmarks/eval_realtext.py --own-only        # our 遂宁 postings only

For each register (``formal`` — the written résumé; ``walkin`` — the same seeker at the counter)
every seeker is a query over every vacancy of the set (44 × 92 when ../shared/data is present,
else 44 × 66), graded 0–3 by hand (``tests/data/realtext/RUBRIC.md``). Printed per ranker:

- NDCG@5 and NDCG@10 (gain 2^grade − 1, ``models.metrics.ndcg_at_k``);
- MRR of the first *good* vacancy (grade ≥ 2: the asked job, or a closely related one);
- per-query AUC: the chance that a good vacancy (grade ≥ 2) scores above one that is not
  (grade ≤ 1), ties counted half, averaged over queries with both.

Lexical baselines are computed here, unsupervised, on the register's own texts (both sides):
``word_tfidf`` — cosine of word TF-IDF, words cut by the domain tokenizer
(``features.text.DomainTokenizer`` as ``matcher.intake.lexicon.domain_tokenizer`` builds it);
``char_tfidf`` — cosine of character 2–3-gram TF-IDF; ``bm25`` — Okapi BM25 of the seeker's
words against the vacancy's (k1 1.5, b 0.75); ``random`` for scale. Each text is tokenised once.

The model: when ``HOME/models`` holds an active model (``make demo`` makes ``var/demo``), each
register's pairs file is scored through ``jobmatch score-pairs`` — text only, and again with the
seekers' structured fields (region, education, birth year, priority groups) and the vacancies'
titles and regions (``+fields``).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realtext import REGISTERS, RealTextSet, load, write_pairs

from features.vectorize import (
    BM25Vectorizer,
    CharTfidfVectorizer,
    WordTfidfVectorizer,
)
from matcher.intake.lexicon import domain_tokenizer
from models.metrics import mrr, ndcg_at_k

ROOT = Path(__file__).resolve().parent.parent
GOOD_FROM = 2
"""Lowest grade counted a good match for MRR and AUC (2 = closely related or better)."""

Scorer = Callable[[Sequence[str], Sequence[str]], NDArray[np.float64]]


def _dense(matrix: object) -> NDArray[np.float64]:
    return np.asarray(matrix.toarray() if hasattr(matrix, "toarray") else matrix, dtype=np.float64)


def word_tfidf_scores(seekers: Sequence[str], vacancies: Sequence[str]) -> NDArray[np.float64]:
    """Cosine of word TF-IDF, shape (n_seekers, n_vacancies)."""
    tokenizer = domain_tokenizer()
    seeker_tokens = [tokenizer.tokens(text) for text in seekers]
    vacancy_tokens = [tokenizer.tokens(text) for text in vacancies]
    vectorizer = WordTfidfVectorizer().fit(seeker_tokens + vacancy_tokens)
    return _dense(vectorizer.transform(seeker_tokens) @ vectorizer.transform(vacancy_tokens).T)


def char_tfidf_scores(seekers: Sequence[str], vacancies: Sequence[str]) -> NDArray[np.float64]:
    """Cosine of character 2–3-gram TF-IDF, shape (n_seekers, n_vacancies)."""
    vectorizer = CharTfidfVectorizer(ngram_range=(2, 3)).fit([*seekers, *vacancies])
    return _dense(vectorizer.transform(list(seekers)) @ vectorizer.transform(list(vacancies)).T)


def bm25_scores(seekers: Sequence[str], vacancies: Sequence[str]) -> NDArray[np.float64]:
    """Okapi BM25 of each seeker's words (query) against each vacancy (document)."""
    tokenizer = domain_tokenizer()
    seeker_tokens = [tokenizer.tokens(text) for text in seekers]
    vacancy_tokens = [tokenizer.tokens(text) for text in vacancies]
    bm25 = BM25Vectorizer().fit(vacancy_tokens)
    return _dense(bm25.transform_queries(seeker_tokens) @ bm25.transform(vacancy_tokens).T)


def random_scores(seekers: Sequence[str], vacancies: Sequence[str]) -> NDArray[np.float64]:
    """Uniform noise (seed 0), for scale."""
    return np.random.default_rng(0).random((len(seekers), len(vacancies)))


BASELINES: dict[str, Scorer] = {
    "word_tfidf": word_tfidf_scores,
    "char_tfidf": char_tfidf_scores,
    "bm25": bm25_scores,
    "random": random_scores,
}


def auc_per_query(
    labels: NDArray[np.int64], scores: NDArray[np.float64], query_starts: NDArray[np.int64]
) -> float:
    """Mean over queries of P(score of a grade ≥ GOOD_FROM row > score of a lower row), ties ½.

    Queries without both kinds of rows are left out; NaN when every query is.
    """
    bounds = [*query_starts.tolist(), len(labels)]
    values: list[float] = []
    for start, end in itertools.pairwise(bounds):
        good = scores[start:end][labels[start:end] >= GOOD_FROM]
        other = scores[start:end][labels[start:end] < GOOD_FROM]
        if len(good) == 0 or len(other) == 0:
            continue
        above = (good[:, None] > other[None, :]).sum() + 0.5 * (
            good[:, None] == other[None, :]
        ).sum()
        values.append(float(above) / (len(good) * len(other)))
    return float(np.mean(values)) if values else float("nan")


def metrics(
    labels: NDArray[np.int64], scores: NDArray[np.float64], query_starts: NDArray[np.int64]
) -> dict[str, float]:
    return {
        "ndcg@5": ndcg_at_k(labels, scores, query_starts, k=5),
        "ndcg@10": ndcg_at_k(labels, scores, query_starts, k=10),
        "mrr": mrr(labels, scores, query_starts, relevant_from=GOOD_FROM),
        "auc": auc_per_query(labels, scores, query_starts),
    }


def _jobmatch_command() -> list[str]:
    script = Path(sys.executable).parent / "jobmatch"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from api.cli import main; sys.exit(main())"]


def model_scores(
    data: RealTextSet, register: str, home: Path, *, fields: bool
) -> NDArray[np.float64]:
    """Scores of the active model of ``home`` for the register's pairs, through score-pairs."""
    with tempfile.TemporaryDirectory(prefix="realtext-") as folder:
        source = Path(folder) / f"realtext_{register}.csv"
        output = Path(folder) / "scored.csv"
        write_pairs(data, register, source, fields=fields)
        command = [*_jobmatch_command(), "--home", str(home), "score-pairs", str(source)]
        done = subprocess.run(
            [*command, "--output", str(output)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0 or not output.exists():
            message = (done.stderr or done.stdout).strip().splitlines()
            raise RuntimeError(message[-1] if message else f"exit code {done.returncode}")
        with output.open(encoding="utf-8-sig", newline="") as handle:
            return np.array([float(row["score"]) for row in csv.DictReader(handle)])


def _has_model(home: Path) -> bool:
    models = home / "models"
    return models.is_dir() and any(models.iterdir())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=ROOT / "var" / "demo", help="model home")
    parser.add_argument("--own-only", action="store_true", help="leave the real postings out")
    parser.add_argument("--no-model", action="store_true", help="baselines only")
    args = parser.parse_args(argv)

    data = load()
    if args.own_only:
        own = tuple(vacancy for vacancy in data.vacancies if vacancy.source == "own")
        data = RealTextSet(data.seekers, own, data.grades, data.real_skipped, data.notes)
    for note in data.notes:
        print(f"note: {note}")
    n_seekers, n_vacancies = len(data.seekers), len(data.vacancies)
    labels = np.array(
        [
            data.grades[(seeker.seeker_id, vacancy.vacancy_id)]
            for seeker in data.seekers
            for vacancy in data.vacancies
        ],
        dtype=np.int64,
    )
    query_starts = np.arange(n_seekers, dtype=np.int64) * n_vacancies
    grades = np.bincount(labels, minlength=4)
    print(
        f"{n_seekers} seekers × {n_vacancies} vacancies "
        f"({sum(v.source != 'own' for v in data.vacancies)} real); grades 0/1/2/3: "
        f"{'/'.join(str(count) for count in grades)}; good = grade ≥ {GOOD_FROM}"
    )
    vacancy_texts = [vacancy.text for vacancy in data.vacancies]
    results: dict[str, dict[str, dict[str, float]]] = {}
    for register in REGISTERS:
        seeker_texts = [seeker.texts[register] for seeker in data.seekers]
        for name, scorer in BASELINES.items():
            started = time.perf_counter()
            scores = scorer(seeker_texts, vacancy_texts).ravel()
            results.setdefault(name, {})[register] = metrics(labels, scores, query_starts)
            results[name][register]["seconds"] = time.perf_counter() - started
        if args.no_model:
            continue
        if not _has_model(args.home):
            print(f"note: no model in {args.home / 'models'} (make demo makes one); baselines only")
            args.no_model = True
            continue
        for fields in (False, True):
            name = "model" + ("+fields" if fields else "")
            started = time.perf_counter()
            try:
                scores = model_scores(data, register, args.home, fields=fields)
            except RuntimeError as error:
                print(f"note: {name} on {register}: score-pairs failed: {error}")
                continue
            results.setdefault(name, {})[register] = metrics(labels, scores, query_starts)
            results[name][register]["seconds"] = time.perf_counter() - started

    columns = ("ndcg@5", "ndcg@10", "mrr", "auc")
    header = f"{'ranker':<14}" + "".join(
        f"{register + ' ' + column:>16}" for register in REGISTERS for column in columns
    )
    print()
    print(header)
    print("-" * len(header))
    for name, per_register in results.items():
        cells = "".join(
            f"{per_register[register][column]:>16.3f}" if register in per_register else f"{'—':>16}"
            for register in REGISTERS
            for column in columns
        )
        print(f"{name:<14}{cells}")
    lexical = [name for name in BASELINES if name != "random"]
    for register in REGISTERS:
        best = max(lexical, key=lambda name: results[name][register]["ndcg@5"])
        line = f"best lexical NDCG@5 ({register}): {best} {results[best][register]['ndcg@5']:.3f}"
        if "model" in results and register in results["model"]:
            gap = results["model"][register]["ndcg@5"] - results[best][register]["ndcg@5"]
            line += f"; model − best = {gap:+.3f} (issue 12 target: ≥ +0.08)"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
