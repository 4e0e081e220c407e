"""Vectorisers: formulas by hand, scikit-learn and rank_bm25 as references, contract, save/load."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer

from features.vectorize import (
    DEFAULT_OOV_BUCKETS,
    FORMAT_VERSION,
    BM25Vectorizer,
    CharTfidfVectorizer,
    DocumentFrequencies,
    LSAProjection,
    SavedFormatError,
    TextVectorizer,
    WordTfidfVectorizer,
    bm25_term_weight,
    char_ngrams,
    l2_normalize_rows,
    load_vectorizer,
    lucene_idf,
    merge_prior,
    oov_bucket_of_keys,
    oov_bucket_of_words,
    rsj_idf,
    simple_tokenize,
    smooth_idf,
    sublinear_tf,
)

TEXTS = [
    "招聘电工 持低压电工证 负责车间设备维护",
    "招聘焊工 持焊工证 熟悉氩弧焊",
    "仓库管理员 熟悉ERP系统 叉车证优先",
    "普工 倒班作业 产品组装 包吃住",
    "电气维修工程师 PLC编程 设备维护",
    "会计 熟悉财务软件 中级会计职称",
    "叉车司机 持叉车证 仓库装卸",
    "销售代表 客户开发 沟通能力强",
]
TOKENS = [text.split() for text in TEXTS]
CHAR_TOKENS = [list(text.replace(" ", "")) for text in TEXTS]


def identity(document: list[str]) -> list[str]:
    return document


# --- text helpers and formulas -------------------------------------------------------------


def test_simple_tokenize_bigrams_chinese_and_keeps_latin_words() -> None:
    assert simple_tokenize("熟悉Python开发，电工") == ["熟悉", "python", "开发", "电工"]
    assert simple_tokenize("叉车司机") == ["叉车", "车司", "司机"]
    assert simple_tokenize("焊 C1") == ["焊", "c1"]
    assert simple_tokenize("，。") == []


def test_char_ngrams_stay_within_runs() -> None:
    assert char_ngrams("电工,焊工", (1, 2)) == ["电", "工", "电工", "焊", "工", "焊工"]
    assert char_ngrams("ＡＢＣ", (2, 3)) == ["ab", "bc", "abc"]


def test_formulas_by_hand() -> None:
    df = np.array([1, 2, 4])
    np.testing.assert_allclose(
        smooth_idf(df, 4), [math.log(5 / 2) + 1, math.log(5 / 3) + 1, math.log(5 / 5) + 1]
    )
    np.testing.assert_allclose(sublinear_tf(np.array([0.0, 1.0, math.e])), [0.0, 1.0, 2.0])
    # N = 4: df 1 → ln(3.5/1.5); df 2 → ln(1) = 0; df 4 → ln(0.5/4.5) < 0
    np.testing.assert_allclose(rsj_idf(df, 4), [math.log(3.5 / 1.5), 0.0, math.log(0.5 / 4.5)])
    np.testing.assert_allclose(
        lucene_idf(df, 4), [math.log(1 + 3.5 / 1.5), math.log(2), math.log(1 + 0.5 / 4.5)]
    )
    # tf 2 in a document of average length, k1 = 1.2, b = 0.75: 2·2.2/(2 + 1.2) = 1.375
    assert bm25_term_weight(np.array([2.0]), np.array([10.0]), 10.0, 1.2, 0.75)[0] == 1.375
    # twice the average length: 2·2.2/(2 + 1.2·(0.25 + 1.5)) = 4.4/4.1
    weight = bm25_term_weight(np.array([2.0]), np.array([20.0]), 10.0, 1.2, 0.75)[0]
    assert weight == pytest.approx(4.4 / 4.1)


def test_l2_normalize_rows_keeps_zero_rows() -> None:
    dense = np.array([[3.0, 4.0], [0.0, 0.0]], dtype=np.float32)
    np.testing.assert_allclose(l2_normalize_rows(dense), [[0.6, 0.8], [0.0, 0.0]])
    sparse = l2_normalize_rows(sp.csr_array(dense))
    assert sp.issparse(sparse)
    np.testing.assert_allclose(sparse.toarray(), [[0.6, 0.8], [0.0, 0.0]])


# --- TF-IDF against scikit-learn -----------------------------------------------------------


@pytest.mark.parametrize("sublinear", [True, False])
def test_word_tfidf_equals_scikit_learn(sublinear: bool) -> None:
    # scikit-learn drops unknown terms: so do we without the out-of-vocabulary buckets
    ours = WordTfidfVectorizer(sublinear_tf=sublinear, oov_buckets=0).fit(TOKENS)
    reference = TfidfVectorizer(analyzer=identity, sublinear_tf=sublinear).fit(TOKENS)
    queries = [["招聘电工", "设备维护", "未知词"], ["持叉车证", "持叉车证"], []]
    assert list(ours.get_feature_names_out()) == list(reference.get_feature_names_out())
    matrix = ours.transform(queries)
    assert isinstance(matrix, sp.csr_array)
    assert matrix.dtype == np.float32
    np.testing.assert_allclose(matrix.toarray(), reference.transform(queries).toarray(), rtol=1e-6)


def test_char_tfidf_equals_scikit_learn_on_the_same_ngrams() -> None:
    ours = CharTfidfVectorizer(ngram_range=(2, 3), oov_buckets=0).fit(TEXTS)

    def analyzer(text: str) -> list[str]:
        return char_ngrams(text, (2, 3))

    reference = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True).fit(TEXTS)
    np.testing.assert_allclose(
        ours.transform(TEXTS).toarray(), reference.transform(TEXTS).toarray(), rtol=1e-6
    )


@pytest.mark.parametrize(
    ("model", "arguments"),
    [
        (WordTfidfVectorizer(min_df=2), (TOKENS + CHAR_TOKENS,)),
        (CharTfidfVectorizer(ngram_range=(1, 3), max_features=50), (TEXTS,)),
        (TextVectorizer(word_weight=0.4), (TEXTS, CHAR_TOKENS)),
    ],
)
def test_fit_transform_equals_fit_then_transform(model: Any, arguments: tuple[Any, ...]) -> None:
    once = clone(model).fit_transform(*arguments)
    twice = clone(model).fit(*arguments).transform(*arguments)
    assert _same(once, twice)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.text(max_size=40), min_size=1, max_size=4),
    st.sampled_from([(1, 1), (1, 2), (2, 3), (1, 3)]),
)
def test_char_counts_equal_char_ngrams_on_any_unicode(
    texts: list[str], ngram_range: tuple[int, int]
) -> None:
    """The numpy n-gram keys count exactly the n-grams :func:`char_ngrams` lists."""
    grams = [char_ngrams(text, ngram_range) for text in texts]
    model = CharTfidfVectorizer(ngram_range=ngram_range, sublinear_tf=False, oov_buckets=0)
    if not any(grams):
        with pytest.raises(ValueError, match="empty vocabulary"):
            model.fit(texts)
        return
    model.fit(texts)
    assert list(model.vocabulary_) == sorted({gram for row in grams for gram in row})
    reference = TfidfVectorizer(analyzer=identity, sublinear_tf=False).fit(grams)
    np.testing.assert_allclose(
        model.transform(texts).toarray(), reference.transform(grams).toarray(), rtol=1e-6
    )


def test_pruning_by_document_frequency() -> None:
    documents = [["a", "b"], ["a", "c"], ["a", "b", "d"]]
    assert list(WordTfidfVectorizer(min_df=2).fit(documents).vocabulary_) == ["a", "b"]
    assert list(WordTfidfVectorizer(max_df=0.9).fit(documents).vocabulary_) == ["b", "c", "d"]
    assert list(WordTfidfVectorizer(max_features=2).fit(documents).vocabulary_) == ["a", "b"]
    with pytest.raises(ValueError, match="no terms remain"):
        WordTfidfVectorizer(min_df=4).fit(documents)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["电工", "焊工", "叉车", "普工", "x"]), max_size=6), min_size=1
    )
)
def test_tfidf_rows_are_unit_or_zero(documents: list[list[str]]) -> None:
    if not any(documents):
        return
    matrix = WordTfidfVectorizer().fit_transform(documents)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).ravel()
    expected = np.array([1.0 if document else 0.0 for document in documents])
    np.testing.assert_allclose(norms, expected, rtol=1e-5)


# --- BM25 ----------------------------------------------------------------------------------


def test_bm25_by_hand() -> None:
    documents = [["a", "b"], ["a", "a", "c", "d"]]
    model = BM25Vectorizer(k1=1.2, b=0.75, idf="lucene").fit(documents)
    assert model.average_document_length_ == 3.0
    weights = model.transform(documents).toarray()
    idf_a = math.log(1 + 0.5 / 2.5)  # in both documents
    idf_c = math.log(1 + 1.5 / 1.5)  # in one
    # "a" in document 2: tf 2, dl 4 → 2·2.2/(2 + 1.2·(0.25 + 0.75·4/3))
    tf_part = 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 4 / 3))
    assert weights[1, model.vocabulary_["a"]] == pytest.approx(idf_a * tf_part, rel=1e-6)
    assert weights[1, model.vocabulary_["c"]] == pytest.approx(
        idf_c * 2.2 / (1 + 1.2 * (0.25 + 1.0)), rel=1e-6
    )
    scores = model.transform_queries([["c", "zzz"]]) @ model.transform(documents).T
    np.testing.assert_allclose(scores.toarray(), [[0.0, weights[1, model.vocabulary_["c"]]]])


def test_bm25_scores_equal_rank_bm25() -> None:
    rank_bm25 = pytest.importorskip("rank_bm25")
    corpus = [
        ["电工", "低压", "电工证", "维护"],
        ["焊工", "焊工证", "氩弧焊"],
        ["仓库", "叉车", "叉车证", "装卸", "仓库"],
        ["普工", "倒班", "组装"],
        ["电气", "维修", "plc", "维护"],
        ["会计", "财务", "软件"],
        ["叉车", "司机", "装卸"],
        ["销售", "客户", "沟通", "客户", "开发"],
    ]
    # every term is in at most half of the documents: rank_bm25 floors no idf then
    queries = [["电工", "维护"], ["叉车", "装卸", "装卸"], ["客户", "未知"], ["组装"]]
    ours = BM25Vectorizer(k1=1.5, b=0.75, idf="rsj").fit(corpus)
    scores = (ours.transform_queries(queries) @ ours.transform(corpus).T).toarray()
    reference = rank_bm25.BM25Okapi(corpus, k1=1.5, b=0.75)
    expected = np.array([reference.get_scores(query) for query in queries])
    np.testing.assert_allclose(scores, expected, rtol=1e-5, atol=1e-6)


# --- prior document frequencies ------------------------------------------------------------

WORD_PRIOR = DocumentFrequencies.from_counts(10, {"设备维护": 4, "包吃住": 1, "java": 9, "开发": 7})
"""Ten documents of another corpus: 设备维护 and 包吃住 are in TOKENS too, java and 开发 not."""


def _df_by_hand(documents: list[list[str]]) -> dict[str, int]:
    return {t: sum(t in doc for doc in documents) for doc in documents for t in doc}


@pytest.mark.parametrize("sublinear", [True, False])
def test_word_idf_with_a_prior_counts_both_corpora(sublinear: bool) -> None:
    model = WordTfidfVectorizer(sublinear_tf=sublinear).fit(TOKENS, prior=WORD_PRIOR)
    corpus_df = _df_by_hand(TOKENS)
    prior_df = dict(zip(WORD_PRIOR.terms, WORD_PRIOR.document_frequency.tolist(), strict=True))
    terms = sorted(set(corpus_df) | set(prior_df))
    assert list(model.vocabulary_) == terms  # the union, sorted
    for term in terms:  # smooth idf over 8 + 10 documents
        df = corpus_df.get(term, 0) + prior_df.get(term, 0)
        expected = math.log((1 + 18) / (1 + df)) + 1
        assert model.idf_[model.vocabulary_[term]] == pytest.approx(expected), term
    assert (model.n_documents_, model.n_prior_documents_) == (18, 10)
    # a prior-only term now counts in a new text, weighted by the prior's idf
    row = model.transform([["java", "招聘电工"]]).toarray()[0]
    assert row[model.vocabulary_["java"]] > 0
    np.testing.assert_allclose(
        model.fit_transform(TOKENS, prior=WORD_PRIOR).toarray(),
        model.transform(TOKENS).toarray(),
        rtol=1e-6,
    )


def test_char_idf_with_a_prior_uses_the_ngrams_of_its_range() -> None:
    prior = DocumentFrequencies.from_counts(
        5, {"电": 5, "焊": 2, "电工": 3, "网": 4, "网络工": 1}, (1, 3)
    )
    model = CharTfidfVectorizer(ngram_range=(1, 2)).fit(TEXTS, prior=prior)
    corpus_df = _df_by_hand([list(dict.fromkeys(char_ngrams(t, (1, 2)))) for t in TEXTS])
    assert "网" in model.vocabulary_ and "网络工" not in model.vocabulary_  # 3-grams left out
    for term, prior_df in (("电", 5), ("焊", 2), ("电工", 3), ("网", 4), ("叉车", 0)):
        df = corpus_df.get(term, 0) + prior_df
        expected = math.log((1 + 8 + 5) / (1 + df)) + 1
        assert model.idf_[model.vocabulary_[term]] == pytest.approx(expected), term
    assert model.transform(["网"]).nnz == 1


def test_bm25_idf_with_a_prior_counts_both_corpora() -> None:
    model = BM25Vectorizer(idf="rsj").fit(TOKENS, prior=WORD_PRIOR)
    assert model.average_document_length_ == pytest.approx(np.mean([len(d) for d in TOKENS]))
    corpus_df = _df_by_hand(TOKENS)
    for term in ("设备维护", "java", "持叉车证"):
        df = corpus_df.get(term, 0) + dict(
            zip(WORD_PRIOR.terms, WORD_PRIOR.document_frequency.tolist(), strict=True)
        ).get(term, 0)
        expected = math.log((18 - df + 0.5) / (df + 0.5))
        assert model.idf_[model.vocabulary_[term]] == pytest.approx(expected), term
    assert (model.n_documents_, model.n_prior_documents_) == (18, 10)


def test_pruning_with_a_prior_counts_the_prior_documents() -> None:
    # min_df 2: every term of TOKENS is in one document; with the prior, those it also
    # counts (设备维护 1 + 4, 包吃住 1 + 1) stay beside its own (java 9, 开发 7)
    with pytest.raises(ValueError, match="no terms remain"):
        WordTfidfVectorizer(min_df=2).fit(TOKENS)
    model = WordTfidfVectorizer(min_df=2).fit(TOKENS, prior=WORD_PRIOR)
    assert list(model.vocabulary_) == ["java", "包吃住", "开发", "设备维护"]
    # max_df 0.4 of 18 documents = 7: java (9) goes, 开发 (7) stays
    model = WordTfidfVectorizer(max_df=0.4).fit(TOKENS, prior=WORD_PRIOR)
    assert "java" not in model.vocabulary_ and "开发" in model.vocabulary_


def test_merge_prior_adds_document_frequencies_by_term() -> None:
    vocabulary, df, n = merge_prior(
        {"a": 0, "b": 1}, np.array([2, 1]), 3, DocumentFrequencies.from_counts(4, {"b": 2, "c": 4})
    )
    assert vocabulary == {"a": 0, "b": 1, "c": 2}
    assert df.tolist() == [2, 3, 4] and n == 7


OTHER_TEXTS = [
    "java开发工程师 熟悉spring框架",
    "前端开发 熟悉vue 设备维护",
    "焊工 持焊工证 包吃住",
    "电工 设备维护 持低压电工证",
    "数据分析师 熟悉python 数据库",
]
"""Another corpus, counted into a prior."""


def _prior_of(texts: list[str], ngram_range: tuple[int, int] | None) -> DocumentFrequencies:
    if ngram_range is None:
        counts = _df_by_hand([text.split() for text in texts])
    else:
        counts = _df_by_hand([char_ngrams(text, ngram_range) for text in texts])
    return DocumentFrequencies.from_counts(len(texts), counts, ngram_range)


@pytest.mark.parametrize(
    "model",
    [
        WordTfidfVectorizer(),
        WordTfidfVectorizer(max_df=0.5, max_features=12, sublinear_tf=False),
        CharTfidfVectorizer(ngram_range=(2, 3)),
        CharTfidfVectorizer(min_df=2),
        BM25Vectorizer(idf="rsj"),
    ],
)
def test_a_prior_counts_as_its_documents_would(model: Any) -> None:
    """Fitting with the df of other documents learns the vocabulary and idf of fitting on both
    corpora together; without a prior, those of the corpus alone (as before priors)."""
    char = isinstance(model, CharTfidfVectorizer)
    ngram_range = model.ngram_range if char else None
    own = TEXTS if char else TOKENS
    other = OTHER_TEXTS if char else [text.split() for text in OTHER_TEXTS]
    together = clone(model).fit([*own, *other])
    with_prior = clone(model).fit(own, prior=_prior_of(OTHER_TEXTS, ngram_range))
    assert with_prior.vocabulary_ == together.vocabulary_
    np.testing.assert_allclose(with_prior.idf_, together.idf_, rtol=1e-12)
    assert (with_prior.n_documents_, with_prior.n_prior_documents_) == (13, 5)
    alone = clone(model).fit(own)
    reference = clone(model).fit(own, prior=None)
    assert alone.vocabulary_ == reference.vocabulary_ != together.vocabulary_
    np.testing.assert_array_equal(alone.idf_, reference.idf_)
    assert (alone.n_documents_, alone.n_prior_documents_) == (8, 0)


def test_text_vectorizer_passes_each_part_its_prior(tmp_path: Path) -> None:
    char_prior = DocumentFrequencies.from_counts(10, {"网": 3, "网络": 2}, (1, 2))
    model = TextVectorizer().fit(TEXTS, TOKENS, word_prior=WORD_PRIOR, char_prior=char_prior)
    assert "java" in model.word_.vocabulary_ and "网络" in model.char_.vocabulary_
    assert model.word_.n_prior_documents_ == model.char_.n_prior_documents_ == 10
    model.save(tmp_path / "model")  # the prior is not needed to load: the idf is saved
    loaded = TextVectorizer.load(tmp_path / "model")
    texts, tokens = ["java开发 网络电工"], [["java", "开发", "电工"]]
    assert _same(model.transform(texts, tokens), loaded.transform(texts, tokens))
    assert loaded.word_.n_prior_documents_ == 10


@pytest.mark.parametrize(
    ("model", "documents", "prior", "error", "message"),
    [
        (WordTfidfVectorizer(), TOKENS, {"电工": 2}, TypeError, "prior must be a Document"),
        (
            WordTfidfVectorizer(),
            TOKENS,
            DocumentFrequencies.from_counts(3, {"电": 1}, (1, 2)),
            ValueError,
            "prior holds character n-grams",
        ),
        (
            CharTfidfVectorizer(),
            TEXTS,
            WORD_PRIOR,
            ValueError,
            r"prior holds words .* ngram_range=\(1, 2\)",
        ),
        (
            CharTfidfVectorizer(ngram_range=(2, 3)),
            TEXTS,
            DocumentFrequencies.from_counts(3, {"电": 1}, (1, 2)),
            ValueError,
            r"does not cover this vectoriser's ngram_range=\(2, 3\)",
        ),
        (
            BM25Vectorizer(),
            TOKENS,
            DocumentFrequencies.from_counts(3, {"电": 1}, (1, 2)),
            ValueError,
            "prior holds character n-grams",
        ),
    ],
)
def test_bad_priors_are_named(
    model: Any, documents: Any, prior: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        model.fit(documents, prior=prior)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ((0, ("a",), np.array([1])), ValueError, "n_documents=0 must be at least 1"),
        ((3, ("a", "a"), np.array([1, 1])), ValueError, "terms must be distinct"),
        ((3, ("a",), np.array([4])), ValueError, r"must lie in \[1, n_documents=3\]"),
        ((3, ("a",), np.array([0])), ValueError, r"must lie in \[1, n_documents=3\]"),
        ((3, ("a",), np.array([1.0])), ValueError, "1 integers, one per term"),
        ((3, ("a", "b"), np.array([1])), ValueError, "2 integers, one per term"),
        ((3, ["a"], np.array([1])), TypeError, "terms must be a tuple of strings"),
        ((3, ("abc",), np.array([1]), (1, 2)), ValueError, r"n-grams of ngram_range=\(1, 2\)"),
    ],
)
def test_bad_document_frequencies_are_named(
    arguments: tuple[Any, ...], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        DocumentFrequencies(*arguments)


# --- LSA -----------------------------------------------------------------------------------


def test_lsa_finds_the_top_singular_values_and_gives_unit_rows() -> None:
    matrix = WordTfidfVectorizer().fit_transform(CHAR_TOKENS)
    lsa = LSAProjection(n_components=4, n_iter=10).fit(matrix)
    exact = np.linalg.svd(matrix.toarray().astype(np.float64), compute_uv=False)[:4]
    np.testing.assert_allclose(lsa.singular_values_, exact, rtol=1e-4)
    projected = lsa.transform(matrix)
    assert projected.shape == (len(TEXTS), 4) and projected.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(projected, axis=1), 1.0, rtol=1e-5)
    empty = sp.csr_array((1, matrix.shape[1]), dtype=np.float32)
    np.testing.assert_array_equal(lsa.transform(empty), np.zeros((1, 4), dtype=np.float32))


def test_lsa_is_deterministic_for_a_seed() -> None:
    matrix = WordTfidfVectorizer().fit_transform(CHAR_TOKENS)
    first = LSAProjection(n_components=3, random_state=5).fit_transform(matrix)
    second = LSAProjection(n_components=3, random_state=5).fit_transform(matrix)
    np.testing.assert_array_equal(first, second)


# --- the bundle ----------------------------------------------------------------------------


def test_text_vectorizer_mixes_word_and_char_cosines() -> None:
    model = TextVectorizer(word_weight=0.3).fit(TEXTS, TOKENS)
    combined = model.transform(TEXTS, TOKENS)
    word = model.word_.transform(TOKENS)
    char = model.char_.transform(TEXTS)
    expected = 0.3 * (word @ word.T).toarray() + 0.7 * (char @ char.T).toarray()
    np.testing.assert_allclose((combined @ combined.T).toarray(), expected, atol=1e-6)
    assert combined.shape[1] == model.n_features_out


def test_text_vectorizer_dense_needs_an_lsa() -> None:
    model = TextVectorizer().fit(TEXTS, TOKENS)
    with pytest.raises(ValueError, match="no LSA projection"):
        model.transform_dense(TEXTS, TOKENS)
    dense = TextVectorizer(lsa=LSAProjection(n_components=5)).fit(TEXTS, TOKENS)
    assert dense.transform_dense(TEXTS, TOKENS).shape == (len(TEXTS), 5)


# --- the estimator contract ----------------------------------------------------------------


def test_init_only_stores_parameters_and_fit_returns_self() -> None:
    model = WordTfidfVectorizer(min_df=-3)  # not validated until fit
    assert model.get_params() == {
        "max_df": 1.0,
        "max_features": None,
        "min_df": -3,
        "sublinear_tf": True,
        "oov_buckets": DEFAULT_OOV_BUCKETS,
    }
    fitted = WordTfidfVectorizer()
    assert fitted.fit(TOKENS) is fitted
    assert not [name for name in vars(clone(fitted)) if name.endswith("_")]
    assert clone(BM25Vectorizer(k1=2.0)).get_params()["k1"] == 2.0


@pytest.mark.parametrize(
    ("model", "call"),
    [
        (WordTfidfVectorizer(), lambda m: m.transform(TOKENS)),
        (CharTfidfVectorizer(), lambda m: m.transform(TEXTS)),
        (BM25Vectorizer(), lambda m: m.transform_queries(TOKENS)),
        (LSAProjection(), lambda m: m.transform(np.ones((2, 2)))),
        (TextVectorizer(), lambda m: m.transform(TEXTS, TOKENS)),
        (WordTfidfVectorizer(), lambda m: m.save("unused")),
    ],
)
def test_unfitted_use_raises_not_fitted(model: Any, call: Any) -> None:
    with pytest.raises(NotFittedError, match="is not fitted yet"):
        call(model)


@pytest.mark.parametrize(
    ("model", "documents", "error", "message"),
    [
        (WordTfidfVectorizer(min_df=0), TOKENS, ValueError, "min_df=0 must be at least 1"),
        (WordTfidfVectorizer(max_df=1.5), TOKENS, ValueError, r"max_df=1.5 must be a share"),
        (WordTfidfVectorizer(min_df="2"), TOKENS, TypeError, "min_df must be an int"),
        (WordTfidfVectorizer(max_features=0), TOKENS, ValueError, "max_features=0"),
        (WordTfidfVectorizer(sublinear_tf=1), TOKENS, TypeError, "sublinear_tf must be a bool"),
        (WordTfidfVectorizer(), TEXTS, TypeError, "must be pre-tokenised: item 0 is str"),
        (WordTfidfVectorizer(), "电工", TypeError, "documents must be a sequence"),
        (WordTfidfVectorizer(), [], ValueError, "documents is empty"),
        (WordTfidfVectorizer(), [[], []], ValueError, "hold no tokens"),
        (WordTfidfVectorizer(), [[1, 2]], TypeError, r"tokens must be strings, got 1"),
        (CharTfidfVectorizer(), TOKENS, TypeError, "documents must be strings: item 0 is list"),
        (CharTfidfVectorizer(ngram_range=(3, 2)), TEXTS, ValueError, r"ngram_range=\(3, 2\)"),
        (CharTfidfVectorizer(ngram_range=(1, 4)), TEXTS, ValueError, "high ≤ 3"),
        (CharTfidfVectorizer(ngram_range=[1, 2]), TEXTS, TypeError, "tuple of two ints"),
        (BM25Vectorizer(idf="okapi"), TOKENS, ValueError, r"idf='okapi' is not one of"),
        (BM25Vectorizer(b=1.5), TOKENS, ValueError, r"b=1.5 must lie in \[0, 1\]"),
        (BM25Vectorizer(k1=-1.0), TOKENS, ValueError, "k1=-1.0 must be"),
        (BM25Vectorizer(k1="1"), TOKENS, TypeError, "k1 must be a number"),
    ],
)
def test_bad_parameters_and_inputs_are_named(
    model: Any, documents: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        model.fit(documents)


def test_bad_lsa_and_bundle_arguments_are_named() -> None:
    matrix = WordTfidfVectorizer().fit_transform(TOKENS)
    with pytest.raises(ValueError, match=r"n_components=50 must be at most .* = 8"):
        LSAProjection(n_components=50).fit(matrix)
    with pytest.raises(TypeError, match="2-D sparse matrix or ndarray, got list"):
        LSAProjection(n_components=2).fit([[1.0, 2.0]])
    fitted = LSAProjection(n_components=2).fit(matrix)
    with pytest.raises(ValueError, match=r"expected \(n_samples, "):
        fitted.transform(np.ones((1, 3)))
    with pytest.raises(ValueError, match="texts has 8 items but tokens has 7"):
        TextVectorizer().fit(TEXTS, TOKENS[:7])
    with pytest.raises(ValueError, match=r"word_weight=1.2 must lie in \[0, 1\]"):
        TextVectorizer(word_weight=1.2).fit(TEXTS, TOKENS)
    with pytest.raises(TypeError, match="word must be a WordTfidfVectorizer"):
        TextVectorizer(word=CharTfidfVectorizer()).fit(TEXTS, TOKENS)  # type: ignore[arg-type]


# --- persistence ---------------------------------------------------------------------------


def _fitted_models() -> list[tuple[Any, Any]]:
    """(fitted model, function giving its output) for every kind."""
    matrix = WordTfidfVectorizer().fit_transform(CHAR_TOKENS)
    queries = [["招聘电工", "设备维护"], ["持叉车证", "未知"]]
    return [
        (
            WordTfidfVectorizer(min_df=1, max_features=20).fit(TOKENS),
            lambda m: m.transform(queries),
        ),
        (CharTfidfVectorizer(ngram_range=(2, 3)).fit(TEXTS), lambda m: m.transform(TEXTS)),
        (BM25Vectorizer(idf="rsj").fit(TOKENS), lambda m: m.transform_queries(queries)),
        (BM25Vectorizer(k1=1.2).fit(TOKENS), lambda m: m.transform(TOKENS)),
        (
            BM25Vectorizer().fit(TOKENS, prior=WORD_PRIOR),
            lambda m: m.transform([*TOKENS, ["java", "开发"]]),
        ),
        (
            CharTfidfVectorizer().fit(TEXTS, prior=_prior_of(OTHER_TEXTS, (1, 2))),
            lambda m: m.transform([*TEXTS, *OTHER_TEXTS]),
        ),
        (LSAProjection(n_components=3).fit(matrix), lambda m: m.transform(matrix)),
        (TextVectorizer().fit(TEXTS, TOKENS), lambda m: m.transform(TEXTS, TOKENS)),
        (
            TextVectorizer(lsa=LSAProjection(n_components=4), word_weight=0.7).fit(TEXTS, TOKENS),
            lambda m: m.transform_dense(TEXTS, TOKENS),
        ),
    ]


def _same(first: Any, second: Any) -> bool:
    if sp.issparse(first):
        return (
            sp.issparse(second)
            and first.dtype == second.dtype
            and np.array_equal(first.indptr, second.indptr)
            and np.array_equal(first.indices, second.indices)
            and np.array_equal(first.data, second.data)
        )
    return first.dtype == second.dtype and np.array_equal(first, second)


@pytest.mark.parametrize("case", range(9))
def test_save_then_load_gives_identical_output(case: int, tmp_path: Path) -> None:
    model, output = _fitted_models()[case]
    model.save(tmp_path / "model")
    loaded = type(model).load(tmp_path / "model")
    assert _same(output(model), output(loaded))
    assert _same(output(model), output(load_vectorizer(tmp_path / "model")))
    if not isinstance(model, TextVectorizer):
        assert loaded.get_params() == model.get_params()
    files = {path.suffix for path in (tmp_path / "model").rglob("*") if path.is_file()}
    assert files == {".json", ".npz"}  # no pickle anywhere


def test_saved_parameters_record_versions(tmp_path: Path) -> None:
    WordTfidfVectorizer().fit(TOKENS).save(tmp_path)
    header = json.loads((tmp_path / "params.json").read_text(encoding="utf-8"))
    assert header["format_version"] == FORMAT_VERSION
    assert header["kind"] == "WordTfidfVectorizer"
    assert set(header["versions"]) == {"jobmatch", "numpy", "scipy"}
    vocabulary = header["state"]["vocabulary"]
    assert vocabulary == sorted(vocabulary) and "仓库管理员" in vocabulary  # readable text


def _saved(tmp_path: Path) -> Path:
    directory = tmp_path / "word"
    WordTfidfVectorizer().fit(TOKENS).save(directory)
    return directory


def _edit_header(directory: Path, **changes: Any) -> None:
    path = directory / "params.json"
    header = json.loads(path.read_text(encoding="utf-8"))
    header.update(changes)
    path.write_text(json.dumps(header), encoding="utf-8")


def test_other_format_version_is_refused(tmp_path: Path) -> None:
    directory = _saved(tmp_path)
    _edit_header(directory, format_version=FORMAT_VERSION + 1)
    with pytest.raises(SavedFormatError, match=f"format_version {FORMAT_VERSION + 1} differs"):
        WordTfidfVectorizer.load(directory)


def test_missing_files_are_named(tmp_path: Path) -> None:
    directory = _saved(tmp_path)
    (directory / "arrays.npz").unlink()
    with pytest.raises(SavedFormatError, match=r"arrays\.npz: missing"):
        WordTfidfVectorizer.load(directory)
    with pytest.raises(SavedFormatError, match=r"params\.json: missing"):
        WordTfidfVectorizer.load(tmp_path / "nowhere")


def test_changed_or_corrupt_files_are_refused(tmp_path: Path) -> None:
    directory = _saved(tmp_path)
    arrays = directory / "arrays.npz"
    content = bytearray(arrays.read_bytes())
    content[-40] ^= 0xFF
    arrays.write_bytes(bytes(content))
    with pytest.raises(SavedFormatError, match="SHA-256 differs"):
        WordTfidfVectorizer.load(directory)
    (directory / "params.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SavedFormatError, match="corrupt JSON"):
        WordTfidfVectorizer.load(directory)
    assert issubclass(SavedFormatError, ValueError)


def test_inconsistent_state_is_refused(tmp_path: Path) -> None:
    directory = _saved(tmp_path)
    header = json.loads((directory / "params.json").read_text(encoding="utf-8"))
    _edit_header(directory, state={**header["state"], "vocabulary": ["电工"]})
    with pytest.raises(SavedFormatError, match=r"corrupt state .*the vocabulary has 1 terms"):
        WordTfidfVectorizer.load(directory)


def test_loading_the_wrong_kind_is_refused(tmp_path: Path) -> None:
    directory = _saved(tmp_path)
    with pytest.raises(SavedFormatError, match="holds a 'WordTfidfVectorizer', not a 'BM25"):
        BM25Vectorizer.load(directory)
    _edit_header(directory, kind="Pickle")
    with pytest.raises(SavedFormatError, match="kind 'Pickle' is not one of"):
        load_vectorizer(directory)


def test_bundle_with_a_missing_part_is_refused(tmp_path: Path) -> None:
    TextVectorizer(lsa=LSAProjection(n_components=2)).fit(TEXTS, TOKENS).save(tmp_path)
    for path in (tmp_path / "lsa").iterdir():
        path.unlink()
    with pytest.raises(SavedFormatError, match=r"lsa/params\.json: missing"):
        TextVectorizer.load(tmp_path)


# --- terms the fit never saw: hashed buckets ------------------------------------------------


def test_a_word_unseen_at_fit_still_matches_two_texts_that_share_it() -> None:
    fitted = WordTfidfVectorizer().fit(TOKENS)
    dropping = WordTfidfVectorizer(oov_buckets=0).fit(TOKENS)
    texts = [["喂猪", "养猪场"], ["养猪场", "饲养员"], ["招聘电工"]]
    assert "养猪场" not in fitted.vocabulary_
    vectors = fitted.transform(texts)
    assert vectors.shape[1] == fitted.n_columns == len(fitted.vocabulary_) + DEFAULT_OOV_BUCKETS
    assert (vectors[[0]] @ vectors[[1]].T).toarray()[0, 0] > 0.3  # the shared unseen word
    assert (vectors[[0]] @ vectors[[2]].T).toarray()[0, 0] == 0
    assert dropping.transform(texts)[[0]].nnz == 0  # without buckets: nothing left of it
    # an unseen word weighs as much as the rarest word can: the idf of a term in no document
    row = fitted.transform([["养猪场", "招聘电工"]]).toarray()[0]
    unseen = row[len(fitted.vocabulary_) :].max()
    assert unseen > row[fitted.vocabulary_["招聘电工"]]


def test_unseen_buckets_are_stable_and_spread() -> None:
    words = [f"词{i}" for i in range(2000)]
    buckets = oov_bucket_of_words(words, 1 << 18)
    assert buckets.tolist() == oov_bucket_of_words(words, 1 << 18).tolist()
    assert int(buckets.min()) >= 0 and int(buckets.max()) < 1 << 18
    assert len(set(buckets.tolist())) >= 1990  # few collisions
    # n-grams ending in the same character do not share a bucket (low bits alone would)
    keys = np.array([(ord(a) + 1) << 21 | (ord("猪") + 1) for a in "喂养生野肥小"], dtype=np.int64)
    assert len(set(oov_bucket_of_keys(keys, 1 << 18).tolist())) == 6


def test_pruned_terms_never_come_back_as_unseen() -> None:
    documents = [["a", "b"], ["a", "c"], ["a", "d"], ["b", "e"]]
    model = WordTfidfVectorizer(max_df=0.7).fit(documents)  # "a" in 3 of 4: pruned
    assert "a" in model.pruned_ and "a" not in model.vocabulary_
    assert model.transform([["a"]]).nnz == 0
    assert model.transform([["zzz"]]).nnz == 1


def test_char_and_bm25_count_unseen_terms() -> None:
    char = CharTfidfVectorizer(ngram_range=(1, 2)).fit(TEXTS)
    vectors = char.transform(["喂猪养猪", "养猪场喂猪"])
    assert (vectors[[0]] @ vectors[[1]].T).toarray()[0, 0] > 0.5
    bm25 = BM25Vectorizer().fit(TOKENS)
    documents = bm25.transform([["养猪场", "饲养员"], ["招聘电工"]])
    queries = bm25.transform_queries([["养猪场"]])
    scores = (queries @ documents.T).toarray()[0]
    assert scores[0] > 0 and scores[1] == 0
    ceiling = bm25.query_ceilings(queries)[0]
    assert 0 < scores[0] < ceiling


def test_a_vectoriser_saved_before_buckets_loads_without_them(tmp_path: Path) -> None:
    model = WordTfidfVectorizer(oov_buckets=0).fit(TOKENS)
    model.save(tmp_path / "word")
    params = tmp_path / "word" / "params.json"
    header = json.loads(params.read_text(encoding="utf-8"))
    del header["params"]["oov_buckets"]
    del header["state"]["pruned"]
    params.write_text(json.dumps(header), encoding="utf-8")
    loaded = WordTfidfVectorizer.load(tmp_path / "word")
    assert loaded.oov_buckets == 0 and loaded.pruned_ == ()
    assert loaded.transform([["养猪场"]]).shape[1] == len(model.vocabulary_)
