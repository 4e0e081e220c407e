"""Ranking metrics per query — NDCG@k, MAP@k, Recall@k, MRR — and exposure concentration.

Conventions shared by every ranking metric here:

* **Queries.** Rows are grouped by ``query_starts``: the row index where each query starts,
  strictly increasing from 0 (:attr:`models.RankingSet.query_starts`). Each query's rows are
  ranked by descending score.
* **Ties are broken against the ranker.** Among rows of one query with equal scores, the lower
  label is ranked first (``np.lexsort((labels, -scores, query))``). The result is deterministic
  and does not depend on the row order: training sets are often stored in the order the
  candidates were shown, and breaking ties by row order would credit a constant or coarse scorer
  with the logging policy's ranking. Rows with equal scores *and* equal labels are
  interchangeable, so every metric is invariant to shuffling the rows within a query.
* **Queries with no relevant row are skipped.** They have no ideal ranking, so their per-query
  value is NaN (see :func:`evaluate_per_query`) and the mean leaves them out rather than scoring
  them 0 or 1. NDCG skips a query whose labels are all 0 (every gain ``2^0 − 1 = 0``); MAP,
  Recall and MRR skip a query with no label ≥ ``relevant_from`` — the same queries at the
  default ``relevant_from=1``. :func:`evaluate` reports how many as ``queries_without_relevant``.
  The mean is NaN when no query is left.

Every function is vectorised over all queries (one lexsort, then ``np.bincount`` per query); no
Python loop runs over queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from models.dataset import RankingSet

__all__ = [
    "evaluate",
    "evaluate_by_tag",
    "evaluate_per_query",
    "exposure_gini",
    "gini_coefficient",
    "map_at_k",
    "mrr",
    "ndcg_at_k",
    "ndcg_of_gains_per_query",
    "recall_at_k",
]


class _Ranked(NamedTuple):
    """Labels in ranked order: queries in input order, rows best-first within each query."""

    labels: NDArray[np.int64] | NDArray[np.float64]  # (n_rows,)
    ranks: NDArray[np.int64]  # (n_rows,), 1-based rank within the query
    query_index: NDArray[np.int64]  # (n_rows,), 0 … n_queries − 1, non-decreasing
    starts: NDArray[np.int64]  # (n_queries,)
    gains_given: bool = False  # labels are the gains themselves (not graded 2^l − 1)

    @property
    def n_queries(self) -> int:
        return len(self.starts)


def _check_k(name: str, k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise TypeError(f"{name} must be an int, got {k!r}")
    if k < 1:
        raise ValueError(f"{name}={k} must be at least 1")
    return int(k)


def _query_index(starts: NDArray[np.int64], n_rows: int) -> NDArray[np.int64]:
    sizes = np.diff(np.r_[starts, n_rows])
    return np.repeat(np.arange(len(starts), dtype=np.int64), sizes)


def _check_inputs(
    labels: ArrayLike, scores: ArrayLike, query_starts: ArrayLike, *, gains: bool = False
) -> tuple[NDArray[np.int64] | NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    label_array = np.asarray(labels)
    name = "gains" if gains else "labels"
    if label_array.ndim != 1:
        raise ValueError(f"{name} must have shape (n_rows,), got {label_array.shape}")
    if gains:
        if label_array.size and not np.issubdtype(label_array.dtype, np.number):
            raise TypeError(f"gains must be numbers, got dtype {label_array.dtype}")
        label_array = label_array.astype(np.float64)
        if not np.isfinite(label_array).all():
            raise ValueError("gains must be finite")
    else:
        if label_array.size and not np.issubdtype(label_array.dtype, np.integer):
            raise TypeError(f"labels must be integers (graded 0–4), got dtype {label_array.dtype}")
        label_array = label_array.astype(np.int64)
    if label_array.size and label_array.min() < 0:
        raise ValueError(f"{name} must be ≥ 0, got {label_array.min()}")
    score_array = np.asarray(scores, dtype=np.float64)
    if score_array.shape != label_array.shape:
        raise ValueError(
            f"scores must have the shape of labels {label_array.shape}, got {score_array.shape}"
        )
    if not np.isfinite(score_array).all():
        bad = score_array[~np.isfinite(score_array)][0]
        raise ValueError(f"scores must be finite, got {bad}")
    starts = np.asarray(query_starts)
    if starts.ndim != 1 or (starts.size and not np.issubdtype(starts.dtype, np.integer)):
        raise ValueError(
            f"query_starts must be a 1-D integer array, got shape {starts.shape} "
            f"and dtype {starts.dtype}"
        )
    starts = starts.astype(np.int64)
    n_rows = len(label_array)
    if n_rows == 0:
        if starts.size:
            raise ValueError(f"query_starts must be empty for no rows, got {starts.size} starts")
    elif not starts.size or starts[0] != 0 or (np.diff(starts) <= 0).any() or starts[-1] >= n_rows:
        raise ValueError(
            f"query_starts must be strictly increasing from 0 and below n_rows={n_rows}, "
            f"got {starts[:5].tolist()}{' …' if starts.size > 5 else ''}"
        )
    return label_array, score_array, starts


def _rank(
    labels: ArrayLike, scores: ArrayLike, query_starts: ArrayLike, *, gains: bool = False
) -> _Ranked:
    label_array, score_array, starts = _check_inputs(labels, scores, query_starts, gains=gains)
    query_index = _query_index(starts, len(label_array))
    order = np.lexsort((label_array, -score_array, query_index))
    # query_index is non-decreasing, so each query keeps its block of rows: the starts hold.
    ranks = np.arange(len(order), dtype=np.int64) - starts[query_index] + 1
    return _Ranked(label_array[order], ranks, query_index, starts, gains)


def _ideal(ranked: _Ranked) -> _Ranked:
    """The same queries with each query's labels sorted best-first (the ideal ranking)."""
    order = np.lexsort((-ranked.labels, ranked.query_index))
    return ranked._replace(labels=ranked.labels[order])


