"""Learning: training sets, rankers, metrics, model bundles and their registry."""

from models.base import Ranker, ignored_features
from models.dataset import LABELS, RankingSet
from models.metrics import (
    evaluate,
    evaluate_by_tag,
    evaluate_per_query,
    exposure_gini,
    gini_coefficient,
    map_at_k,
    mrr,
    ndcg_at_k,
    recall_at_k,
)
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
    load_saved_ranker,
    make_ranker,
)

__all__ = [
    "DEFAULT_KIND",
    "LABELS",
    "RANKERS",
    "BM25Ranker",
    "FeatureRanker",
    "LambdaMARTRanker",
    "LibraryVersionWarning",
    "PointwiseRanker",
    "RandomRanker",
    "Ranker",
    "RankingSet",
    "SavedRankerError",
    "TfidfCosineRanker",
    "evaluate",
    "evaluate_by_tag",
    "evaluate_per_query",
    "exposure_gini",
    "gini_coefficient",
    "ignored_features",
    "load_saved_ranker",
    "make_ranker",
    "map_at_k",
    "mrr",
    "ndcg_at_k",
    "recall_at_k",
]
