"""Rankers on planted data with a provable answer; persistence, contributions, registry, errors.

The planted ("checkerboard") set: 300 queries × 20 candidates, 6 features uniform in [0, 1).
A candidate is relevant when exactly one of the first two features exceeds 0.5 (the XOR
checkerboard, which no single feature reveals), graded 1–4 by the distance of the first from
0.5; 5 % of labels are replaced by noise. Positions come from a noisy logging policy.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.exceptions import NotFittedError

from models.base import Ranker, ignored_features
from models.dataset import RankingSet
from models.metrics import ndcg_at_k
from models.rankers import (
    DEFAULT_KIND,
    RANKERS,
    BM25Ranker,
    FeatureRanker,
    LambdaMARTRanker,
    LibraryVersionWarning,
    PointwiseRanker,
    RandomRanker,
    SavedRankerError,
    TfidfCosineRanker,
    averaged_booster,
    load_saved_ranker,
    make_ranker,
)

NAMES = ("text_similarity", "bm25", "skill_coverage", "salary_fit", "noise_a", "promoted")
CANDIDATES = 20
FAST: dict[str, Any] = {"num_threads": 1}
"""One training thread: OpenMP threads spin-wait, and on a busy machine (tests in parallel)
two threads can be a hundred times slower than one."""


def planted_grades(features: np.ndarray) -> np.ndarray:
    """The true grade: 0 off the XOR checkerboard of features 0 and 1, else 1–4."""
    on_board = (features[:, 0] > 0.5) != (features[:, 1] > 0.5)
    distance = np.minimum(np.floor(8 * np.abs(features[:, 0] - 0.5)), 3)
    return np.where(on_board, 1 + distance, 0).astype(np.int8)


def planted_set(n_queries: int = 300, seed: int = 0) -> RankingSet:
    rng = np.random.default_rng(seed)
    n_rows = n_queries * CANDIDATES
    features = rng.random((n_rows, len(NAMES))).astype(np.float32)
    grades = planted_grades(features)
    noisy = rng.random(n_rows) < 0.05
    labels = np.where(noisy, rng.integers(0, 5, n_rows), grades).astype(np.int8)
    query_ids = np.repeat(np.arange(n_queries, dtype=np.int64), CANDIDATES)
    logging_policy = grades + rng.normal(0, 1.5, n_rows)
    order = np.lexsort((-logging_policy, query_ids))
    positions = np.empty(n_rows, dtype=np.int16)
    positions[order] = np.arange(n_rows) % CANDIDATES + 1
    return RankingSet(features, labels, query_ids, NAMES, positions=positions)


def click_set(n_queries: int = 300, seed: int = 0) -> tuple[RankingSet, np.ndarray]:
    """Clicks under position bias: candidates are shown in order of ``promoted`` (unrelated to
    relevance) and a candidate at position p is looked at with probability 1/p; an unseen
    candidate is labelled 0. Returns the set and the true grades."""
    rng = np.random.default_rng(seed)
    n_rows = n_queries * CANDIDATES
    features = rng.random((n_rows, len(NAMES))).astype(np.float32)
    grades = planted_grades(features)
    query_ids = np.repeat(np.arange(n_queries, dtype=np.int64), CANDIDATES)
    order = np.lexsort((-features[:, NAMES.index("promoted")], query_ids))
    positions = np.empty(n_rows, dtype=np.int16)
    positions[order] = np.arange(n_rows) % CANDIDATES + 1
    seen = rng.random(n_rows) < 1.0 / positions
    labels = np.where(seen, grades, 0).astype(np.int8)
    return RankingSet(features, labels, query_ids, NAMES, positions=positions), grades


def ndcg10(data: RankingSet, scores: np.ndarray, labels: np.ndarray | None = None) -> float:
    return ndcg_at_k(data.labels if labels is None else labels, scores, data.query_starts, k=10)


@pytest.fixture(scope="module")
def train() -> RankingSet:
    return planted_set(seed=0)


@pytest.fixture(scope="module")
def test_set() -> RankingSet:
    return planted_set(seed=1)


@pytest.fixture(scope="module")
def lambdamart(train: RankingSet) -> LambdaMARTRanker:
    return LambdaMARTRanker(**FAST).fit(train)


@pytest.fixture(scope="module")
def reloaded(lambdamart: LambdaMARTRanker, tmp_path_factory: pytest.TempPathFactory) -> Ranker:
    folder = tmp_path_factory.mktemp("lambdamart")
    lambdamart.save(folder)
    return LambdaMARTRanker.load(folder)


# --- learning the planted signal -------------------------------------------------------------


def test_lambdamart_learns_the_checkerboard(
    lambdamart: LambdaMARTRanker, train: RankingSet, test_set: RankingSet
) -> None:
    learned = ndcg10(test_set, lambdamart.predict(test_set.features))
    oracle = ndcg10(test_set, planted_grades(test_set.features) + test_set.features[:, 0] * 1e-3)
    random = ndcg10(test_set, RandomRanker().fit(train).predict(test_set.features))
    single = ndcg10(test_set, TfidfCosineRanker().fit(train).predict(test_set.features))
    assert learned > 0.9
    assert learned > oracle - 0.03
    assert learned > random + 0.4
    assert learned > single + 0.4
    assert lambdamart.used_positions_
    assert lambdamart.n_trees_ == lambdamart.best_iteration_ == 200
    importance = lambdamart.feature_importance()
    assert list(importance) == list(NAMES)
    planted = importance["text_similarity"] + importance["bm25"]
    assert planted > 0.8 * sum(importance.values())


def test_pointwise_learns_the_checkerboard(train: RankingSet, test_set: RankingSet) -> None:
    pointwise = PointwiseRanker().fit(train)
    random = ndcg10(test_set, RandomRanker().fit(train).predict(test_set.features))
    assert ndcg10(test_set, pointwise.predict(test_set.features)) > random + 0.4


def test_position_aware_training_discounts_a_feature_tied_to_position() -> None:
    train, _ = click_set(seed=0)
    test, grades = click_set(seed=1)
    aware = LambdaMARTRanker(**FAST).fit(train)
    naive = LambdaMARTRanker(use_positions=False, **FAST).fit(train)
    assert aware.used_positions_ and not naive.used_positions_
    aware_scores, naive_scores = aware.predict(test.features), naive.predict(test.features)
    assert np.isfinite(aware_scores).all()
    assert not np.allclose(aware_scores, naive_scores)

    def promoted_share(ranker: LambdaMARTRanker) -> float:
        gains = ranker.feature_importance()
        return gains["promoted"] / sum(gains.values())

    assert promoted_share(aware) < promoted_share(naive) - 0.05
    assert ndcg10(test, aware_scores, grades) > ndcg10(test, naive_scores, grades) + 0.02


def test_unknown_positions_train_without_position_factors(train: RankingSet) -> None:
    unlogged = RankingSet(
        train.features,
        train.labels,
        train.query_ids,
        NAMES,
        positions=np.zeros(train.n_rows, dtype=np.int16),
    )
    assert not LambdaMARTRanker(num_iterations=5, **FAST).fit(unlogged).used_positions_


def test_early_stopping_keeps_the_best_trees(
    train: RankingSet, test_set: RankingSet, tmp_path: Path
) -> None:
    ranker = LambdaMARTRanker(num_iterations=400, learning_rate=0.3, early_stopping_round=5, **FAST)
    ranker.fit(train, valid=test_set)
    assert ranker.best_iteration_ < 400
    assert ranker.n_trees_ == ranker.best_iteration_
    ranker.save(tmp_path)
    assert LambdaMARTRanker.load(tmp_path).n_trees_ == ranker.best_iteration_


def test_several_seeds_serve_the_mean_of_their_models(
    train: RankingSet, test_set: RankingSet, tmp_path: Path
) -> None:
    """Three seeds: one booster scoring the mean of the three single-seed models, round by
    round, however many rounds are served; it saves, loads and explains like one."""
    params = FAST | {"num_iterations": 30, "feature_fraction": 0.5, "prior": {"bm25": 0.5}}
    mean = LambdaMARTRanker(seeds=3, seed=4, **params).fit(train)
    singles = [LambdaMARTRanker(seed=seed, **params).fit(train) for seed in (4, 5, 6)]
    features = test_set.features
    assert mean.n_trees_ == mean.best_iteration_ == 30 and mean.booster_.num_trees() == 90
    assert len({tuple(s.predict(features[:50])) for s in singles}) == 3  # the seeds differ
    expected = np.mean([s.predict(features) for s in singles], axis=0)
    np.testing.assert_allclose(mean.predict(features), expected, rtol=1e-9, atol=1e-9)
    cut = np.mean([s.with_serving_trees(10).predict(features) for s in singles], axis=0)
    np.testing.assert_allclose(
        mean.with_serving_trees(10).predict(features), cut, rtol=1e-9, atol=1e-9
    )
    contributions = mean.contributions(features[:20])
    np.testing.assert_allclose(contributions.sum(axis=1), mean.predict(features[:20]), atol=1e-9)
    mean.save(tmp_path)
    loaded = LambdaMARTRanker.load(tmp_path)
    assert loaded.seeds == 3 and loaded.n_trees_ == 30
    np.testing.assert_array_equal(loaded.predict(features), mean.predict(features))


def test_averaged_booster_checks_what_it_merges(lambdamart: LambdaMARTRanker) -> None:
    with pytest.raises(ValueError, match="at least one"):
        averaged_booster([], 1)
    with pytest.raises(ValueError, match="rounds must be"):
        averaged_booster([lambdamart.booster_], lambdamart.booster_.num_trees() + 1)


# --- persistence -----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    features=arrays(
        np.float32,
        st.tuples(st.integers(1, 30), st.just(len(NAMES))),
        elements=st.floats(-2, 2, width=32) | st.just(np.nan),
    )
)
def test_save_load_gives_identical_scores(
    lambdamart: LambdaMARTRanker, reloaded: LambdaMARTRanker, features: np.ndarray
) -> None:
    np.testing.assert_array_equal(reloaded.predict(features), lambdamart.predict(features))
    np.testing.assert_array_equal(
        reloaded.contributions(features), lambdamart.contributions(features)
    )


@pytest.mark.parametrize("kind", ["pointwise", "tfidf_cosine", "bm25", "random"])
def test_baselines_save_and_load(
    kind: str, train: RankingSet, test_set: RankingSet, tmp_path: Path
) -> None:
    ranker = make_ranker(kind).fit(train)
    files = ranker.save(tmp_path / kind)
    assert all(file.is_file() for file in files)
    assert not list((tmp_path / kind).glob("*.pkl"))
    loaded = load_saved_ranker(tmp_path / kind)
    assert type(loaded) is RANKERS[kind]
    assert loaded.feature_names_ == NAMES
    assert loaded.params() == ranker.params()
    np.testing.assert_array_equal(
        loaded.predict(test_set.features), ranker.predict(test_set.features)
    )


def test_lambdamart_is_saved_as_text(lambdamart: LambdaMARTRanker, tmp_path: Path) -> None:
    files = lambdamart.save(tmp_path)
    assert sorted(file.name for file in files) == ["model.txt", "params.json"]
    assert (tmp_path / "model.txt").read_text(encoding="utf-8").startswith("tree\n")
    saved = json.loads((tmp_path / "params.json").read_text(encoding="utf-8"))
    assert saved["kind"] == "lambdamart"
    assert saved["feature_names"] == list(NAMES)
    assert saved["versions"]["lightgbm"] == lgb.__version__
    assert saved["params"] == lambdamart.params()


def _edit_params(folder: Path, change: Any) -> None:
    path = folder / "params.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    change(saved)
    path.write_text(json.dumps(saved), encoding="utf-8")


@pytest.fixture
def saved_lambdamart(lambdamart: LambdaMARTRanker, tmp_path: Path) -> Path:
    lambdamart.save(tmp_path)
    return tmp_path


def test_tampered_feature_names_are_refused(saved_lambdamart: Path) -> None:
    def swap(saved: dict[str, Any]) -> None:
        saved["feature_names"][0], saved["feature_names"][1] = "bm25", "text_similarity"

    _edit_params(saved_lambdamart, swap)
    with pytest.raises(SavedRankerError, match=r"feature_names .* differ from the model's"):
        LambdaMARTRanker.load(saved_lambdamart)


def test_changed_model_file_is_refused(saved_lambdamart: Path) -> None:
    model = saved_lambdamart / "model.txt"
    model.write_text(model.read_text(encoding="utf-8").replace("tree", "tree ", 1), "utf-8")
    with pytest.raises(SavedRankerError, match="SHA-256 differs"):
        LambdaMARTRanker.load(saved_lambdamart)
    model.unlink()
    with pytest.raises(SavedRankerError, match=r"model\.txt: missing"):
        LambdaMARTRanker.load(saved_lambdamart)


def test_lightgbm_major_version_is_checked(saved_lambdamart: Path) -> None:
    installed_major = int(lgb.__version__.split(".")[0])

    def newer(saved: dict[str, Any]) -> None:
        saved["versions"]["lightgbm"] = f"{installed_major + 1}.0.0"

    _edit_params(saved_lambdamart, newer)
    with pytest.raises(SavedRankerError, match=r"written by lightgbm \d+\.0\.0.*retrain"):
        LambdaMARTRanker.load(saved_lambdamart)

    def older(saved: dict[str, Any]) -> None:
        saved["versions"]["lightgbm"] = f"{installed_major - 1}.3.5"

    _edit_params(saved_lambdamart, older)
    with pytest.warns(LibraryVersionWarning, match="retrain"):
        LambdaMARTRanker.load(saved_lambdamart)


def test_pointwise_checks_scikit_learn_version_and_names(train: RankingSet, tmp_path: Path) -> None:
    PointwiseRanker(max_iter=5).fit(train).save(tmp_path / "a")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    _edit_params(tmp_path / "a", lambda saved: saved["versions"].update({"scikit-learn": "0.1"}))
    with pytest.raises(SavedRankerError, match=r"scikit-learn 0\.1 "):
        PointwiseRanker.load(tmp_path / "a")
    _edit_params(tmp_path / "b", lambda saved: saved["feature_names"].reverse())
    with pytest.raises(SavedRankerError, match="differ from the model's"):
        PointwiseRanker.load(tmp_path / "b")


def test_a_folder_of_another_kind_is_refused(train: RankingSet, tmp_path: Path) -> None:
    BM25Ranker().fit(train).save(tmp_path)
    with pytest.raises(SavedRankerError, match="holds a 'bm25' ranker, not 'tfidf_cosine'"):
        TfidfCosineRanker.load(tmp_path)
    with pytest.raises(SavedRankerError, match=r"params\.json: missing"):
        load_saved_ranker(tmp_path / "nowhere")


# --- contributions ---------------------------------------------------------------------------


def test_contributions_sum_to_the_raw_score(
    lambdamart: LambdaMARTRanker, test_set: RankingSet
) -> None:
    rows = test_set.features[:50]
    contributions = lambdamart.contributions(rows)
    assert contributions.shape == (50, len(NAMES) + 1)
    np.testing.assert_allclose(contributions.sum(axis=1), lambdamart.predict(rows), atol=1e-9)


# --- a base score to start from; features left out -------------------------------------------


@pytest.fixture(scope="module")
def with_prior(train: RankingSet) -> LambdaMARTRanker:
    return LambdaMARTRanker(
        **FAST, num_iterations=30, prior={"salary_fit": 2.0}, unused=["noise_a"]
    ).fit(train)


def test_prior_is_the_base_the_trees_add_to(
    with_prior: LambdaMARTRanker, test_set: RankingSet, tmp_path: Path
) -> None:
    rows = test_set.features[:200].copy()
    rows[:5, NAMES.index("salary_fit")] = np.nan  # unknown counts as 0
    trees = with_prior.booster_.predict(rows, num_threads=1)
    base = 2.0 * np.nan_to_num(rows[:, NAMES.index("salary_fit")])
    np.testing.assert_allclose(with_prior.predict(rows), trees + base, atol=1e-9)
    contributions = with_prior.contributions(rows)
    np.testing.assert_allclose(contributions.sum(axis=1), with_prior.predict(rows), atol=1e-9)
    # rows the trees cannot tell apart are ordered by the base score
    same = rows[:1].repeat(3, axis=0)
    same[:, NAMES.index("salary_fit")] = [0.2, 0.9, 0.5]
    same[:, NAMES.index("noise_a")] = [0.9, 0.1, 0.5]  # unused: changes nothing
    assert list(np.argsort(-with_prior.predict(same))) == [1, 2, 0]
    with_prior.save(tmp_path)
    loaded = LambdaMARTRanker.load(tmp_path)
    assert loaded.prior == {"salary_fit": 2.0} and loaded.unused == ["noise_a"]
    np.testing.assert_array_equal(loaded.predict(rows), with_prior.predict(rows))


def test_the_trees_start_from_the_prior(train: RankingSet, test_set: RankingSet) -> None:
    """The prior's feature is pure noise here: a few trees cannot undo a heavy weight on it,
    so a heavier prior ranks worse — it is a base, not a feature the trees may ignore."""
    light = LambdaMARTRanker(**FAST, num_iterations=10, prior={"noise_a": 0.01}).fit(train)
    heavy = LambdaMARTRanker(**FAST, num_iterations=10, prior={"noise_a": 50.0}).fit(train)
    assert ndcg10(test_set, light.predict(test_set.features)) > 0.8
    assert ndcg10(test_set, heavy.predict(test_set.features)) < 0.7


def test_unused_features_are_never_split_on(train: RankingSet, test_set: RankingSet) -> None:
    """Without the two planted features the trees find nothing: every split is on the rest."""
    blind = LambdaMARTRanker(
        **FAST, num_iterations=20, unused=["text_similarity", "bm25", "not_a_feature"]
    ).fit(train)
    importance = blind.feature_importance()
    assert importance["text_similarity"] == importance["bm25"] == 0.0
    assert sum(importance.values()) > 0
    assert ndcg10(test_set, blind.predict(test_set.features)) < 0.75
    assert blind.predict(test_set.features).shape == (test_set.n_rows,)


def test_ignored_features_are_the_unused_ones_no_prior_weighs(
    train: RankingSet, test_set: RankingSet
) -> None:
    """Serving leaves a ranker's ignored features uncomputed (NaN): its scores stay the same."""
    ranker = LambdaMARTRanker(
        **FAST, num_iterations=20, unused=["bm25", "noise_a", "not_a_feature"], prior={"bm25": 1.0}
    ).fit(train)
    assert ignored_features(ranker) == ("noise_a",)  # bm25 is weighed by the prior
    blanked = test_set.features.copy()
    blanked[:, NAMES.index("noise_a")] = np.nan
    np.testing.assert_array_equal(ranker.predict(blanked), ranker.predict(test_set.features))
    pointwise = PointwiseRanker(max_iter=20, unused=["noise_a"]).fit(train)
    assert ignored_features(pointwise) == ("noise_a",)
    np.testing.assert_array_equal(pointwise.predict(blanked), pointwise.predict(test_set.features))
    assert ignored_features(LambdaMARTRanker(**FAST, num_iterations=5).fit(train)) == ()
    assert ignored_features(RandomRanker().fit(train)) == ()


