"""The serving size of a LambdaMART model: predicting with its first n trees, the curve of
NDCG against n, the rule that picks n, and the manifest entry serving applies."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from matcher.errors import UnusableModel
from matcher.learning.training import (
    BASE_SCORE,
    NOT_LEARNT,
    save_run,
    serving_trees,
    train_from_pairs,
    train_run,
    trees_curve,
)
from matcher.ranking.serving import SERVING_TREES_PARAM, load_engine_model, registry_for
from matcher.storage.store import Store
from matcher.synth import generate
from models.bundle import MANIFEST_FILE
from models.metrics import ndcg_at_k
from models.rankers import LambdaMARTRanker, TfidfCosineRanker
from tests.unit.test_rankers import planted_set
from tests.unit.test_realtext_set import _loader


@pytest.fixture(scope="module")
def ranker() -> LambdaMARTRanker:
    return LambdaMARTRanker(num_threads=1, num_iterations=60).fit(planted_set(seed=0))


def test_a_ranker_served_with_fewer_trees_predicts_with_those_only(
    ranker: LambdaMARTRanker,
) -> None:
    rows = planted_set(n_queries=20, seed=3).features
    served = ranker.with_serving_trees(15)
    expected = ranker.booster_.predict(rows, num_iteration=15)
    np.testing.assert_array_equal(served.predict(rows), expected)
    assert not np.allclose(served.predict(rows), ranker.predict(rows))
    contributions = served.contributions(rows)
    np.testing.assert_allclose(contributions.sum(axis=1), expected, rtol=1e-9, atol=1e-9)
    assert ranker.serving_trees_ is None  # the trained ranker is left as it was
    np.testing.assert_array_equal(ranker.predict(rows), ranker.booster_.predict(rows))
    assert ranker.with_serving_trees(60).serving_trees_ is None  # all of them
    with pytest.raises(ValueError, match="trees must be at most the model's 60, got 61"):
        ranker.with_serving_trees(61)
    with pytest.raises(ValueError, match="trees"):
        ranker.with_serving_trees(0)


def test_trees_curve_measures_each_count_and_the_full_size(ranker: LambdaMARTRanker) -> None:
    held_out = planted_set(n_queries=100, seed=1)
    curve = trees_curve(ranker, held_out, counts=(10, 30, 100))
    assert list(curve) == [10, 30, 60]  # counts above the model's size are left out
    for trees, value in curve.items():
        scores = ranker.booster_.predict(held_out.features, num_iteration=trees)
        assert value == pytest.approx(
            ndcg_at_k(held_out.labels, scores, held_out.query_starts, k=10)
        )
    assert trees_curve(TfidfCosineRanker().fit(held_out), held_out) == {}


def test_serving_trees_is_the_fewest_within_the_tolerance_of_the_best() -> None:
    curve = {25: 0.600, 50: 0.6411, 75: 0.6430, 100: 0.6425, 200: 0.6300}
    assert serving_trees(curve, tolerance=0.002) == 50  # 0.6411 ≥ 0.6430 − 0.002
    assert serving_trees(curve, tolerance=0.0) == 75
    assert serving_trees(curve, tolerance=0.05) == 25
    assert serving_trees({50: math.nan, 100: 0.5}, tolerance=0.1) == 100
    assert serving_trees({}) is None
    assert serving_trees({10: math.nan}) is None


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, float]]:
    home = tmp_path_factory.mktemp("serving-size")
    with Store.open(home) as store:
        generate(store, seekers=300, vacancies=120, seed=5)
        run = train_run(store, baselines=("tfidf_cosine",))
        version = save_run(registry_for(home), run).version
    return home, version, run.evaluation.trees


def test_training_records_the_measured_size_and_serving_uses_it(
    trained: tuple[Path, str, dict[str, float]],
) -> None:
    home, version, curve = trained
    assert curve  # measured on the test split
    chosen = serving_trees({int(trees): value for trees, value in curve.items()})
    bundle = registry_for(home).get(version)
    assert bundle.manifest.params[SERVING_TREES_PARAM] == chosen
    assert bundle.manifest.metrics["trees"] == curve
    ranker = load_engine_model(bundle).ranker
    assert isinstance(ranker, LambdaMARTRanker)
    assert (ranker.serving_trees_ or ranker.n_trees_) == chosen


def test_the_trained_model_starts_from_the_base_score_and_leaves_out_what_does_not_transfer(
    trained: tuple[Path, str, dict[str, float]],
) -> None:
    home, version, _ = trained
    ranker = load_engine_model(registry_for(home).get(version)).ranker
    assert isinstance(ranker, LambdaMARTRanker)
    assert ranker.prior == BASE_SCORE
    assert ranker.unused == list(NOT_LEARNT)
    importance = ranker.feature_importance()
    assert all(importance[name] == 0.0 for name in NOT_LEARNT)
    assert importance["occupation_fit"] + importance["same_county"] > 0
    # each requirement the seeker misses costs the base score's weight, whatever the trees say
    row = np.zeros((1, len(ranker.feature_names_)), dtype=np.float32)
    unmet = ranker.feature_names_.index("requirements_unmet")
    scores = []
    for count in (0, 1, 3):
        row[0, unmet] = count
        scores.append(float(ranker.predict(row)[0]))
    weight = BASE_SCORE["requirements_unmet"]
    assert weight < 0
    assert scores[1] - scores[0] == pytest.approx(weight, abs=1e-6)
    assert scores[2] - scores[0] == pytest.approx(3 * weight, abs=1e-6)


def test_a_serving_size_the_model_cannot_give_is_refused(
    trained: tuple[Path, str, dict[str, float]], tmp_path: Path
) -> None:
    home, version, _ = trained
    shutil.copytree(registry_for(home).root, registry_for(tmp_path).root)
    manifest = registry_for(tmp_path).root / version / MANIFEST_FILE
    saved = json.loads(manifest.read_text(encoding="utf-8"))
    saved["params"][SERVING_TREES_PARAM] = 100_000
    manifest.write_text(json.dumps(saved), encoding="utf-8")
    with pytest.raises(UnusableModel, match="serving_trees: trees must be at most"):
        load_engine_model(registry_for(tmp_path).get(version))


def test_a_model_trained_from_a_pairs_file_is_served_at_its_measured_size(
    tmp_path: Path,
) -> None:
    realtext = _loader()  # our hand-graded set, own postings only: 2,904 pairs
    pairs = tmp_path / "walkin.csv"
    realtext.write_pairs(realtext.load(shared=tmp_path / "absent"), "walkin", pairs)
    run = train_from_pairs(pairs, folds=3)
    curve = {int(trees): value for trees, value in run.evaluation.trees.items()}
    assert list(curve) == [25, 50, 75, 100, 125, 150, 200]  # the folds' mean at each size
    chosen = serving_trees(curve)
    assert chosen is not None
    assert isinstance(run.ranker, LambdaMARTRanker)
    assert (run.ranker.serving_trees_ or run.ranker.n_trees_) == chosen
    version = save_run(registry_for(tmp_path), run).version
    bundle = registry_for(tmp_path).get(version)
    assert bundle.manifest.params[SERVING_TREES_PARAM] == chosen
    assert "NDCG@10 by trees used (held-out queries)" in run.evaluation.table("lambdamart")
