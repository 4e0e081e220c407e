"""Capacity-aware shortlists for job fairs: entropic optimal transport over candidate pairs.

Before a fair, staff match every registered seeker against the fair's vacancies. Each seeker has
a ranked candidate list (:class:`Candidates`, the top N vacancies by model score). Giving each
seeker their own top k (:func:`own_best`) puts a popular vacancy with 3 openings on thousands of
lists. :func:`allocate` prices congested vacancies so that list entries per opening balance out,
at the smallest loss of each seeker's own preference; :func:`allocation_report` measures both.

Everything runs on the flat pair arrays (``np.bincount`` by vacancy, ``np.add.reduceat`` by
seeker); no seeker × vacancy matrix is built, so 100,000 seekers × 200 candidates (20M pairs)
fit in a few GB and seconds.

Notation
--------
A pair ``p = (i, j)`` is seeker *i*'s candidate vacancy *j* with model score ``s_p`` and own
rank ``r_p`` (1 = the seeker's best; scores descending, ties by vacancy row). Seeker *i* has
``n_i`` candidates and ``a_i = min(k, n_i)`` **slots**.

Cost (the seeker's own preference loss, in [0, 1]; 0 for the seeker's best)::

    c_p = (1 − w) · (s̄_i − s_p) / (s̄_i − s̲_i)  +  w · (r_p − 1) / (n_i − 1)

with ``s̄_i, s̲_i`` the seeker's highest and lowest candidate score, ``w = rank_weight`` and
0/0 taken as 0. The score term follows the model's margins, the rank term keeps the cost
meaningful when scores are badly calibrated or tied.

Targets (vacancy marginals, proportional to capacity)::

    b_j = t · capacity_j,    t = target_per_opening  (default  Σ_i a_i / Σ_{j reachable} capacity_j)

where a vacancy is reachable when it is some seeker's candidate: by default every reachable
vacancy is asked to take the same number of list entries per opening.

Pinned seekers — protected ones and those with ``n_i ≤ k`` — keep their own top ``a_i``; their
entries are a fixed load ``F_j`` on the vacancies. The other (free) seekers share the rest by
solving, over the transport mass ``0 ≤ P_p ≤ 1`` (a seeker lists a vacancy at most once)::

    minimise   Σ_p c_p P_p  +  ε Σ_p [P_p log P_p + (1 − P_p) log(1 − P_p)]  +  ρ Σ_j KL⁺(L_j ‖ b_j)
    subject to Σ_j P_ij = a_i for every free seeker i,       L_j = F_j + Σ_i P_ij

with ``ε = epsilon``, ``ρ = overload_weight`` and the one-sided Kullback–Leibler penalty
``KL⁺(L ‖ b) = L log(L / b) − L + b`` when ``L > b``, else 0: only load *above* a target is
penalised, so a vacancy under its target never attracts anyone away from their own preference.
The optimum has the form::

    P_p = σ((u_i − c_p − π_j) / ε),        π_j = ρ · max(0, log(L_j / b_j))

(σ the logistic function): ``π_j ≥ 0`` is vacancy *j*'s **price** in cost units — 0 unless the
vacancy is over its target — and ``u_i`` the seeker's threshold. Alternating (Sinkhorn-style)
updates of the two find them, on the negated logits ``z_p = (c_p + π_j − u_i) / ε``:

* seeker step — one Newton step per seeker on ``Σ_j P_ij = a_i`` in ``α_i = exp(u_i / ε)``,
  in which the sum is concave, so a step from below never overshoots; a step from above is
  kept above the lower bound ``α_i ≥ a_i / Σ_j exp(−(c_p + π_j) / ε)``;
* vacancy step — each price solves ``π_j = ρ · max(0, log(L_j(π_j) / b_j))`` with the free load
  modelled as ``L_j(π) = F_j + L_free,j · exp(−r_j (π − π_j^old))`` at its current rate
  ``r_j = Σ_i P_ij (1 − P_ij) / (ε Σ_i P_ij)`` (for ``F_j = 0`` and unsaturated mass,
  ``r_j = 1/ε``, this is the unbalanced-Sinkhorn update ``π_j ← λ (π_j + ε log(L_j / b_j))``,
  ``λ = ρ / (ρ + ε)``, of Chizat et al. 2018); a price that reverses direction moves at most
  half as far as it just did;

until no price moves by more than ``tolerance`` in one iteration, or after ``iterations``.
The default ``ε = 0.01`` is sharp enough that rounding follows the prices (a larger ε leaks
mass past the prices and overprices popular vacancies) and converges in a few dozen
iterations.

Rounding: a free seeker takes the ``a_i`` pairs with the largest transport mass ``P_p``. Within
a seeker σ is increasing and ``u_i`` is shared, so this is the ``a_i`` smallest
**priced costs** ``c_p + π_j``, ties by own rank.

Guarantees (each enforced by construction)
------------------------------------------
* Every seeker with a candidate gets exactly ``min(k, n_i)`` entries, all among their
  candidates. The same input gives the same output, whatever the order of the pairs (no
  randomness; all sums run over the pairs in :attr:`Candidates.order`).
* **Exposure.** A seeker's exposure is ``Σ_{p on the list} 1 / log2(1 + r_p)`` — the
  DCG-discounted own rank of every listed vacancy, independent of where it is shown. Own top
  ``a_i`` maximises it among lists of ``a_i`` entries. Protected seekers are pinned to their own
  top ``a_i``, so they keep exactly their :func:`own_best` list and exposure.
* A seeker whose own top ``a_i`` vacancies all have price 0 keeps their own top ``a_i`` (their
  priced costs equal their costs, which increase with own rank).
* Ample capacity: when :func:`own_best` puts at most ``b_j`` entries on every vacancy, nothing
  is congested and :func:`allocate` returns the :func:`own_best` lists.

Limits
------
* Rounding is per seeker, so realised loads only approximate the fractional ones, and seekers
  in identical positions (same costs on the same vacancies) all make the same choice.
* Pinned entries are never moved: a vacancy that protected seekers alone overload stays over
  its target (its price rises until no free seeker lists it).
* Cost: each iteration is a few passes over the free pairs (``exp``, ``np.add.reduceat``, two
  ``np.bincount``); memory is about eight float64 arrays of ``n_pairs``. Candidates already in
  :attr:`Candidates.order` (as a top-N generator emits them) skip the sort.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any, Final, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from matcher.errors import check_count
from models.metrics import gini_coefficient

__all__ = [
    "Allocation",
    "AllocationReport",
    "Candidates",
    "GroupCoverage",
    "allocate",
    "allocation_report",
    "exposure",
    "own_best",
]

METHODS: Final = ("greedy", "sinkhorn")
"""Values of :attr:`Allocation.method`: each seeker's own top k, or :func:`allocate`."""