def test_the_pointwise_baseline_leaves_out_unused_features_too(
    train: RankingSet, test_set: RankingSet, tmp_path: Path
) -> None:
    blind = PointwiseRanker(max_iter=20, unused=["text_similarity", "bm25"]).fit(train)
    sighted = PointwiseRanker(max_iter=20, unused=["noise_a"]).fit(train)
    assert ndcg10(test_set, blind.predict(test_set.features)) < 0.75
    assert ndcg10(test_set, sighted.predict(test_set.features)) > 0.85
    blind.save(tmp_path)
    loaded = PointwiseRanker.load(tmp_path)
    assert loaded.unused == ["text_similarity", "bm25"]
    np.testing.assert_array_equal(
        loaded.predict(test_set.features), blind.predict(test_set.features)
    )
    with pytest.raises(TypeError, match="unused must be a list of feature names"):
        PointwiseRanker(unused="bm25").fit(train)  # type: ignore[arg-type]


def test_prior_and_unused_are_validated(train: RankingSet) -> None:
    with pytest.raises(ValueError, match="prior names 'pay', which is not one of the features"):
        LambdaMARTRanker(**FAST, prior={"pay": 1.0}).fit(train)
    with pytest.raises(TypeError, match="prior weight of 'bm25' must be a number, got '1'"):
        LambdaMARTRanker(**FAST, prior={"bm25": "1"}).fit(train)  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="prior weight of 'bm25' must be finite, got inf"):
        LambdaMARTRanker(**FAST, prior={"bm25": float("inf")}).fit(train)
    with pytest.raises(TypeError, match="prior must be a dict of feature name to weight"):
        LambdaMARTRanker(**FAST, prior=[("bm25", 1.0)]).fit(train)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="unused must be a list of feature names, got 'bm25'"):
        LambdaMARTRanker(**FAST, unused="bm25").fit(train)  # type: ignore[arg-type]


