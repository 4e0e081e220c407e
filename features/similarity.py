"""Plain text similarity without a trained model: character n-gram TF-IDF and cosine.

Used by the foundation demo before the domain tokeniser and learned ranker exist; later a
baseline beside them. Chinese needs no word segmentation for character n-grams.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer


def char_ngram_topk(
    queries: Sequence[str],
    documents: Sequence[str],
    k: int,
    *,
    ngram_range: tuple[int, int] = (1, 2),
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The ``k`` documents most similar to each query by TF-IDF cosine over character n-grams.

    Parameters
    ----------
    queries : sequence of str, length n_queries
    documents : sequence of str, length n_documents
    k : int
        Results per query, 1 ≤ k; fewer when there are fewer documents.

    Returns
    -------
    indices : ndarray of shape (n_queries, min(k, n_documents))
        Document indices, best first.
    scores : ndarray of shape (n_queries, min(k, n_documents))
        Cosine similarities in [0, 1], non-increasing along each row.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if not documents:
        raise ValueError("documents is empty; nothing to rank")
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range, sublinear_tf=True)
    document_matrix = vectorizer.fit_transform(documents)
    query_matrix = vectorizer.transform(queries)
    similarity = np.asarray((query_matrix @ document_matrix.T).todense(), dtype=np.float64)
    top = min(k, len(documents))
    # stable sort on (-score, index) so ties keep document order
    order = np.argsort(-similarity, axis=1, kind="stable")[:, :top]
    scores = np.take_along_axis(similarity, order, axis=1)
    return order.astype(np.int64), np.clip(scores, 0.0, 1.0)
