"""A labelled pairs file, scored by a model and by unsupervised lexical baselines, per query.

This is what ``jobmatch evaluate --pairs FILE`` prints and ``benchmarks/eval_realtext.py``
measures on the hand-graded real-text set: one implementation of the metrics and baselines.

Metrics, each the mean over queries (rows grouped by ``query_id``):

- ``auc`` — per-query AUC: the chance that a *good* row scores above a row that is not good,
  ties counted half (Mann–Whitney U / (n_good · n_other)); queries without both kinds of rows
  are left out;
- ``ndcg@5``, ``ndcg@10`` — graded gains 2^label − 1 (:func:`models.metrics.ndcg_at_k`; queries
  whose labels are all 0 are left out);
- ``mrr`` — reciprocal rank of the first good row (:func:`models.metrics.mrr`).

*Good* (:func:`good_from`): label ≥ 2 when the file's labels are graded (any label above 1:
0–3 hand grades, 0–4 interaction labels — 2 is "closely related" or "applied"), label ≥ 1 when
every label is 0 or 1 (binary screening decisions).

Baselines (:data:`BASELINE_SCORERS`), fitted on the file's own distinct texts, unsupervised,
each text tokenised once by the domain tokenizer:

- ``word_tfidf`` — cosine of word TF-IDF (:class:`features.vectorize.WordTfidfVectorizer`) of
  the résumé and the vacancy text;
- ``char_tfidf`` — cosine of character 2–3-gram TF-IDF
  (:class:`features.vectorize.CharTfidfVectorizer`);
- ``bm25`` — Okapi BM25 (k1 1.5, b 0.75; :class:`features.vectorize.BM25Vectorizer`) of the
  résumé's words (query) against the vacancy text (document; fitted on the distinct vacancy
  texts);
- ``random`` — uniform noise (seed 0), for scale.

They read the ``resume_text`` and ``vacancy_text`` cells only; structured columns are for the
model.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.stats import rankdata

from features.vectorize import BM25Vectorizer, CharTfidfVectorizer, WordTfidfVectorizer
from matcher.errors import TrainingError
from matcher.intake.importer import read_rows
from matcher.intake.lexicon import domain_tokenizer
from matcher.learning.pairs import pairs_from_file
from matcher.ranking.columns import Tokenize
from matcher.ranking.engine import EngineModel
from models.metrics import mrr, ndcg_at_k

__all__ = [
    "BASELINE_SCORERS",
    "LEXICAL_BASELINES",
    "QUERY_METRICS",
    "PairsEvaluation",
    "auc_per_query",
    "bm25_scores",
    "char_tfidf_scores",
    "evaluate_pairs_file",
    "evaluate_scores",
    "good_from",
    "model_scores",
    "query_metrics",
    "random_scores",
    "word_tfidf_scores",
]

QUERY_METRICS = ("auc", "ndcg@5", "ndcg@10", "mrr")
"""The metrics :func:`query_metrics` reports, in table order."""
GOOD_FROM_GRADED = 2
"""Lowest good label when labels are graded (0–3, 0–4)."""
GOOD_FROM_BINARY = 1
"""Lowest good label when every label is 0 or 1."""

PairScorer = Callable[[Sequence[str], Sequence[str], Tokenize], NDArray[np.float64]]
"""(résumé texts, vacancy texts, tokenizer) → one score per pair, shape (n_pairs,)."""


# --- metrics -------------------------------------------------------------------------------


def good_from(labels: ArrayLike) -> int:
    """The lowest label that counts as a good match: 1 when every label is 0 or 1 (binary),
    else 2 (graded)."""
    values = np.asarray(labels)
    if values.size and int(values.max()) <= 1:
        return GOOD_FROM_BINARY
    return GOOD_FROM_GRADED


def _check_rows(
    labels: ArrayLike, scores: ArrayLike, query_starts: ArrayLike
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]]:
    label_array = np.asarray(labels, dtype=np.int64)
    score_array = np.asarray(scores, dtype=np.float64)
    starts = np.asarray(query_starts, dtype=np.int64)
    if score_array.shape != label_array.shape or label_array.ndim != 1:
        raise ValueError(
            f"labels and scores must have the same shape (n_rows,), got {label_array.shape} "
            f"and {score_array.shape}"
        )
    n_rows = len(label_array)
    if n_rows and (
        not starts.size or starts[0] != 0 or (np.diff(starts) <= 0).any() or starts[-1] >= n_rows
    ):
        raise ValueError(f"query_starts must be strictly increasing from 0 and below {n_rows}")
    return label_array, score_array, starts


def auc_per_query(
    labels: ArrayLike, scores: ArrayLike, query_starts: ArrayLike, *, good: int
) -> tuple[float, int]:
    """Mean over queries of P(score of a row labelled ≥ ``good`` > score of a lower row), ties
    counted half — the Mann–Whitney U statistic over n_good · n_other (Hanley & McNeil 1982).

    Returns
    -------
    (float, int)
        The mean (NaN when no query has both kinds of rows) and how many queries it is over.
    """
    label_array, score_array, starts = _check_rows(labels, scores, query_starts)
    bounds = [*starts.tolist(), len(label_array)]
    values: list[float] = []
    for start, end in itertools.pairwise(bounds):
        is_good = label_array[start:end] >= good
        n_good = int(is_good.sum())
        n_other = (end - start) - n_good
        if not n_good or not n_other:
            continue
        ranks = rankdata(score_array[start:end])  # average ranks: ties count half
        u = float(ranks[is_good].sum()) - n_good * (n_good + 1) / 2
        values.append(u / (n_good * n_other))
    return (float(np.mean(values)) if values else float("nan")), len(values)


def query_metrics(
    labels: ArrayLike, scores: ArrayLike, query_starts: ArrayLike, *, good: int
) -> dict[str, float]:
    """:data:`QUERY_METRICS` of one scorer: per-query AUC, NDCG@5, NDCG@10 and MRR."""
    label_array, score_array, starts = _check_rows(labels, scores, query_starts)
    return {
        "auc": auc_per_query(label_array, score_array, starts, good=good)[0],
        "ndcg@5": ndcg_at_k(label_array, score_array, starts, k=5),
        "ndcg@10": ndcg_at_k(label_array, score_array, starts, k=10),
        "mrr": mrr(label_array, score_array, starts, relevant_from=good),
    }


# --- lexical baselines ---------------------------------------------------------------------


def _distinct(texts: Sequence[str]) -> tuple[list[str], NDArray[np.int64]]:
    """The distinct texts in first-seen order and each text's row among them."""
    distinct = list(dict.fromkeys(texts))
    row = {text: index for index, text in enumerate(distinct)}
    return distinct, np.array([row[text] for text in texts], dtype=np.int64)


