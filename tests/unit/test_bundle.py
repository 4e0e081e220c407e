"""Model bundles and the registry: round trip, verification before loading, atomic promotion."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
import pytest
from numpy.typing import NDArray

from models.base import Ranker
from models.bundle import (
    FORMAT,
    MANIFEST_FILE,
    RANKER_DIR,
    Bundle,
    BundleError,
    BundleInfo,
    is_valid_version,
    library_differences,
    library_versions,
    load_ranker,
    new_version,
    open_bundle,
    read_manifest,
    write_bundle,
)
from models.dataset import RankingSet
from models.registry import ACTIVE_FILE, HISTORY_FILE, ModelRegistry, RegistryError

FEATURES = ("skill_overlap", "commute_km", "salary_fit")
DATA_HASH = hashlib.sha256(b"training pairs").hexdigest()
BUNDLE_FILES = ("ranker/params.json", "ranker/weights.npz", "vectorizer/vocabulary.json")


class LinearRanker:
    """A ranker with a provable score (a weighted sum), saved as JSON plus ``.npz``."""

    kind: ClassVar[str] = "linear"

    def __init__(self, weights: NDArray[np.float64], feature_names: tuple[str, ...]) -> None:
        self.weights_ = weights
        self.feature_names_ = feature_names

    def fit(self, data: RankingSet) -> Self:
        return self

    def predict(self, features: NDArray[np.float32]) -> NDArray[np.float64]:
        return features.astype(np.float64) @ self.weights_

    def contributions(self, features: NDArray[np.float32]) -> NDArray[np.float64]:
        parts = features.astype(np.float64) * self.weights_
        return np.column_stack([parts, np.zeros(len(features))])

    def params(self) -> dict[str, Any]:
        return {"n_features": len(self.feature_names_)}

    def save(self, directory: Path) -> list[Path]:
        directory.mkdir(parents=True, exist_ok=True)
        params = directory / "params.json"
        params.write_text(json.dumps({"feature_names": list(self.feature_names_)}), "utf-8")
        weights = directory / "weights.npz"
        np.savez(weights, weights=self.weights_)
        return [params, weights]

    @classmethod
    def load(cls, directory: Path) -> Self:
        names = json.loads((directory / "params.json").read_text("utf-8"))["feature_names"]
        with np.load(directory / "weights.npz", allow_pickle=False) as archive:
            weights = archive["weights"]
        return cls(weights, tuple(names))


KINDS: dict[str, type[Ranker]] = {LinearRanker.kind: LinearRanker}


def make_ranker() -> LinearRanker:
    return LinearRanker(np.array([2.0, -0.5, 1.0]), FEATURES)


def writer(ranker: LinearRanker) -> Callable[[Path], None]:
    def write_files(staging: Path) -> None:
        ranker.save(staging / RANKER_DIR)
        (staging / "vectorizer").mkdir()
        (staging / "vectorizer" / "vocabulary.json").write_text(
            json.dumps(["电工", "焊工", "叉车"], ensure_ascii=False), "utf-8"
        )

    return write_files


def add_bundle(root: Path, version: str | None = None, **overrides: Any) -> BundleInfo:
    arguments: dict[str, Any] = {
        "ranker_kind": LinearRanker.kind,
        "feature_names": FEATURES,
        "params": {"learning_rate": 0.05, "n_estimators": np.int64(300)},
        "metrics": {"overall": {"ndcg@10": 0.61, "map@10": 0.42}, "groups": {"disabled": {}}},
        "data_hash": DATA_HASH,
        "write_files": writer(make_ranker()),
        "version": version,
        "notes": "nightly retrain",
    }
    arguments.update(overrides)
    return write_bundle(root, **arguments)


@pytest.fixture
def bundle_path(tmp_path: Path) -> Path:
    add_bundle(tmp_path, "v1")
    return tmp_path / "v1"


# --- writing and reading ---------------------------------------------------------------------


def test_round_trip_gives_identical_scores(tmp_path: Path) -> None:
    info = add_bundle(tmp_path, "v1")
    bundle = open_bundle(tmp_path / "v1")
    assert bundle.manifest == info
    assert bundle.version == "v1"
    ranker = load_ranker(bundle, KINDS)
    rows = np.array([[1, 10, 0.5], [0, 2, 1.0]], dtype=np.float32)
    np.testing.assert_array_equal(ranker.predict(rows), make_ranker().predict(rows))
    assert ranker.predict(rows).tolist() == [-2.5, 0.0]


def test_manifest_layout(bundle_path: Path) -> None:
    manifest = json.loads((bundle_path / MANIFEST_FILE).read_text("utf-8"))
    assert list(manifest) == [
        "format",
        "version",
        "created",
        "ranker_kind",
        "data_hash",
        "feature_names",
        "params",
        "metrics",
        "libraries",
        "notes",
        "files",
    ]
    assert manifest["format"] == FORMAT == 1
    assert manifest["version"] == "v1"
    assert datetime.fromisoformat(manifest["created"]).utcoffset() is not None
    assert manifest["ranker_kind"] == "linear"
    assert manifest["data_hash"] == DATA_HASH
    assert manifest["feature_names"] == list(FEATURES)
    assert manifest["params"] == {"learning_rate": 0.05, "n_estimators": 300}
    assert manifest["metrics"]["overall"] == {"ndcg@10": 0.61, "map@10": 0.42}
    assert manifest["notes"] == "nightly retrain"
    assert {"python", "numpy", "scipy", "scikit-learn", "jobmatch"} <= set(manifest["libraries"])
    assert sorted(manifest["files"]) == sorted(BUNDLE_FILES)
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((bundle_path / name).read_bytes()).hexdigest() == digest


def test_bundle_file_gives_listed_files_and_folders_only(bundle_path: Path) -> None:
    bundle = open_bundle(bundle_path)
    assert bundle.file("ranker") == bundle_path / "ranker"
    assert bundle.file("ranker/weights.npz") == bundle_path / "ranker" / "weights.npz"
    for name in ("ranker/other.json", "..", "../v1/ranker/params.json", "manifest.json", "rank"):
        with pytest.raises(BundleError, match="not in the bundle"):
            bundle.file(name)


def test_default_version_is_sortable_and_unique(tmp_path: Path) -> None:
    version = new_version(datetime(2024, 5, 1, 8, 30, 5, tzinfo=UTC))
    assert re.fullmatch(r"20240501-083005-[0-9a-f]{6}", version)
    info = add_bundle(tmp_path)
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{6}", info.version)
    assert (tmp_path / info.version / MANIFEST_FILE).is_file()
    assert len({new_version() for _ in range(50)}) == 50


def test_existing_version_is_refused(tmp_path: Path) -> None:
    add_bundle(tmp_path, "v1")
    before = (tmp_path / "v1" / MANIFEST_FILE).read_bytes()
    with pytest.raises(BundleError, match="v1: version already exists"):
        add_bundle(tmp_path, "v1")
    assert (tmp_path / "v1" / MANIFEST_FILE).read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["v1"]


@pytest.mark.parametrize(
    "version", ["", ".hidden", "-x", "a/b", "..", "ACTIVE", "history.jsonl", "版本", "x" * 101]
)
def test_bad_version_names_are_refused(tmp_path: Path, version: str) -> None:
    assert not is_valid_version(version)
    with pytest.raises(ValueError, match="is not valid"):
        add_bundle(tmp_path, version)


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="data_hash must be a SHA-256"):
        add_bundle(tmp_path, data_hash="abc")
    with pytest.raises(ValueError, match="ranker_kind must be a non-empty string"):
        add_bundle(tmp_path, ranker_kind="")
    with pytest.raises(TypeError, match="set value"):
        add_bundle(tmp_path, metrics={"tags": {"a"}})
    assert list(tmp_path.iterdir()) == []


def test_failing_writer_leaves_nothing_behind(tmp_path: Path) -> None:
    def write_files(staging: Path) -> None:
        (staging / "half.json").write_text("{", "utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        add_bundle(tmp_path, "v1", write_files=write_files)
    assert list(tmp_path.iterdir()) == []


def test_writer_may_not_write_the_manifest_or_links(tmp_path: Path) -> None:
    def writes_manifest(staging: Path) -> None:
        (staging / MANIFEST_FILE).write_text("{}", "utf-8")

    def writes_link(staging: Path) -> None:
        (staging / "model.txt").symlink_to(tmp_path / "elsewhere.txt")

    with pytest.raises(BundleError, match=re.escape("manifest.json: written by write_files")):
        add_bundle(tmp_path, "v1", write_files=writes_manifest)
    with pytest.raises(BundleError, match=re.escape("model.txt: symbolic link")):
        add_bundle(tmp_path, "v2", write_files=writes_link)
    assert list(tmp_path.iterdir()) == []


def test_library_versions_are_recorded_and_compared(bundle_path: Path) -> None:
    info = open_bundle(bundle_path).manifest
    assert info.libraries == library_versions()
    assert library_differences(info) == {}
    changed = BundleInfo(**{**info.__dict__, "libraries": {**info.libraries, "numpy": "1.0"}})
    assert library_differences(changed) == {"numpy": ("1.0", np.__version__)}


# --- verification ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUNDLE_FILES)
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_one_flipped_byte_is_refused_naming_the_file(
    bundle_path: Path, name: str, where: str
) -> None:
    path = bundle_path / name
    data = bytearray(path.read_bytes())
    index = {"first": 0, "middle": len(data) // 2, "last": len(data) - 1}[where]
    data[index] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError, match=re.escape(f"{name}: SHA-256 mismatch")) as caught:
        open_bundle(bundle_path)
    assert caught.value.problems == [f"{name}: SHA-256 mismatch (tampered or corrupt)"]


@pytest.mark.parametrize("name", BUNDLE_FILES)
def test_deleted_file_is_refused(bundle_path: Path, name: str) -> None:
    (bundle_path / name).unlink()
    with pytest.raises(BundleError, match=re.escape(f"{name}: missing file")):
        open_bundle(bundle_path)


@pytest.mark.parametrize("name", ["extra.pkl", "ranker/extra.joblib", "new/folder/x.txt"])
def test_unexpected_file_is_refused(bundle_path: Path, name: str) -> None:
    path = bundle_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x80\x04payload")
    with pytest.raises(BundleError, match=re.escape(f"{name}: unexpected file")):
        open_bundle(bundle_path)


def test_empty_extra_folder_is_tolerated(bundle_path: Path) -> None:
    (bundle_path / "empty").mkdir()
    assert open_bundle(bundle_path).version == "v1"


def test_symbolic_link_is_refused(bundle_path: Path, tmp_path: Path) -> None:
    target = bundle_path / "ranker" / "params.json"
    outside = tmp_path / "outside.json"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(outside)
    with pytest.raises(BundleError, match=re.escape("ranker/params.json: symbolic link")):
        open_bundle(bundle_path)


def test_every_problem_is_reported(bundle_path: Path) -> None:
    (bundle_path / "ranker" / "weights.npz").unlink()
    (bundle_path / "vectorizer" / "vocabulary.json").write_text("[]", "utf-8")
    (bundle_path / "extra.txt").write_text("x", "utf-8")
    with pytest.raises(BundleError) as caught:
        open_bundle(bundle_path)
    assert caught.value.path == bundle_path
    assert caught.value.problems == [
        "ranker/weights.npz: missing file",
        "vectorizer/vocabulary.json: SHA-256 mismatch (tampered or corrupt)",
        "extra.txt: unexpected file (not listed in the manifest)",
    ]


def rewrite_manifest(bundle_path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = bundle_path / MANIFEST_FILE
    manifest = json.loads(path.read_text("utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), "utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update(format=2), "format 2 is not the supported format 1"),
        (lambda m: m.update(format=True), "format True is not the supported format"),
        (lambda m: m.pop("files"), r"keys missing \['files'\]"),
        (lambda m: m.update(extra=1), r"keys unknown \['extra'\]"),
        (lambda m: m.update(version="../v2"), "is not a valid version name"),
        (lambda m: m.update(created="yesterday"), "is not an ISO 8601 time"),
        (lambda m: m.update(created="2024-05-01T08:30:00"), "has no time zone"),
        (lambda m: m.update(data_hash="x" * 64), "is not a SHA-256"),
        (lambda m: m.update(feature_names="abc"), "feature_names must be a list of strings"),
        (lambda m: m.update(metrics=[]), "metrics must be a JSON object"),
        (lambda m: m["files"].update({"../outside.txt": "0" * 64}), "has an empty, '.' or '..'"),
        (lambda m: m["files"].update({"/etc/passwd": "0" * 64}), "is not a relative POSIX path"),
        (lambda m: m["files"].update({"manifest.json": "0" * 64}), "is the manifest itself"),
        (lambda m: m["files"].update({"ranker/params.json": "abc"}), "has no valid SHA-256"),
    ],
)
def test_invalid_manifest_is_refused(
    bundle_path: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    rewrite_manifest(bundle_path, change)
    with pytest.raises(BundleError, match=f"manifest.json: .*{message}"):
        open_bundle(bundle_path)


def test_manifest_that_drops_a_file_makes_it_unexpected(bundle_path: Path) -> None:
    rewrite_manifest(bundle_path, lambda m: m["files"].pop("ranker/weights.npz"))
    with pytest.raises(BundleError, match=re.escape("ranker/weights.npz: unexpected file")):
        open_bundle(bundle_path)


def test_missing_or_corrupt_manifest_is_refused(bundle_path: Path) -> None:
    manifest = bundle_path / MANIFEST_FILE
    manifest.write_bytes(manifest.read_bytes()[:-20])
    with pytest.raises(BundleError, match=re.escape("manifest.json: not valid JSON")):
        open_bundle(bundle_path)
    manifest.write_bytes(b"\xff\xfe")
    with pytest.raises(BundleError, match=re.escape("manifest.json: not valid JSON")):
        open_bundle(bundle_path)
    manifest.write_text("[]", "utf-8")
    with pytest.raises(BundleError, match=re.escape("manifest.json: must be a JSON object")):
        open_bundle(bundle_path)
    manifest.unlink()
    with pytest.raises(BundleError, match=re.escape("manifest.json: missing file")):
        open_bundle(bundle_path)
    with pytest.raises(BundleError, match="not a bundle folder"):
        open_bundle(bundle_path / "absent")


def test_nothing_is_loaded_from_a_refused_bundle(
    bundle_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[Path] = []
    monkeypatch.setattr(np, "load", lambda *args, **kwargs: loads.append(args[0]))
    (bundle_path / "ranker" / "weights.npz").write_bytes(b"not an archive")
    with pytest.raises(BundleError, match=re.escape("weights.npz: SHA-256 mismatch")):
        load_ranker(open_bundle(bundle_path), KINDS)
    assert loads == []


def test_load_ranker_checks_kind_and_feature_names(tmp_path: Path) -> None:
    add_bundle(tmp_path, "v1", ranker_kind="lambdamart")
    with pytest.raises(BundleError, match=r"unknown ranker_kind 'lambdamart', known: \['linear'\]"):
        load_ranker(open_bundle(tmp_path / "v1"), KINDS)
    add_bundle(tmp_path, "v2", feature_names=("a", "b", "c"))
    with pytest.raises(BundleError, match=r"ranker: feature names .* differ from the manifest"):
        load_ranker(open_bundle(tmp_path / "v2"), KINDS)


# --- registry --------------------------------------------------------------------------------


@pytest.fixture
def registry(tmp_path: Path) -> ModelRegistry:
    root = tmp_path / "models"
    for version in ("v1", "v2", "v3"):
        add_bundle(root, version)
    return ModelRegistry(root)


def active_flags(registry: ModelRegistry) -> dict[str, bool]:
    return {entry.version: entry.active for entry in registry.list()}


def test_empty_registry(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "absent")
    assert registry.list() == []
    assert registry.active_version() is None
    assert registry.active() is None
    assert registry.history() == []
    with pytest.raises(RegistryError, match=r"unknown version 'v1' .*; known: none"):
        registry.promote("v1")


def test_list_is_sorted_by_creation_and_skips_staging(registry: ModelRegistry) -> None:
    (registry.root / ".staging-0123456789abcdef").mkdir()
    (registry.root / ".staging-0123456789abcdef" / "half.txt").write_text("x", "utf-8")
    entries = registry.list()
    assert [entry.version for entry in entries] == ["v1", "v2", "v3"]
    assert [entry.info.created for entry in entries] == sorted(e.info.created for e in entries)
    assert not any(entry.active for entry in entries)
    assert registry.versions() == ["v1", "v2", "v3"]


def test_list_reports_unreadable_folders(registry: ModelRegistry) -> None:
    (registry.root / "v2" / MANIFEST_FILE).unlink()
    (registry.root / "v4").mkdir()
    assert [entry.version for entry in registry.list()] == ["v1", "v3"]
    assert registry.unreadable() == {
        "v2": "manifest.json: missing file",
        "v4": "manifest.json: missing file",
    }


def test_get_verifies_and_unknown_versions_list_the_known(registry: ModelRegistry) -> None:
    bundle = registry.get("v2")
    assert isinstance(bundle, Bundle)
    assert bundle.path == registry.root / "v2"
    for version in ("v9", "../v1", ".staging-x", "ACTIVE"):
        with pytest.raises(RegistryError, match=r"known: v1, v2, v3"):
            registry.get(version)


def test_folder_renamed_away_from_its_manifest_version_is_refused(
    registry: ModelRegistry,
) -> None:
    os.rename(registry.root / "v3", registry.root / "v4")
    with pytest.raises(BundleError, match="version 'v3' but folder 'v4'"):
        registry.get("v4")
    assert "v4" in registry.unreadable()


def test_promote_and_exactly_one_active(registry: ModelRegistry) -> None:
    for version in ("v1", "v3", "v2"):
        bundle = registry.promote(version)
        assert bundle.version == version
        assert registry.active_version() == version
        assert (registry.root / ACTIVE_FILE).read_text("utf-8") == f"{version}\n"
        flags = active_flags(registry)
        assert sum(flags.values()) == 1
        assert flags[version]
        active = registry.active()
        assert active is not None
        assert active.version == version
    assert not (registry.root / f"{ACTIVE_FILE}.tmp").exists()


def test_history_records_every_change(registry: ModelRegistry) -> None:
    registry.promote("v1")
    registry.promote("v2")
    registry.promote("v2")
    registry.rollback()
    lines = (registry.root / HISTORY_FILE).read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["action"], r["previous"], r["version"]) for r in records] == [
        ("promote", None, "v1"),
        ("promote", "v1", "v2"),
        ("rollback", "v2", "v1"),
    ]
    times = [datetime.fromisoformat(r["time"]) for r in records]
    assert times == sorted(times)
    assert all(time.utcoffset() is not None for time in times)
    assert [entry.to_json() for entry in registry.history()] == records


def test_rollback_walks_back_through_promotions(registry: ModelRegistry) -> None:
    assert registry.rollback_target() is None
    with pytest.raises(RegistryError, match="nothing to roll back to"):
        registry.rollback()
    registry.promote("v1")
    with pytest.raises(RegistryError, match="active version 'v1' has no earlier"):
        registry.rollback()
    registry.promote("v2")
    registry.promote("v3")
    assert registry.rollback_target() == "v2"
    assert registry.rollback() == "v2"
    assert registry.active_version() == "v2"
    assert registry.rollback_target() == "v1"
    assert registry.rollback() == "v1"
    assert registry.active_version() == "v1"
    assert registry.rollback_target() is None
    with pytest.raises(RegistryError, match="nothing to roll back to"):
        registry.rollback()
    registry.promote("v3")
    assert registry.rollback_target() == "v1"
    assert registry.rollback() == "v1"
    assert sorted(registry.versions()) == ["v1", "v2", "v3"]


def test_promote_of_a_tampered_bundle_is_refused(registry: ModelRegistry) -> None:
    registry.promote("v1")
    history = (registry.root / HISTORY_FILE).read_bytes()
    weights = registry.root / "v2" / "ranker" / "weights.npz"
    weights.write_bytes(weights.read_bytes()[:-1])
    with pytest.raises(BundleError, match=re.escape("ranker/weights.npz: SHA-256 mismatch")):
        registry.promote("v2")
    assert registry.active_version() == "v1"
    assert (registry.root / HISTORY_FILE).read_bytes() == history


def test_rollback_to_a_tampered_bundle_is_refused(registry: ModelRegistry) -> None:
    registry.promote("v1")
    registry.promote("v2")
    (registry.root / "v1" / "extra.txt").write_text("x", "utf-8")
    with pytest.raises(BundleError, match=re.escape("extra.txt: unexpected file")):
        registry.rollback()
    assert registry.active_version() == "v2"


def test_pointer_is_never_half_written(
    registry: ModelRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.promote("v1")
    registry.promote("v2")
    pointer = (registry.root / ACTIVE_FILE).read_bytes()
    history = (registry.root / HISTORY_FILE).read_bytes()
    calls: list[tuple[Any, Any]] = []

    def killed(source: Any, target: Any) -> None:
        calls.append((source, target))
        raise KeyboardInterrupt("killed during os.replace")

    monkeypatch.setattr(os, "replace", killed)
    for change in (lambda: registry.promote("v3"), registry.rollback):
        with pytest.raises(KeyboardInterrupt, match=re.escape("killed during os.replace")):
            change()
        assert (registry.root / ACTIVE_FILE).read_bytes() == pointer
        assert (registry.root / HISTORY_FILE).read_bytes() == history
        assert not (registry.root / f"{ACTIVE_FILE}.tmp").exists()
        assert registry.active_version() == "v2"
    assert len(calls) == 2
    assert all(Path(target) == registry.root / ACTIVE_FILE for _, target in calls)
    monkeypatch.undo()
    assert registry.promote("v3").version == "v3"
    assert registry.rollback() == "v2"


def test_pointer_written_but_history_lost_still_rolls_back(
    registry: ModelRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.promote("v1")
    registry.promote("v2")

    def crash(*args: Any) -> None:
        raise OSError("crash after the pointer")

    monkeypatch.setattr(ModelRegistry, "_append_history", crash)
    with pytest.raises(OSError, match="crash after the pointer"):
        registry.promote("v3")
    monkeypatch.undo()
    assert registry.active_version() == "v3"
    assert registry.rollback() == "v2"


def test_unreadable_pointer_and_history_are_errors(registry: ModelRegistry) -> None:
    (registry.root / ACTIVE_FILE).write_text("../v1\n", "utf-8")
    with pytest.raises(RegistryError, match=re.escape("'../v1' is not a version name")):
        registry.active_version()
    (registry.root / ACTIVE_FILE).write_text("v1\n", "utf-8")
    (registry.root / HISTORY_FILE).write_text('{"action": "promote"\n', "utf-8")
    with pytest.raises(RegistryError, match=re.escape("history.jsonl line 1: not a valid entry")):
        registry.rollback()


def test_compare_flattens_numeric_metrics(tmp_path: Path) -> None:
    root = tmp_path / "models"
    add_bundle(root, "v1", metrics={"overall": {"ndcg@10": 0.5}, "note": "baseline"})
    add_bundle(root, "v2", metrics={"overall": {"ndcg@10": 0.6, "mrr": np.float32(0.75)}})
    table = ModelRegistry(root).compare(["v1", "v2"])
    assert table == {
        "overall.mrr": {"v1": None, "v2": 0.75},
        "overall.ndcg@10": {"v1": 0.5, "v2": 0.6},
    }
    with pytest.raises(RegistryError, match="unknown version 'v3'"):
        ModelRegistry(root).compare(["v3"])


def test_read_manifest_does_not_hash(bundle_path: Path) -> None:
    (bundle_path / "ranker" / "weights.npz").write_bytes(b"changed")
    assert read_manifest(bundle_path).version == "v1"
    with pytest.raises(BundleError):
        open_bundle(bundle_path)
