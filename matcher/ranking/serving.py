"""A registry bundle → the model the :class:`~matcher.ranking.engine.MatchEngine` serves with.

Training (:mod:`matcher.learning.training`) writes what this reads: the ranker, the word/char
TF-IDF vectoriser, BM25 and the skill/certificate vocabularies, and in the manifest how many of
a LambdaMART model's trees to serve (:data:`SERVING_TREES_PARAM`). Every file's hash was verified
when the bundle was opened (:mod:`models.bundle`).
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from features.vectorize import BM25Vectorizer, SavedFormatError, TextVectorizer
from matcher.errors import UnknownModel, UnusableModel
from matcher.ranking.columns import TermVocabulary, Vocabularies
from matcher.ranking.engine import EngineModel
from models.bundle import Bundle, BundleError, load_ranker
from models.rankers import RANKERS, LambdaMARTRanker, SavedRankerError
from models.registry import HistoryEntry, ModelRegistry, RegistryEntry, RegistryError

__all__ = [
    "SERVING_TREES_PARAM",
    "VOCABULARIES_FILE",
    "ServedRegistry",
    "load_engine_model",
    "model_errors",
    "registry_for",
]

VOCABULARIES_FILE = "vocabularies.json"
"""The skill and certificate vocabularies of a bundle (JSON)."""


@contextmanager
def model_errors() -> Iterator[None]:
    """Map the model packages' errors to this package's root (one failure contract)."""
    try:
        yield
    except RegistryError as error:
        raise UnknownModel(str(error)) from error
    except (BundleError, SavedRankerError, SavedFormatError) as error:
        raise UnusableModel(str(error)) from error


def load_engine_model(bundle: Bundle) -> EngineModel:
    """The engine's model from a verified bundle (hashes were checked when it was opened);
    :class:`~matcher.errors.UnusableModel` when a file cannot be loaded."""
    with model_errors():
        return _load_engine_model(bundle)


SERVING_TREES_PARAM = "serving_trees"
"""The key of a bundle manifest's ``params`` naming how many trees a LambdaMART model is served
with, as training chose them by measurement (``matcher.learning.training``); absent in bundles
saved before it: every tree is used."""


def _load_engine_model(bundle: Bundle) -> EngineModel:
    ranker = load_ranker(bundle, RANKERS)
    trees = bundle.manifest.params.get(SERVING_TREES_PARAM)
    if trees is not None and isinstance(ranker, LambdaMARTRanker):
        try:
            ranker = ranker.with_serving_trees(trees)
        except (TypeError, ValueError) as error:
            raise BundleError(bundle.path, [f"params.{SERVING_TREES_PARAM}: {error}"]) from error
    vectorizer = TextVectorizer.load(bundle.file("vectorizer"))
    bm25 = BM25Vectorizer.load(bundle.file("bm25"))
    saved = json.loads(bundle.file(VOCABULARIES_FILE).read_text(encoding="utf-8"))
    buckets = int(saved["overflow_buckets"])
    vocabularies = Vocabularies(
        TermVocabulary(tuple(saved["skills"]), buckets),
        TermVocabulary(tuple(saved["certificates"]), buckets),
    )
    return EngineModel(ranker, vectorizer, bm25, vocabularies, version=bundle.version)


class ServedRegistry(ModelRegistry):
    """The model registry as matcher uses it: its errors mapped to :mod:`matcher.errors`."""

    def get(self, version: str) -> Bundle:
        with model_errors():
            return super().get(version)

    def active_version(self) -> str | None:
        with model_errors():
            return super().active_version()

    def active(self) -> Bundle | None:
        with model_errors():
            return super().active()

    def promote(self, version: str) -> Bundle:
        with model_errors():
            return super().promote(version)

    def rollback(self) -> str:
        with model_errors():
            return super().rollback()

    def list(self) -> builtins.list[RegistryEntry]:
        with model_errors():
            return super().list()

    def history(self) -> builtins.list[HistoryEntry]:
        with model_errors():
            return super().history()


def registry_for(home: Path) -> ServedRegistry:
    """The model registry of a data directory (``HOME/models``)."""
    return ServedRegistry(home / "models")
