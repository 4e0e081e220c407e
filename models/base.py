"""The ranker contract every ranker kind follows (the default LambdaMART and the baselines)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Protocol, Self

import numpy as np
from numpy.typing import NDArray

from models.dataset import RankingSet


class Ranker(Protocol):
    """Scores candidate rows; higher is better. Registered by ``kind`` in ``models.rankers``.

    ``fit`` takes a :class:`RankingSet` and returns self; ``predict`` takes a feature matrix of
    shape (n_rows, n_features) in ``feature_names_`` order and returns float64 scores of shape
    (n_rows,); ``save``/``load`` write and read a folder without pickle where the kind allows.
    """

    kind: ClassVar[str]
    feature_names_: tuple[str, ...]

    def fit(self, data: RankingSet) -> Self: ...

    def predict(self, features: NDArray[np.float32]) -> NDArray[np.float64]: ...

    def contributions(self, features: NDArray[np.float32]) -> NDArray[np.float64]:
        """Per-feature contributions, shape (n_rows, n_features + 1), last column the bias;
        ``NotImplementedError`` for kinds that have none."""
        ...

    def params(self) -> dict[str, Any]: ...

    def save(self, directory: Path) -> list[Path]:
        """Write the fitted ranker into ``directory``; return the files written."""
        ...

    @classmethod
    def load(cls, directory: Path) -> Self: ...


def ignored_features(ranker: Ranker) -> tuple[str, ...]:
    """The features ``ranker``'s scores never depend on, in its column order: those it was
    fitted blind to (its ``unused`` parameter — LambdaMART and the pointwise baseline blank
    them, so no tree splits on them) that no ``prior`` weighs. Serving need not compute them
    (:func:`features.pairwise.model_features`' ``skip``); () for kinds without ``unused``."""
    unused = getattr(ranker, "unused", None) or ()
    weighed = getattr(ranker, "prior", None) or {}
    names = getattr(ranker, "feature_names_", ())
    return tuple(name for name in names if name in unused and name not in weighed)
