"""Pair features for arrays of (seeker, vacancy) pairs at once, in numpy/scipy, no loop over pairs.

Inputs are column containers — :class:`SeekerColumns` and :class:`VacancyColumns`, frozen
dataclasses of numpy arrays and SciPy CSR matrices built by ``matcher.ranking.columns`` — and two
index arrays naming the pairs. :func:`pair_features` returns one ``float32`` row per pair with the
columns of :data:`FEATURE_NAMES`, each documented with its range in :data:`FEATURES`.

Encodings shared by both sides:

- regions are GB/T 2260 codes as 6-digit ints; a city is ``CCCC00`` and a province ``PP0000``,
  so ``code // 100`` is the city of a county (or park) and a desired city covers its counties;
- skills and certificates are binary CSR rows over one shared vocabulary;
- priority groups are int64 bitmasks (bit *i* = the *i*-th group of the reference table);
- text vectors are unit-length rows (sparse TF-IDF or dense LSA), the same kind on both sides;
- dates are whole days on one scale (e.g. days since 1970-01-01);
- 职业分类大典 2022 occupation codes are ints ``major·10⁶ + mid·10⁴ + minor·10² + unit``
  (``"6-31-01-03"`` → 6310103, :func:`occupation_number`), 0 = none.

Unknown is missing, never a value that means something else: a region of 0, a seeker education
of :data:`UNKNOWN_EDUCATION`, NaN years or ages, no desired occupation, a ``valid_from`` or
``applicants`` below 0 and a NaN ``employer_verified`` make the features that need them NaN
(documented per feature in :data:`FEATURES`), which LightGBM treats as missing.

No feature describes gender, and the columns carry no contact data.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "FEATURES",
    "FEATURE_NAMES",
    "MODEL_FEATURES",
    "MODEL_FEATURE_NAMES",
    "PAST_WORK",
    "PAST_WORK_FIT",
    "UNKNOWN_EDUCATION",
    "FeatureSpec",
    "RelatedOccupations",
    "SeekerColumns",
    "VacancyColumns",
    "bm25_share",
    "gathered_matvec",
    "gathered_transposed_matvec",
    "lent_zeros",
    "model_features",
    "monotone_constraints",
    "occupation_number",
    "pair_features",
    "wish_fit",
]

Float32Array = NDArray[np.float32]


class FeatureSpec(NamedTuple):
    """What a pair feature means, in one line, and the closed range of its values."""

    doc: str
    low: float
    high: float
    missing: bool = False
    """True when the feature is NaN for unknown inputs (LightGBM treats NaN as missing)."""
    monotone: int = 0
    """+1 where more is never worse for the pair (the ranker is constrained to rise with it),
    −1 where more is never better, 0 unconstrained."""


MAX_YEARS_GAP = 20.0
MAX_CERTIFICATE_COUNT = 20.0
MAX_FRESHNESS_DAYS = 366.0
MAX_EDUCATION_GAP = 6.0
UNKNOWN_EDUCATION = -1
"""A seeker's education level when it is not known (levels are 1–6)."""
OCCUPATION_LEVELS = 4
"""Levels of a 大典 code (major, mid group, minor group, occupation): occupation_fit is the share
of them two codes have in common."""
PAST_WORK = 10**8
"""Added to the :func:`occupation_number` of work a seeker has done but does not ask for
(``past_occupations`` of the seeker record) in ``SeekerColumns.desired_occupations``."""
PAST_WORK_FIT = 0.75
"""What a posting of the seeker's past work counts for in ``occupation_fit`` when it is not
one they ask for: a wish's minor group (0.75), below the wish itself (1). The hand-graders
grade a job one did and did not ask for a fallback, not a match; a walk-in's past work
(厂里, 收钱) also names jobs nobody wished. Counted as a wish, 包装工 rose for a canteen cook
who had cooked 在厂里. Chosen on the tuning set (two demo stores, three training seeds each,
NDCG@5 formal / walk-in): 0.939 / 0.909 and 0.932 / 0.914 counted as a wish; 0.941 / 0.912
and 0.937 / 0.917 at 0.75; 0.938 / 0.911 and 0.932 / 0.918 at 0.5."""

FEATURES: dict[str, FeatureSpec] = {
    "text_similarity": FeatureSpec(
        "cosine of the seeker's profile text and the vacancy's text vectors, negatives as 0",
        0,
        1,
        monotone=1,
    ),
    "title_similarity": FeatureSpec(
        "cosine of the seeker's desired titles/occupations and the vacancy title vectors",
        0,
        1,
        monotone=1,
    ),
    "occupation_fit": FeatureSpec(
        "share of the 4 大典 levels the vacancy's code has in common with a desired one "
        "(1 equal, 0.75 minor group, 0.5 mid group, 0 none — a major group alone counts as "
        "none), 0.75 of it for past work not desired; NaN when either side's occupation is "
        "unknown",
        0,
        1,
        missing=True,
        monotone=1,
    ),
    "related_occupation": FeatureSpec(
        "strength (0–1) of the strongest curated link between a desired occupation and the "
        "vacancy's (家政 → 保洁, 退役军人's 保安 → 押运 …); NaN when either side is unknown",
        0,
        1,
        missing=True,
        monotone=1,
    ),
    "skill_coverage": FeatureSpec(
        "share of the vacancy's listed skills the seeker has; 0 when it lists none",
        0,
        1,
        monotone=1,
    ),
    "vacancy_lists_skills": FeatureSpec("1 when the vacancy lists at least one skill", 0, 1),
    "required_certificate_coverage": FeatureSpec(
        "share of the vacancy's required certificates the seeker holds; 1 when none required",
        0,
        1,
        monotone=1,
    ),
    "missing_required_certificates": FeatureSpec(
        "required certificates the seeker lacks (clipped at 20)",
        0,
        MAX_CERTIFICATE_COUNT,
        monotone=-1,
    ),
    "preferred_certificates_held": FeatureSpec(
        "preferred certificates the seeker holds (clipped at 20)",
        0,
        MAX_CERTIFICATE_COUNT,
        monotone=1,
    ),
    "education_gap": FeatureSpec(
        "seeker education level − vacancy minimum (levels 0–6); 0 when the minimum is 不限; "
        "NaN when the seeker's education is unknown",
        -MAX_EDUCATION_GAP,
        MAX_EDUCATION_GAP,
        missing=True,
    ),
    "experience_gap": FeatureSpec(
        "seeker's years of experience − vacancy minimum, clipped; NaN when the seeker's "
        "experience is unknown",
        -MAX_YEARS_GAP,
        MAX_YEARS_GAP,
        missing=True,
        monotone=1,
    ),
    "salary_fit": FeatureSpec(
        "ln(vacancy mid pay / expected pay), clipped; NaN when either is unknown",
        -1,
        1,
        missing=True,
    ),
    "salary_known": FeatureSpec("1 when both the vacancy pay and the expectation are known", 0, 1),
    "same_county": FeatureSpec(
        "1 when seeker and vacancy are in the same county (region); NaN when either is "
        "unknown, or one is known only to the other's city",
        0,
        1,
        missing=True,
    ),
    "same_city": FeatureSpec(
        "1 when seeker and vacancy are in the same city (code // 100); NaN when either is unknown",
        0,
        1,
        missing=True,
    ),
    "in_desired_regions": FeatureSpec(
        "1 when a desired region covers the vacancy's (a city its counties); NaN when the "
        "seeker lists none or the vacancy's place is unknown",
        0,
        1,
        missing=True,
    ),
    "age_fit": FeatureSpec(
        "1 inside the vacancy's age range (or none set); else −(years outside), clipped at −20; "
        "NaN when the seeker's age is unknown (whether or not the vacancy sets a range: a "
        "known 1 beside an unknown would rank postings by whether they state ages)",
        -MAX_YEARS_GAP,
        1,
        missing=True,
        monotone=1,
    ),
    "accessibility_fit": FeatureSpec(
        "1 disabled seeker and accessible vacancy, −1 disabled and not accessible, else 0", -1, 1
    ),
    "priority_group_match": FeatureSpec(
        "1 when the seeker is in a group the vacancy (or its campaign) targets", 0, 1
    ),
    "freshness_days": FeatureSpec(
        "days since the vacancy's valid_from, clipped; NaN when unknown (valid_from < 0)",
        0,
        MAX_FRESHNESS_DAYS,
        missing=True,
    ),
    "employer_verified": FeatureSpec(
        "1 when staff have verified the employer (资质审核); NaN when unknown",
        0,
        1,
        missing=True,
    ),
    "congestion": FeatureSpec(
        "ln(1 + applications so far / openings); NaN when unknown (applicants < 0)",
        0,
        math.inf,
        missing=True,
    ),
    "requirements_unmet": FeatureSpec(
        "how many of the vacancy's education minimum, years of experience, age range and "
        "required certificates the seeker is known to miss (0–4; unknown counts as met, a "
        "certificate not named counts as missing); NaN when the seeker's education, experience "
        "and age are all unknown and the vacancy requires no certificate",
        0,
        4,
        missing=True,
        monotone=-1,
    ),
}
"""Pair features in column order: name → (one-line doc, low, high, NaN allowed, monotone)."""