def test_feature_ranker_contributions_are_exact(train: RankingSet) -> None:
    ranker = BM25Ranker().fit(train)
    rows = train.features[:5]
    contributions = ranker.contributions(rows)
    np.testing.assert_array_equal(contributions.sum(axis=1), ranker.predict(rows))
    np.testing.assert_array_equal(ranker.predict(rows), rows[:, NAMES.index("bm25")])


@pytest.mark.parametrize("kind", ["pointwise", "random"])
def test_kinds_without_contributions_say_so(kind: str, train: RankingSet) -> None:
    ranker = make_ranker(kind, **({"max_iter": 3} if kind == "pointwise" else {})).fit(train)
    with pytest.raises(NotImplementedError, match="no per-feature contributions"):
        ranker.contributions(train.features[:2])


# --- registry and contract -------------------------------------------------------------------


def test_registry() -> None:
    assert DEFAULT_KIND == "lambdamart"
    assert sorted(RANKERS) == ["bm25", "lambdamart", "pointwise", "random", "tfidf_cosine"]
    for kind, cls in RANKERS.items():
        assert cls.kind == kind
    assert isinstance(make_ranker(), LambdaMARTRanker)
    ranker = make_ranker("tfidf_cosine", column="title_similarity")
    assert isinstance(ranker, TfidfCosineRanker) and isinstance(ranker, FeatureRanker)
    assert ranker.params() == {"column": "title_similarity"}
    with pytest.raises(ValueError, match=r"unknown ranker kind 'xgboost'; choose one of \['bm25'"):
        make_ranker("xgboost")
    with pytest.raises(TypeError, match=r"takes no parameter \['n_estimators'\]"):
        make_ranker("lambdamart", n_estimators=100)


