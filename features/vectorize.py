"""Vectorisers fitted on a corpus: word TF-IDF, character n-gram TF-IDF, BM25 and LSA.

Every vectoriser follows the scikit-learn estimator contract (``__init__`` stores its parameters,
``fit`` validates them and returns ``self``, learned state ends with ``_``, ``transform`` checks
that the estimator is fitted) and is saved without pickle: ``save(directory)`` writes
``params.json`` (parameters, vocabulary, format version, library versions and the SHA-256 of the
arrays) beside ``arrays.npz`` (``np.savez``, read back with ``allow_pickle=False``); ``load``
refuses a directory whose format version differs or whose files are missing, changed or corrupt.

Text is normalised as the tokenizer does it (:func:`features.text.normalize`: NFKC, case
folding, single spaces). The word vectorisers take **pre-tokenised** documents
(``Sequence[Sequence[str]]``): tokenise each text once (the domain tokenizer of
:mod:`features.text`) and keep the tokens. The character vectoriser takes the raw strings.
:class:`TextVectorizer` bundles the word and character TF-IDF
(and optionally an LSA projection of both) into the vectors retrieval and pair features use.

The TF-IDF and BM25 vectorisers can be fitted with a *prior*, the document frequencies of
another corpus (:class:`DocumentFrequencies`, e.g. real postings' words and n-grams): the
vocabulary is then the union of both corpora's terms and the idf counts both corpora's documents
(:func:`merge_prior`). The prior is an input of ``fit`` only; what was learnt is saved as without.

Outputs are SciPy ``csr_array`` matrices of ``float32`` whose rows are L2-normalised (TF-IDF; so
a dot product is a cosine) or dense ``float32`` rows, L2-normalised (LSA).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import math
import re
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
import scipy
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, clone
from sklearn.utils.extmath import randomized_svd
from sklearn.utils.validation import check_is_fitted

from features.text import normalize

FORMAT_VERSION = 1
"""Version of the saved layout; loading refuses any other."""
PARAMS_FILE = "params.json"
ARRAYS_FILE = "arrays.npz"

__all__ = [
    "FORMAT_VERSION",
    "BM25Vectorizer",
    "CharTfidfVectorizer",
    "DocumentFrequencies",
    "LSAProjection",
    "SavedFormatError",
    "TextVectorizer",
    "WordTfidfVectorizer",
    "bm25_term_weight",
    "char_ngrams",
    "l2_normalize_rows",
    "load_vectorizer",
    "lucene_idf",
    "merge_prior",
    "rsj_idf",
    "simple_tokenize",
    "smooth_idf",
    "sublinear_tf",
]


class SavedFormatError(ValueError):
    """A saved vectoriser cannot be loaded: a file is missing, changed, corrupt or of another
    format version. The message names the file and what is wrong."""


# --- text normalisation and stand-in tokenisation ------------------------------------------

_WORD_RUN = re.compile(r"\w+")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_OR_OTHER_WORD = re.compile(rf"[{_CJK}]+|[^\W{_CJK}]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")


def simple_tokenize(text: str) -> list[str]:
    """A stand-in word tokenizer until the jieba domain tokenizer is passed instead.

    Runs of Chinese characters become overlapping character bigrams (a single character stays
    whole); runs of other letters and digits stay whole words; punctuation is dropped.
    ``simple_tokenize("熟悉Python开发")`` is ``["熟悉", "python", "开发"]``.
    """
    tokens: list[str] = []
    for run in _CJK_OR_OTHER_WORD.findall(normalize(text)):
        if len(run) > 1 and _CJK_RUN.fullmatch(run):
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def char_ngrams(text: str, ngram_range: tuple[int, int] = (1, 2)) -> list[str]:
    """Character n-grams of the normalised text, within runs of letters/digits/Chinese.

    Punctuation and spaces separate runs; no n-gram spans two runs.
    ``char_ngrams("电工,焊工", (1, 2))`` gives 电, 工, 电工, 焊, 工, 焊工.
    """
    low, high = ngram_range
    return [
        run[i : i + n]
        for run in _WORD_RUN.findall(normalize(text))
        for n in range(low, high + 1)
        for i in range(len(run) - n + 1)
    ]


# --- formulas: one pure function each ------------------------------------------------------


def smooth_idf(
    document_frequency: NDArray[np.integer[Any]], n_documents: int
) -> NDArray[np.float64]:
    """``ln((1 + N) / (1 + df)) + 1`` — scikit-learn ``TfidfTransformer(smooth_idf=True)``."""
    df = np.asarray(document_frequency, dtype=np.float64)
    return np.log((1.0 + n_documents) / (1.0 + df)) + 1.0


def sublinear_tf(term_frequency: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """``1 + ln(tf)`` for tf > 0 (0 stays 0) — Manning, Raghavan & Schütze 2008, §6.4.1."""
    tf = np.asarray(term_frequency, dtype=np.float64)
    out = np.zeros_like(tf)
    positive = tf > 0
    out[positive] = 1.0 + np.log(tf[positive])
    return out


def rsj_idf(document_frequency: NDArray[np.integer[Any]], n_documents: int) -> NDArray[np.float64]:
    """``ln((N − df + 0.5) / (df + 0.5))`` — Robertson & Spärck Jones 1976, Okapi BM25 (TREC-3).

    Negative for terms in more than half of the documents.
    """
    df = np.asarray(document_frequency, dtype=np.float64)
    return np.log((n_documents - df + 0.5) / (df + 0.5))


def lucene_idf(
    document_frequency: NDArray[np.integer[Any]], n_documents: int
) -> NDArray[np.float64]:
    """``ln(1 + (N − df + 0.5) / (df + 0.5))`` — Lucene ``BM25Similarity``; never negative."""
    df = np.asarray(document_frequency, dtype=np.float64)
    return np.log1p((n_documents - df + 0.5) / (df + 0.5))


def bm25_term_weight(
    term_frequency: NDArray[np.floating[Any]],
    document_length: NDArray[np.floating[Any]],
    average_document_length: float,
    k1: float,
    b: float,
) -> NDArray[np.float64]:
    """``tf·(k1 + 1) / (tf + k1·(1 − b + b·dl/avgdl))`` — Robertson & Zaragoza 2009, eq. 3.15."""
    tf = np.asarray(term_frequency, dtype=np.float64)
    dl = np.asarray(document_length, dtype=np.float64)
    return tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * dl / average_document_length))


def l2_normalize_rows(matrix: Any) -> Any:
    """Rows scaled to unit Euclidean length; all-zero rows stay zero. Keeps sparse/dense kind.

    Parameters
    ----------
    matrix : sparse matrix or ndarray of shape (n_rows, n_columns)

    Returns
    -------
    csr_array or ndarray of shape (n_rows, n_columns), same dtype as given
    """
    if sp.issparse(matrix):
        csr = sp.csr_array(matrix, copy=True)
        csr.sum_duplicates()
        rows = np.repeat(np.arange(csr.shape[0]), np.diff(csr.indptr))
        data = csr.data.astype(np.float64)
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=csr.shape[0]))
        safe = np.where(norms > 0, norms, 1.0)
        csr.data = (data / safe[rows]).astype(csr.dtype)
        return csr
    dense = np.asarray(matrix)
    norms = np.linalg.norm(dense.astype(np.float64), axis=1, keepdims=True)
    return (dense / np.where(norms > 0, norms, 1.0)).astype(dense.dtype)


IDF_FUNCTIONS: dict[str, Callable[[NDArray[np.integer[Any]], int], NDArray[np.float64]]] = {
    "lucene": lucene_idf,
    "rsj": rsj_idf,
}
"""BM25 idf variants by name (``BM25Vectorizer(idf=...)``)."""


# --- counting ------------------------------------------------------------------------------


def _check_documents(documents: object, *, tokenised: bool, name: str = "documents") -> None:
    if isinstance(documents, str | bytes) or not isinstance(documents, Sequence):
        raise TypeError(
            f"{name} must be a sequence of "
            f"{'token lists' if tokenised else 'strings'}, got {type(documents).__name__}"
        )
    for position, document in enumerate(documents):
        if tokenised:
            if isinstance(document, str | bytes) or not isinstance(document, Sequence):
                raise TypeError(
                    f"{name} must be pre-tokenised: item {position} is "
                    f"{type(document).__name__}, not a list of tokens (e.g. text.split())"
                )
        elif not isinstance(document, str):
            raise TypeError(f"{name} must be strings: item {position} is {type(document).__name__}")


DEFAULT_OOV_BUCKETS = 1 << 18
"""Hashed columns for terms a fitted vectoriser never saw (see :func:`oov_bucket_of_words`)."""


def oov_bucket_of_words(terms: Sequence[str], buckets: int) -> NDArray[np.int64]:
    """The bucket (0 … buckets − 1) of each unknown word: CRC-32 of its UTF-8, stable across
    processes and platforms (Python's ``hash`` of a str is salted per process)."""
    return np.fromiter(
        (zlib.crc32(term.encode("utf-8")) % buckets for term in terms),
        dtype=np.int64,
        count=len(terms),
    )


def oov_bucket_of_keys(keys: NDArray[np.int64], buckets: int) -> NDArray[np.int64]:
    """The bucket of each unknown character n-gram key (:func:`_ngram_keys`): Fibonacci
    hashing — the key times 2⁶⁴/φ, the top bits (the low bits alone would be the last
    character: every n-gram ending in 猪 in one bucket). ``buckets`` is a power of two."""
    mixed = keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)  # wraps modulo 2⁶⁴
    shift = np.uint64(64 - (buckets.bit_length() - 1))
    return (mixed >> shift).astype(np.int64)