def _pair_dots(
    left: Any, left_rows: NDArray[np.int64], right: Any, right_rows: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Row-wise dot products ``left[left_rows[i]] · right[right_rows[i]]``, shape (n_pairs,)."""
    products = sp.csr_array(left)[left_rows].multiply(sp.csr_array(right)[right_rows])
    return np.asarray(products.sum(axis=1), dtype=np.float64).ravel()


class _Tokens:
    """Each distinct text tokenised once, shared by the word TF-IDF and BM25 scorers."""

    def __init__(self, tokenize: Tokenize) -> None:
        self._tokenize = tokenize
        self._cache: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        tokens = self._cache.get(text)
        if tokens is None:
            tokens = self._cache[text] = list(self._tokenize(text))
        return tokens


def word_tfidf_scores(
    resume_texts: Sequence[str], vacancy_texts: Sequence[str], tokenize: Tokenize
) -> NDArray[np.float64]:
    """Cosine of word TF-IDF of each (résumé, vacancy) pair, fitted on the distinct texts of
    both sides; shape (n_pairs,)."""
    resumes, resume_rows = _distinct(resume_texts)
    vacancies, vacancy_rows = _distinct(vacancy_texts)
    resume_tokens = [tokenize(text) for text in resumes]
    vacancy_tokens = [tokenize(text) for text in vacancies]
    corpus = [tokenize(text) for text in dict.fromkeys([*resumes, *vacancies])]
    vectorizer = WordTfidfVectorizer().fit(corpus)
    return _pair_dots(
        vectorizer.transform(resume_tokens),
        resume_rows,
        vectorizer.transform(vacancy_tokens),
        vacancy_rows,
    )


def char_tfidf_scores(
    resume_texts: Sequence[str], vacancy_texts: Sequence[str], tokenize: Tokenize
) -> NDArray[np.float64]:
    """Cosine of character 2–3-gram TF-IDF of each pair, fitted on the distinct texts of both
    sides (``tokenize`` is not used); shape (n_pairs,)."""
    resumes, resume_rows = _distinct(resume_texts)
    vacancies, vacancy_rows = _distinct(vacancy_texts)
    vectorizer = CharTfidfVectorizer(ngram_range=(2, 3)).fit(
        list(dict.fromkeys([*resumes, *vacancies]))
    )
    return _pair_dots(
        vectorizer.transform(resumes), resume_rows, vectorizer.transform(vacancies), vacancy_rows
    )


def bm25_scores(
    resume_texts: Sequence[str], vacancy_texts: Sequence[str], tokenize: Tokenize
) -> NDArray[np.float64]:
    """Okapi BM25 of each résumé's words (query) against its vacancy's (document), fitted on
    the distinct vacancy texts; shape (n_pairs,)."""
    resumes, resume_rows = _distinct(resume_texts)
    vacancies, vacancy_rows = _distinct(vacancy_texts)
    vacancy_tokens = [tokenize(text) for text in vacancies]
    bm25 = BM25Vectorizer().fit(vacancy_tokens)
    return _pair_dots(
        bm25.transform_queries([tokenize(text) for text in resumes]),
        resume_rows,
        bm25.transform(vacancy_tokens),
        vacancy_rows,
    )


def random_scores(
    resume_texts: Sequence[str], vacancy_texts: Sequence[str], tokenize: Tokenize
) -> NDArray[np.float64]:
    """Uniform noise (seed 0), for scale; shape (n_pairs,)."""
    return np.random.default_rng(0).random(len(resume_texts))


BASELINE_SCORERS: dict[str, PairScorer] = {
    "word_tfidf": word_tfidf_scores,
    "char_tfidf": char_tfidf_scores,
    "bm25": bm25_scores,
    "random": random_scores,
}
"""The unsupervised baselines, by name, in table order."""
LEXICAL_BASELINES = ("word_tfidf", "char_tfidf", "bm25")
"""The baselines a model must beat ("best lexical baseline"); ``random`` is for scale."""


def baseline_scores(
    resume_texts: Sequence[str],
    vacancy_texts: Sequence[str],
    *,
    tokenize: Tokenize | None = None,
    names: Sequence[str] = tuple(BASELINE_SCORERS),
) -> dict[str, NDArray[np.float64]]:
    """Each baseline's score of every pair, each text tokenised once (default tokenizer: the
    domain tokenizer)."""
    if len(resume_texts) != len(vacancy_texts):
        raise ValueError(f"{len(resume_texts)} résumé texts but {len(vacancy_texts)} vacancy texts")
    unknown = [name for name in names if name not in BASELINE_SCORERS]
    if unknown:
        raise ValueError(f"unknown baseline(s) {unknown}; choose from {list(BASELINE_SCORERS)}")
    cut = _Tokens(tokenize or domain_tokenizer())
    return {name: BASELINE_SCORERS[name](resume_texts, vacancy_texts, cut) for name in names}


# --- the evaluation ------------------------------------------------------------------------


@dataclass(frozen=True)
class PairsEvaluation:
    """Metrics of each scorer (a model, the baselines) on the same labelled queries.

    Attributes
    ----------
    metrics : dict of str to dict of str to float
        Scorer name → :data:`QUERY_METRICS` → mean over queries.
    rows, queries : int
        Pairs and queries evaluated.
    auc_queries : int
        Queries with both good and other rows (the ones per-query AUC is over).
    good : int
        The lowest good label (:func:`good_from`).
    label_counts : dict of int to int
        How many rows carry each label.
    model : str or None
        The scorer that is the model (first in the table), if any.
    source : str
        What was evaluated (the file).
    """

    metrics: dict[str, dict[str, float]]
    rows: int
    queries: int
    auc_queries: int
    good: int
    label_counts: dict[int, int]
    model: str | None = None
    source: str = ""
    notes: list[str] = field(default_factory=list)

    def best_lexical(self, metric: str = "ndcg@10") -> tuple[str, float]:
        """The lexical baseline with the highest ``metric`` and its value (NaN last)."""
        present = [name for name in LEXICAL_BASELINES if name in self.metrics]
        if not present:
            raise ValueError("no lexical baseline was evaluated")

        def key(name: str) -> float:
            value = self.metrics[name][metric]
            return -math.inf if math.isnan(value) else value

        best = max(present, key=key)
        return best, self.metrics[best][metric]

    def table(self) -> str:
        """A plain-text table: one line per scorer (the model first), then the model's margin
        over the best lexical baseline."""
        kind = "binary" if self.good == GOOD_FROM_BINARY else "graded"
        labels = ", ".join(
            f"{label}: {count}" for label, count in sorted(self.label_counts.items())
        )
        lines = [
            f"{self.source + ': ' if self.source else ''}{self.rows} pairs, "
            f"{self.queries} queries ({self.auc_queries} with good and other rows)",
            f"labels {labels}; good = label ≥ {self.good} ({kind} labels)",
            f"{'ranker':<16}" + "".join(f"{name:>11}" for name in QUERY_METRICS),
        ]
        names = [*([self.model] if self.model else []), *self.metrics]
        for name in dict.fromkeys(names):
            row = self.metrics[name]
            lines.append(f"{name:<16}" + "".join(f"{row[m]:>11.4f}" for m in QUERY_METRICS))
        if any(name in self.metrics for name in LEXICAL_BASELINES):
            best, value = self.best_lexical("ndcg@10")
            line = f"best lexical baseline by NDCG@10: {best} {value:.4f}"
            if self.model is not None:
                gap = self.metrics[self.model]["ndcg@10"] - value
                line += f"; {self.model} − {best} = {gap:+.4f}"
            lines.append(line)
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "metrics": self.metrics,
            "rows": self.rows,
            "queries": self.queries,
            "auc_queries": self.auc_queries,
            "good": self.good,
            "label_counts": {str(k): v for k, v in self.label_counts.items()},
            "model": self.model,
            "source": self.source,
        }


def evaluate_scores(
    labels: ArrayLike,
    query_starts: ArrayLike,
    scores: Mapping[str, ArrayLike],
    *,
    good: int | None = None,
    model: str | None = None,
    source: str = "",
) -> PairsEvaluation:
    """Every scorer of ``scores`` (name → scores of shape (n_rows,)) on the same queries;
    ``good`` defaults to :func:`good_from` of the labels."""
    label_array = np.asarray(labels, dtype=np.int64)
    starts = np.asarray(query_starts, dtype=np.int64)
    threshold = good_from(label_array) if good is None else good
    metrics = {
        name: query_metrics(label_array, values, starts, good=threshold)
        for name, values in scores.items()
    }
    _, auc_queries = auc_per_query(label_array, np.zeros(len(label_array)), starts, good=threshold)
    counts = np.bincount(label_array) if label_array.size else np.zeros(0, dtype=np.int64)
    return PairsEvaluation(
        metrics=metrics,
        rows=len(label_array),
        queries=len(starts),
        auc_queries=auc_queries,
        good=threshold,
        label_counts={label: int(n) for label, n in enumerate(counts) if n},
        model=model,
        source=source,
    )


def model_scores(model: EngineModel, features: NDArray[np.float32], names: Sequence[str]) -> Any:
    """The ranker's scores of feature rows whose columns are ``names`` (the columns it was
    trained on are picked by name); TrainingError naming a column the ranker needs that the
    rows lack."""
    wanted = list(model.ranker.feature_names_)
    missing = [name for name in wanted if name not in names]
    if missing:
        raise TrainingError(
            f"model {model.version} uses feature(s) {', '.join(missing)} that this version does "
            "not compute; retrain it"
        )
    positions = [list(names).index(name) for name in wanted]
    return np.asarray(model.ranker.predict(features[:, positions]), dtype=np.float64)


def _file_texts(path: Path, query_keys: Sequence[str]) -> tuple[list[str], list[str]]:
    """Résumé and vacancy text of each row of a pairs file, in the order
    :func:`~matcher.learning.pairs.pairs_from_file` gives its rows (queries in order of first
    appearance, a query's rows in file order)."""
    _, raw_rows = read_rows(path)
    by_query: dict[str, list[tuple[str, str]]] = {}
    for _, raw in raw_rows:
        if "__error__" in raw:
            continue
        query = str(raw.get("query_id", "")).strip()
        by_query.setdefault(query, []).append(
            (str(raw.get("resume_text") or "").strip(), str(raw.get("vacancy_text") or "").strip())
        )
    if list(by_query) != list(query_keys):
        raise TrainingError(f"{path}: its queries could not be matched to the scored rows")
    pairs = [pair for query in query_keys for pair in by_query[query]]
    return [resume for resume, _ in pairs], [vacancy for _, vacancy in pairs]


def evaluate_pairs_file(
    path: str | Path,
    model: EngineModel | None = None,
    *,
    model_name: str | None = None,
    baselines: Sequence[str] = tuple(BASELINE_SCORERS),
) -> PairsEvaluation:
    """A labelled pairs file (``docs/training.md``) scored by ``model`` — through
    :func:`~matcher.learning.pairs.pairs_from_file` with the model's own vectoriser, BM25 and
    vocabularies, as ``jobmatch score-pairs`` scores — and by the ``baselines`` fitted on the
    file's own texts, every scorer on the same queries.

    Raises
    ------
    ImportFileError
        The file cannot be used (as for :func:`~matcher.learning.pairs.pairs_from_file`).
    TrainingError
        The model needs a feature this version does not compute.
    """
    file = Path(path)
    if model is not None:
        data = pairs_from_file(
            file,
            vectorizer=model.vectorizer,
            bm25=model.bm25,
            vocabularies=model.vocabularies,
            unknown_columns="ignore",
        )
    else:
        data = pairs_from_file(file, unknown_columns="ignore")
    ranking = data.ranking
    scores: dict[str, NDArray[np.float64]] = {}
    name = None
    if model is not None:
        kind = model_name or model.ranker.kind
        name = f"{kind} (model)" if kind in BASELINE_SCORERS else kind
        scores[name] = model_scores(model, ranking.features, ranking.feature_names)
    resume_texts, vacancy_texts = _file_texts(file, [str(key) for key in data.query_keys])
    if len(resume_texts) != ranking.n_rows:
        raise TrainingError(f"{file}: its rows could not be matched to the scored rows")
    scores |= baseline_scores(resume_texts, vacancy_texts, names=baselines)
    return evaluate_scores(
        ranking.labels, ranking.query_starts, scores, model=name, source=str(file)
    )