def test_random_ranker_is_seeded(train: RankingSet) -> None:
    rows = train.features[:40]
    first = RandomRanker(seed=3).fit(train)
    np.testing.assert_array_equal(first.predict(rows), first.predict(rows))
    np.testing.assert_array_equal(
        first.predict(rows), RandomRanker(seed=3).fit(train).predict(rows)
    )
    assert not np.array_equal(first.predict(rows), RandomRanker(seed=4).fit(train).predict(rows))


@pytest.mark.parametrize("kind", sorted(RANKERS))
def test_unfitted_rankers_refuse_to_work(kind: str, tmp_path: Path) -> None:
    ranker = make_ranker(kind)
    rows = np.zeros((2, len(NAMES)), dtype=np.float32)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        ranker.predict(rows)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        ranker.save(tmp_path)
    if kind in ("lambdamart", "tfidf_cosine", "bm25"):
        with pytest.raises(NotFittedError, match="not fitted yet"):
            ranker.contributions(rows)


@pytest.mark.parametrize("kind", ["lambdamart", "tfidf_cosine", "random"])
def test_predict_checks_the_column_count(kind: str, train: RankingSet) -> None:
    ranker = make_ranker(kind, **(FAST | {"num_iterations": 3} if kind == "lambdamart" else {}))
    ranker.fit(train)
    with pytest.raises(ValueError, match=r"features must have shape \(n_rows, 6\)"):
        ranker.predict(train.features[:, :5])