def _check_oov_buckets(value: object) -> int:
    """0 (unknown terms dropped) or a power of two."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(f"oov_buckets must be an int ≥ 0, got {value!r}")
    if value and value & (value - 1):
        raise ValueError(f"oov_buckets={value} must be 0 or a power of two")
    return value


def _count_matrix(
    documents: Sequence[Sequence[str]],
    vocabulary: dict[str, int],
    *,
    grow: bool,
    oov_buckets: int = 0,
    pruned: frozenset[str] = frozenset(),
) -> Any:
    """Term counts, shape (n_documents, len(vocabulary) + oov_buckets); ``grow`` adds unseen
    terms; otherwise, with ``oov_buckets``, an unseen term counts in column
    ``len(vocabulary) + bucket`` (:func:`oov_bucket_of_words`) instead of being dropped —
    except the ``pruned`` terms (seen at fit, left out on purpose)."""
    lengths = np.fromiter((len(doc) for doc in documents), dtype=np.int64, count=len(documents))
    if grow:  # one pass over the unique terms; the look-ups below run in C (map, fromiter)
        for term in dict.fromkeys(chain.from_iterable(documents)):
            vocabulary.setdefault(term, len(vocabulary))
    get = vocabulary.get
    ids = np.fromiter(
        chain.from_iterable(map(get, doc, repeat(-1)) for doc in documents),
        dtype=np.int64,
        count=int(lengths.sum()),
    )
    rows = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
    unknown = np.flatnonzero(ids < 0)
    if oov_buckets and not grow and len(unknown):
        terms = list(chain.from_iterable(documents))
        unseen = [i for i in unknown.tolist() if terms[i] not in pruned]
        ids[unseen] = len(vocabulary) + oov_bucket_of_words([terms[i] for i in unseen], oov_buckets)
    known = ids >= 0
    counts = sp.csr_array(
        (np.ones(int(known.sum()), dtype=np.float64), (rows[known], ids[known])),
        shape=(len(documents), len(vocabulary) + (0 if grow else oov_buckets)),
    )
    counts.sum_duplicates()
    counts.sort_indices()
    return counts


def _check_df_bound(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be an int (documents) or a float (share), got {value!r}")
    if isinstance(value, int) and value < 1:
        raise ValueError(f"{name}={value} must be at least 1 document (or a float share)")
    if isinstance(value, float) and not 0.0 < value <= 1.0:
        raise ValueError(f"{name}={value} must be a share in (0, 1] (or an int count)")


def _prune(
    df: NDArray[np.int64],
    vocabulary: dict[str, int],
    n_documents: int,
    *,
    min_df: int | float,
    max_df: int | float,
    max_features: int | None,
) -> tuple[dict[str, int], NDArray[np.int64], NDArray[np.int64]]:
    """Drop rare/common terms, keep the ``max_features`` most frequent, order terms by text.

    ``df[j]`` is the document frequency of the term of column ``j`` of ``vocabulary`` among
    ``n_documents``; returns the new vocabulary, its terms' df and their old columns.
    """
    low = min_df if isinstance(min_df, int) else math.ceil(min_df * n_documents)
    high = max_df if isinstance(max_df, int) else math.floor(max_df * n_documents)
    terms = np.array(list(vocabulary), dtype=object)
    keep = np.flatnonzero((df >= low) & (df <= high))
    if max_features is not None and len(keep) > max_features:
        # most frequent first; ties by term text so the choice never depends on corpus order
        order = sorted(keep.tolist(), key=lambda j: (-int(df[j]), terms[j]))
        keep = np.array(order[:max_features], dtype=np.int64)
    if len(keep) == 0:
        raise ValueError(
            f"no terms remain (min_df={min_df}, max_df={max_df}, {len(vocabulary)} terms "
            f"seen in {n_documents} documents); lower min_df or raise max_df"
        )
    keep = keep[np.argsort(terms[keep], kind="stable")]
    new_vocabulary = {str(term): j for j, term in enumerate(terms[keep])}
    return new_vocabulary, df[keep], keep


def _document_frequencies(counts: Any) -> NDArray[np.int64]:
    """In how many rows of ``counts`` (csr, duplicates summed) each column is non-zero."""
    return np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.int64)


# --- prior document frequencies --------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DocumentFrequencies:
    """Document frequencies counted on another corpus, to fit a vectoriser's vocabulary and idf
    on more text than its own (``fit(..., prior=...)``).

    A vectoriser fitted with a prior has the union of its corpus's terms and the prior's as
    vocabulary (before ``min_df``/``max_df``/``max_features``), and its idf counts each term in
    ``corpus df + prior df`` of ``corpus documents + prior documents`` (:func:`merge_prior`).

    Parameters
    ----------
    n_documents : int
        Documents the frequencies were counted in (≥ 1).
    terms : tuple of str
        Distinct terms, cut as the vectoriser cuts them (words by the same tokenizer,
        character n-grams as :func:`char_ngrams` cuts them).
    document_frequency : ndarray of shape (n_terms,), int64
        Documents holding each term, each in [1, n_documents]. Terms left out (e.g. rare ones
        dropped to keep a table small) count as in no document.
    ngram_range : tuple of (int, int), optional
        For character n-grams: the n-gram lengths counted (every n-gram of those lengths, not a
        selection). None for words.
    """

    n_documents: int
    terms: tuple[str, ...]
    document_frequency: NDArray[np.int64]
    ngram_range: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        _check_int("n_documents", self.n_documents, minimum=1)
        if not isinstance(self.terms, tuple) or not all(isinstance(t, str) for t in self.terms):
            raise TypeError("terms must be a tuple of strings")
        if len(set(self.terms)) != len(self.terms):
            raise ValueError("terms must be distinct")
        df = np.asarray(self.document_frequency)
        if df.shape != (len(self.terms),) or not np.issubdtype(df.dtype, np.integer):
            raise ValueError(
                f"document_frequency must be {len(self.terms)} integers, one per term; "
                f"got shape {df.shape} of {df.dtype}"
            )
        if len(df) and (int(df.min()) < 1 or int(df.max()) > self.n_documents):
            raise ValueError(
                f"document_frequency must lie in [1, n_documents={self.n_documents}]; "
                f"got {int(df.min())}..{int(df.max())}"
            )
        object.__setattr__(self, "document_frequency", df.astype(np.int64))
        if self.ngram_range is not None:
            low, high = _check_ngram_range(self.ngram_range)
            if any(not low <= len(term) <= high for term in self.terms):
                raise ValueError(f"terms must be n-grams of ngram_range={self.ngram_range}")

    @classmethod
    def from_counts(
        cls,
        n_documents: int,
        frequencies: Mapping[str, int],
        ngram_range: tuple[int, int] | None = None,
    ) -> DocumentFrequencies:
        """From a mapping term → document frequency."""
        terms = tuple(frequencies)
        df = np.fromiter((frequencies[t] for t in terms), dtype=np.int64, count=len(terms))
        return cls(n_documents, terms, df, ngram_range)


def _check_prior(prior: object, *, ngram_range: tuple[int, int] | None) -> DocumentFrequencies:
    """``prior`` is a DocumentFrequencies of words (``ngram_range`` None) or of character
    n-grams counted over (at least) ``ngram_range``; return it with only the fitting terms."""
    if not isinstance(prior, DocumentFrequencies):
        raise TypeError(f"prior must be a DocumentFrequencies, got {type(prior).__name__}")
    if ngram_range is None:
        if prior.ngram_range is not None:
            raise ValueError(
                f"prior holds character n-grams (ngram_range={prior.ngram_range}); "
                "this vectoriser counts words: pass a prior of words"
            )
        return prior
    if prior.ngram_range is None:
        raise ValueError(
            "prior holds words (ngram_range=None); this vectoriser counts character n-grams: "
            f"pass a prior of n-grams counted over ngram_range={ngram_range}"
        )
    (low, high), (prior_low, prior_high) = ngram_range, prior.ngram_range
    if not prior_low <= low <= high <= prior_high:
        raise ValueError(
            f"prior counts n-grams of ngram_range={prior.ngram_range}, which does not cover "
            f"this vectoriser's ngram_range={ngram_range}"
        )
    if (low, high) == (prior_low, prior_high):
        return prior
    inside = [j for j, term in enumerate(prior.terms) if low <= len(term) <= high]
    return DocumentFrequencies(
        prior.n_documents,
        tuple(prior.terms[j] for j in inside),
        prior.document_frequency[inside],
        ngram_range,
    )


def merge_prior(
    vocabulary: dict[str, int],
    document_frequency: NDArray[np.int64],
    n_documents: int,
    prior: DocumentFrequencies,
) -> tuple[dict[str, int], NDArray[np.int64], int]:
    """The union of a corpus's terms and a prior's, each with ``corpus df + prior df``, and
    ``corpus documents + prior documents`` — as if the prior's documents had been counted
    beside the corpus's (Salton & Buckley's idf over a reference collection).

    ``vocabulary`` maps term → column of ``document_frequency``; the corpus's columns keep
    their place and the prior's other terms follow in the prior's order.
    """
    merged = dict(vocabulary)
    for term in prior.terms:
        merged.setdefault(term, len(merged))
    df = np.zeros(len(merged), dtype=np.int64)
    df[: len(vocabulary)] = document_frequency
    columns = np.fromiter(
        (merged[term] for term in prior.terms), dtype=np.int64, count=len(prior.terms)
    )
    np.add.at(df, columns, prior.document_frequency)
    return merged, df, n_documents + prior.n_documents


def _fit_vocabulary(
    counts: Any,
    vocabulary: dict[str, int],
    prior: DocumentFrequencies | None,
    *,
    min_df: int | float,
    max_df: int | float,
    max_features: int | None,
) -> tuple[Any, dict[str, int], NDArray[np.int64], NDArray[np.int64], int, tuple[str, ...]]:
    """The vocabulary learnt from a corpus's term ``counts`` (csr, columns as ``vocabulary``)
    and a prior.

    Returns the counts widened by empty columns for the prior's other terms, the pruned
    vocabulary, the df of its terms, their columns in the widened counts, the number of
    documents the df count (the corpus's, plus the prior's), and the terms seen but pruned
    (never counted later, not even in an unknown terms' bucket).
    """
    df = _document_frequencies(counts)
    n_documents = counts.shape[0]
    if prior is not None:
        vocabulary, df, n_documents = merge_prior(vocabulary, df, n_documents, prior)
        counts = sp.csr_array(
            (counts.data, counts.indices, counts.indptr), shape=(counts.shape[0], len(df))
        )
    new_vocabulary, kept_df, keep = _prune(
        df, vocabulary, n_documents, min_df=min_df, max_df=max_df, max_features=max_features
    )
    dropped = np.ones(len(vocabulary), dtype=bool)
    dropped[keep] = False
    terms = list(vocabulary)
    pruned = tuple(terms[j] for j in np.flatnonzero(dropped))
    return counts, new_vocabulary, kept_df, keep, n_documents, pruned


def _check_int(name: str, value: object, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name}={value} must be at least {minimum}")
    return int(value)


# --- persistence ---------------------------------------------------------------------------


def _library_versions() -> dict[str, str]:
    try:
        jobmatch = importlib.metadata.version("jobmatch")
    except importlib.metadata.PackageNotFoundError:
        jobmatch = "unknown"
    return {"jobmatch": jobmatch, "numpy": np.__version__, "scipy": scipy.__version__}


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{value!r} ({type(value).__name__}) cannot be saved as JSON")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(directory: Path, header: dict[str, Any], arrays: dict[str, NDArray[Any]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    arrays_path = directory / ARRAYS_FILE
    with arrays_path.open("wb") as handle:
        np.savez(handle, **arrays)  # type: ignore[arg-type]
    header = {
        **header,
        "format_version": FORMAT_VERSION,
        "versions": _library_versions(),
        "arrays_sha256": _sha256(arrays_path),
    }
    (directory / PARAMS_FILE).write_text(
        json.dumps(header, ensure_ascii=False, indent=1, default=_json_default), encoding="utf-8"
    )


def _read_header(directory: Path) -> dict[str, Any]:
    path = directory / PARAMS_FILE
    if not path.is_file():
        raise SavedFormatError(f"{path}: missing; not a saved vectoriser directory")
    try:
        header = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SavedFormatError(f"{path}: corrupt JSON ({error})") from error
    if not isinstance(header, dict):
        raise SavedFormatError(f"{path}: corrupt, expected a JSON object")
    version = header.get("format_version")
    if version != FORMAT_VERSION:
        raise SavedFormatError(
            f"{path}: format_version {version!r} differs from {FORMAT_VERSION}, the version "
            "this code reads; refit the vectoriser or load it with a matching jobmatch"
        )
    return header


def _read(
    directory: Path, expected_kind: str, array_names: Sequence[str]
) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
    header = _read_header(directory)
    kind = header.get("kind")
    if kind != expected_kind:
        raise SavedFormatError(
            f"{directory / PARAMS_FILE}: holds a {kind!r}, not a {expected_kind!r}"
        )
    arrays_path = directory / ARRAYS_FILE
    if not arrays_path.is_file():
        raise SavedFormatError(f"{arrays_path}: missing")
    if _sha256(arrays_path) != header.get("arrays_sha256"):
        raise SavedFormatError(
            f"{arrays_path}: SHA-256 differs from the one recorded in {PARAMS_FILE} "
            "(the file was changed or is corrupt)"
        )
    try:
        with np.load(arrays_path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise SavedFormatError(f"{arrays_path}: corrupt ({error})") from error
    missing = sorted(set(array_names) - set(arrays))
    if missing:
        raise SavedFormatError(f"{arrays_path}: lacks the arrays {missing}")
    return header, arrays


def _field(header: dict[str, Any], name: str, directory: Path) -> Any:
    if name not in header:
        raise SavedFormatError(f"{directory / PARAMS_FILE}: lacks the field {name!r}")
    return header[name]


# --- estimators ----------------------------------------------------------------------------


class _Estimator(BaseEstimator):  # type: ignore[misc]
    """Parameters via ``get_params``/``set_params`` (scikit-learn) plus pickle-free save/load."""

    _kind: ClassVar[str]
    _array_names: ClassVar[tuple[str, ...]] = ()
    _tuple_params: ClassVar[tuple[str, ...]] = ()
    _absent_params: ClassVar[dict[str, Any]] = {}
    """Values of parameters a file saved before they existed stands for (so a saved vectoriser
    transforms as it did)."""

    def _state(self) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
        raise NotImplementedError

    def _restore(self, state: dict[str, Any], arrays: dict[str, NDArray[Any]]) -> None:
        raise NotImplementedError

    def save(self, directory: str | Path) -> None:
        """Write ``params.json`` and ``arrays.npz`` into ``directory`` (created if needed)."""
        check_is_fitted(self)
        state, arrays = self._state()
        header = {"kind": self._kind, "params": self.get_params(deep=False), "state": state}
        _write(Path(directory), header, arrays)

    @classmethod
    def load(cls, directory: str | Path) -> Self:
        """The vectoriser saved in ``directory``; transforms exactly as the saved one did.

        Raises
        ------
        SavedFormatError
            A file is missing, changed or corrupt, or was written by another format version.
        """
        path = Path(directory)
        header, arrays = _read(path, cls._kind, cls._array_names)
        params = dict(_field(header, "params", path))
        for name, value in cls._absent_params.items():
            params.setdefault(name, value)  # saved before the parameter existed
        for name in cls._tuple_params:
            if isinstance(params.get(name), list):
                params[name] = tuple(params[name])
        try:
            estimator = cls(**params)
            estimator._restore(_field(header, "state", path), arrays)
        except (TypeError, KeyError, ValueError) as error:
            raise SavedFormatError(f"{path / PARAMS_FILE}: corrupt state ({error})") from error
        return estimator


def _restore_vocabulary(
    state: dict[str, Any], arrays: dict[str, NDArray[Any]], array: str
) -> dict[str, int]:
    terms = state["vocabulary"]
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise ValueError("vocabulary must be a list of strings")
    if arrays[array].shape != (len(terms),):
        raise ValueError(
            f"{array} has shape {arrays[array].shape}, the vocabulary has {len(terms)} terms"
        )
    return {term: j for j, term in enumerate(terms)}


def _restore_pruned(state: dict[str, Any]) -> tuple[str, ...]:
    terms = state.get("pruned", [])  # saved before the unknown terms' buckets: none kept
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise ValueError("pruned must be a list of strings")
    return tuple(terms)


class _UnseenBuckets:
    """What a fitted vectoriser with hashed buckets for unseen terms shares: its width, the idf
    of each column, and term counts over its vocabulary with the buckets after it."""

    vocabulary_: dict[str, int]
    idf_: NDArray[np.float64]
    n_documents_: int
    oov_buckets: int
    _pruned_set: frozenset[str]

    def _unseen_idf(self) -> float:
        """The idf of a term in no document (the rarest there is), by this vectoriser's idf."""
        raise NotImplementedError

    @property
    def n_columns(self) -> int:
        """Width of the rows: the vocabulary, then the unknown terms' buckets."""
        check_is_fitted(self)
        return len(self.vocabulary_) + self.oov_buckets

    def _idf_of(self, columns: NDArray[np.int64]) -> NDArray[np.float64]:
        """The idf of each column: a known term's, or for an unknown term's bucket
        :meth:`_unseen_idf`."""
        n_terms = len(self.idf_)
        if not len(columns) or int(columns.max()) < n_terms:
            return self.idf_[columns]
        known = self.idf_[np.minimum(columns, n_terms - 1)]
        return np.where(columns < n_terms, known, self._unseen_idf())

    def _known_counts(self, documents: Sequence[Sequence[str]]) -> Any:
        """Term counts of tokenised ``documents`` over the fitted vocabulary, unseen terms in
        their buckets (pruned ones dropped)."""
        return _count_matrix(
            documents,
            self.vocabulary_,
            grow=False,
            oov_buckets=self.oov_buckets,
            pruned=self._pruned_set,
        )


class _TfidfBase(_UnseenBuckets, _Estimator):
    _array_names = ("idf_",)
    _absent_params: ClassVar[dict[str, Any]] = {"oov_buckets": 0}

    min_df: int | float
    max_df: int | float
    max_features: int | None
    sublinear_tf: bool
    oov_buckets: int

    def _unseen_idf(self) -> float:
        return float(smooth_idf(np.zeros(1, dtype=np.int64), self.n_documents_)[0])

    def _count(self, documents: Any, *, fit: bool) -> tuple[Any, dict[str, int]]:
        """Term counts of ``documents`` and the vocabulary (term → column) they are over:
        every term seen when ``fit``, else ``vocabulary_``."""
        raise NotImplementedError

    def _fitted_terms(self, keep: NDArray[np.int64]) -> None:
        """Hook: ``vocabulary_`` and ``pruned_`` are set; ``keep`` are the kept columns of the
        fit counts."""
        self._pruned_set = frozenset(self.pruned_)

    def _prior_ngram_range(self) -> tuple[int, int] | None:
        """The n-gram lengths a prior must cover; None when the vectoriser counts words."""
        return None

    def _check_params(self) -> None:
        _check_df_bound("min_df", self.min_df)
        _check_df_bound("max_df", self.max_df)
        if self.max_features is not None:
            _check_int("max_features", self.max_features, minimum=1)
        if not isinstance(self.sublinear_tf, bool):
            raise TypeError(f"sublinear_tf must be a bool, got {self.sublinear_tf!r}")
        _check_oov_buckets(self.oov_buckets)

    def _fit_counts(
        self, documents: Any, prior: DocumentFrequencies | None
    ) -> tuple[Any, NDArray[np.int64]]:
        """Learn vocabulary_ and idf_; the corpus's counts (over the vocabulary widened by the
        prior's terms) and the kept columns."""
        self._check_params()
        if prior is not None:
            prior = _check_prior(prior, ngram_range=self._prior_ngram_range())
        counts, vocabulary = self._count(documents, fit=True)
        n_documents = counts.shape[0]
        if not n_documents:
            raise ValueError("documents is empty; a vectoriser needs at least one document")
        if not vocabulary:
            raise ValueError(f"the {n_documents} documents hold no tokens; empty vocabulary")
        bad = next((term for term in vocabulary if not isinstance(term, str)), None)
        if bad is not None:
            raise TypeError(f"tokens must be strings, got {bad!r} ({type(bad).__name__})")
        counts, self.vocabulary_, df, keep, n_counted, self.pruned_ = _fit_vocabulary(
            counts,
            vocabulary,
            prior,
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
        )
        self.idf_ = smooth_idf(df, n_counted)
        self.n_documents_ = n_counted
        self.n_prior_documents_ = n_counted - n_documents
        self._fitted_terms(keep)
        return counts, keep

    def _weigh(self, counts: Any) -> Any:
        tf = sublinear_tf(counts.data) if self.sublinear_tf else counts.data
        counts.data = tf * self._idf_of(counts.indices)
        return l2_normalize_rows(counts).astype(np.float32)

    def fit(
        self, documents: Any, y: object = None, *, prior: DocumentFrequencies | None = None
    ) -> Self:
        """Learn the vocabulary and idf of ``documents`` (and of ``prior``, when given: the
        union of the terms, idf over both corpora's documents; see :func:`merge_prior`)."""
        self._fit_counts(documents, prior)
        return self

    def transform(self, documents: Any) -> Any:
        """TF-IDF rows, L2-normalised.

        Returns
        -------
        csr_array of shape (n_documents, n_terms), float32
        """
        check_is_fitted(self)
        return self._weigh(self._count(documents, fit=False)[0])

    def fit_transform(
        self, documents: Any, y: object = None, *, prior: DocumentFrequencies | None = None
    ) -> Any:
        """``fit(documents, prior=prior).transform(documents)``, analysing them once."""
        counts, keep = self._fit_counts(documents, prior)
        if self.oov_buckets and self.pruned_:
            return self.transform(documents)  # a pruned term's bucket rule lives there
        kept = counts[:, keep]
        kept.sort_indices()
        widened = sp.csr_array(  # the unknown terms' buckets: empty, the fit knows every term
            (kept.data, kept.indices, kept.indptr), shape=(kept.shape[0], self.n_columns)
        )
        return self._weigh(widened)

    def get_feature_names_out(self) -> NDArray[np.object_]:
        """The terms in column order, shape (n_terms,)."""
        check_is_fitted(self)
        return np.array(list(self.vocabulary_), dtype=object)

    def _state(self) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
        state = {
            "vocabulary": list(self.vocabulary_),
            "pruned": list(self.pruned_),
            "n_documents_": self.n_documents_,
            "n_prior_documents_": self.n_prior_documents_,
        }
        return state, {"idf_": self.idf_}

    def _restore(self, state: dict[str, Any], arrays: dict[str, NDArray[Any]]) -> None:
        self.vocabulary_ = _restore_vocabulary(state, arrays, "idf_")
        self.pruned_ = _restore_pruned(state)
        self.idf_ = arrays["idf_"].astype(np.float64)
        self.n_documents_ = int(state["n_documents_"])
        self.n_prior_documents_ = int(state.get("n_prior_documents_", 0))  # saved before priors
        _TfidfBase._fitted_terms(self, np.arange(0))


class WordTfidfVectorizer(_TfidfBase):
    """TF-IDF over pre-tokenised documents (smooth idf, optional sublinear tf, L2 rows).

    Parameters
    ----------
    min_df, max_df : int or float
        Keep terms in at least ``min_df`` and at most ``max_df`` documents; an int counts
        documents, a float is a share of them.
    max_features : int, optional
        Keep only the terms in most documents.
    sublinear_tf : bool
        Use ``1 + ln(tf)`` instead of the raw count.
    oov_buckets : int, default DEFAULT_OOV_BUCKETS
        0, or a power of two: columns after the vocabulary where :meth:`transform` counts the
        terms the fit never saw, hashed (:func:`oov_bucket_of_words`), each with the idf of a
        term in no document — so two texts sharing a word the training corpus lacked (猪, 月嫂
        on a platform whose training text had none) still match on it. 0 drops such terms.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Term → column, terms in sorted order.
    idf_ : ndarray of shape (n_terms,)
    n_documents_ : int
        Documents the idf counts: the corpus's, plus the prior's when fitted with one.
    n_prior_documents_ : int
        The prior's documents among them (0 without a prior).
    """

    _kind = "WordTfidfVectorizer"

    def __init__(
        self,
        *,
        min_df: int | float = 1,
        max_df: int | float = 1.0,
        max_features: int | None = None,
        sublinear_tf: bool = True,
        oov_buckets: int = DEFAULT_OOV_BUCKETS,
    ) -> None:
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.oov_buckets = oov_buckets

    def _count(self, documents: Any, *, fit: bool) -> tuple[Any, dict[str, int]]:
        _check_documents(documents, tokenised=True)
        vocabulary: dict[str, int] = {} if fit else self.vocabulary_
        if fit:
            return _count_matrix(documents, vocabulary, grow=True), vocabulary
        return self._known_counts(documents), vocabulary


def _check_ngram_range(value: object) -> tuple[int, int]:
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in value)
    ):
        raise TypeError(f"ngram_range must be a tuple of two ints, got {value!r}")
    low, high = value
    if not 1 <= low <= high <= 3:
        raise ValueError(f"ngram_range={value} must satisfy 1 ≤ low ≤ high ≤ 3")
    return low, high