FEATURE_NAMES: tuple[str, ...] = tuple(FEATURES)
"""Column names of :func:`pair_features`, in order."""

BM25_FEATURE = FeatureSpec(
    "Okapi BM25 of the vacancy text for the seeker's words over the query's own ceiling "
    "(k1 + 1)·Σ idf of its words: in [0, 1) whatever the texts' lengths",
    0,
    1,
    monotone=1,
)
MODEL_FEATURES: dict[str, FeatureSpec] = {**FEATURES, "bm25": BM25_FEATURE}
"""What a ranker sees: the pair features, then ``bm25`` (:func:`model_features`)."""
MODEL_FEATURE_NAMES: tuple[str, ...] = tuple(MODEL_FEATURES)
"""Column names of :func:`model_features`, in order."""


def monotone_constraints(names: Sequence[str]) -> dict[str, int]:
    """The non-zero monotone directions of the named model features (unknown names: none)."""
    return {
        name: MODEL_FEATURES[name].monotone
        for name in names
        if name in MODEL_FEATURES and MODEL_FEATURES[name].monotone
    }


def occupation_number(code: str | None) -> int:
    """A 大典 2022 code as an int: ``"6-31-01-03"`` → 6310103 (major·10⁶ + mid·10⁴ + minor·10²
    + unit); ``None`` or ``""`` → 0 (none).

    Raises
    ------
    ValueError
        If ``code`` is not four ``-``-separated numbers (major 1–9, the others 0–99).
    """
    if not code:
        return 0
    parts = code.split("-")
    if (
        len(parts) != 4
        or not all(part.isascii() and part.isdigit() for part in parts)
        or not 1 <= int(parts[0]) <= 9
        or any(int(part) > 99 for part in parts[1:])
    ):
        raise ValueError(f"{code!r} is not a 职业分类大典 code like '6-31-01-03'")
    major, mid, minor, unit = (int(part) for part in parts)
    return major * 10**6 + mid * 10**4 + minor * 10**2 + unit


# --- column containers ---------------------------------------------------------------------


def _vector(name: str, values: ArrayLike, dtype: type[np.generic], length: int | None) -> Any:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {array.shape}")
    if length is not None and len(array) != length:
        raise ValueError(f"{name} has {len(array)} rows, expected {length}")
    if np.issubdtype(dtype, np.integer) and array.size and array.dtype.kind not in "iub":
        raise TypeError(f"{name} must hold integers, got dtype {array.dtype}")
    return np.ascontiguousarray(array, dtype=dtype)


def _binary_rows(name: str, matrix: Any, length: int) -> Any:
    if not sp.issparse(matrix):
        raise TypeError(f"{name} must be a SciPy sparse matrix, got {type(matrix).__name__}")
    if matrix.shape[0] != length:
        raise ValueError(f"{name} has {matrix.shape[0]} rows, expected {length}")
    if (
        isinstance(matrix, sp.csr_array)
        and matrix.dtype == np.float32
        and matrix.has_canonical_format
        and bool((matrix.data == 1.0).all())
    ):
        return matrix  # already binary rows (a vocabulary's encoding, rows of other columns)
    csr = sp.csr_array(matrix, dtype=np.float32, copy=True)
    csr.sum_duplicates()
    csr.eliminate_zeros()
    csr.data[:] = 1.0
    return csr


def _text_rows(name: str, matrix: Any, length: int) -> Any:
    if isinstance(matrix, sp.csr_array) and matrix.dtype == np.float32:
        rows = matrix  # already in this form: no new matrix object
    elif sp.issparse(matrix):
        rows = sp.csr_array(matrix, dtype=np.float32)
    elif isinstance(matrix, np.ndarray) and matrix.ndim == 2:
        rows = np.ascontiguousarray(matrix, dtype=np.float32)
    else:
        raise TypeError(
            f"{name} must be a sparse matrix or a 2-D ndarray, got {type(matrix).__name__}"
        )
    if rows.shape[0] != length:
        raise ValueError(f"{name} has {rows.shape[0]} rows, expected {length}")
    return rows


def _set(columns: object, name: str, value: Any) -> None:
    object.__setattr__(columns, name, value)


