"""Rankers: LightGBM LambdaMART (the default) and the baselines always evaluated beside it.

=================  =========================  =================================================
kind               class                      saved as
=================  =========================  =================================================
``lambdamart``     :class:`LambdaMARTRanker`  ``model.txt`` (LightGBM text model) + params.json
``pointwise``      :class:`PointwiseRanker`   ``model.joblib`` (scikit-learn) + params.json
``tfidf_cosine``   :class:`TfidfCosineRanker` params.json (scores = ``text_similarity``)
``bm25``           :class:`BM25Ranker`        params.json (scores = ``bm25``)
``random``         :class:`RandomRanker`      params.json
=================  =========================  =================================================

:data:`RANKERS` is the explicit registry by kind; :func:`make_ranker` builds one from a kind
and its parameters, :func:`load_saved_ranker` reads whichever kind a folder holds.

Every ranker follows the scikit-learn estimator contract: ``__init__`` only stores its keyword
arguments; ``fit(data)`` validates them and the :class:`~models.RankingSet` (``TypeError`` for
a wrong type, ``ValueError`` for a wrong value, the message naming it) and returns ``self``;
learned attributes end with ``_``; ``predict``, ``contributions`` and ``save`` on an unfitted
ranker raise :class:`sklearn.exceptions.NotFittedError`; ``predict`` refuses a matrix whose
column count differs from ``feature_names_``.

``params.json`` holds ``kind``, ``format_version``, ``params``, ``feature_names``, the learned
``state``, the library ``versions`` and the SHA-256 of each model file. ``load`` refuses (with
:class:`SavedRankerError`) a folder whose kind or format version differs, whose model file is
missing or changed, or whose feature names differ from the model's. Only the pointwise kind
uses joblib (a scikit-learn estimator has no pickle-free format): its file is unpickled only
after its SHA-256 and the scikit-learn version match — the guard against a corrupt or foreign
file; the guard against a tampered folder is the bundle manifest's hashes
(:mod:`models.bundle`).
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import json
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

import joblib
import lightgbm as lgb
import numpy as np
import sklearn
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.exceptions import NotFittedError

from models.base import Ranker
from models.dataset import LABELS, RankingSet

__all__ = [
    "DEFAULT_KIND",
    "RANKERS",
    "BM25Ranker",
    "FeatureRanker",
    "LambdaMARTRanker",
    "LibraryVersionWarning",
    "PointwiseRanker",
    "RandomRanker",
    "SavedRankerError",
    "TfidfCosineRanker",
    "averaged_booster",
    "load_saved_ranker",
    "make_ranker",
]

FORMAT_VERSION = 1
PARAMS_FILE = "params.json"
LIGHTGBM_MODEL_FILE = "model.txt"
SKLEARN_MODEL_FILE = "model.joblib"
MAX_LABEL = max(LABELS.values())
MAX_QUERY_ROWS = 10_000
"""LightGBM's lambdarank refuses a query with more rows (``DCGCalculator::kMaxPosition``)."""
_FEATURE_NAME_FORBIDDEN = set("\"',:[]{}")
_BaseRankerT = TypeVar("_BaseRankerT", bound="_BaseRanker")


class SavedRankerError(ValueError):
    """A saved ranker folder cannot be loaded: a file is missing, changed or corrupt, of another
    kind or format version, written by an incompatible library version, or its feature names
    differ from the model's. The message names the file and what is wrong."""


class LibraryVersionWarning(UserWarning):
    """A saved model was written by an older major version of its library; it loads, but
    retrain it to be sure the scores match."""


# --- validation helpers ----------------------------------------------------------------------


def _check_int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name}={value} must be at least {minimum}")
    return int(value)