def _per_query_sum(ranked: _Ranked, weights: NDArray[np.float64]) -> NDArray[np.float64]:
    sums = np.bincount(ranked.query_index, weights=weights, minlength=ranked.n_queries)
    return sums.astype(np.float64, copy=False)


def _safe_divide(
    numerator: NDArray[np.float64], denominator: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``numerator / denominator`` where the denominator is positive, else NaN."""
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _mean(values: NDArray[np.float64]) -> float:
    kept = values[~np.isnan(values)]
    return float(kept.mean()) if kept.size else float("nan")


# --- per-query formulas ----------------------------------------------------------------------


def _dcg(ranked: _Ranked, k: int) -> NDArray[np.float64]:
    labels = ranked.labels.astype(np.float64)
    gains = labels if ranked.gains_given else np.exp2(labels) - 1.0
    discounts = np.where(ranked.ranks <= k, 1.0 / np.log2(ranked.ranks + 1.0), 0.0)
    return _per_query_sum(ranked, gains * discounts)


def _ndcg(ranked: _Ranked, k: int) -> NDArray[np.float64]:
    ndcg = _safe_divide(_dcg(ranked, k), _dcg(_ideal(ranked), k))
    # DCG ≤ ideal DCG exactly; the clip only absorbs rounding in the last bit.
    return np.minimum(ndcg, 1.0)


def _relevant(ranked: _Ranked, relevant_from: int) -> NDArray[np.float64]:
    return (ranked.labels >= relevant_from).astype(np.float64)


def _average_precision(ranked: _Ranked, k: int, relevant_from: int) -> NDArray[np.float64]:
    relevant = _relevant(ranked, relevant_from)
    running = np.cumsum(relevant)
    before_query = running[ranked.starts] - relevant[ranked.starts]
    hits_so_far = running - before_query[ranked.query_index]
    precision_at_hits = np.where(ranked.ranks <= k, hits_so_far / ranked.ranks * relevant, 0.0)
    n_relevant = _per_query_sum(ranked, relevant)
    return _safe_divide(_per_query_sum(ranked, precision_at_hits), np.minimum(n_relevant, k))


def _recall(ranked: _Ranked, k: int, relevant_from: int) -> NDArray[np.float64]:
    relevant = _relevant(ranked, relevant_from)
    found = _per_query_sum(ranked, np.where(ranked.ranks <= k, relevant, 0.0))
    return _safe_divide(found, _per_query_sum(ranked, relevant))


def _reciprocal_rank(ranked: _Ranked, relevant_from: int) -> NDArray[np.float64]:
    hits = np.flatnonzero(ranked.labels >= relevant_from)
    queries, first = np.unique(ranked.query_index[hits], return_index=True)
    out = np.full(ranked.n_queries, np.nan)
    out[queries] = 1.0 / ranked.ranks[hits[first]]
    return out


# --- public metrics: mean over queries -------------------------------------------------------


def ndcg_at_k(labels: ArrayLike, scores: ArrayLike, query_starts: ArrayLike, k: int = 10) -> float:
    """Mean NDCG@k over queries — Järvelin & Kekäläinen 2002, gain 2^rel − 1 (Burges et al. 2005).

    ``DCG@k = Σ_{r ≤ k} (2^label_r − 1) / log2(r + 1)``, divided by the DCG@k of the query's rows
    sorted by label; LightGBM's lambdarank optimises the same gains (its default ``label_gain``).

    Parameters
    ----------
    labels : array of shape (n_rows,), int — graded relevance ≥ 0
    scores : array of shape (n_rows,), float — higher ranks first
    query_starts : array of shape (n_queries,), int — row where each query starts
    k : int, default 10

    Returns
    -------
    float
        In [0, 1]; 1 for a perfect ranking. Queries whose labels are all 0 are left out (see the
        module notes); NaN when every query is left out.
    """
    k = _check_k("k", k)
    return _mean(_ndcg(_rank(labels, scores, query_starts), k))


def map_at_k(
    labels: ArrayLike,
    scores: ArrayLike,
    query_starts: ArrayLike,
    k: int = 10,
    relevant_from: int = 1,
) -> float:
    """Mean average precision at k — Manning, Raghavan & Schütze 2008 §8.4, truncated at k.

    ``AP@k = Σ_{r ≤ k} P@r · rel_r / min(R, k)`` with ``R`` the query's relevant rows (label ≥
    ``relevant_from``); dividing by ``min(R, k)`` rather than ``R`` lets a perfect top k score 1
    when a query has more than k relevant rows.

    Parameters
    ----------
    labels, scores, query_starts : as for :func:`ndcg_at_k`
    k : int, default 10
    relevant_from : int, default 1 — the lowest label counted relevant (1 = a click)

    Returns
    -------
    float
        In [0, 1]; queries with no relevant row are left out; NaN when none is left.
    """
    k = _check_k("k", k)
    relevant_from = _check_k("relevant_from", relevant_from)
    return _mean(_average_precision(_rank(labels, scores, query_starts), k, relevant_from))


def recall_at_k(
    labels: ArrayLike,
    scores: ArrayLike,
    query_starts: ArrayLike,
    k: int = 50,
    relevant_from: int = 1,
) -> float:
    """Mean recall at k — Manning, Raghavan & Schütze 2008 §8.3, cut at rank k.

    The share of a query's relevant rows (label ≥ ``relevant_from``) ranked in its top k.

    Parameters
    ----------
    labels, scores, query_starts : as for :func:`ndcg_at_k`
    k : int, default 50
    relevant_from : int, default 1

    Returns
    -------
    float
        In [0, 1]; queries with no relevant row are left out; NaN when none is left.
    """
    k = _check_k("k", k)
    relevant_from = _check_k("relevant_from", relevant_from)
    return _mean(_recall(_rank(labels, scores, query_starts), k, relevant_from))


def mrr(
    labels: ArrayLike, scores: ArrayLike, query_starts: ArrayLike, relevant_from: int = 1
) -> float:
    """Mean reciprocal rank of the first relevant row — Voorhees 1999 (TREC-8 QA track).

    Over the whole list (no cut-off): a query whose first relevant row is at rank r scores 1/r.

    Parameters
    ----------
    labels, scores, query_starts : as for :func:`ndcg_at_k`
    relevant_from : int, default 1

    Returns
    -------
    float
        In (0, 1]; queries with no relevant row are left out; NaN when none is left.
    """
    relevant_from = _check_k("relevant_from", relevant_from)
    return _mean(_reciprocal_rank(_rank(labels, scores, query_starts), relevant_from))


# --- reports -----------------------------------------------------------------------------------


def evaluate_per_query(
    labels: ArrayLike,
    scores: ArrayLike,
    query_starts: ArrayLike,
    *,
    ks: Sequence[int] = (5, 10),
    map_k: int = 10,
    recall_k: int = 50,
    relevant_from: int = 1,
) -> dict[str, NDArray[np.float64]]:
    """Every metric of :func:`evaluate` per query, NaN where a query is skipped.

    For per-group means, bootstrap intervals or paired tests between rankers. The rows are
    ranked once for all metrics.

    Returns
    -------
    dict of str to ndarray of shape (n_queries,), float64
        Keys ``ndcg@{k}`` for each k in ``ks``, ``map@{map_k}``, ``recall@{recall_k}``, ``mrr``.
    """
    ks = tuple(_check_k("ks", k) for k in ks)
    map_k = _check_k("map_k", map_k)
    recall_k = _check_k("recall_k", recall_k)
    relevant_from = _check_k("relevant_from", relevant_from)
    ranked = _rank(labels, scores, query_starts)
    values = {f"ndcg@{k}": _ndcg(ranked, k) for k in ks}
    values[f"map@{map_k}"] = _average_precision(ranked, map_k, relevant_from)
    values[f"recall@{recall_k}"] = _recall(ranked, recall_k, relevant_from)
    values["mrr"] = _reciprocal_rank(ranked, relevant_from)
    return values


def ndcg_of_gains_per_query(
    gains: ArrayLike, scores: ArrayLike, query_starts: ArrayLike, k: int = 10
) -> NDArray[np.float64]:
    """NDCG@k per query where each row's gain is given, not derived from a graded label.

    ``DCG@k = Σ_{r ≤ k} gain_r / log2(r + 1)`` over the rows ranked by score, divided by the
    DCG@k of the rows sorted by gain; NaN for a query whose gains are all 0. For real-valued
    relevance such as the expected gain of a pair under a known click model (the synthetic
    data's oracle), where the logged labels are a biased sample of it.

    Parameters
    ----------
    gains : array of shape (n_rows,), real ≥ 0
    scores : array of shape (n_rows,), finite
    query_starts : array of shape (n_queries,), int — first row of each query
    k : int ≥ 1
    """
    return _ndcg(_rank(gains, scores, query_starts, gains=True), _check_k("k", k))


def _summary(
    per_query: dict[str, NDArray[np.float64]], keep: NDArray[np.bool_]
) -> dict[str, float]:
    summary = {name: _mean(values[keep]) for name, values in per_query.items()}
    summary["queries"] = float(keep.sum())
    summary["queries_without_relevant"] = float((np.isnan(per_query["mrr"]) & keep).sum())
    return summary


def evaluate(
    labels: ArrayLike,
    scores: ArrayLike,
    queries: ArrayLike | RankingSet,
    *,
    ks: Sequence[int] = (5, 10),
    map_k: int = 10,
    recall_k: int = 50,
    relevant_from: int = 1,
) -> dict[str, float]:
    """NDCG@5, NDCG@10, MAP@10, Recall@50 and MRR, each the mean over queries.

    Parameters
    ----------
    labels : array of shape (n_rows,), int
    scores : array of shape (n_rows,), float
    queries : array of shape (n_queries,), int, or RankingSet
        The query starts, or the set the rows come from (its ``query_starts`` are used and its
        row count must match).
    ks : sequence of int, default (5, 10) — cut-offs for NDCG
    map_k, recall_k : int, default 10 and 50
    relevant_from : int, default 1 — lowest label relevant for MAP, Recall and MRR

    Returns
    -------
    dict of str to float
        ``ndcg@5``, ``ndcg@10``, ``map@10``, ``recall@50``, ``mrr``; ``queries`` (all queries)
        and ``queries_without_relevant`` (left out of the means; see the module notes).
    """
    starts = _starts_of(queries, labels)
    per_query = evaluate_per_query(
        labels, scores, starts, ks=ks, map_k=map_k, recall_k=recall_k, relevant_from=relevant_from
    )
    return _summary(per_query, np.ones(len(starts), dtype=bool))


def evaluate_by_tag(
    data: RankingSet,
    scores: ArrayLike,
    *,
    ks: Sequence[int] = (5, 10),
    map_k: int = 10,
    recall_k: int = 50,
    relevant_from: int = 1,
) -> dict[str, dict[str, float]]:
    """:func:`evaluate` over all queries (key ``"all"``) and over each query tag's queries.

    Parameters
    ----------
    data : RankingSet
        Labels, query boundaries and ``query_tags`` (e.g. priority groups).
    scores : array of shape (n_rows,), float

    Returns
    -------
    dict of str to dict of str to float
        ``"all"`` first, then the tags in ``data.query_tags`` order; each with ``queries`` (the
        tag's query count) and ``queries_without_relevant``. A tag with no query has NaN means.
    """
    if not isinstance(data, RankingSet):
        raise TypeError(f"data must be a RankingSet, got {type(data).__name__}")
    if "all" in data.query_tags:
        raise ValueError("a query tag is named 'all', which is the key of the overall metrics")
    per_query = evaluate_per_query(
        data.labels,
        scores,
        data.query_starts,
        ks=ks,
        map_k=map_k,
        recall_k=recall_k,
        relevant_from=relevant_from,
    )
    report = {"all": _summary(per_query, np.ones(data.n_queries, dtype=bool))}
    for tag, mask in data.query_tags.items():
        report[tag] = _summary(per_query, np.asarray(mask, dtype=bool))
    return report


def _starts_of(queries: ArrayLike | RankingSet, labels: ArrayLike) -> NDArray[np.int64]:
    if isinstance(queries, RankingSet):
        n_rows = len(np.asarray(labels))
        if n_rows != queries.n_rows:
            raise ValueError(f"{n_rows} labels but the RankingSet has {queries.n_rows} rows")
        return queries.query_starts
    return np.asarray(queries)


# --- exposure ----------------------------------------------------------------------------------


def gini_coefficient(values: ArrayLike) -> float:
    """Gini coefficient of non-negative values — Gini 1912, mean absolute difference form.

    ``G = Σ_i Σ_j |x_i − x_j| / (2 n² x̄)``, computed as ``Σ_i (2i − n − 1) x_(i) / (n Σ x)`` over
    the values sorted ascending (i = 1 … n). 0 when all values are equal; ``(n − 1) / n`` (→ 1)
    when one value holds everything.

    Parameters
    ----------
    values : array of shape (n,), float ≥ 0

    Returns
    -------
    float
        NaN when there is no value or all are 0 (nothing to share).
    """
    x = np.sort(np.asarray(values, dtype=np.float64).ravel())
    if x.size and (not np.isfinite(x).all() or x[0] < 0):
        raise ValueError("values must be finite and ≥ 0")
    total = x.sum()
    if not x.size or total == 0:
        return float("nan")
    n = x.size
    weights = 2.0 * np.arange(1, n + 1) - n - 1
    return float(np.dot(weights, x) / (n * total))


def exposure_gini(
    item_ids: ArrayLike,
    positions: ArrayLike,
    k: int = 10,
    openings: ArrayLike | None = None,
) -> float:
    """How concentrated the top-k exposure is across items (vacancies): Gini of impressions per
    opening.

    Each row is one appearance of an item in a served list. Item *i* gets ``impressions_i`` = its
    rows with ``1 ≤ position ≤ k``; its exposure is ``impressions_i / openings_i`` (a vacancy
    with 10 openings may fairly be shown 10 times as often as one with 1), and the result is
    :func:`gini_coefficient` of the exposures over every distinct item in ``item_ids``. Items
    that appear only below k (or with position 0) count with zero exposure, so pass the full
    candidate lists to include the items the top k left out.

    Parameters
    ----------
    item_ids : array of shape (n_rows,) — e.g. vacancy ids, int or str
    positions : array of shape (n_rows,), int — 1-based rank shown at (0 = not shown)
    k : int, default 10
    openings : array of shape (n_rows,), int ≥ 1, optional
        The row's item's openings (headcount); equal for all rows of one item. Default 1 each.

    Returns
    -------
    float
        In [0, 1): 0 = every item equally exposed per opening, → 1 = all exposure on one item;
        NaN when nothing is shown in any top k. For pre-counted impressions use
        :func:`gini_coefficient` directly.
    """
    k = _check_k("k", k)
    ids = np.asarray(item_ids)
    shown = np.asarray(positions)
    if ids.ndim != 1 or shown.shape != ids.shape:
        raise ValueError(
            f"item_ids and positions must have the same shape (n_rows,), got {ids.shape} "
            f"and {shown.shape}"
        )
    if shown.size and not np.issubdtype(shown.dtype, np.integer):
        raise TypeError(f"positions must be integers, got dtype {shown.dtype}")
    items, item_index = np.unique(ids, return_inverse=True)
    in_top_k = ((shown >= 1) & (shown <= k)).astype(np.float64)
    impressions = np.bincount(item_index, weights=in_top_k, minlength=len(items))
    if openings is None:
        return gini_coefficient(impressions)
    counts: NDArray[Any] = np.asarray(openings)
    if counts.shape != ids.shape:
        raise ValueError(f"openings must have shape {ids.shape}, got {counts.shape}")
    if counts.size and (not np.issubdtype(counts.dtype, np.integer) or counts.min() < 1):
        raise ValueError("openings must be integers ≥ 1")
    per_item = np.zeros(len(items), dtype=np.int64)
    per_item[item_index] = counts
    if (per_item[item_index] != counts).any():
        bad = items[item_index[per_item[item_index] != counts][0]].item()
        raise ValueError(f"openings differ between rows of item {bad!r}")
    return gini_coefficient(impressions / np.maximum(per_item, 1))