_PRICE_STEPS: Final = 8
"""Newton steps of each vacancy step's price equation (:func:`_prices`)."""

_MAX_STEP: Final = 50.0
"""Largest change of a seeker's log-threshold ``u_i / ε`` in one seeker step (guards overflow)."""


# --------------------------------------------------------------------------------------------
# Candidates


@dataclass(frozen=True, eq=False)
class Candidates:
    """Each seeker's candidate vacancies: flat arrays, one entry per (seeker, vacancy) pair.

    The arrays are converted (not copied when they already have the right dtype) and validated
    on construction; do not modify them afterwards, :attr:`rank` and :attr:`order` are cached.

    Attributes
    ----------
    seeker : array of shape (n_pairs,), int
        Seeker row, ``0 … n_seekers − 1``.
    vacancy : array of shape (n_pairs,), int
        Vacancy row, ``0 … n_vacancies − 1``; no (seeker, vacancy) pair repeats.
    score : array of shape (n_pairs,), float
        Model score, finite, higher is better.
    n_seekers, n_vacancies : int
        Sizes of the seeker and vacancy tables (rows without any pair are allowed).
    """

    seeker: NDArray[np.int64]
    vacancy: NDArray[np.int64]
    score: NDArray[np.float64]
    n_seekers: int
    n_vacancies: int

    def __post_init__(self) -> None:
        _check_size("n_seekers", self.n_seekers)
        _check_size("n_vacancies", self.n_vacancies)
        seeker = _index_array("seeker", self.seeker, self.n_seekers)
        vacancy = _index_array("vacancy", self.vacancy, self.n_vacancies)
        score = _score_array(self.score)
        if not len(seeker) == len(vacancy) == len(score):
            raise ValueError(
                "seeker, vacancy and score must have the same length, got "
                f"{len(seeker)}, {len(vacancy)} and {len(score)}"
            )
        _check_distinct_pairs(seeker, vacancy, self.n_vacancies)
        object.__setattr__(self, "seeker", seeker)
        object.__setattr__(self, "vacancy", vacancy)
        object.__setattr__(self, "score", score)

    @property
    def n_pairs(self) -> int:
        """Number of (seeker, vacancy) pairs."""
        return len(self.seeker)

    @cached_property
    def counts(self) -> NDArray[np.int64]:
        """Candidates per seeker, shape (n_seekers,)."""
        return np.bincount(self.seeker, minlength=self.n_seekers).astype(np.int64)

    @cached_property
    def is_ordered(self) -> bool:
        """Whether the pairs already come by seeker, score descending, vacancy row ascending."""
        return _is_ordered(self.seeker, self.vacancy, self.score)

    @cached_property
    def order(self) -> NDArray[np.int64]:
        """Permutation of the pairs by seeker, then score descending, then vacancy row."""
        if self.is_ordered:
            return np.arange(self.n_pairs, dtype=np.int64)
        return _order(self.seeker, self.vacancy, self.score, self.n_seekers, self.n_vacancies)

    @cached_property
    def rank(self) -> NDArray[np.int64]:
        """1-based rank of each pair within its seeker's list (score descending, ties by
        vacancy row), in input order."""
        ranks = _ranks_in_order(self.counts)
        if self.is_ordered:
            return ranks
        rank = np.empty(self.n_pairs, dtype=np.int64)
        rank[self.order] = ranks
        return rank

    def top(self, k: int) -> NDArray[np.bool_]:
        """Pairs ranked within their seeker's own top ``k``, shape (n_pairs,)."""
        check_count("k", k)
        return self.rank <= k

    def in_order(self, values: NDArray[Any]) -> NDArray[Any]:
        """A per-pair array rearranged into :attr:`order` (the array itself when already so)."""
        return values if self.is_ordered else values[self.order]