@dataclass(frozen=True)
class SeekerColumns:
    """Seekers as arrays, one row each (n_seekers rows); coerced to the dtypes below.

    Parameters
    ----------
    region : int64 array of shape (n_seekers,)
        6-digit GB/T 2260 code of where the seeker lives; 0 = unknown.
    desired_regions : int64 array of shape (n_seekers, max_desired)
        Desired region codes (6-digit; a city ``CCCC00`` covers its counties, a province
        ``PP0000`` its cities), padded with −1.
    education : int8 array of shape (n_seekers,)
        Education level 1–6; :data:`UNKNOWN_EDUCATION` when unknown.
    experience_years, age : float32 arrays of shape (n_seekers,)
        NaN when unknown.
    expected_salary : float32 array of shape (n_seekers,)
        CNY per month; NaN when unknown.
    skills : sparse matrix of shape (n_seekers, n_skills)
        Binary, over the vocabulary the vacancies use.
    certificates : sparse matrix of shape (n_seekers, n_certificates)
        Binary, over the vocabulary the vacancies use.
    groups : int64 array of shape (n_seekers,)
        Bitmask of priority groups.
    disabled : bool array of shape (n_seekers,)
    profile_vectors : sparse matrix or float32 ndarray of shape (n_seekers, n_text_features)
        Unit rows: what the seeker wants and can do (résumé, skills, desired jobs).
    desired_vectors : sparse matrix or float32 ndarray of shape (n_seekers, n_text_features)
        Unit rows (or zero): desired titles and occupations.
    desired_occupations : int64 array of shape (n_seekers, max_occupations)
        Desired 大典 occupations as :func:`occupation_number` ints, then past work not desired
        as such ints + :data:`PAST_WORK`, padded with 0 (width may be 0).
    """

    region: NDArray[np.int64]
    desired_regions: NDArray[np.int64]
    education: NDArray[np.int8]
    experience_years: Float32Array
    expected_salary: Float32Array
    age: Float32Array
    skills: Any
    certificates: Any
    groups: NDArray[np.int64]
    disabled: NDArray[np.bool_]
    profile_vectors: Any
    desired_vectors: Any
    desired_occupations: NDArray[np.int64]

    def __post_init__(self) -> None:
        region = _vector("region", self.region, np.int64, None)
        n = len(region)
        _set(self, "region", region)
        desired = np.asarray(self.desired_regions)
        if desired.ndim != 2 or desired.shape[0] != n:
            raise ValueError(
                f"desired_regions must have shape ({n}, max_desired), got {desired.shape}"
            )
        if desired.size and desired.dtype.kind not in "iu":
            raise TypeError(f"desired_regions must hold integers, got dtype {desired.dtype}")
        _set(self, "desired_regions", np.ascontiguousarray(desired, dtype=np.int64))
        occupations = np.asarray(self.desired_occupations)
        if occupations.ndim != 2 or occupations.shape[0] != n:
            raise ValueError(
                f"desired_occupations must have shape ({n}, max_occupations), "
                f"got {occupations.shape}"
            )
        if occupations.size and occupations.dtype.kind not in "iu":
            raise TypeError(
                f"desired_occupations must hold integers, got dtype {occupations.dtype}"
            )
        _set(self, "desired_occupations", np.ascontiguousarray(occupations, dtype=np.int64))
        _set(self, "education", _vector("education", self.education, np.int8, n))
        for name in ("experience_years", "expected_salary", "age"):
            _set(self, name, _vector(name, getattr(self, name), np.float32, n))
        _set(self, "groups", _vector("groups", self.groups, np.int64, n))
        _set(self, "disabled", _vector("disabled", self.disabled, np.bool_, n))
        _set(self, "skills", _binary_rows("skills", self.skills, n))
        _set(self, "certificates", _binary_rows("certificates", self.certificates, n))
        for name in ("profile_vectors", "desired_vectors"):
            _set(self, name, _text_rows(name, getattr(self, name), n))

    def __len__(self) -> int:
        return len(self.region)

    def take(self, rows: ArrayLike) -> SeekerColumns:
        """The seekers at ``rows`` (int array), in that order."""
        index = np.asarray(rows, dtype=np.int64)
        return dataclasses.replace(
            self, **{f.name: getattr(self, f.name)[index] for f in dataclasses.fields(self)}
        )


@dataclass(frozen=True)
class VacancyColumns:
    """Vacancies as arrays, one row each (n_vacancies rows); coerced to the dtypes below.

    Parameters
    ----------
    region : int64 array of shape (n_vacancies,)
        6-digit GB/T 2260 code of the workplace; 0 = unknown.
    min_education : int8 array of shape (n_vacancies,)
        0 = 学历不限, else the minimum level 1–6.
    min_experience_years : float32 array of shape (n_vacancies,)
    age_min, age_max : float32 arrays of shape (n_vacancies,)
        NaN where the vacancy sets no bound.
    salary_min, salary_max : float32 arrays of shape (n_vacancies,)
        CNY per month; NaN when not given.
    required_certificates, preferred_certificates : sparse matrices of shape
        (n_vacancies, n_certificates)
        Binary, over the seekers' certificate vocabulary.
    skills : sparse matrix of shape (n_vacancies, n_skills)
        Binary, over the seekers' skill vocabulary.
    accessible : bool array of shape (n_vacancies,)
    target_groups : int64 array of shape (n_vacancies,)
        Bitmask of the groups the vacancy targets, with the campaign's groups OR-ed in.
    valid_from : int64 array of shape (n_vacancies,)
        First day the vacancy is open, in days; below 0 when unknown.
    employer_verified : float32 array of shape (n_vacancies,)
        1 verified, 0 not (booleans are taken as such); NaN when unknown.
    openings : int64 array of shape (n_vacancies,)
        Positions to fill (≥ 1).
    applicants : int64 array of shape (n_vacancies,)
        Applications received so far (≥ 0); −1 when unknown.
    description_vectors : sparse matrix or float32 ndarray of shape
        (n_vacancies, n_text_features)
        Unit rows: the whole vacancy text.
    title_vectors : sparse matrix or float32 ndarray of shape (n_vacancies, n_text_features)
        Unit rows: title and occupation.
    occupation : int64 array of shape (n_vacancies,)
        The 大典 occupation as an :func:`occupation_number` int; 0 = none.
    """

    region: NDArray[np.int64]
    min_education: NDArray[np.int8]
    min_experience_years: Float32Array
    age_min: Float32Array
    age_max: Float32Array
    salary_min: Float32Array
    salary_max: Float32Array
    required_certificates: Any
    preferred_certificates: Any
    skills: Any
    accessible: NDArray[np.bool_]
    target_groups: NDArray[np.int64]
    valid_from: NDArray[np.int64]
    employer_verified: Float32Array
    openings: NDArray[np.int64]
    applicants: NDArray[np.int64]
    description_vectors: Any
    title_vectors: Any
    occupation: NDArray[np.int64]

    def __post_init__(self) -> None:
        region = _vector("region", self.region, np.int64, None)
        n = len(region)
        _set(self, "region", region)
        _set(self, "min_education", _vector("min_education", self.min_education, np.int8, n))
        for name in (
            "min_experience_years",
            "age_min",
            "age_max",
            "salary_min",
            "salary_max",
        ):
            _set(self, name, _vector(name, getattr(self, name), np.float32, n))
        for name in ("target_groups", "valid_from", "openings", "applicants", "occupation"):
            _set(self, name, _vector(name, getattr(self, name), np.int64, n))
        _set(self, "accessible", _vector("accessible", self.accessible, np.bool_, n))
        _set(
            self,
            "employer_verified",
            _vector("employer_verified", self.employer_verified, np.float32, n),
        )
        for name in ("required_certificates", "preferred_certificates", "skills"):
            _set(self, name, _binary_rows(name, getattr(self, name), n))
        for name in ("description_vectors", "title_vectors"):
            _set(self, name, _text_rows(name, getattr(self, name), n))
        if n and self.openings.min() < 1:
            raise ValueError(f"openings must be ≥ 1, got {int(self.openings.min())}")
        if n and self.applicants.min() < -1:
            raise ValueError(
                f"applicants must be ≥ 0 (−1: unknown), got {int(self.applicants.min())}"
            )

    def __len__(self) -> int:
        return len(self.region)

    def take(self, rows: ArrayLike) -> VacancyColumns:
        """The vacancies at ``rows`` (int array), in that order."""
        index = np.asarray(rows, dtype=np.int64)
        return dataclasses.replace(
            self, **{f.name: getattr(self, f.name)[index] for f in dataclasses.fields(self)}
        )

    def append(self, other: VacancyColumns) -> VacancyColumns:
        """These vacancies followed by ``other``'s (same vocabularies and text features)."""

        def joined(name: str) -> Any:
            mine, theirs = getattr(self, name), getattr(other, name)
            if sp.issparse(mine) or sp.issparse(theirs):
                return sp.vstack([sp.csr_matrix(mine), sp.csr_matrix(theirs)], format="csr")
            return np.concatenate([mine, theirs])

        return dataclasses.replace(
            self, **{f.name: joined(f.name) for f in dataclasses.fields(self)}
        )


