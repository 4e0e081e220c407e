"""Learning-to-rank data: feature rows grouped by query, graded labels and shown positions.

``models`` knows matrices, labels and query groups only; ``matcher`` builds these sets from
interactions (or an analyst's pairs file) and the pair features of ``features``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

LABELS = {"hire": 4, "offer": 3, "interview": 3, "apply": 2, "click": 1, "impression": 0}
"""Graded relevance of the best interaction of a (seeker, vacancy) pair in a query."""


@dataclass(frozen=True)
class RankingSet:
    """Rows of (query, candidate) pairs, contiguous by query.

    Attributes
    ----------
    features : ndarray of shape (n_rows, n_features), float32
    labels : ndarray of shape (n_rows,), int8 — graded 0–4 (see :data:`LABELS`)
    query_ids : ndarray of shape (n_rows,), int64 — equal ids are adjacent
    feature_names : tuple of str, length n_features
    positions : ndarray of shape (n_rows,), int16, or None — 1-based position the candidate was
        shown at, 0 when unknown
    query_tags : mapping of str to ndarray of shape (n_queries,), bool — e.g. the priority groups
        of each query's seeker, for metrics per group (queries in order of first appearance)
    query_times : ndarray of shape (n_queries,), int64, or None — days since 1970-01-01, for
        time-based splits
    """

    features: NDArray[np.float32]
    labels: NDArray[np.int8]
    query_ids: NDArray[np.int64]
    feature_names: tuple[str, ...]
    positions: NDArray[np.int16] | None = None
    query_tags: Mapping[str, NDArray[np.bool_]] = field(default_factory=dict)
    query_times: NDArray[np.int64] | None = None

    def __post_init__(self) -> None:
        rows = len(self.labels)
        if self.features.ndim != 2 or self.features.shape[0] != rows:
            raise ValueError(
                f"features must have shape (n_rows, n_features) with n_rows={rows}, "
                f"got {self.features.shape}"
            )
        if self.features.shape[1] != len(self.feature_names):
            raise ValueError(
                f"{self.features.shape[1]} feature columns but {len(self.feature_names)} names"
            )
        if self.query_ids.shape != (rows,):
            raise ValueError(f"query_ids must have shape ({rows},), got {self.query_ids.shape}")
        if self.positions is not None and self.positions.shape != (rows,):
            raise ValueError(f"positions must have shape ({rows},), got {self.positions.shape}")
        starts = self.query_starts
        if len(np.unique(self.query_ids[starts])) != len(starts):
            raise ValueError("rows of one query must be contiguous (sort by query first)")
        queries = self.n_queries
        for name, mask in self.query_tags.items():
            if mask.shape != (queries,):
                raise ValueError(f"query_tags[{name!r}] must have shape ({queries},)")
        if self.query_times is not None and self.query_times.shape != (queries,):
            raise ValueError(f"query_times must have shape ({queries},)")

    @property
    def n_rows(self) -> int:
        return len(self.labels)

    @property
    def query_starts(self) -> NDArray[np.int64]:
        """Row index where each query starts, shape (n_queries,)."""
        if not self.n_rows:
            return np.zeros(0, dtype=np.int64)
        change = np.r_[True, self.query_ids[1:] != self.query_ids[:-1]]
        return np.flatnonzero(change).astype(np.int64)

    @property
    def n_queries(self) -> int:
        return len(self.query_starts)

    @property
    def group_sizes(self) -> NDArray[np.int64]:
        """Rows per query, shape (n_queries,) — LightGBM's ``group``."""
        sizes: NDArray[np.int64] = np.diff(np.r_[self.query_starts, self.n_rows]).astype(np.int64)
        return sizes

    def take_queries(self, keep: NDArray[np.bool_]) -> RankingSet:
        """The subset of whole queries where ``keep`` (shape (n_queries,)) is true."""
        if keep.shape != (self.n_queries,):
            raise ValueError(f"keep must have shape ({self.n_queries},), got {keep.shape}")
        rows = np.repeat(keep, self.group_sizes)
        return RankingSet(
            features=self.features[rows],
            labels=self.labels[rows],
            query_ids=self.query_ids[rows],
            feature_names=self.feature_names,
            positions=None if self.positions is None else self.positions[rows],
            query_tags={name: mask[keep] for name, mask in self.query_tags.items()},
            query_times=None if self.query_times is None else self.query_times[keep],
        )
