"""A registry bundle → the model the :class:`~matcher.ranking.engine.MatchEngine` serves with.

Training (:mod:`matcher.learning.training`) writes what this reads: the ranker, the word/char
TF-IDF vectoriser, BM25 and the skill/certificate vocabularies. Every file's hash was verified
when the bundle was opened (:mod:`models.bundle`).
"""

from __future__ import annotations

import json
from pathlib import Path

from features.vectorize import BM25Vectorizer, TextVectorizer
from matcher.ranking.columns import TermVocabulary, Vocabularies
from matcher.ranking.engine import EngineModel
from models.bundle import Bundle, load_ranker
from models.rankers import RANKERS
from models.registry import ModelRegistry

__all__ = ["VOCABULARIES_FILE", "load_engine_model", "registry_for"]

VOCABULARIES_FILE = "vocabularies.json"
"""The skill and certificate vocabularies of a bundle (JSON)."""


def load_engine_model(bundle: Bundle) -> EngineModel:
    """The engine's model from a verified bundle (hashes were checked when it was opened)."""
    ranker = load_ranker(bundle, RANKERS)
    vectorizer = TextVectorizer.load(bundle.file("vectorizer"))
    bm25 = BM25Vectorizer.load(bundle.file("bm25"))
    saved = json.loads(bundle.file(VOCABULARIES_FILE).read_text(encoding="utf-8"))
    buckets = int(saved["overflow_buckets"])
    vocabularies = Vocabularies(
        TermVocabulary(tuple(saved["skills"]), buckets),
        TermVocabulary(tuple(saved["certificates"]), buckets),
    )
    return EngineModel(ranker, vectorizer, bm25, vocabularies, version=bundle.version)


def registry_for(home: Path) -> ModelRegistry:
    """The model registry of a data directory (``HOME/models``)."""
    return ModelRegistry(home / "models")