_NON_WORD = re.compile(r"\W+")
_CODE_BITS = 21
"""Bits per character in an n-gram key: every code point + 1 is below 2**21."""


def _ngram_keys(
    texts: Sequence[str], ngram_range: tuple[int, int]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Row and int64 key of every character n-gram of :func:`char_ngrams`, without making the
    n-gram strings: (code point + 1) of each character, 21 bits each, first character highest
    (distinct lengths never collide: a key's length is its bit length rounded up to 21 bits)."""
    prepared = [_NON_WORD.sub("\0", normalize(text)) for text in texts]
    joined = "\0".join(prepared) + "\0"  # "\0" separates runs and documents
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    letters = np.where(codes == 0, 0, codes.astype(np.int64) + 1)
    lengths = np.fromiter((len(text) + 1 for text in prepared), dtype=np.int64, count=len(texts))
    document = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    all_rows, all_keys = [], []
    for size in range(ngram_range[0], ngram_range[1] + 1):
        count = len(letters) - size + 1
        if count <= 0:
            continue
        keys = np.zeros(count, dtype=np.int64)
        inside = np.ones(count, dtype=bool)
        for offset in range(size):
            part = letters[offset : offset + count]
            keys = (keys << _CODE_BITS) | part
            inside &= part > 0
        all_rows.append(document[:count][inside])
        all_keys.append(keys[inside])
    if not all_keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(all_rows), np.concatenate(all_keys)


def _term_key(term: str) -> int:
    key = 0
    for character in term:
        key = (key << _CODE_BITS) | (ord(character) + 1)
    return key


def _key_term(key: int) -> str:
    characters = []
    while key:
        characters.append(chr((key & ((1 << _CODE_BITS) - 1)) - 1))
        key >>= _CODE_BITS
    return "".join(reversed(characters))


class CharTfidfVectorizer(_TfidfBase):
    """TF-IDF over character n-grams of the normalised text (see :func:`char_ngrams`).

    Parameters
    ----------
    ngram_range : tuple of (int, int)
        Smallest and largest n-gram, 1 ≤ low ≤ high ≤ 3: ``(1, 2)`` or ``(2, 3)``. The n-grams
        are counted in numpy as int64 keys (21 bits per character), never made as strings.
    min_df, max_df, max_features, sublinear_tf, oov_buckets
        As for :class:`WordTfidfVectorizer` (unknown n-grams hashed by
        :func:`oov_bucket_of_keys`).
    """

    _kind = "CharTfidfVectorizer"
    _tuple_params = ("ngram_range",)

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int | float = 1,
        max_df: int | float = 1.0,
        max_features: int | None = None,
        sublinear_tf: bool = True,
        oov_buckets: int = DEFAULT_OOV_BUCKETS,
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.oov_buckets = oov_buckets

    def _check_params(self) -> None:
        _check_ngram_range(self.ngram_range)
        super()._check_params()

    def _prior_ngram_range(self) -> tuple[int, int] | None:
        return _check_ngram_range(self.ngram_range)

    def _count(self, documents: Any, *, fit: bool) -> tuple[Any, dict[str, int]]:
        _check_documents(documents, tokenised=False)
        rows, keys = _ngram_keys(documents, _check_ngram_range(self.ngram_range))
        if fit:
            unique = np.unique(keys)  # sort + searchsorted: faster than return_inverse
            columns = np.searchsorted(unique, keys)
            vocabulary = {_key_term(int(key)): j for j, key in enumerate(unique)}
        else:
            vocabulary = self.vocabulary_
            sorted_keys, sorted_columns = self._lookup
            position = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
            known = sorted_keys[position] == keys
            if self.oov_buckets:
                pruned_keys = self._pruned_keys
                if len(pruned_keys):
                    at = np.minimum(np.searchsorted(pruned_keys, keys), len(pruned_keys) - 1)
                    kept = known | (pruned_keys[at] != keys)
                    rows, keys = rows[kept], keys[kept]
                    known, position = known[kept], position[kept]
                columns = np.where(
                    known,
                    sorted_columns[position],
                    len(vocabulary) + oov_bucket_of_keys(keys, self.oov_buckets),
                )
            else:
                rows, columns = rows[known], sorted_columns[position[known]]
        counts = sp.csr_array(
            (np.ones(len(rows), dtype=np.float64), (rows, columns)),
            shape=(len(documents), len(vocabulary) + (0 if fit else self.oov_buckets)),
        )
        counts.sum_duplicates()
        counts.sort_indices()
        return counts, vocabulary

    def _fitted_terms(self, keep: NDArray[np.int64]) -> None:
        super()._fitted_terms(keep)
        keys = np.array([_term_key(term) for term in self.vocabulary_], dtype=np.int64)
        order = np.argsort(keys)
        self._lookup = (keys[order], order.astype(np.int64))
        self._pruned_keys = np.sort(
            np.array([_term_key(term) for term in self.pruned_], dtype=np.int64)
        )

    def _restore(self, state: dict[str, Any], arrays: dict[str, NDArray[Any]]) -> None:
        super()._restore(state, arrays)
        low, high = _check_ngram_range(self.ngram_range)
        if not all(low <= len(term) <= high for term in self.vocabulary_):
            raise ValueError(f"vocabulary holds terms outside ngram_range={self.ngram_range}")
        self._fitted_terms(np.arange(len(self.vocabulary_)))


class BM25Vectorizer(_UnseenBuckets, _Estimator):
    """Okapi BM25 document weights over pre-tokenised documents.

    ``transform(documents)`` gives each document's term weights
    ``idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·dl/avgdl))``; ``transform_queries(queries)``
    gives the queries' term counts, so ``transform_queries(q) @ transform(d).T`` is the BM25
    score of every query against every document (a repeated query term counts again, as in
    ``rank_bm25``). ``dl`` counts every token of the document, known to the vocabulary or not.

    Parameters
    ----------
    k1 : float, ≥ 0
        Term-frequency saturation.
    b : float in [0, 1]
        Document-length normalisation.
    idf : {"lucene", "rsj"}
        ``"lucene"`` (:func:`lucene_idf`, never negative) or ``"rsj"`` (:func:`rsj_idf`, the
        Robertson/Spärck Jones form, negative for terms in more than half of the documents).
    min_df, max_df, max_features, oov_buckets
        As for :class:`WordTfidfVectorizer`: an unknown term of a document or query counts in
        its bucket, with the idf of a term in no document.

    Attributes
    ----------
    vocabulary_ : dict of str to int
    idf_ : ndarray of shape (n_terms,)
    average_document_length_ : float
        Of the corpus's documents (a prior holds no lengths).
    n_documents_ : int
        Documents the idf counts: the corpus's, plus the prior's when fitted with one.
    n_prior_documents_ : int
        The prior's documents among them (0 without a prior).
    """

    _kind = "BM25Vectorizer"
    _array_names = ("idf_",)
    _absent_params: ClassVar[dict[str, Any]] = {"oov_buckets": 0}

    def __init__(
        self,
        *,
        k1: float = 1.5,
        b: float = 0.75,
        idf: str = "lucene",
        min_df: int | float = 1,
        max_df: int | float = 1.0,
        max_features: int | None = None,
        oov_buckets: int = DEFAULT_OOV_BUCKETS,
    ) -> None:
        self.k1 = k1
        self.b = b
        self.idf = idf
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.oov_buckets = oov_buckets

    def _unseen_idf(self) -> float:
        return float(IDF_FUNCTIONS[self.idf](np.zeros(1, dtype=np.int64), self.n_documents_)[0])

    def _check_params(self) -> None:
        for name, value in (("k1", self.k1), ("b", self.b)):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{name} must be a number, got {value!r}")
        if not (self.k1 >= 0 and math.isfinite(self.k1)):
            raise ValueError(f"k1={self.k1} must be a finite number ≥ 0")
        if not 0.0 <= self.b <= 1.0:
            raise ValueError(f"b={self.b} must lie in [0, 1]")
        if self.idf not in IDF_FUNCTIONS:
            raise ValueError(f"idf={self.idf!r} is not one of {sorted(IDF_FUNCTIONS)}")
        _check_df_bound("min_df", self.min_df)
        _check_df_bound("max_df", self.max_df)
        if self.max_features is not None:
            _check_int("max_features", self.max_features, minimum=1)
        _check_oov_buckets(self.oov_buckets)

    def fit(
        self,
        documents: Sequence[Sequence[str]],
        y: object = None,
        *,
        prior: DocumentFrequencies | None = None,
    ) -> Self:
        """Learn the vocabulary, idf and average length of ``documents`` (vocabulary and idf
        also from ``prior``, a :class:`DocumentFrequencies` of words, when given)."""
        self._check_params()
        if prior is not None:
            prior = _check_prior(prior, ngram_range=None)
        _check_documents(documents, tokenised=True)
        if not documents:
            raise ValueError("documents is empty; a vectoriser needs at least one document")
        vocabulary: dict[str, int] = {}
        counts = _count_matrix(documents, vocabulary, grow=True)
        if not vocabulary:
            raise ValueError(f"the {len(documents)} documents hold no tokens; empty vocabulary")
        _, self.vocabulary_, df, _, n_counted, self.pruned_ = _fit_vocabulary(
            counts,
            vocabulary,
            prior,
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
        )
        self.idf_ = IDF_FUNCTIONS[self.idf](df, n_counted)
        self._pruned_set = frozenset(self.pruned_)
        self.average_document_length_ = float(np.mean([len(doc) for doc in documents]))
        self.n_documents_ = n_counted
        self.n_prior_documents_ = n_counted - len(documents)
        return self

    def transform(self, documents: Sequence[Sequence[str]]) -> Any:
        """BM25 term weights of each document.

        Returns
        -------
        csr_array of shape (n_documents, n_terms), float32 (not normalised)
        """
        check_is_fitted(self)
        _check_documents(documents, tokenised=True)
        counts = self._known_counts(documents)
        lengths = np.array([len(doc) for doc in documents], dtype=np.float64)
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        average = self.average_document_length_ if self.average_document_length_ > 0 else 1.0
        weight = bm25_term_weight(counts.data, lengths[rows], average, self.k1, self.b)
        counts.data = weight * self._idf_of(counts.indices)
        return counts.astype(np.float32)

    def transform_queries(self, queries: Sequence[Sequence[str]]) -> Any:
        """Query term counts over the vocabulary (unknown terms in their buckets, or dropped
        without ``oov_buckets``).

        Returns
        -------
        csr_array of shape (n_queries, n_columns), float32
        """
        check_is_fitted(self)
        _check_documents(queries, tokenised=True, name="queries")
        return self._known_counts(queries).astype(np.float32)

    def query_ceilings(self, queries: Any) -> NDArray[np.float64]:
        """The highest BM25 score each query could reach: ``(k1 + 1) · Σ count·idf`` of its
        words (a document made of them, as long as the average, approaches it).

        Parameters
        ----------
        queries : sparse matrix of shape (n_queries, n_terms)
            As :meth:`transform_queries` returns them.

        Returns
        -------
        ndarray of shape (n_queries,), float64
        """
        check_is_fitted(self)
        queries = sp.csr_array(queries)
        weighted = sp.csr_array(
            (queries.data * self._idf_of(queries.indices), queries.indices, queries.indptr),
            shape=queries.shape,
        )
        totals = np.asarray(weighted.sum(axis=1), dtype=np.float64).ravel()
        ceilings: NDArray[np.float64] = (float(self.k1) + 1.0) * totals
        return ceilings

    def fit_transform(
        self,
        documents: Sequence[Sequence[str]],
        y: object = None,
        *,
        prior: DocumentFrequencies | None = None,
    ) -> Any:
        return self.fit(documents, prior=prior).transform(documents)

    def _state(self) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
        state = {
            "vocabulary": list(self.vocabulary_),
            "pruned": list(self.pruned_),
            "average_document_length_": self.average_document_length_,
            "n_documents_": self.n_documents_,
            "n_prior_documents_": self.n_prior_documents_,
        }
        return state, {"idf_": self.idf_}

    def _restore(self, state: dict[str, Any], arrays: dict[str, NDArray[Any]]) -> None:
        self.vocabulary_ = _restore_vocabulary(state, arrays, "idf_")
        self.pruned_ = _restore_pruned(state)
        self._pruned_set = frozenset(self.pruned_)
        self.idf_ = arrays["idf_"].astype(np.float64)
        self.average_document_length_ = float(state["average_document_length_"])
        self.n_documents_ = int(state["n_documents_"])
        self.n_prior_documents_ = int(state.get("n_prior_documents_", 0))  # saved before priors


class LSAProjection(_Estimator):
    """Latent semantic analysis: a truncated SVD of a (TF-IDF) matrix, rows L2-normalised.

    Like scikit-learn's ``TruncatedSVD`` (randomized SVD, no centring), with unit-length output
    rows so a dot product is a cosine — the dense vectors fast retrieval uses.

    Parameters
    ----------
    n_components : int
        Output dimension (e.g. 128 or 256); at most min(n_samples, n_features) of the fit matrix.
    n_iter : int
        Power iterations of the randomized SVD.
    random_state : int
        Seed; the same seed and matrix give the same projection.

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features), float32
    singular_values_ : ndarray of shape (n_components,)
    n_features_in_ : int
    """

    _kind = "LSAProjection"
    _array_names = ("components_", "singular_values_")

    def __init__(self, *, n_components: int = 128, n_iter: int = 5, random_state: int = 0) -> None:
        self.n_components = n_components
        self.n_iter = n_iter
        self.random_state = random_state

    def fit(self, matrix: Any, y: object = None) -> Self:
        """Fit on ``matrix``, a sparse matrix or ndarray of shape (n_samples, n_features)."""
        n_components = _check_int("n_components", self.n_components, minimum=1)
        n_iter = _check_int("n_iter", self.n_iter, minimum=0)
        random_state = _check_int("random_state", self.random_state, minimum=0)
        if not (sp.issparse(matrix) or isinstance(matrix, np.ndarray)) or matrix.ndim != 2:
            raise TypeError(
                f"matrix must be a 2-D sparse matrix or ndarray, got {type(matrix).__name__}"
            )
        limit = min(matrix.shape)
        if n_components > limit:
            raise ValueError(
                f"n_components={n_components} must be at most min(n_samples, n_features) = "
                f"{limit} for a matrix of shape {matrix.shape}"
            )
        source = (  # float32: half the memory traffic, twice the speed, ample for LSA
            sp.csr_array(matrix, dtype=np.float32)
            if sp.issparse(matrix)
            else np.asarray(matrix, dtype=np.float32)
        )
        _, singular_values, components = randomized_svd(
            source, n_components, n_iter=n_iter, random_state=random_state
        )
        self.components_ = np.ascontiguousarray(components, dtype=np.float32)
        self.singular_values_ = np.asarray(singular_values, dtype=np.float64)
        self.n_features_in_ = int(matrix.shape[1])
        return self

    def transform(self, matrix: Any) -> NDArray[np.float32]:
        """Project ``matrix`` of shape (n_samples, n_features).

        Returns
        -------
        ndarray of shape (n_samples, n_components), float32, rows of unit length (zero rows
        stay zero)
        """
        check_is_fitted(self)
        if matrix.ndim != 2 or matrix.shape[1] != self.n_features_in_:
            raise ValueError(
                f"matrix has shape {matrix.shape}; expected (n_samples, {self.n_features_in_})"
            )
        if sp.issparse(matrix):
            projected = np.asarray(sp.csr_array(matrix, dtype=np.float32) @ self.components_.T)
        else:
            projected = np.asarray(matrix, dtype=np.float32) @ self.components_.T
        result: NDArray[np.float32] = l2_normalize_rows(projected.astype(np.float32))
        return result

    def fit_transform(self, matrix: Any, y: object = None) -> NDArray[np.float32]:
        return self.fit(matrix).transform(matrix)

    def _state(self) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
        arrays: dict[str, NDArray[Any]] = {
            "components_": self.components_,
            "singular_values_": self.singular_values_,
        }
        return {"n_features_in_": self.n_features_in_}, arrays

    def _restore(self, state: dict[str, Any], arrays: dict[str, NDArray[Any]]) -> None:
        components = arrays["components_"]
        n_features = int(state["n_features_in_"])
        if components.shape != (self.n_components, n_features):
            raise ValueError(
                f"components_ has shape {components.shape}, "
                f"expected ({self.n_components}, {n_features})"
            )
        self.components_ = components.astype(np.float32)
        self.singular_values_ = arrays["singular_values_"].astype(np.float64)
        self.n_features_in_ = n_features


class TextVectorizer(_Estimator):
    """Word TF-IDF and character n-gram TF-IDF side by side, plus an optional LSA projection.

    ``transform`` returns ``[√w · word | √(1 − w) · char]`` with rows L2-normalised, so for two
    texts with both parts non-empty the dot product is ``w·cos_word + (1 − w)·cos_char``.
    ``transform_dense`` projects those rows with the LSA (when one was configured).

    Parameters
    ----------
    word : WordTfidfVectorizer, optional
        Unfitted template (cloned at fit); default ``WordTfidfVectorizer()``.
    char : CharTfidfVectorizer, optional
        Unfitted template; default ``CharTfidfVectorizer()`` (1–2-grams).
    lsa : LSAProjection, optional
        Unfitted template for the dense projection; default none.
    word_weight : float in [0, 1]
        Weight ``w`` of the word part in the cosine.

    Attributes
    ----------
    word_ : WordTfidfVectorizer
    char_ : CharTfidfVectorizer
    lsa_ : LSAProjection or None
    """

    _kind = "TextVectorizer"
    word_: WordTfidfVectorizer
    char_: CharTfidfVectorizer
    lsa_: LSAProjection | None

    def __init__(
        self,
        *,
        word: WordTfidfVectorizer | None = None,
        char: CharTfidfVectorizer | None = None,
        lsa: LSAProjection | None = None,
        word_weight: float = 0.5,
    ) -> None:
        self.word = word
        self.char = char
        self.lsa = lsa
        self.word_weight = word_weight

    def _check(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> None:
        _check_documents(texts, tokenised=False, name="texts")
        _check_documents(tokens, tokenised=True, name="tokens")
        if len(texts) != len(tokens):
            raise ValueError(
                f"texts has {len(texts)} items but tokens has {len(tokens)}; "
                "pass the tokens of each text"
            )

    def fit(
        self,
        texts: Sequence[str],
        tokens: Sequence[Sequence[str]],
        *,
        word_prior: DocumentFrequencies | None = None,
        char_prior: DocumentFrequencies | None = None,
    ) -> Self:
        """Fit on ``texts`` and their ``tokens`` (``tokens[i]`` tokenises ``texts[i]``); the
        word part also on ``word_prior``, the character part on ``char_prior`` (each
        optional: see :func:`merge_prior`)."""
        self.fit_transform(texts, tokens, word_prior=word_prior, char_prior=char_prior)
        return self

    def fit_transform(
        self,
        texts: Sequence[str],
        tokens: Sequence[Sequence[str]],
        *,
        word_prior: DocumentFrequencies | None = None,
        char_prior: DocumentFrequencies | None = None,
    ) -> Any:
        """Fit, and return :meth:`transform` of the same texts (analysing them once)."""
        weight = self.word_weight
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise TypeError(f"word_weight must be a number, got {weight!r}")
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"word_weight={weight} must lie in [0, 1]")
        for name, template, kind in (
            ("word", self.word, WordTfidfVectorizer),
            ("char", self.char, CharTfidfVectorizer),
            ("lsa", self.lsa, LSAProjection),
        ):
            if template is not None and not isinstance(template, kind):
                raise TypeError(f"{name} must be a {kind.__name__}, got {template!r}")
        self._check(texts, tokens)
        self.word_ = clone(self.word) if self.word is not None else WordTfidfVectorizer()
        self.char_ = clone(self.char) if self.char is not None else CharTfidfVectorizer()
        combined = self._stack(
            self.word_.fit_transform(tokens, prior=word_prior),
            self.char_.fit_transform(texts, prior=char_prior),
        )
        self.lsa_ = clone(self.lsa).fit(self._fitted_columns(combined)) if self.lsa else None
        return combined

    def _fitted_columns(self, vectors: Any) -> Any:
        """``vectors`` without the unknown terms' buckets: the LSA projection knows the fitted
        terms only (its rows come out unit length anyway)."""
        n_word, n_char = len(self.word_.vocabulary_), len(self.char_.vocabulary_)
        known = np.concatenate([np.arange(n_word), self.word_.n_columns + np.arange(n_char)])
        return sp.csr_array(vectors)[:, known]

    def _stack(self, word: Any, char: Any) -> Any:
        word = word * np.float32(math.sqrt(self.word_weight))
        char = char * np.float32(math.sqrt(1.0 - self.word_weight))
        return l2_normalize_rows(sp.hstack([word, char], format="csr")).astype(np.float32)

    def transform(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> Any:
        """Sparse text vectors.

        Returns
        -------
        csr_array of shape (n_texts, n_word_terms + n_char_terms), float32, unit rows
        """
        check_is_fitted(self)
        self._check(texts, tokens)
        return self._stack(self.word_.transform(tokens), self.char_.transform(texts))

    def transform_dense(
        self, texts: Sequence[str], tokens: Sequence[Sequence[str]]
    ) -> NDArray[np.float32]:
        """LSA text vectors.

        Returns
        -------
        ndarray of shape (n_texts, n_components), float32, unit rows
        """
        check_is_fitted(self)
        if self.lsa_ is None:
            raise ValueError("this TextVectorizer has no LSA projection; pass lsa=LSAProjection()")
        return self.lsa_.transform(self._fitted_columns(self.transform(texts, tokens)))

    @property
    def n_features_out(self) -> int:
        """Width of :meth:`transform`'s rows."""
        check_is_fitted(self)
        return self.word_.n_columns + self.char_.n_columns

    def save(self, directory: str | Path) -> None:
        """Write ``params.json`` and one subdirectory per part (``word/``, ``char/``, ``lsa/``)."""
        check_is_fitted(self)
        path = Path(directory)
        self.word_.save(path / "word")
        self.char_.save(path / "char")
        if self.lsa_ is not None:
            self.lsa_.save(path / "lsa")
        header = {
            "kind": self._kind,
            "params": {"word_weight": self.word_weight},
            "state": {"parts": ["word", "char", *(["lsa"] if self.lsa_ is not None else [])]},
        }
        _write(path, header, {})

    @classmethod
    def load(cls, directory: str | Path) -> Self:
        path = Path(directory)
        header, _ = _read(path, cls._kind, ())
        parts = _field(header, "state", path).get("parts", [])
        word = WordTfidfVectorizer.load(path / "word")
        char = CharTfidfVectorizer.load(path / "char")
        lsa = LSAProjection.load(path / "lsa") if "lsa" in parts else None
        params = _field(header, "params", path)
        bundle = cls(
            word=clone(word),
            char=clone(char),
            lsa=clone(lsa) if lsa is not None else None,
            word_weight=float(params["word_weight"]),
        )
        bundle.word_, bundle.char_, bundle.lsa_ = word, char, lsa
        return bundle


_LOADERS: dict[str, type[_Estimator]] = {
    kind._kind: kind
    for kind in (
        WordTfidfVectorizer,
        CharTfidfVectorizer,
        BM25Vectorizer,
        LSAProjection,
        TextVectorizer,
    )
}


def load_vectorizer(directory: str | Path) -> Any:
    """Whichever vectoriser ``directory`` holds (as recorded in its ``params.json``).

    Raises
    ------
    SavedFormatError
        The directory holds no vectoriser of a known kind, or a file is missing or corrupt.
    """
    path = Path(directory)
    kind = _read_header(path).get("kind")
    if kind not in _LOADERS:
        raise SavedFormatError(
            f"{path / PARAMS_FILE}: kind {kind!r} is not one of {sorted(_LOADERS)}"
        )
    return _LOADERS[kind].load(path)