def _check_float(
    name: str, value: object, low: float, high: float, *, low_open: bool = False
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{name} must be a number, got {value!r}")
    number = float(value)
    too_low = number <= low if low_open else number < low
    if too_low or number > high or not np.isfinite(number):
        bracket = "(" if low_open else "["
        raise ValueError(f"{name}={value} must be in {bracket}{low}, {high}]")
    return number


def _check_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be a bool, got {value!r}")
    return bool(value)


def _check_set(data: object, name: str = "data") -> RankingSet:
    if not isinstance(data, RankingSet):
        raise TypeError(f"{name} must be a RankingSet, got {type(data).__name__}")
    if data.n_rows == 0:
        raise ValueError(f"{name} has no rows")
    if data.labels.min() < 0 or data.labels.max() > MAX_LABEL:
        bad = data.labels[(data.labels < 0) | (data.labels > MAX_LABEL)][0]
        raise ValueError(f"{name}.labels must be graded 0–{MAX_LABEL}, got {bad}")
    names = data.feature_names
    if len(set(names)) != len(names):
        duplicated = sorted({name for name in names if names.count(name) > 1})
        raise ValueError(f"{name}.feature_names repeat {duplicated}")
    return data


# --- persistence helpers ---------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{value!r} ({type(value).__name__}) cannot be saved as JSON")


def _write_params(
    directory: Path,
    ranker: _BaseRanker,
    state: dict[str, Any],
    versions: dict[str, str],
    model_files: tuple[str, ...] = (),
) -> Path:
    header = {
        "kind": ranker.kind,
        "format_version": FORMAT_VERSION,
        "params": ranker.params(),
        "feature_names": list(ranker.feature_names_),
        "state": state,
        "versions": {"numpy": np.__version__, **versions},
        "files": {name: _sha256(directory / name) for name in model_files},
    }
    path = directory / PARAMS_FILE
    path.write_text(
        json.dumps(header, ensure_ascii=False, indent=1, default=_json_default) + "\n",
        encoding="utf-8",
    )
    return path


def _read_header(directory: Path) -> dict[str, Any]:
    path = directory / PARAMS_FILE
    if not path.is_file():
        raise SavedRankerError(f"{path}: missing; not a saved ranker folder")
    try:
        header = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SavedRankerError(f"{path}: corrupt JSON ({error})") from error
    if not isinstance(header, dict):
        raise SavedRankerError(f"{path}: corrupt, expected a JSON object")
    if header.get("format_version") != FORMAT_VERSION:
        raise SavedRankerError(
            f"{path}: format_version {header.get('format_version')!r} differs from "
            f"{FORMAT_VERSION}, the version this code reads; retrain the ranker"
        )
    for field, kind in (("kind", str), ("params", dict), ("feature_names", list)):
        if not isinstance(header.get(field), kind):
            raise SavedRankerError(f"{path}: field {field!r} is missing or not a {kind.__name__}")
    for field in ("state", "versions", "files"):
        if not isinstance(header.setdefault(field, {}), dict):
            raise SavedRankerError(f"{path}: field {field!r} is not an object")
    if not all(isinstance(name, str) for name in header["feature_names"]):
        raise SavedRankerError(f"{path}: feature_names must be strings")
    return header


def _read_folder(directory: Path, cls: type[_BaseRanker]) -> dict[str, Any]:
    """``params.json`` of a folder holding ``cls.kind``, its model files' SHA-256 checked."""
    header = _read_header(directory)
    if header["kind"] != cls.kind:
        raise SavedRankerError(
            f"{directory / PARAMS_FILE}: holds a {header['kind']!r} ranker, not {cls.kind!r}"
        )
    for name in cls._model_files:
        file = directory / name
        if not file.is_file():
            raise SavedRankerError(f"{file}: missing")
        if _sha256(file) != header["files"].get(name):
            raise SavedRankerError(
                f"{file}: SHA-256 differs from the one recorded in {PARAMS_FILE} "
                "(the file was changed or is corrupt)"
            )
    return header


def _build(cls: type[_BaseRankerT], header: dict[str, Any], directory: Path) -> _BaseRankerT:
    try:
        ranker = cls(**header["params"])
    except TypeError as error:
        raise SavedRankerError(f"{directory / PARAMS_FILE}: bad params ({error})") from error
    ranker.feature_names_ = tuple(header["feature_names"])
    return ranker


def _major(version: str) -> int:
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else -1


def _without_unused(
    features: NDArray[np.floating[Any]], names: tuple[str, ...], unused: Any, blank: float
) -> NDArray[np.floating[Any]]:
    """``features`` with the columns named in ``unused`` set to ``blank`` (a copy only when one
    is named): a constant column is one no tree can split on. Names not among ``names`` are
    ignored; TypeError when ``unused`` is not a list of names."""
    if unused is None:
        return features
    if not isinstance(unused, list | tuple):
        raise TypeError(f"unused must be a list of feature names, got {unused!r}")
    columns = [names.index(name) for name in unused if name in names]
    if not columns:
        return features
    blanked = features.copy()
    blanked[:, columns] = blank
    return blanked


# --- the common base -------------------------------------------------------------------------


class _BaseRanker(BaseEstimator):  # type: ignore[misc]
    """Parameters via scikit-learn's ``get_params``; fitted checks and column checks."""

    kind: ClassVar[str]
    _model_files: ClassVar[tuple[str, ...]] = ()
    feature_names_: tuple[str, ...]

    def params(self) -> dict[str, Any]:
        """The constructor's parameters, JSON-ready."""
        return dict(self.get_params(deep=False))

    def _check_fitted(self) -> None:
        if not hasattr(self, "feature_names_"):
            raise NotFittedError(
                f"this {type(self).__name__} ({self.kind!r}) is not fitted yet: call fit(data) "
                "or load a saved one first"
            )

    def _check_features(self, features: NDArray[np.floating[Any]]) -> NDArray[np.floating[Any]]:
        self._check_fitted()
        matrix = np.asarray(features)
        if matrix.ndim != 2 or matrix.shape[1] != len(self.feature_names_):
            raise ValueError(
                f"features must have shape (n_rows, {len(self.feature_names_)}) in "
                f"feature_names_ order, got {matrix.shape}"
            )
        if not np.issubdtype(matrix.dtype, np.number):
            raise TypeError(f"features must be numeric, got dtype {matrix.dtype}")
        return matrix

    def _prepare_save(self, directory: Path) -> Path:
        self._check_fitted()
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def contributions(self, features: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
        """Not available for this kind.

        Raises
        ------
        NotImplementedError
        """
        raise NotImplementedError(
            f"the {self.kind!r} ranker has no per-feature contributions; "
            "use the 'lambdamart' kind for explanations"
        )


# --- LambdaMART ------------------------------------------------------------------------------


class LambdaMARTRanker(_BaseRanker):
    """LightGBM LambdaMART (``objective="lambdarank"``), position-bias aware where positions
    are logged — the default ranker.

    Trained with ``lightgbm.train`` on ``lgb.Dataset(features, label, group=group_sizes,
    position=positions)``. With ``position`` LightGBM (≥ 4.1) fits a position-bias factor per
    distinct position beside the trees (unbiased LambdaMART as a generalised additive model):
    the trees learn relevance, the factors absorb how much more the top positions are looked
    at. Rows with unknown position (0) share one factor. Without logged positions (or with
    ``use_positions=False``) it is plain LambdaMART.

    The defaults suit serving (the architecture's performance model: keep the model small):
    200 trees × 31 leaves score 300 candidates in about 3.4 ms on one thread, and on the
    synthetic 1M-pair benchmark held-out NDCG@10 levels off at 200 trees (0.826, 0.839, 0.842,
    0.842 at 50, 100, 200, 300). Measure NDCG against the tree count on real data with
    ``benchmarks/bench_training.py`` before changing them. How many of the trees are served is
    measured per model (:meth:`with_serving_trees`, chosen by training on the test split;
    ``benchmarks/bench_model_size.py``, table in ``docs/training.md``: on the 4,000 × 20,000
    synthetic store the test split's NDCG@10 peaks at 75 trees, which predict a request's rows
    about 3× faster than 200).

    Parameters
    ----------
    num_iterations : int, default 200
        Trees (boosting rounds); with ``valid`` in :meth:`fit`, the most kept.
    learning_rate : float, default 0.05
    num_leaves : int, default 31
    min_data_in_leaf : int, default 50
    feature_fraction : float, default 0.9
        Share of features each tree may use.
    lambdarank_truncation_level : int, default 13
        Pairs are formed with the top this-many rows of each query; LightGBM's docs advise
        slightly above the k of the NDCG@k to optimise (k + 3).
    eval_at : int, default 10
        k of the NDCG@k watched for early stopping.
    early_stopping_round : int, default 20
        Stop when NDCG@eval_at on ``valid`` has not improved for this many rounds (only when
        :meth:`fit` gets ``valid``); 0 = never.
    use_positions : bool, default True
        Use ``RankingSet.positions`` for position-bias-aware training when logged.
    lambdarank_position_bias_regularization : float, default 0.0
        LightGBM's regulariser of the position-bias factors.
    num_threads : int, default 0
        Training threads; 0 = OpenMP's default (all cores).
    seed : int, default 0
    seeds : int, default 1
        Models trained, with seeds ``seed`` … ``seed + seeds − 1``, whose mean is served: one
        booster of their trees interleaved round by round and scaled by 1 / ``seeds``
        (:func:`averaged_booster`), so a round of it is a round of each and every count of
        trees below (:attr:`n_trees_`, :meth:`with_serving_trees`) counts rounds. With
        ``feature_fraction`` below 1 a seed alone moves a model's ranking; the mean moves less.
    deterministic : bool, default True
        Same data and parameters give the same model, whatever the thread count.
    monotone : dict of str to int, optional
        Feature name → +1 (the score never falls as it rises), −1 (never rises) — LightGBM's
        monotone constraints (method "advanced"), for features where more is never worse, so
        inputs beyond what training saw cannot invert the ranking. Names not among the
        features are ignored.
    prior : dict of str to float, optional
        Feature name → weight of a linear base score the trees start from and add to:
        ``score = Σ weight · feature (NaN as 0) + trees`` (LightGBM's ``init_score``). The trees
        learn corrections over it, and where they see no difference between two rows the base
        score still orders them. Every name must be a feature of the data.
    unused : list of str, optional
        Features the trees never split on (their column is blanked while fitting); the ranker
        still takes them in its columns, so serving code needs no change. Names not among
        the features are ignored.

    Attributes
    ----------
    booster_ : lightgbm.Booster
    feature_names_ : tuple of str
    best_iteration_ : int
        Rounds kept (the best round on ``valid``, else ``num_iterations``; with several
        ``seeds``, the fewest any of them kept).
    used_positions_ : bool
        Whether training used logged positions.
    serving_trees_ : int or None
        Trees :meth:`predict` and :meth:`contributions` use — the first this many — or None
        for all (:meth:`with_serving_trees`; a bundle's manifest records the count chosen by
        measurement, ``matcher.learning.training.serving_trees``).
    """

    kind: ClassVar[str] = "lambdamart"
    _model_files: ClassVar[tuple[str, ...]] = (LIGHTGBM_MODEL_FILE,)
    booster_: lgb.Booster
    best_iteration_: int
    used_positions_: bool
    serving_trees_: int | None = None

    def __init__(
        self,
        *,
        num_iterations: int = 200,
        learning_rate: float = 0.05,
        num_leaves: int = 31,
        min_data_in_leaf: int = 50,
        feature_fraction: float = 0.9,
        lambdarank_truncation_level: int = 13,
        eval_at: int = 10,
        early_stopping_round: int = 20,
        use_positions: bool = True,
        lambdarank_position_bias_regularization: float = 0.0,
        num_threads: int = 0,
        seed: int = 0,
        seeds: int = 1,
        deterministic: bool = True,
        monotone: dict[str, int] | None = None,
        prior: dict[str, float] | None = None,
        unused: list[str] | None = None,
    ) -> None:
        self.num_iterations = num_iterations
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_data_in_leaf = min_data_in_leaf
        self.feature_fraction = feature_fraction
        self.lambdarank_truncation_level = lambdarank_truncation_level
        self.eval_at = eval_at
        self.early_stopping_round = early_stopping_round
        self.use_positions = use_positions
        self.lambdarank_position_bias_regularization = lambdarank_position_bias_regularization
        self.num_threads = num_threads
        self.seed = seed
        self.seeds = seeds
        self.deterministic = deterministic
        self.monotone = monotone
        self.prior = prior
        self.unused = unused

    def _monotone_constraints(self, names: tuple[str, ...]) -> list[int] | None:
        if self.monotone is None:
            return None
        if not isinstance(self.monotone, dict):
            raise TypeError(f"monotone must be a dict of feature name to ±1, got {self.monotone!r}")
        bad = {name: way for name, way in self.monotone.items() if way not in (-1, 0, 1)}
        if bad:
            raise ValueError(f"monotone directions must be -1, 0 or 1, got {bad}")
        constraints = [int(self.monotone.get(name, 0)) for name in names]
        return constraints if any(constraints) else None

    def _prior_weights(self, names: tuple[str, ...]) -> list[tuple[int, float]]:
        """(column, weight) of each feature of :attr:`prior`; ValueError naming one that is
        not among ``names`` or a weight that is not a finite number."""
        if self.prior is None:
            return []
        if not isinstance(self.prior, dict):
            raise TypeError(f"prior must be a dict of feature name to weight, got {self.prior!r}")
        weights = []
        for name, weight in self.prior.items():
            if name not in names:
                raise ValueError(f"prior names {name!r}, which is not one of the features")
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                raise TypeError(f"prior weight of {name!r} must be a number, got {weight!r}")
            if not np.isfinite(weight):
                raise ValueError(f"prior weight of {name!r} must be finite, got {weight}")
            weights.append((names.index(name), float(weight)))
        return weights

    def _base_scores(
        self, matrix: NDArray[np.floating[Any]], names: tuple[str, ...]
    ) -> NDArray[np.float64] | None:
        """The prior's score of each row of ``matrix`` (columns ``names``); None without one."""
        weights = self._prior_weights(names)
        if not weights:
            return None
        base = np.zeros(len(matrix), dtype=np.float64)
        for column, weight in weights:
            base += weight * np.nan_to_num(matrix[:, column].astype(np.float64), nan=0.0)
        return base

    def _lightgbm_params(self) -> dict[str, Any]:
        """The validated parameters as LightGBM's ``params`` (trees go to ``num_boost_round``)."""
        eval_at = _check_int("eval_at", self.eval_at, 1)
        return {
            "objective": "lambdarank",
            "metric": "ndcg",
            "eval_at": [eval_at],
            "learning_rate": _check_float(
                "learning_rate", self.learning_rate, 0.0, 1.0, low_open=True
            ),
            "num_leaves": _check_int("num_leaves", self.num_leaves, 2),
            "min_data_in_leaf": _check_int("min_data_in_leaf", self.min_data_in_leaf, 1),
            "feature_fraction": _check_float(
                "feature_fraction", self.feature_fraction, 0.0, 1.0, low_open=True
            ),
            "lambdarank_truncation_level": _check_int(
                "lambdarank_truncation_level", self.lambdarank_truncation_level, 1
            ),
            "lambdarank_position_bias_regularization": _check_float(
                "lambdarank_position_bias_regularization",
                self.lambdarank_position_bias_regularization,
                0.0,
                float("inf"),
            ),
            "num_threads": _check_int("num_threads", self.num_threads, 0),
            "seed": _check_int("seed", self.seed, 0),
            "deterministic": _check_bool("deterministic", self.deterministic),
            # LightGBM's advice with deterministic=True; column-wise histograms also suit
            # tens of features over millions of rows.
            "force_col_wise": True,
            "verbosity": -1,
        }

    def fit(self, data: RankingSet, valid: RankingSet | None = None) -> Self:
        """Train on ``data``; with ``valid``, stop early on its NDCG@``eval_at``.

        Parameters
        ----------
        data : RankingSet
            Training rows; ``positions`` (when logged and ``use_positions``) make training
            position-bias aware.
        valid : RankingSet, optional
            Held-out queries with the same feature names, for early stopping.

        Returns
        -------
        self
        """
        params = self._lightgbm_params()
        rounds = _check_int("num_iterations", self.num_iterations, 1)
        patience = _check_int("early_stopping_round", self.early_stopping_round, 0)
        use_positions = _check_bool("use_positions", self.use_positions)
        data = _check_set(data)
        for name in data.feature_names:
            if not name or any(c.isspace() or c in _FEATURE_NAME_FORBIDDEN for c in name):
                raise ValueError(
                    f"feature name {name!r} cannot be stored in a LightGBM model: use no "
                    "spaces and none of \" ' , : [ ] { }"
                )
        if data.group_sizes.max() > MAX_QUERY_ROWS:
            raise ValueError(
                f"a query has {data.group_sizes.max()} rows; LightGBM's lambdarank takes at "
                f"most {MAX_QUERY_ROWS} per query"
            )
        constraints = self._monotone_constraints(data.feature_names)
        if constraints is not None:
            params["monotone_constraints"] = constraints
            params["monotone_constraints_method"] = "advanced"
        positions = data.positions if use_positions else None
        if positions is not None and not positions.any():
            positions = None
        train_set = lgb.Dataset(
            _without_unused(data.features, data.feature_names, self.unused, np.nan),
            init_score=self._base_scores(data.features, data.feature_names),
            label=data.labels,
            group=data.group_sizes,
            position=None if positions is None else positions.astype(np.int32),
            feature_name=list(data.feature_names),
            free_raw_data=True,
        )
        seeds = _check_int("seeds", self.seeds, 1)
        valid_sets: list[lgb.Dataset] = []
        stopping = False
        if valid is not None:
            valid = _check_set(valid, "valid")
            if valid.feature_names != data.feature_names:
                raise ValueError(
                    f"valid.feature_names {list(valid.feature_names)} differ from "
                    f"data.feature_names {list(data.feature_names)}"
                )
            valid_sets.append(
                lgb.Dataset(
                    valid.features,
                    init_score=self._base_scores(valid.features, valid.feature_names),
                    label=valid.labels,
                    group=valid.group_sizes,
                    reference=train_set,
                )
            )
            stopping = bool(patience)
        boosters: list[lgb.Booster] = []
        for offset in range(seeds):
            booster = lgb.train(
                params | {"seed": params["seed"] + offset},
                train_set,
                num_boost_round=rounds,
                valid_sets=valid_sets,
                valid_names=["valid"] * len(valid_sets),
                callbacks=[lgb.early_stopping(patience, first_metric_only=True, verbose=False)]
                if stopping
                else [],
            )
            boosters.append(booster)
        best = min(b.best_iteration if b.best_iteration > 0 else b.num_trees() for b in boosters)
        if seeds > 1:
            booster = averaged_booster(boosters, best)
        elif best < boosters[0].num_trees():
            # Keep only the trees early stopping chose, so predict, save and load all agree.
            booster = lgb.Booster(model_str=boosters[0].model_to_string(num_iteration=best))
        else:
            booster = boosters[0]
        self.booster_ = booster
        self.best_iteration_ = int(best)
        self.used_positions_ = positions is not None
        self.serving_trees_ = None
        self.feature_names_ = data.feature_names
        return self

    def predict(
        self, features: NDArray[np.floating[Any]], num_threads: int = 1
    ) -> NDArray[np.float64]:
        """Relevance scores; higher ranks first.

        Parameters
        ----------
        features : ndarray of shape (n_rows, n_features), in ``feature_names_`` order
        num_threads : int, default 1
            One thread is fastest for the few hundred candidates of a request (OpenMP start-up
            costs more than it saves, and the API's worker processes already use the cores);
            pass 0 (all cores) for batch scoring of many rows.

        Returns
        -------
        ndarray of shape (n_rows,), float64
        """
        matrix = self._check_features(features)
        threads = _check_int("num_threads", num_threads, 0)
        scores = np.asarray(
            self.booster_.predict(matrix, num_threads=threads, num_iteration=self._served_trees()),
            dtype=np.float64,
        )
        base = self._base_scores(matrix, self.feature_names_)
        return scores if base is None else scores + base

    def contributions(
        self, features: NDArray[np.floating[Any]], num_threads: int = 1
    ) -> NDArray[np.float64]:
        """Per-feature contributions (TreeSHAP, ``pred_contrib=True``); each row sums to its score.

        About 100× dearer than :meth:`predict`: compute them only for the rows returned.

        Parameters
        ----------
        features : ndarray of shape (n_rows, n_features)
        num_threads : int, default 1

        Returns
        -------
        ndarray of shape (n_rows, n_features + 1), float64
            The last column is the bias (the expected score of the trees); a :attr:`prior`
            feature's column holds its share of the base score too.
        """
        matrix = self._check_features(features)
        threads = _check_int("num_threads", num_threads, 0)
        values = np.array(
            self.booster_.predict(
                matrix, pred_contrib=True, num_threads=threads, num_iteration=self._served_trees()
            ),
            dtype=np.float64,
        )
        for column, weight in self._prior_weights(self.feature_names_):
            values[:, column] += weight * np.nan_to_num(matrix[:, column].astype(np.float64))
        return values

    def _served_trees(self) -> int | None:
        """The booster's trees :attr:`serving_trees_` rounds take (None: all)."""
        if self.serving_trees_ is None:
            return None
        return self.serving_trees_ * _check_int("seeds", self.seeds, 1)

    def with_serving_trees(self, trees: int | None) -> Self:
        """This ranker predicting with its first ``trees`` trees (None: all of them): a copy
        sharing the booster (read-only), so the trained model itself is never changed.

        Raises
        ------
        ValueError
            ``trees`` is not between 1 and :attr:`n_trees_`.
        """
        total = self.n_trees_
        if trees is not None:
            trees = _check_int("trees", trees, 1)
            if trees > total:
                raise ValueError(f"trees must be at most the model's {total}, got {trees}")
        served = copy.copy(self)
        served.serving_trees_ = None if trees is None or trees == total else trees
        return served

    def feature_importance(self) -> dict[str, float]:
        """Total split gain of each feature, by name (in ``feature_names_`` order)."""
        self._check_fitted()
        gains = self.booster_.feature_importance(importance_type="gain")
        return {name: float(gain) for name, gain in zip(self.feature_names_, gains, strict=True)}

    @property
    def n_trees_(self) -> int:
        """Rounds in the model: its trees, or with several ``seeds`` its trees per seed."""
        self._check_fitted()
        return int(self.booster_.num_trees()) // _check_int("seeds", self.seeds, 1)

    def save(self, directory: Path) -> list[Path]:
        """Write ``model.txt`` (LightGBM's text format) and ``params.json`` into ``directory``.

        Returns
        -------
        list of Path
            The files written.
        """
        path = self._prepare_save(directory)
        model = path / LIGHTGBM_MODEL_FILE
        self.booster_.save_model(model, num_iteration=-1)
        state = {"best_iteration": self.best_iteration_, "used_positions": self.used_positions_}
        params = _write_params(
            path, self, state, {"lightgbm": lgb.__version__}, (LIGHTGBM_MODEL_FILE,)
        )
        return [model, params]

    @classmethod
    def load(cls, directory: Path) -> Self:
        """The ranker saved in ``directory``; scores exactly as the saved one did.

        Raises
        ------
        SavedRankerError
            A file is missing, changed or corrupt; the model was written by a newer LightGBM
            major version than the one installed; or the feature names in ``params.json``
            differ from the model's.

        Warns
        -----
        LibraryVersionWarning
            The model was written by an older LightGBM major version.
        """
        path = Path(directory)
        header = _read_folder(path, cls)
        saved = str(header["versions"].get("lightgbm", "unknown"))
        if _major(saved) > _major(lgb.__version__) or _major(saved) < 0:
            raise SavedRankerError(
                f"{path / PARAMS_FILE}: the model was written by lightgbm {saved}, which the "
                f"installed lightgbm {lgb.__version__} cannot be trusted to read; install "
                f"lightgbm {saved.split('.', 1)[0]}.x or retrain"
            )
        if _major(saved) < _major(lgb.__version__):
            warnings.warn(
                f"{path / LIGHTGBM_MODEL_FILE} was written by lightgbm {saved} and is read by "
                f"{lgb.__version__}; retrain to be sure the scores match",
                LibraryVersionWarning,
                stacklevel=2,
            )
        ranker = _build(cls, header, path)
        try:
            booster = lgb.Booster(model_file=str(path / LIGHTGBM_MODEL_FILE))
        except lgb.basic.LightGBMError as error:
            raise SavedRankerError(f"{path / LIGHTGBM_MODEL_FILE}: corrupt ({error})") from error
        model_names = tuple(booster.feature_name())
        if model_names != ranker.feature_names_:
            raise SavedRankerError(
                f"{path / PARAMS_FILE}: feature_names {list(ranker.feature_names_)} differ from "
                f"the model's {list(model_names)}"
            )
        state = header["state"]
        ranker.booster_ = booster
        ranker.best_iteration_ = int(state.get("best_iteration", ranker.n_trees_))
        ranker.used_positions_ = bool(state.get("used_positions", False))
        return ranker


_TREE_HEAD = re.compile(r"^Tree=\d+\n", re.MULTILINE)
_SCALED_LINE = re.compile(r"^(leaf_value|internal_value)=(.*)$", re.MULTILINE)


def averaged_booster(boosters: Sequence[lgb.Booster], rounds: int) -> lgb.Booster:
    """One booster whose score is the mean of ``boosters``' first ``rounds`` trees each.

    Their trees are interleaved round by round (round 1 of each, then round 2 …) with every
    leaf value scaled by 1 / len(boosters), so the first n·len(boosters) trees score the mean
    of each one's first n: a served size in rounds means the same for the mean as for one.
    LightGBM's text format holds the model; ``tree_sizes`` (an index for parallel loading) and
    the first booster's ``feature_importances`` are left out, as LightGBM allows.

    Raises
    ------
    ValueError
        No boosters, a ``rounds`` below 1 or above a booster's trees, or boosters of other
        features.
    """
    if not boosters:
        raise ValueError("averaged_booster needs at least one booster")
    if not 1 <= rounds <= min(b.num_trees() for b in boosters):
        raise ValueError(f"rounds must be between 1 and every booster's trees, got {rounds}")
    names = boosters[0].feature_name()
    if any(b.feature_name() != names for b in boosters):
        raise ValueError("averaged_booster needs boosters of the same features")
    share = 1.0 / len(boosters)
    texts = [b.model_to_string(num_iteration=rounds) for b in boosters]
    first = texts[0]
    head = re.sub(r"^tree_sizes=.*\n", "", first[: first.index("Tree=0\n")], flags=re.MULTILINE)
    tail = first[first.index("end of trees") :]
    if "feature_importances:" in tail and "parameters:" in tail:
        tail = "end of trees\n\n" + tail[tail.index("parameters:") :]
    trees = [
        _TREE_HEAD.split(text[text.index("Tree=0\n") : text.index("end of trees")])[1:]
        for text in texts
    ]

    def scaled(found: re.Match[str]) -> str:
        values = " ".join(repr(float(value) * share) for value in found.group(2).split())
        return f"{found.group(1)}={values}"

    body: list[str] = []
    for round_ in range(rounds):
        for own in trees:
            body.append(f"Tree={len(body)}\n" + _SCALED_LINE.sub(scaled, own[round_]))
    return lgb.Booster(model_str=head + "".join(body) + tail)


# --- pointwise baseline ----------------------------------------------------------------------


def _fill_empty_columns(features: NDArray[np.floating[Any]]) -> NDArray[np.floating[Any]]:
    """``features`` with every all-NaN column set to 0 (a copy only when there is one)."""
    empty = np.isnan(features).all(axis=0) if len(features) else np.zeros(0, dtype=bool)
    if not empty.any():
        return features
    filled = features.copy()
    filled[:, empty] = 0.0
    return filled


class PointwiseRanker(_BaseRanker):
    """A pointwise baseline: scikit-learn's ``HistGradientBoostingRegressor`` on the graded label.

    Why this model: it sees the same features as LambdaMART and is the same model family
    (histogram gradient-boosted trees, NaN handled natively, no scaling needed), so the gap
    between the two measures what the listwise objective adds; and regressing the graded label
    keeps the order hire > interview > apply > click that a classifier on ``label ≥ 2`` would
    throw away. Positions are not used.

    Saved with joblib — the one place jobmatch pickles, because a scikit-learn estimator has no
    other format; loading checks the file's SHA-256 and the scikit-learn version first.

    Parameters
    ----------
    max_iter : int, default 200
    learning_rate : float, default 0.1
    max_leaf_nodes : int, default 31
    min_samples_leaf : int, default 50
    l2_regularization : float, default 0.0
    seed : int, default 0
    unused : list of str, optional
        Features the trees never split on, as for :class:`LambdaMARTRanker` (blanked while
        fitting), so the baseline can see what the default model sees.

    Attributes
    ----------
    model_ : HistGradientBoostingRegressor
    feature_names_ : tuple of str
    """

    kind: ClassVar[str] = "pointwise"
    _model_files: ClassVar[tuple[str, ...]] = (SKLEARN_MODEL_FILE,)
    model_: HistGradientBoostingRegressor

    def __init__(
        self,
        *,
        max_iter: int = 200,
        learning_rate: float = 0.1,
        max_leaf_nodes: int = 31,
        min_samples_leaf: int = 50,
        l2_regularization: float = 0.0,
        seed: int = 0,
        unused: list[str] | None = None,
    ) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.seed = seed
        self.unused = unused

    def fit(self, data: RankingSet) -> Self:
        """Fit the regressor on ``data.features`` → ``data.labels``.

        Returns
        -------
        self
        """
        model = HistGradientBoostingRegressor(
            loss="squared_error",
            max_iter=_check_int("max_iter", self.max_iter, 1),
            learning_rate=_check_float(
                "learning_rate", self.learning_rate, 0.0, 1.0, low_open=True
            ),
            max_leaf_nodes=_check_int("max_leaf_nodes", self.max_leaf_nodes, 2),
            min_samples_leaf=_check_int("min_samples_leaf", self.min_samples_leaf, 1),
            l2_regularization=_check_float(
                "l2_regularization", self.l2_regularization, 0.0, float("inf")
            ),
            early_stopping=False,
            random_state=_check_int("seed", self.seed, 0),
        )
        data = _check_set(data)
        # scikit-learn's binning fails on a column with no value at all (e.g. salary_fit
        # when a pairs file gives no salaries): such a column carries nothing, so it is zeroed
        features = _without_unused(data.features, data.feature_names, self.unused, 0.0)
        model.fit(_fill_empty_columns(features), data.labels.astype(np.float64))
        self.model_ = model
        self.feature_names_ = data.feature_names
        return self

    def predict(self, features: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
        """Predicted graded label; higher ranks first.

        Parameters
        ----------
        features : ndarray of shape (n_rows, n_features)

        Returns
        -------
        ndarray of shape (n_rows,), float64
        """
        matrix = self._check_features(features)
        return np.asarray(self.model_.predict(_fill_empty_columns(matrix)), dtype=np.float64)

    def save(self, directory: Path) -> list[Path]:
        """Write ``model.joblib`` and ``params.json`` into ``directory``."""
        path = self._prepare_save(directory)
        model = path / SKLEARN_MODEL_FILE
        joblib.dump({"feature_names": list(self.feature_names_), "model": self.model_}, model)
        params = _write_params(
            path, self, {}, {"scikit-learn": sklearn.__version__}, (SKLEARN_MODEL_FILE,)
        )
        return [model, params]

    @classmethod
    def load(cls, directory: Path) -> Self:
        """The ranker saved in ``directory``.

        Raises
        ------
        SavedRankerError
            A file is missing, changed or corrupt; it was written by another scikit-learn
            version (major.minor); or the feature names differ from the model's.
        """
        path = Path(directory)
        header = _read_folder(path, cls)
        saved = str(header["versions"].get("scikit-learn", "unknown"))
        if saved.split(".")[:2] != sklearn.__version__.split(".")[:2]:
            raise SavedRankerError(
                f"{path / PARAMS_FILE}: the model was written by scikit-learn {saved} and "
                f"scikit-learn {sklearn.__version__} is installed; its pickles are only "
                "read by the same version: retrain"
            )
        ranker = _build(cls, header, path)
        try:
            stored = joblib.load(path / SKLEARN_MODEL_FILE)
            model, names = stored["model"], tuple(stored["feature_names"])
        except Exception as error:  # unpickling can raise anything; the message keeps it
            raise SavedRankerError(f"{path / SKLEARN_MODEL_FILE}: corrupt ({error})") from error
        if names != ranker.feature_names_:
            raise SavedRankerError(
                f"{path / PARAMS_FILE}: feature_names {list(ranker.feature_names_)} differ from "
                f"the model's {list(names)}"
            )
        ranker.model_ = model
        return ranker


# --- one-feature baselines -------------------------------------------------------------------


class FeatureRanker(_BaseRanker):
    """Scores = one feature column (a text-similarity baseline). Subclassed once per kind.

    ``fit`` only looks the column up by name; :meth:`contributions` are exact (the column's
    value, zero elsewhere, bias 0).

    Parameters
    ----------
    column : str, optional
        The feature to rank by; default the kind's ``default_column``.

    Attributes
    ----------
    column_index_ : int
    feature_names_ : tuple of str
    """

    kind: ClassVar[str] = "feature"
    default_column: ClassVar[str | None] = None
    column_index_: int

    def __init__(self, *, column: str | None = None) -> None:
        self.column = column

    @property
    def column_name(self) -> str:
        """The column this ranker scores by."""
        column = self.column if self.column is not None else self.default_column
        if not isinstance(column, str):
            raise TypeError(f"column must be a feature name (str), got {column!r}")
        return column

    def fit(self, data: RankingSet) -> Self:
        """Find the column in ``data.feature_names``.

        Raises
        ------
        ValueError
            The set has no such column; the message lists those it has.
        """
        column = self.column_name
        data = _check_set(data)
        if column not in data.feature_names:
            raise ValueError(
                f"the {self.kind!r} ranker scores by column {column!r}, which is not among "
                f"the features {list(data.feature_names)}"
            )
        self.column_index_ = data.feature_names.index(column)
        self.feature_names_ = data.feature_names
        return self

    def predict(self, features: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
        """The column's values, shape (n_rows,), float64."""
        matrix = self._check_features(features)
        return np.asarray(matrix[:, self.column_index_], dtype=np.float64)

    def contributions(self, features: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
        """Shape (n_rows, n_features + 1): the column's value in its place, 0 elsewhere."""
        matrix = self._check_features(features)
        values = np.zeros((matrix.shape[0], matrix.shape[1] + 1))
        values[:, self.column_index_] = matrix[:, self.column_index_]
        return values

    def save(self, directory: Path) -> list[Path]:
        """Write ``params.json`` into ``directory``."""
        path = self._prepare_save(directory)
        return [_write_params(path, self, {"column_index": self.column_index_}, {})]

    @classmethod
    def load(cls, directory: Path) -> Self:
        """The ranker saved in ``directory``.

        Raises
        ------
        SavedRankerError
            The column is not among the saved feature names, or not where it was.
        """
        path = Path(directory)
        header = _read_folder(path, cls)
        ranker = _build(cls, header, path)
        try:
            column = ranker.column_name
            index = ranker.feature_names_.index(column)
        except (TypeError, ValueError) as error:
            raise SavedRankerError(f"{path / PARAMS_FILE}: {error}") from error
        if header["state"].get("column_index") != index:
            raise SavedRankerError(
                f"{path / PARAMS_FILE}: column {column!r} is at index {index} of feature_names, "
                f"but the ranker was fitted with it at {header['state'].get('column_index')!r}"
            )
        ranker.column_index_ = index
        return ranker


class TfidfCosineRanker(FeatureRanker):
    """Baseline: TF-IDF cosine of seeker and vacancy text (the ``text_similarity`` feature)."""

    kind: ClassVar[str] = "tfidf_cosine"
    default_column: ClassVar[str | None] = "text_similarity"


class BM25Ranker(FeatureRanker):
    """Baseline: BM25 of the vacancy text for the seeker's words (the ``bm25`` feature)."""

    kind: ClassVar[str] = "bm25"
    default_column: ClassVar[str | None] = "bm25"


# --- random baseline -------------------------------------------------------------------------


class RandomRanker(_BaseRanker):
    """Baseline: uniform random scores, the floor every ranker must clear.

    Each :meth:`predict` call draws from a fresh generator seeded with ``seed``, so the same
    matrix always gets the same scores.

    Parameters
    ----------
    seed : int, default 0
    """

    kind: ClassVar[str] = "random"

    def __init__(self, *, seed: int = 0) -> None:
        self.seed = seed

    def fit(self, data: RankingSet) -> Self:
        """Record the feature names; nothing to learn."""
        _check_int("seed", self.seed, 0)
        data = _check_set(data)
        self.feature_names_ = data.feature_names
        return self

    def predict(self, features: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
        """Uniform [0, 1) scores, shape (n_rows,), float64."""
        matrix = self._check_features(features)
        rng = np.random.default_rng(self.seed)
        return np.asarray(rng.random(matrix.shape[0]), dtype=np.float64)

    def save(self, directory: Path) -> list[Path]:
        """Write ``params.json`` into ``directory``."""
        path = self._prepare_save(directory)
        return [_write_params(path, self, {}, {})]

    @classmethod
    def load(cls, directory: Path) -> Self:
        """The ranker saved in ``directory``."""
        path = Path(directory)
        return _build(cls, _read_folder(path, cls), path)


# --- registry --------------------------------------------------------------------------------

DEFAULT_KIND = LambdaMARTRanker.kind

RANKERS: dict[str, type[Ranker]] = {
    LambdaMARTRanker.kind: LambdaMARTRanker,
    PointwiseRanker.kind: PointwiseRanker,
    TfidfCosineRanker.kind: TfidfCosineRanker,
    BM25Ranker.kind: BM25Ranker,
    RandomRanker.kind: RandomRanker,
}
"""The ranker classes by kind. ``"lambdamart"`` is the default; the rest are the baselines."""


def make_ranker(kind: str = DEFAULT_KIND, **params: Any) -> Ranker:
    """An unfitted ranker of ``kind`` with ``params``.

    Raises
    ------
    ValueError
        ``kind`` is not in :data:`RANKERS`; the message lists the kinds.
    TypeError
        A parameter the kind does not take; the message lists those it takes.
    """
    if kind not in RANKERS:
        raise ValueError(f"unknown ranker kind {kind!r}; choose one of {sorted(RANKERS)}")
    cls = RANKERS[kind]
    accepted = set(inspect.signature(cls).parameters)
    unknown = sorted(set(params) - accepted)
    if unknown:
        raise TypeError(
            f"the {kind!r} ranker takes no parameter {unknown}; it takes {sorted(accepted)}"
        )
    return cls(**params)


def load_saved_ranker(directory: Path) -> Ranker:
    """Whichever ranker ``directory`` holds, by the kind recorded in its ``params.json``.

    Raises
    ------
    SavedRankerError
        The folder holds no ranker of a known kind, or a file is missing, changed or corrupt.
    """
    path = Path(directory)
    kind = _read_header(path)["kind"]
    if kind not in RANKERS:
        raise SavedRankerError(
            f"{path / PARAMS_FILE}: kind {kind!r} is not one of {sorted(RANKERS)}"
        )
    return RANKERS[kind].load(path)