# --- related occupations ------------------------------------------------------------------


@dataclass(frozen=True)
class RelatedOccupations:
    """Strengths of curated links between occupations, looked up for arrays of code pairs.

    Parameters
    ----------
    links : iterable of (int, int, float)
        ``(occupation_a, occupation_b, strength)`` as :func:`occupation_number` ints and a
        strength in [0, 1]; links are symmetric and the strongest of duplicates counts.
    """

    keys: NDArray[np.int64]
    strengths: NDArray[np.float64]

    @classmethod
    def of(cls, links: Iterable[tuple[int, int, float]]) -> RelatedOccupations:
        best: dict[int, float] = {}
        for a, b, strength in links:
            if not 0.0 <= strength <= 1.0:
                raise ValueError(f"a link strength must lie in [0, 1], got {strength!r}")
            for key in (_link_key(a, b), _link_key(b, a)):
                best[key] = max(best.get(key, 0.0), float(strength))
        keys = np.array(sorted(best), dtype=np.int64)
        return cls(keys, np.array([best[k] for k in keys.tolist()], dtype=np.float64))

    def lookup(self, left: NDArray[np.int64], right: NDArray[np.int64]) -> NDArray[np.float64]:
        """Strength of each ``(left[i], right[i])`` (same shapes; 0 where no link); a code
        marked as past work (:data:`PAST_WORK`) links as the code itself."""
        key = _link_key(np.asarray(left) % PAST_WORK, np.asarray(right) % PAST_WORK)
        if not len(self.keys):
            return np.zeros(key.shape, dtype=np.float64)
        at = np.clip(np.searchsorted(self.keys, key), 0, len(self.keys) - 1)
        found: NDArray[np.float64] = np.where(self.keys[at] == key, self.strengths[at], 0.0)
        return found


def _link_key(a: Any, b: Any) -> Any:
    """One int64 per ordered code pair (codes are below 10⁸)."""
    return np.asarray(a, dtype=np.int64) * 10**8 + np.asarray(b, dtype=np.int64)