def _check_size(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ValueError(f"{name} must be an integer ≥ 0, got {value!r}")


def _index_array(name: str, values: ArrayLike, upper: int) -> NDArray[np.int64]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {array.shape}")
    if array.size == 0:
        return array.astype(np.int64)
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integer rows, got dtype {array.dtype}")
    low, high = int(array.min()), int(array.max())
    if low < 0 or high >= upper:
        bad = low if low < 0 else high
        raise ValueError(f"{name} must lie in 0 … {upper - 1}, got {bad}")
    return array.astype(np.int64, copy=False)


def _score_array(values: ArrayLike) -> NDArray[np.float64]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"score must be 1-D, got shape {array.shape}")
    if array.size and not (
        np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)
    ):
        raise ValueError(f"score must hold numbers, got dtype {array.dtype}")
    array = array.astype(np.float64, copy=False)
    if not np.isfinite(array).all():
        where = int(np.flatnonzero(~np.isfinite(array))[0])
        raise ValueError(f"score must be finite, got {array[where]} at pair {where}")
    return array


def _check_distinct_pairs(
    seeker: NDArray[np.int64], vacancy: NDArray[np.int64], n_vacancies: int
) -> None:
    if len(seeker) < 2:
        return
    keys = np.sort(seeker * n_vacancies + vacancy)
    repeated = np.flatnonzero(keys[1:] == keys[:-1])
    if repeated.size:
        key = int(keys[repeated[0]])
        raise ValueError(
            f"seeker and vacancy repeat the pair (seeker {key // n_vacancies}, vacancy "
            f"{key % n_vacancies}); each (seeker, vacancy) pair must appear once"
        )


def _is_ordered(
    seeker: NDArray[np.int64], vacancy: NDArray[np.int64], score: NDArray[np.float64]
) -> bool:
    if len(seeker) < 2:
        return True
    if (seeker[1:] < seeker[:-1]).any():
        return False
    same = seeker[1:] == seeker[:-1]
    rises = score[1:] > score[:-1]
    if (same & rises).any():
        return False
    tied = same & (score[1:] == score[:-1])
    return not (tied & (vacancy[1:] < vacancy[:-1])).any()


def _order(
    seeker: NDArray[np.int64],
    vacancy: NDArray[np.int64],
    score: NDArray[np.float64],
    n_seekers: int,
    n_vacancies: int,
) -> NDArray[np.int64]:
    """Sort by (seeker, score descending, vacancy row).

    Groups the pairs by seeker with a radix sort, then sorts every seeker's pairs at once as
    the rows of a padded (seekers × longest list) table; a three-key lexsort of everything
    when that table would be more than twice the pairs."""
    counts = np.bincount(seeker, minlength=n_seekers)
    counts = counts[counts > 0]
    width = int(counts.max(initial=0))
    if len(counts) * width > 2 * len(seeker) + 1024:
        return np.lexsort((vacancy, -score, seeker)).astype(np.int64)
    grouped = _radix_argsort(seeker, n_seekers)
    row = np.repeat(np.arange(len(counts)), counts)
    column = _ranks_in_order(counts) - 1
    lost = np.full((len(counts), width), np.inf)
    lost[row, column] = -score[grouped]
    rows = np.full((len(counts), width), n_vacancies, dtype=np.int64)
    rows[row, column] = vacancy[grouped]
    within = np.lexsort((rows, lost), axis=1)  # padding (inf, n_vacancies) sorts last
    del lost, rows
    starts = np.cumsum(counts) - counts
    return np.asarray(grouped[(starts[:, None] + within)[_column_mask(counts, width)]], np.int64)


def _column_mask(counts: NDArray[np.int64], width: int) -> NDArray[np.bool_]:
    """(rows × width) mask of the first ``counts[r]`` columns of each row."""
    return np.arange(width) < counts[:, None]