def test_fit_validates(train: RankingSet) -> None:
    with pytest.raises(TypeError, match="data must be a RankingSet, got ndarray"):
        LambdaMARTRanker().fit(train.features)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"learning_rate=0 must be in \(0.0, 1.0\]"):
        LambdaMARTRanker(learning_rate=0).fit(train)
    with pytest.raises(TypeError, match="num_leaves must be an int, got '31'"):
        LambdaMARTRanker(num_leaves="31").fit(train)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="num_iterations=0 must be at least 1"):
        LambdaMARTRanker(num_iterations=0).fit(train)
    with pytest.raises(ValueError, match="seeds=0 must be at least 1"):
        LambdaMARTRanker(seeds=0).fit(train)
    with pytest.raises(ValueError, match="max_iter=0 must be at least 1"):
        PointwiseRanker(max_iter=0).fit(train)
    graded_5 = RankingSet(
        train.features[:2],
        np.array([0, 5], dtype=np.int8),
        train.query_ids[:2],
        NAMES,
    )
    with pytest.raises(ValueError, match="labels must be graded 0–4, got 5"):
        LambdaMARTRanker().fit(graded_5)
    spaced = RankingSet(
        train.features, train.labels, train.query_ids, ("text similarity", *NAMES[1:])
    )
    with pytest.raises(ValueError, match="feature name 'text similarity' cannot be stored"):
        LambdaMARTRanker().fit(spaced)
    renamed = RankingSet(train.features, train.labels, train.query_ids, ("x", *NAMES[1:]))
    with pytest.raises(ValueError, match=r"valid.feature_names \['x'"):
        LambdaMARTRanker(**FAST).fit(train, valid=renamed)
    with pytest.raises(ValueError, match="column 'bm25', which is not among the features"):
        BM25Ranker().fit(
            RankingSet(train.features, train.labels, train.query_ids, ("x", *NAMES[2:], "y"))
        )


def test_pointwise_trains_with_a_column_that_has_no_value() -> None:
    """A text-only pairs file leaves salary_fit NaN everywhere; training must still work."""
    rng = np.random.default_rng(0)
    features = rng.random((400, 3)).astype(np.float32)
    features[:, 1] = np.nan
    data = RankingSet(
        features=features,
        labels=(features[:, 0] * 4).astype(np.int8),
        query_ids=np.repeat(np.arange(40), 10).astype(np.int64),
        feature_names=("a", "salary_fit", "c"),
    )
    scores = make_ranker("pointwise").fit(data).predict(features)
    assert np.isfinite(scores).all()
    assert np.corrcoef(scores, features[:, 0])[0, 1] > 0.5
