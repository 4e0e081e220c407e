"""Learning: training sets, rankers, metrics, model bundles and their registry."""

from models.base import Ranker
from models.dataset import LABELS, RankingSet

__all__ = ["LABELS", "Ranker", "RankingSet"]