def _radix_argsort(values: NDArray[np.int64], upper: int) -> NDArray[np.int64]:
    """Stable argsort of integers in ``0 … upper − 1``, 16 bits at a time (numpy sorts 16-bit
    integers stably by radix)."""
    order = np.arange(len(values), dtype=np.int64)
    shift = 0
    while shift == 0 or (upper - 1) >> shift:
        digit = ((values[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


def _ranks_in_order(counts: NDArray[np.int64]) -> NDArray[np.int64]:
    """1-based position of each pair within its seeker, for pairs laid out seeker by seeker."""
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    return np.arange(1, total + 1, dtype=np.int64) - np.repeat(starts, counts)


# --------------------------------------------------------------------------------------------
# Allocation


@dataclass(frozen=True, eq=False)
class Allocation:
    """Which candidate pairs are on the seekers' shortlists.

    Attributes
    ----------
    chosen : array of shape (n_pairs,), bool
        Pairs on a shortlist, aligned with the :class:`Candidates` arrays.
    method : str
        ``"greedy"`` (each seeker's own top k, :func:`own_best`) or ``"sinkhorn"``
        (:func:`allocate`).
    price : array of shape (n_vacancies,), float, optional
        The vacancies' prices ``π_j`` in cost units (0 for uncongested vacancies); None for
        ``"greedy"``.
    iterations : int
        Sinkhorn iterations run (0 when nothing needed pricing).
    converged : bool
        Whether the prices settled within the tolerance before the iteration limit.
    """

    chosen: NDArray[np.bool_]
    method: str
    price: NDArray[np.float64] | None = None
    iterations: int = 0
    converged: bool = True

    def __post_init__(self) -> None:
        chosen = np.asarray(self.chosen)
        if chosen.ndim != 1 or chosen.dtype != np.bool_:
            raise ValueError(
                f"chosen must be a 1-D bool array, got shape {chosen.shape} dtype {chosen.dtype}"
            )
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        object.__setattr__(self, "chosen", chosen)

    def list_lengths(self, candidates: Candidates) -> NDArray[np.int64]:
        """Entries on each seeker's shortlist, shape (n_seekers,)."""
        self._check(candidates)
        return np.bincount(candidates.seeker[self.chosen], minlength=candidates.n_seekers).astype(
            np.int64
        )

    def shortlists(self, candidates: Candidates) -> list[NDArray[np.int64]]:
        """Each seeker's shortlist: vacancy rows ordered by the seeker's own score (best first,
        ties by vacancy row); an empty array for a seeker without entries."""
        lengths = self.list_lengths(candidates)
        chosen = candidates.in_order(self.chosen)
        vacancies = candidates.in_order(candidates.vacancy)[chosen]
        return np.split(vacancies, np.cumsum(lengths)[:-1])

    def _check(self, candidates: Candidates) -> None:
        if len(self.chosen) != candidates.n_pairs:
            raise ValueError(
                f"allocation has {len(self.chosen)} pairs but candidates has {candidates.n_pairs}"
            )


def own_best(c: Candidates, k: int) -> Allocation:
    """The baseline without allocation: each seeker's own top ``k`` candidates.

    Parameters
    ----------
    c : Candidates
    k : int ≥ 1
        List length; seekers with fewer candidates get all of them.

    Returns
    -------
    Allocation
        ``method="greedy"``.
    """
    return Allocation(chosen=c.top(k), method="greedy")


def exposure(c: Candidates, allocation: Allocation) -> NDArray[np.float64]:
    """Each seeker's exposure ``Σ_{p on the list} 1 / log2(1 + r_p)`` (own rank ``r_p``), shape
    (n_seekers,). Own top k maximises it among lists of k entries."""
    allocation._check(c)
    weights = 1.0 / np.log2(1.0 + c.rank[allocation.chosen])
    total = np.bincount(c.seeker[allocation.chosen], weights=weights, minlength=c.n_seekers)
    return total.astype(np.float64)


def allocate(
    c: Candidates,
    capacity: ArrayLike,
    k: int,
    *,
    protected: ArrayLike | None = None,
    target_per_opening: float | None = None,
    epsilon: float = 0.01,
    iterations: int = 200,
    tolerance: float = 1e-4,
    rank_weight: float = 0.5,
    overload_weight: float = 1.0,
) -> Allocation:
    """Capacity-aware shortlists of ``k`` entries per seeker (see the module docstring).

    Parameters
    ----------
    c : Candidates
    capacity : array of shape (n_vacancies,), float > 0
        Openings per vacancy (or interview slots, where the fair gives them).
    k : int ≥ 1
        List length; seekers with fewer candidates get all of them.
    protected : array of shape (n_seekers,), bool, optional
        Priority-group seekers; they keep their own top ``k`` unchanged.
    target_per_opening : float > 0, optional
        List entries wanted per opening, ``t``; by default every reachable vacancy gets the same
        share, ``Σ_i min(k, n_i) / Σ_{reachable j} capacity_j``.
    epsilon : float > 0
        Entropic smoothing ``ε`` in cost units (costs lie in [0, 1]); smaller follows the
        prices more sharply and takes more iterations. Above about 0.02 the smoothing biases
        prices up and rounding can empty a popular vacancy.
    iterations : int ≥ 1
        Most Sinkhorn iterations.
    tolerance : float ≥ 0
        Stop when no price moved by more than this (cost units) in an iteration.
    rank_weight : float in [0, 1]
        Weight ``w`` of the rank loss against the score loss in the cost.
    overload_weight : float > 0
        ``ρ``, weight of the penalty on load above target: at the optimum a priced vacancy's
        load is ``exp(π_j / ρ)`` times its target. Larger is closer to a hard cap.

    Returns
    -------
    Allocation
        ``method="sinkhorn"``, with the vacancies' prices.

    Raises
    ------
    ValueError
        A parameter out of range or with the wrong shape; the message names it.
    """
    check_count("k", k)
    openings = _capacity(capacity, c.n_vacancies)
    pinned = _seeker_mask("protected", protected, c.n_seekers)
    _check_settings(target_per_opening, epsilon, iterations, tolerance, rank_weight)
    _check_positive("overload_weight", overload_weight)

    own = c.top(k)
    target = _targets(c, openings, k, target_per_opening)
    unpriced = np.zeros(c.n_vacancies)
    if (np.bincount(c.vacancy[own], minlength=c.n_vacancies) <= target * (1 + 1e-12)).all():
        return Allocation(chosen=own, method="sinkhorn", price=unpriced)  # nothing congested
    pinned = pinned | (c.counts <= k)
    if pinned.all():  # nobody can move
        return Allocation(chosen=own, method="sinkhorn", price=unpriced)
    pinned_pairs = own & pinned[c.seeker]
    free = _free_pairs(c, ~pinned, rank_weight)
    fixed_load = np.bincount(c.vacancy[pinned_pairs], minlength=c.n_vacancies).astype(float)
    solver = _Sinkhorn(free, target, fixed_load, k, epsilon, overload_weight)
    done, converged = solver.run(iterations, tolerance)
    chosen = _merge(c, pinned_pairs, free.position[_round(free, solver.price, solver.z, k)])
    return Allocation(
        chosen=chosen, method="sinkhorn", price=solver.price, iterations=done, converged=converged
    )


def _merge(
    c: Candidates, pinned_pairs: NDArray[np.bool_], positions: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """The pinned pairs plus the pairs at ``positions`` of :attr:`Candidates.order`."""
    chosen = pinned_pairs.copy()
    chosen[c.order[positions] if not c.is_ordered else positions] = True
    return chosen


def _check_positive(name: str, value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | np.number)
        or not 0 < value < math.inf
    ):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")


def _check_settings(
    target_per_opening: float | None,
    epsilon: float,
    iterations: int,
    tolerance: float,
    rank_weight: float,
) -> None:
    if target_per_opening is not None:
        _check_positive("target_per_opening", target_per_opening)
    _check_positive("epsilon", epsilon)
    if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 1:
        raise ValueError(f"iterations must be an integer ≥ 1, got {iterations!r}")
    if not (isinstance(tolerance, int | float) and 0 <= tolerance < math.inf):
        raise ValueError(f"tolerance must be a finite number ≥ 0, got {tolerance!r}")
    if not (isinstance(rank_weight, int | float) and 0 <= rank_weight <= 1):
        raise ValueError(f"rank_weight must lie in [0, 1], got {rank_weight!r}")


def _capacity(capacity: ArrayLike, n_vacancies: int) -> NDArray[np.float64]:
    array = np.asarray(capacity, dtype=np.float64)
    if array.shape != (n_vacancies,):
        raise ValueError(f"capacity must have shape ({n_vacancies},), got {array.shape}")
    bad = ~(np.isfinite(array) & (array > 0))
    if bad.any():
        where = int(np.flatnonzero(bad)[0])
        raise ValueError(f"capacity must be finite and > 0, got {array[where]} at vacancy {where}")
    return array


def _seeker_mask(name: str, mask: ArrayLike | None, n_seekers: int) -> NDArray[np.bool_]:
    if mask is None:
        return np.zeros(n_seekers, dtype=bool)
    array = np.asarray(mask)
    if array.shape != (n_seekers,) or array.dtype != np.bool_:
        raise ValueError(
            f"{name} must be a bool array of shape ({n_seekers},), got shape {array.shape} "
            f"dtype {array.dtype}"
        )
    return array


def _targets(
    c: Candidates, openings: NDArray[np.float64], k: int, per_opening: float | None
) -> NDArray[np.float64]:
    """``b_j = t · capacity_j`` (module docstring)."""
    if per_opening is None:
        reachable = np.bincount(c.vacancy, minlength=c.n_vacancies) > 0
        slots = np.minimum(c.counts, k).sum()
        per_opening = float(slots / openings[reachable].sum()) if reachable.any() else 1.0
    return per_opening * openings


class _FreePairs(NamedTuple):
    """The free seekers' pairs in :attr:`Candidates.order`, seeker by seeker, own rank order."""

    position: NDArray[np.int64]  # (m,) position in Candidates.order
    vacancy: NDArray[np.int64]  # (m,)
    cost: NDArray[np.float64]  # (m,) c_p in [0, 1], non-decreasing within a seeker
    starts: NDArray[np.int64]  # (f,) first pair of each free seeker (each has > k pairs)
    counts: NDArray[np.int64]  # (f,)


def _free_pairs(c: Candidates, free: NDArray[np.bool_], rank_weight: float) -> _FreePairs:
    counts = c.counts[free]
    index = np.flatnonzero(free[c.in_order(c.seeker)])
    starts = np.cumsum(counts) - counts
    score = c.in_order(c.score)[index]
    best = score[starts]
    span = best - score[starts + counts - 1]
    scale = np.divide(1.0, span, out=np.zeros_like(span), where=span > 0)
    cost = (np.repeat(best, counts) - score) * np.repeat((1 - rank_weight) * scale, counts)
    del score
    cost += (_ranks_in_order(counts) - 1) * np.repeat(rank_weight / (counts - 1), counts)
    vacancy = c.in_order(c.vacancy)[index]
    return _FreePairs(index.astype(np.int64), vacancy, cost, starts, counts)


class _Sinkhorn:
    """Alternating seeker and vacancy steps (module docstring) on the free pairs' negated
    logits ``z_p = (c_p + π_j − u_i) / ε``, so that ``P_p = 1 / (1 + exp(z_p))``."""

    def __init__(
        self,
        pairs: _FreePairs,
        target: NDArray[np.float64],
        fixed_load: NDArray[np.float64],
        k: int,
        epsilon: float,
        overload_weight: float,
    ) -> None:
        self.pairs = pairs
        self.target = target
        self.fixed_load = fixed_load
        self.slots = float(k)
        self.epsilon = epsilon
        self.weight = overload_weight
        self.price = np.zeros(len(target))
        self.change = np.zeros(len(target))
        self.limit = np.full(len(target), np.inf)
        # Start every seeker's threshold u_i between their own k-th and (k+1)-th cost.
        cost = pairs.cost
        threshold = (cost[pairs.starts + k - 1] + cost[pairs.starts + k]) / 2
        self.z = cost / epsilon - np.repeat(threshold / epsilon, pairs.counts)
        self.buffer = np.empty_like(self.z)
        self.mass = np.empty_like(self.z)
        uniform = len(pairs.counts) and (pairs.counts == pairs.counts[0]).all()
        self.width = int(pairs.counts[0]) if uniform else 0

    def run(self, iterations: int, tolerance: float) -> tuple[int, bool]:
        """Iterate; returns (iterations run, converged)."""
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            for iteration in range(1, iterations + 1):
                self._seeker_step()
                if self._vacancy_step() <= tolerance:
                    return iteration, True
        return iterations, False

    def _sigmoid(self) -> NDArray[np.float64]:
        """``P = 1 / (1 + exp(z))`` into ``self.mass``; leaves ``exp(z)`` in ``self.buffer``."""
        np.exp(self.z, out=self.buffer)
        np.add(self.buffer, 1.0, out=self.mass)
        return np.reciprocal(self.mass, out=self.mass)

    def _seeker_step(self) -> None:
        """One safeguarded Newton step in ``α_i = exp(u_i / ε)`` towards ``Σ_j P_ij = k``."""
        starts = self.pairs.starts
        mass = self._sigmoid()
        total = np.add.reduceat(mass, starts)
        np.subtract(1.0, mass, out=self.buffer)
        self.buffer *= mass
        slope = np.add.reduceat(self.buffer, starts)  # α_i · d(Σ_j P_ij) / dα_i
        ratio = (self.slots - total) / slope
        step = np.log1p(np.maximum(ratio, -1.0))  # log of the Newton α_i' / α_i
        if (ratio <= -0.5).any():  # far above the root: α_i' ≥ k / Σ_j exp((−c_p − π_j) / ε)
            np.negative(self.z, out=self.buffer)
            np.exp(self.buffer, out=self.buffer)
            step = np.maximum(step, np.log(self.slots / np.add.reduceat(self.buffer, starts)))
        step = np.clip(np.nan_to_num(step, nan=0.0), -_MAX_STEP, _MAX_STEP)
        if self.width:  # every list equally long (a top-N generator): no per-pair copy
            self.z.reshape(-1, self.width)[...] -= step[:, None]
        else:
            self.z -= np.repeat(step, self.pairs.counts)

    def _vacancy_step(self) -> float:
        """New prices from the loads (:func:`_prices`), each move at most half the previous
        one after a reversal; returns the largest price change."""
        mass = self._sigmoid()
        vacancy, n_vacancies = self.pairs.vacancy, len(self.price)
        free_load = np.bincount(vacancy, weights=mass, minlength=n_vacancies)
        np.subtract(1.0, mass, out=self.buffer)
        self.buffer *= mass  # P (1 − P) = −ε ∂P / ∂π
        slope = np.bincount(vacancy, weights=self.buffer, minlength=n_vacancies)
        rate = np.where(free_load > 0, slope / free_load, 1.0) / self.epsilon
        proposed = _prices(
            self.price,
            self.fixed_load,
            np.asarray(free_load, np.float64),
            self.target,
            rate,
            self.weight,
        )
        change = np.clip(proposed - self.price, -self.limit, self.limit)
        self.limit = np.where(change * self.change < 0, np.abs(self.change) / 2, 2 * self.limit)
        self.change = change
        largest = float(np.abs(change).max(initial=0.0))
        if largest > 0:
            self.z += (change / self.epsilon)[vacancy]
        self.price = self.price + change
        return largest


def _prices(
    price: NDArray[np.float64],
    fixed_load: NDArray[np.float64],
    free_load: NDArray[np.float64],
    target: NDArray[np.float64],
    rate: NDArray[np.float64],
    weight: float,
) -> NDArray[np.float64]:
    """Solve ``π' = ρ · max(0, log(L(π') / b))`` per vacancy, with the free load responding as
    ``L(π') = F + L_free · exp(−r (π' − π))`` at its current rate ``r = −∂ log L_free / ∂π``.

    The equation's left minus right side is increasing and concave in ``π'``, so Newton steps
    from ``π' = 0`` rise monotonically to the root (a few steps; one when ``F = 0``)."""
    log_free = np.log(free_load) + price * rate  # free load at price 0
    log_fixed = np.log(fixed_load)
    log_target = np.log(target)
    overloaded = np.logaddexp(log_fixed, log_free) > log_target
    new = np.zeros_like(price)
    for _ in range(_PRICE_STEPS):
        shifted = log_free - new * rate
        log_load = np.logaddexp(log_fixed, shifted)
        gap = new - weight * (log_load - log_target)
        slope = 1.0 + weight * rate * np.exp(shifted - log_load)
        new = new - np.nan_to_num(gap / slope)
    return np.where(overloaded, np.maximum(new, 0.0), 0.0)


_LIKELY: Final = 2.0
"""Rounding sorts, per seeker, only pairs with priced cost at most the largest among a set of
≥ k pairs: the pairs with ``z_p ≤ _LIKELY`` (mass ≥ 0.12) when there are k of them, else the
seeker's own top k."""


def _round(
    pairs: _FreePairs, price: NDArray[np.float64], z: NDArray[np.float64], k: int
) -> NDArray[np.int64]:
    """Positions (into ``pairs``) of each free seeker's ``k`` smallest priced costs
    ``c_p + π_j``, ties by own rank (the ``k`` largest masses).

    The k-th smallest priced cost is at most the largest priced cost over any k of the seeker's
    pairs, so only pairs up to that bound can qualify and only those are sorted."""
    starts, counts = pairs.starts, pairs.counts
    key = pairs.cost + price[pairs.vacancy]
    bound = key[starts[:, None] + np.arange(k)].max(axis=1)
    likely = z <= _LIKELY
    enough = np.add.reduceat(likely, starts, dtype=np.int64) >= k
    tighter = np.maximum.reduceat(np.where(likely, key, -np.inf), starts)
    bound = np.where(enough, np.minimum(bound, tighter), bound)
    contenders = np.flatnonzero(key <= np.repeat(bound, counts))
    row = np.searchsorted(starts, contenders, side="right") - 1
    by_key = np.lexsort((key[contenders], row))  # stable: ties keep own-rank order
    ranked, row = contenders[by_key], row[by_key]
    first = np.searchsorted(row, np.arange(len(starts)))
    place = np.arange(len(ranked)) - np.repeat(first, np.diff(np.append(first, len(ranked))))
    return ranked[place < k]


# --------------------------------------------------------------------------------------------
# Report


@dataclass(frozen=True)
class GroupCoverage:
    """How one group of seekers fares under an allocation.

    Attributes
    ----------
    seekers : int
        Seekers in the group.
    with_list_share : float
        Share of them with a non-empty shortlist (NaN for an empty group).
    mean_list_length : float
        Mean shortlist length over the group (NaN for an empty group).
    exposure_total : float
        Sum of the group's exposures (:func:`exposure`).
    """

    seekers: int
    with_list_share: float
    mean_list_length: float
    exposure_total: float


@dataclass(frozen=True)
class AllocationReport:
    """Load on vacancies and cost to seekers of one allocation (call once before, once after).

    Attributes
    ----------
    method : str
        The allocation's method.
    seekers_with_list : int
        Seekers with a non-empty shortlist.
    list_entries : int
        Entries over all shortlists.
    applicants_per_opening_max, applicants_per_opening_p90 : float
        Maximum and 90th percentile over all vacancies of list entries / capacity.
    applicants_per_opening_gini : float
        Gini coefficient of list entries / capacity over all vacancies, those on no list
        included (NaN when there are no entries).
    vacancies_without_applicants : int
        Vacancies on no shortlist.
    vacancies_without_candidates : int
        Vacancies that are nobody's candidate (the same for every allocation).
    mean_rank_loss : float
        Mean over seekers with a list of (mean own rank of their list) − (mean own rank of their
        own top list of the same length, ``(m + 1) / 2``); ≥ 0, 0 for :func:`own_best`.
    max_rank_loss : float
        The largest seeker's rank loss.
    seekers_changed_share : float
        Share of seekers with a list whose list is not their own top list of that length.
    exposure_total : float
        Sum of all seekers' exposures (:func:`exposure`).
    groups : dict of str to GroupCoverage
        Per requested group.
    """

    method: str
    seekers_with_list: int
    list_entries: int
    applicants_per_opening_max: float
    applicants_per_opening_p90: float
    applicants_per_opening_gini: float
    vacancies_without_applicants: int
    vacancies_without_candidates: int
    mean_rank_loss: float
    max_rank_loss: float
    seekers_changed_share: float
    exposure_total: float
    groups: dict[str, GroupCoverage]

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready values (groups as nested dicts)."""
        return asdict(self)


def allocation_report(
    c: Candidates,
    allocation: Allocation,
    capacity: ArrayLike,
    groups: Mapping[str, ArrayLike] | None = None,
) -> AllocationReport:
    """Measure an allocation: applicants per opening, seekers' rank loss, groups' coverage.

    Parameters
    ----------
    c : Candidates
    allocation : Allocation
        For the same candidates (e.g. :func:`own_best` for "before", :func:`allocate` for
        "after").
    capacity : array of shape (n_vacancies,), float > 0
    groups : mapping of str to bool array of shape (n_seekers,), optional
        Seeker groups to report coverage for (e.g. the campaign's priority groups).

    Returns
    -------
    AllocationReport
    """
    allocation._check(c)
    openings = _capacity(capacity, c.n_vacancies)
    masks = {
        name: _seeker_mask(f"groups[{name!r}]", mask, c.n_seekers)
        for name, mask in (groups or {}).items()
    }
    entries = np.bincount(c.vacancy[allocation.chosen], minlength=c.n_vacancies)
    per_opening = entries / openings
    lengths = allocation.list_lengths(c)
    rank_sum = np.bincount(
        c.seeker[allocation.chosen], weights=c.rank[allocation.chosen], minlength=c.n_seekers
    )
    listed = lengths > 0
    loss = (rank_sum[listed] - lengths[listed] * (lengths[listed] + 1) / 2) / lengths[listed]
    seeker_exposure = exposure(c, allocation)
    return AllocationReport(
        method=allocation.method,
        seekers_with_list=int(listed.sum()),
        list_entries=int(lengths.sum()),
        applicants_per_opening_max=_stat(per_opening, np.max),
        applicants_per_opening_p90=_stat(per_opening, lambda x: np.percentile(x, 90)),
        applicants_per_opening_gini=gini_coefficient(per_opening),
        vacancies_without_applicants=int((entries == 0).sum()),
        vacancies_without_candidates=int(
            (np.bincount(c.vacancy, minlength=c.n_vacancies) == 0).sum()
        ),
        mean_rank_loss=_stat(loss, np.mean),
        max_rank_loss=_stat(loss, np.max),
        seekers_changed_share=_stat(loss > 0, np.mean),
        exposure_total=float(seeker_exposure.sum()),
        groups={name: _coverage(mask, lengths, seeker_exposure) for name, mask in masks.items()},
    )


def _stat(values: NDArray[Any], function: Any) -> float:
    return float(function(values)) if values.size else float("nan")


def _coverage(
    mask: NDArray[np.bool_], lengths: NDArray[np.int64], seeker_exposure: NDArray[np.float64]
) -> GroupCoverage:
    return GroupCoverage(
        seekers=int(mask.sum()),
        with_list_share=_stat(lengths[mask] > 0, np.mean),
        mean_list_length=_stat(lengths[mask], np.mean),
        exposure_total=float(seeker_exposure[mask].sum()),
    )