NO_RELATED = RelatedOccupations(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
"""No curated links: ``related_occupation`` is 0 wherever both occupations are known."""


# --- row-wise operations on gathered pairs -------------------------------------------------


GROUPED_DOT_MIN = 16
"""Mean pairs per seeker from which :func:`pair_features` takes text and set overlaps seeker by
seeker (a served or batch request: hundreds of candidates each) rather than pair by pair (a
training set: about ten per query). Decided once per call, so chunking never changes a value."""


def _row_dot(
    left: Any, right: Any, left_rows: Any, right_rows: Any, *, grouped: bool = False
) -> NDArray[np.float64]:
    """Dot product of ``left[left_rows[p]]`` and ``right[right_rows[p]]`` for every pair p;
    ``grouped`` (sparse only) goes left row by left row (:func:`_grouped_row_dot`)."""
    if sp.issparse(left) and sp.issparse(right):
        if grouped:
            return _grouped_row_dot(
                left if left.format == "csr" else sp.csr_matrix(left),
                right if right.format == "csr" else sp.csr_matrix(right),
                np.asarray(left_rows, dtype=np.int64),
                right_rows,
            )
        if len(right_rows) > 1 and not np.any(right_rows != right_rows[0]):
            found = _one_row_dot(left, right, left_rows, int(right_rows[0]))
            if found is not None:
                return found
        product = left[left_rows].multiply(right[right_rows])
        return np.asarray(product.sum(axis=1), dtype=np.float64).ravel()
    if isinstance(left, np.ndarray) and isinstance(right, np.ndarray):
        # np.take gathers rows several times faster than fancy indexing
        dots = np.einsum(
            "ij,ij->i", np.take(left, left_rows, axis=0), np.take(right, right_rows, axis=0)
        )
        return np.asarray(dots, dtype=np.float64)
    raise TypeError(
        "text vectors must be of one kind on both sides (both sparse or both dense), got "
        f"{type(left).__name__} and {type(right).__name__}"
    )


def _one_row_dot(left: Any, right: Any, left_rows: Any, row: int) -> NDArray[np.float64] | None:
    """:func:`_row_dot` of many left rows with one right row (a vacancy's candidate seekers),
    bit for bit: the same products (left value × right value, in their common dtype, zeros
    dropped) in the same sorted order, summed by scipy's same sum — without gathering the
    right row once per pair. None where that equality is not assured (other dtypes, rows not
    canonical, non-finite values): the caller then takes the general path."""
    if left.dtype != right.dtype or left.dtype.kind != "f":
        return None
    right = right if right.format == "csr" else sp.csr_array(right)
    start, end = int(right.indptr[row]), int(right.indptr[row + 1])
    terms, values = right.indices[start:end], right.data[start:end]
    if np.any(np.diff(terms) <= 0) or not np.all(np.isfinite(values)):
        return None
    rows = np.asarray(left_rows, dtype=np.int64)
    whole = len(rows) == left.shape[0] and np.array_equal(rows, np.arange(len(rows)))
    gathered = left if whole else left[rows]
    if gathered.format != "csr" or not gathered.has_canonical_format:
        return None
    dense = np.zeros(right.shape[1], dtype=right.dtype)
    dense[terms] = values
    product = gathered.__class__(
        (gathered.data * dense[gathered.indices], gathered.indices.copy(), gathered.indptr.copy()),
        shape=gathered.shape,
    )
    product.eliminate_zeros()
    return np.asarray(product.sum(axis=1), dtype=np.float64).ravel()


class _ZeroVectors:
    """Vectors of zeros lent out by (width, dtype) and taken back zeroed: a request's text
    vectors are ~600,000 columns wide (hashed buckets included), and a fresh ``np.zeros`` of
    that width costs ~0.17 ms of page faults each time it is touched. A borrower sets a few
    entries and sets them back to 0 before returning it; one that fails keeps it (a vector left
    dirty is never lent again). At most as many vectors of a width as were in use at once."""

    KEPT_WIDTHS = 4
    """Widths kept (a model swap brings new ones; the oldest are dropped)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: dict[tuple[int, str], list[NDArray[Any]]] = {}

    @contextmanager
    def lend(self, width: int, dtype: Any = np.float64) -> Iterator[NDArray[Any]]:
        key = (int(width), np.dtype(dtype).str)
        with self._lock:
            free = self._free.pop(key, [])
            vector = free.pop() if free else None
            self._free[key] = free  # most recently used last
            while len(self._free) > self.KEPT_WIDTHS:
                del self._free[next(iter(self._free))]
        if vector is None:
            vector = np.zeros(key[0], dtype=key[1])
        yield vector  # an exception here leaves the vector out of the pool
        with self._lock:
            self._free.setdefault(key, []).append(vector)


_ZEROS = _ZeroVectors()


def lent_zeros(width: int, dtype: Any = np.float64) -> Any:
    """A context manager lending a vector of ``width`` zeros of ``dtype`` from a process-wide
    pool; set back to 0 every entry you set before the block ends (:class:`_ZeroVectors`)."""
    return _ZEROS.lend(width, dtype)


def _grouped_row_dot(
    left: Any, right: Any, left_rows: NDArray[np.int64], right_rows: Any
) -> NDArray[np.float64]:
    """:func:`_row_dot` for pairs that share few left rows (a seeker's hundreds of candidate
    vacancies): each left row is scattered once into a dense vector and multiplied with its
    pairs' right rows — no left row is gathered per pair (12× faster for 200 pairs a row)."""
    right_rows = np.asarray(right_rows, dtype=np.int64)
    order = np.argsort(left_rows, kind="stable")
    ordered = left_rows[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(order)]
    out = np.empty(len(left_rows), dtype=np.float64)
    with lent_zeros(left.shape[1]) as dense:
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            row = int(ordered[start])
            span = slice(left.indptr[row], left.indptr[row + 1])
            terms = left.indices[span]
            dense[terms] = left.data[span]
            pairs = order[start:end]
            out[pairs] = _rows_times_dense(right, right_rows[pairs], dense)
            dense[terms] = 0.0
    return out


SMALL_GATHER = 20_000
"""Stored entries of the right rows below which :func:`_rows_times_dense` multiplies in numpy
(skills, certificates, titles: a few per row) rather than through a gathered scipy matrix,
whose construction costs ~0.1 ms whatever its size; above it (the description vectors, ~500
entries a row) scipy's C loops are faster."""


def _rows_times_dense(
    matrix: Any, rows: NDArray[np.int64], dense: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``matrix[rows] @ dense`` for a CSR ``matrix``: bit for bit scipy's values (each row's
    products summed in float64, in stored order, from 0, as ``csr_matvec`` sums); rows holding
    few entries are read in numpy, without building the gathered matrix."""
    indptr = matrix.indptr
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    total = int(lengths.sum())
    if total >= SMALL_GATHER:  # a text matrix: hundreds of entries a row
        return np.asarray(gathered_matvec(matrix, rows, dense), dtype=np.float64)
    # entry positions of the rows, one after the other: start of its row + place in it
    shifts = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    positions = np.arange(total, dtype=np.int64) + shifts
    products = matrix.data[positions].astype(np.float64) * dense[matrix.indices[positions]]
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    # bincount adds each weight to its bin in order: per row a sequential sum from 0
    return np.asarray(np.bincount(owner, weights=products, minlength=len(rows)), np.float64)


def gathered_matvec(matrix: Any, rows: ArrayLike, vector: NDArray[Any]) -> NDArray[Any]:
    """``matrix[rows] @ vector`` for a CSR ``matrix`` and a dense ``vector``, through scipy's
    own kernels called directly: ``csr_row_index`` gathers the rows, ``csr_matvec`` multiplies,
    with the index and value types scipy would use — the same values bit for bit, without the
    gathered matrix object, whose construction and checks cost more than the product (a
    request's ~300 candidate description rows: 0.56 → 0.42 ms). Other formats, or a scipy
    without the kernels, take ``matrix[rows] @ vector``."""
    gathered = _gathered_rows(matrix, rows)
    if gathered is None:
        return np.asarray(matrix[rows] @ vector)
    indptr, indices, data = gathered
    out = np.zeros(len(indptr) - 1, dtype=np.result_type(data.dtype, vector.dtype))
    _csr_matvec(len(out), matrix.shape[1], indptr, indices, data, vector, out)
    return out


def gathered_transposed_matvec(matrix: Any, rows: ArrayLike, vector: NDArray[Any]) -> NDArray[Any]:
    """``matrix[rows].T @ vector`` for a CSR ``matrix`` (a posting list per row: the weighted
    sum of the rows ``rows``), as :func:`gathered_matvec` does it: the gathered rows read as
    the transpose's columns by scipy's ``csc_matvec``, the kernel its product calls."""
    gathered = _gathered_rows(matrix, rows)
    if gathered is None:
        return np.asarray(matrix[rows].T @ vector)
    indptr, indices, data = gathered
    out = np.zeros(matrix.shape[1], dtype=np.result_type(data.dtype, vector.dtype))
    _csc_matvec(matrix.shape[1], len(indptr) - 1, indptr, indices, data, vector, out)
    return out


def _gathered_rows(matrix: Any, rows: ArrayLike) -> tuple[Any, Any, Any] | None:
    """``matrix[rows]``'s arrays (indptr, indices, data) as scipy's row gather makes them, or
    None where the kernels cannot be called (not CSR, or a scipy without them)."""
    if _csr_row_index is None or getattr(matrix, "format", "") != "csr":
        return None
    index = np.promote_types(matrix.indptr.dtype, matrix.indices.dtype)
    indptr = matrix.indptr.astype(index, copy=False)
    taken = np.asarray(rows, dtype=index).ravel()
    lengths = indptr[taken + 1] - indptr[taken]
    gathered_indptr = np.zeros(len(taken) + 1, dtype=index)
    np.cumsum(lengths, out=gathered_indptr[1:])
    stored = int(gathered_indptr[-1])
    indices = np.empty(stored, dtype=index)
    data = np.empty(stored, dtype=matrix.data.dtype)
    _csr_row_index(
        len(taken),
        taken,
        indptr,
        matrix.indices.astype(index, copy=False),
        matrix.data,
        indices,
        data,
    )
    return gathered_indptr, indices, data


try:  # scipy's CSR kernels (private, present since scipy's early versions)
    from scipy.sparse._sparsetools import csc_matvec as _csc_matvec
    from scipy.sparse._sparsetools import csr_matvec as _csr_matvec
    from scipy.sparse._sparsetools import csr_row_index as _csr_row_index
except ImportError:  # pragma: no cover - a scipy without them: the public products
    _csc_matvec = _csr_matvec = _csr_row_index = None


def _region_covered(desired: NDArray[np.int64], region: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Row p: does any code of ``desired[p]`` equal or contain ``region[p]``? (−1 = padding)."""
    target = region[:, None]
    exact = desired == target
    city = (desired % 100 == 0) & (desired // 100 == target // 100)
    province = (desired % 10_000 == 0) & (desired // 10_000 == target // 10_000)
    covered: NDArray[np.bool_] = ((exact | city | province) & (desired >= 0)).any(axis=1)
    return covered


def occupation_level_share(
    first: NDArray[np.int64], second: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Element by element (broadcast): the share of the four 大典 levels two occupation numbers
    (:func:`occupation_number`) have in common — the major group (code // 10⁶), the mid group
    (// 10⁴), the minor group (// 10²) and the occupation — where a major group shared alone
    counts as none: 大典's major groups are too broad to say two jobs are alike (6 holds every
    factory and building trade, 2 the nurse and the accountant). So 0, 0.5, 0.75 or 1; 0 where
    either is 0 (none).

    Counting the major group alone as 0.25 put 会计 and Java 开发 above 养老护理 for a nurse on
    the real-text set; without it the retrained default model's NDCG@5 rose by 0.016/0.024
    (formal) and 0.005/0.007 (walk-in) on two demo stores and stayed level on a third."""
    known = (first > 0) & (second > 0)
    same_mid = known & (first // 10**4 == second // 10**4)
    shared = 2.0 * same_mid  # the mid group, and the major group it lies in
    for divisor in (10**2, 1):
        shared = shared + (same_mid & (first // divisor == second // divisor))
    out: NDArray[np.float64] = shared / OCCUPATION_LEVELS
    return out


def wish_fit(desired: NDArray[np.int64], occupation: NDArray[np.int64]) -> NDArray[np.float64]:
    """Element by element (broadcast): :func:`occupation_level_share` of a desired code and a
    vacancy's, times :data:`PAST_WORK_FIT` where the desired code is past work (marked with
    :data:`PAST_WORK`)."""
    past = desired >= PAST_WORK
    share = occupation_level_share(desired % PAST_WORK, occupation)
    out: NDArray[np.float64] = np.where(past, PAST_WORK_FIT * share, share)
    return out


def _occupation_fit(
    desired: NDArray[np.int64], occupation: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Row p: the largest :func:`wish_fit` of ``occupation[p]`` with a code of ``desired[p]``
    (0 = none); NaN when ``occupation[p]`` is 0 or ``desired[p]`` holds no code."""
    target = occupation[:, None]
    given = (desired > 0) & (target > 0)
    fit = wish_fit(desired, target)
    best: NDArray[np.float64] = fit.max(axis=1, initial=0.0)
    return np.where(given.any(axis=1), best, np.nan)


def _related(
    desired: NDArray[np.int64], occupation: NDArray[np.int64], related: RelatedOccupations
) -> NDArray[np.float64]:
    """Row p: the strongest curated link between a code of ``desired[p]`` and
    ``occupation[p]``; NaN when either side has no code."""
    target = np.broadcast_to(occupation[:, None], desired.shape)
    given = (desired > 0) & (target > 0)
    strength = np.where(given, related.lookup(desired, target), 0.0)
    best: NDArray[np.float64] = strength.max(axis=1, initial=0.0)
    return np.where(given.any(axis=1), best, np.nan)


def _mid_pay(low: Float32Array, high: Float32Array) -> NDArray[np.float64]:
    """Mean of the bounds given; the one bound when only one is; NaN when neither is."""
    low64, high64 = low.astype(np.float64), high.astype(np.float64)
    both = (low64 + high64) / 2.0
    return np.where(np.isnan(low64), high64, np.where(np.isnan(high64), low64, both))


def _vacancy_terms(
    vacancies: VacancyColumns, rows: NDArray[np.int64] | None, today: int
) -> dict[str, NDArray[np.float64]]:
    """The per-vacancy parts of the features — skills listed, certificates required, mid pay,
    congestion, freshness — of the vacancies at ``rows`` (None: every vacancy), elementwise, so
    the same vacancy gets the same values either way."""
    skills, required = vacancies.skills.indptr, vacancies.required_certificates.indptr
    if rows is None:
        skill_count, required_count = np.diff(skills), np.diff(required)
        salary_min, salary_max = vacancies.salary_min, vacancies.salary_max
        applicants, openings = vacancies.applicants, vacancies.openings
        valid_from = vacancies.valid_from
    else:
        skill_count = skills[rows + 1] - skills[rows]
        required_count = required[rows + 1] - required[rows]
        salary_min, salary_max = vacancies.salary_min[rows], vacancies.salary_max[rows]
        applicants, openings = vacancies.applicants[rows], vacancies.openings[rows]
        valid_from = vacancies.valid_from[rows]
    return {
        "skill_count": skill_count.astype(np.float64),
        "required_count": required_count.astype(np.float64),
        "mid_pay": _mid_pay(salary_min, salary_max),
        "congestion": np.where(
            applicants >= 0, np.log1p(np.maximum(applicants, 0) / openings), np.nan
        ),
        "freshness": np.where(
            valid_from >= 0, np.clip(today - valid_from, 0, MAX_FRESHNESS_DAYS), np.nan
        ),
    }


def _check_pairs(
    seeker_index: ArrayLike, vacancy_index: ArrayLike, n_seekers: int, n_vacancies: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    checked = []
    for name, values, size in (
        ("seeker_index", seeker_index, n_seekers),
        ("vacancy_index", vacancy_index, n_vacancies),
    ):
        array = np.asarray(values)
        if array.ndim != 1:
            raise ValueError(f"{name} must be 1-D (n_pairs,), got shape {array.shape}")
        if array.size and array.dtype.kind not in "iu":
            raise TypeError(f"{name} must hold integers, got dtype {array.dtype}")
        array = array.astype(np.int64, copy=False)
        if array.size and (array.min() < 0 or array.max() >= size):
            bad = int(array.min()) if array.min() < 0 else int(array.max())
            raise ValueError(f"{name} holds {bad}, outside 0..{size - 1}")
        checked.append(array)
    if len(checked[0]) != len(checked[1]):
        raise ValueError(
            f"seeker_index has {len(checked[0])} pairs but vacancy_index has {len(checked[1])}"
        )
    return checked[0], checked[1]


def _check_widths(seekers: SeekerColumns, vacancies: VacancyColumns) -> None:
    for seeker_name, vacancy_name in (
        ("skills", "skills"),
        ("certificates", "required_certificates"),
        ("certificates", "preferred_certificates"),
        ("profile_vectors", "description_vectors"),
        ("desired_vectors", "title_vectors"),
    ):
        left = getattr(seekers, seeker_name).shape[1]
        right = getattr(vacancies, vacancy_name).shape[1]
        if left != right:
            raise ValueError(
                f"seekers.{seeker_name} has {left} columns but vacancies.{vacancy_name} has "
                f"{right}; build both with the same vocabulary/vectoriser"
            )


# --- the features --------------------------------------------------------------------------


def pair_features(
    seekers: SeekerColumns,
    vacancies: VacancyColumns,
    seeker_index: ArrayLike,
    vacancy_index: ArrayLike,
    *,
    today: int,
    related: RelatedOccupations = NO_RELATED,
    chunk_size: int = 16_384,
    skip: Collection[str] = (),
) -> Float32Array:
    """Feature rows for the pairs ``(seekers[seeker_index[p]], vacancies[vacancy_index[p]])``.

    Parameters
    ----------
    seekers : SeekerColumns with n_seekers rows
    vacancies : VacancyColumns with n_vacancies rows
    seeker_index : int array of shape (n_pairs,)
        Row of each pair's seeker, 0 ≤ value < n_seekers.
    vacancy_index : int array of shape (n_pairs,)
        Row of each pair's vacancy, 0 ≤ value < n_vacancies.
    today : int
        The reference day, on the scale of ``vacancies.valid_from``.
    related : RelatedOccupations
        Curated occupation links for ``related_occupation`` (default: none).
    chunk_size : int
        Pairs computed together; bounds the temporary memory (not the result).
    skip : collection of str
        Features a ranker never reads (:data:`FEATURE_NAMES`): NaN in their columns, and the
        costly ones (the text and title similarities) are not computed.

    Returns
    -------
    ndarray of shape (n_pairs, len(FEATURE_NAMES)), float32
        Columns in :data:`FEATURE_NAMES` order; values within the ranges of :data:`FEATURES`;
        NaN only in the features marked ``missing`` there, for unknown inputs, and in ``skip``.
    """
    if not isinstance(seekers, SeekerColumns):
        raise TypeError(f"seekers must be SeekerColumns, got {type(seekers).__name__}")
    if not isinstance(vacancies, VacancyColumns):
        raise TypeError(f"vacancies must be VacancyColumns, got {type(vacancies).__name__}")
    if isinstance(today, bool) or not isinstance(today, int | np.integer):
        raise TypeError(f"today must be an int number of days, got {today!r}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
    s_index, v_index = _check_pairs(seeker_index, vacancy_index, len(seekers), len(vacancies))
    _check_widths(seekers, vacancies)
    skipped = frozenset(skip)
    if not skipped <= set(FEATURE_NAMES):
        raise ValueError(f"skip names no pair feature: {sorted(skipped - set(FEATURE_NAMES))}")

    # per-vacancy quantities: once per vacancy, or per pair when the pairs touch fewer rows
    # than the vacancies hold (a request's few hundred candidates in an index of thousands)
    per_pair = len(v_index) < len(vacancies)
    vacancy_terms = None if per_pair else _vacancy_terms(vacancies, None, int(today))
    expected = seekers.expected_salary.astype(np.float64)
    expected = np.where(expected > 0, expected, np.nan)

    out = np.empty((len(s_index), len(FEATURE_NAMES)), dtype=np.float32)
    column = {name: j for j, name in enumerate(FEATURE_NAMES)}
    grouped = len(s_index) >= GROUPED_DOT_MIN * len(np.unique(s_index))
    for start in range(0, len(s_index), chunk_size):
        s = s_index[start : start + chunk_size]
        v = v_index[start : start + chunk_size]
        block = out[start : start + chunk_size]
        features = _chunk_features(
            seekers,
            vacancies,
            s,
            v,
            vacancy_terms=(
                _vacancy_terms(vacancies, v, int(today))
                if vacancy_terms is None
                else {name: np.take(values, v) for name, values in vacancy_terms.items()}
            ),
            expected=expected,
            related=related,
            grouped=grouped,
            skip=skipped,
        )
        if features.keys() != column.keys():
            raise RuntimeError(f"features computed {sorted(features)}, not {FEATURE_NAMES}")
        for name, values in features.items():
            block[:, column[name]] = values
    return out


def _chunk_features(
    seekers: SeekerColumns,
    vacancies: VacancyColumns,
    s: NDArray[np.int64],
    v: NDArray[np.int64],
    *,
    vacancy_terms: dict[str, NDArray[np.float64]],
    expected: NDArray[np.float64],
    related: RelatedOccupations,
    grouped: bool,
    skip: frozenset[str] = frozenset(),
) -> dict[str, NDArray[Any]]:
    """Every feature for one chunk of pairs, keyed by name (all of FEATURE_NAMES);
    ``vacancy_terms`` are :func:`_vacancy_terms` of the chunk's vacancies, one per pair. The
    features in ``skip`` are NaN (the text similarities among them are not computed)."""
    values: dict[str, NDArray[Any]] = {}

    for name, left, right in (
        ("text_similarity", seekers.profile_vectors, vacancies.description_vectors),
        ("title_similarity", seekers.desired_vectors, vacancies.title_vectors),
    ):
        if name not in skip:
            values[name] = np.clip(_row_dot(left, right, s, v, grouped=grouped), 0.0, 1.0)
    desired = np.take(seekers.desired_occupations, s, axis=0)
    occupation = np.take(vacancies.occupation, v)
    values["occupation_fit"] = _occupation_fit(desired, occupation)
    values["related_occupation"] = _related(desired, occupation, related)

    listed = vacancy_terms["skill_count"]
    shared = _row_dot(seekers.skills, vacancies.skills, s, v, grouped=grouped)
    values["skill_coverage"] = np.where(listed > 0, shared / np.maximum(listed, 1.0), 0.0)
    values["vacancy_lists_skills"] = listed > 0

    required = vacancy_terms["required_count"]
    held = _row_dot(seekers.certificates, vacancies.required_certificates, s, v, grouped=grouped)
    values["required_certificate_coverage"] = np.where(
        required > 0, held / np.maximum(required, 1.0), 1.0
    )
    values["missing_required_certificates"] = np.minimum(required - held, MAX_CERTIFICATE_COUNT)
    preferred = _row_dot(
        seekers.certificates, vacancies.preferred_certificates, s, v, grouped=grouped
    )
    values["preferred_certificates_held"] = np.minimum(preferred, MAX_CERTIFICATE_COUNT)

    minimum = np.take(vacancies.min_education, v).astype(np.int16)
    education = np.take(seekers.education, s).astype(np.int16)
    gap = np.where(
        minimum > 0, np.clip(education - minimum, -MAX_EDUCATION_GAP, MAX_EDUCATION_GAP), 0
    )
    education_known = education != UNKNOWN_EDUCATION
    values["education_gap"] = np.where(education_known, gap, np.nan)
    experience = np.take(seekers.experience_years, s) - np.take(vacancies.min_experience_years, v)
    experience_known = ~np.isnan(experience)
    values["experience_gap"] = np.clip(experience, -MAX_YEARS_GAP, MAX_YEARS_GAP)

    ratio = vacancy_terms["mid_pay"] / np.take(expected, s)
    known = np.isfinite(ratio) & (ratio > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        fit = np.clip(np.log(np.where(known, ratio, 1.0)), -1.0, 1.0)
    values["salary_fit"] = np.where(known, fit, np.nan)
    values["salary_known"] = known

    home, workplace = np.take(seekers.region, s), np.take(vacancies.region, v)
    known_places = (home > 0) & (workplace > 0)
    same_city = home // 100 == workplace // 100
    # a place known only to its city (遂宁) may or may not be the other's county
    city_only = (home % 100 == 0) | (workplace % 100 == 0)
    county_known = known_places & ~(city_only & same_city)
    values["same_county"] = np.where(county_known, home == workplace, np.nan)
    values["same_city"] = np.where(known_places, same_city, np.nan)
    desired = np.take(seekers.desired_regions, s, axis=0)
    wish_known = (workplace > 0) & (desired >= 0).any(axis=1)
    values["in_desired_regions"] = np.where(wish_known, _region_covered(desired, workplace), np.nan)

    age = np.take(seekers.age, s).astype(np.float64)
    low, high = np.take(vacancies.age_min, v), np.take(vacancies.age_max, v)
    too_young = np.nan_to_num(low - age, nan=0.0)
    too_old = np.nan_to_num(age - high, nan=0.0)
    outside = np.maximum(np.maximum(too_young, too_old), 0.0)
    fit = np.where(outside > 0, np.maximum(-outside, -MAX_YEARS_GAP), 1.0)
    age_known = ~np.isnan(age)
    values["age_fit"] = np.where(age_known, fit, np.nan)
    # what a screener checks first: each stated requirement the seeker is known to miss
    unmet = (
        (education_known & (gap < 0)).astype(np.float64)
        + (experience_known & (np.nan_to_num(experience, nan=0.0) < 0))
        + (age_known & (outside > 0))
        + (required > held)
    )
    values["requirements_unmet"] = np.where(
        education_known | experience_known | age_known | (required > 0), unmet, np.nan
    )

    disabled = np.take(seekers.disabled, s)
    values["accessibility_fit"] = np.where(
        disabled, np.where(np.take(vacancies.accessible, v), 1, -1), 0
    )
    values["priority_group_match"] = (
        np.take(seekers.groups, s) & np.take(vacancies.target_groups, v)
    ) != 0
    values["freshness_days"] = vacancy_terms["freshness"]
    values["employer_verified"] = np.take(vacancies.employer_verified, v)
    values["congestion"] = vacancy_terms["congestion"]
    for name in skip:
        values[name] = np.full(len(s), np.nan)
    return values


# --- what a ranker sees --------------------------------------------------------------------


def bm25_share(scores: ArrayLike, ceilings: ArrayLike) -> NDArray[np.float64]:
    """BM25 scores over their queries' ceilings (:meth:`features.vectorize.BM25Vectorizer
    .query_ceilings`): in [0, 1) whatever the lengths of the texts; 0 for an empty query."""
    raw = np.asarray(scores, dtype=np.float64)
    top = np.asarray(ceilings, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(top > 0, raw / np.where(top > 0, top, 1.0), 0.0)
    clipped: NDArray[np.float64] = np.clip(share, 0.0, 1.0)
    return clipped


def model_features(
    seekers: SeekerColumns,
    vacancies: VacancyColumns,
    seeker_index: ArrayLike,
    vacancy_index: ArrayLike,
    *,
    bm25: ArrayLike,
    bm25_ceiling: ArrayLike,
    today: int,
    related: RelatedOccupations = NO_RELATED,
    skip: Collection[str] = (),
) -> Float32Array:
    """The rows a ranker scores, in :data:`MODEL_FEATURE_NAMES` order: :func:`pair_features`
    and then :func:`bm25_share` — the one function training, serving, batch and pairs files
    call, so the same pair on the same day gets the same row everywhere.

    Parameters
    ----------
    bm25, bm25_ceiling : float arrays of shape (n_pairs,)
        Each pair's raw BM25 score (the seeker's words as the query) and its query's ceiling.
    skip : collection of str
        Pair features the ranker never reads (its ``ignored_features``): NaN, and not computed
        where that saves work (:func:`pair_features`). Serving passes them; training never does.
    """
    base = pair_features(
        seekers, vacancies, seeker_index, vacancy_index, today=today, related=related, skip=skip
    )
    share = bm25_share(bm25, bm25_ceiling)
    if share.shape != (base.shape[0],):
        raise ValueError(f"bm25 must have shape ({base.shape[0]},), got {share.shape}")
    return np.hstack([base, share.reshape(-1, 1).astype(np.float32)])
