from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from features.text import DomainTokenizer, normalize
from matcher.intake.lexicon import domain_synonyms, domain_tokenizer, domain_words
from tests.conftest import read_table

GOLDEN = read_table("segmentation.tsv")


def test_golden_table_is_big_enough() -> None:
    assert len(GOLDEN) >= 60


@pytest.mark.parametrize(("text", "expected"), GOLDEN)
def test_domain_segmentation(text: str, expected: str) -> None:
    assert domain_tokenizer().tokens(text) == expected.split()


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("ＣＮＣ操作工　月薪５０００", "cnc操作工 月薪5000"),
        ("  Java\t开发\n工程师 ", "java 开发 工程师"),
        ("（可培训）", "(可培训)"),
        ("B2驾照", "b2驾照"),
    ],
)
def test_normalize(text: str, normal: str) -> None:
    assert normalize(text) == normal


def test_small_tokenizer_words_synonyms_stopwords_numbers() -> None:
    tokenizer = DomainTokenizer(["叉车司机", ("包吃住", 5000)], {"司机": "驾驶员"}, ["招聘"])
    assert tokenizer("招聘叉车司机3名，司机2名，包吃住") == [
        "叉车司机",
        "名",
        "驾驶员",
        "名",
        "包吃住",
    ]
    keeping = DomainTokenizer(["叉车司机"], keep_numbers=True, stopwords=())
    assert "3" in keeping("叉车司机3名")


def test_pickles_as_configuration_and_rebuilds_lazily() -> None:
    tokenizer = DomainTokenizer(["锂电池生产技术员"], {"普工": "操作工"})
    assert tokenizer._engine is None  # nothing built before first use
    before = tokenizer("招聘锂电池生产技术员和普工")
    blob = pickle.dumps(tokenizer)
    assert len(blob) < 2_000  # configuration only, not jieba's dictionary
    copy = pickle.loads(blob)
    assert copy._engine is None
    assert copy("招聘锂电池生产技术员和普工") == before == ["招聘", "锂电池生产技术员", "操作工"]


def test_domain_tokenizer_pickles_small() -> None:
    blob = pickle.dumps(domain_tokenizer())
    assert len(blob) < 500_000
    assert pickle.loads(blob)("遂宁市船山区招聘普工") == ["遂宁市", "船山区", "招聘", "操作工"]


def test_safe_from_several_threads() -> None:
    tokenizer = DomainTokenizer(list(domain_words())[:2_000], domain_synonyms())
    texts = [text for text, _ in GOLDEN] * 5
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(tokenizer.tokens, texts))
    assert parallel == [tokenizer.tokens(text) for text in texts]


def test_lexicon_covers_the_reference_tables() -> None:
    words = {word for word, _ in domain_words()}
    for word in (
        "电工",
        "焊工",
        "叉车司机证",
        "船山区",
        "射洪市",
        "遂宁经开区",
        "退捕渔民",
        "五险一金",
    ):
        assert word in words, word
    synonyms = domain_synonyms()
    assert synonyms["普工"] == "操作工" and synonyms["司机"] == "驾驶员"
    assert synonyms["电工证"] == "低压电工作业证"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_and_drops_blank_tokens(text: str) -> None:
    tokens = domain_tokenizer().tokens(text)
    assert all(token and token.strip() == token for token in tokens)


CLAUSE_TEXT = st.text(
    alphabet=st.sampled_from(
        list("招聘普工电焊叉车司机包吃住五险一金船山区2年Cc1B,，。:：；、!? \n.-")
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(CLAUSE_TEXT)
def test_clause_by_clause_equals_whole_text(text: str) -> None:
    """Cutting at clause breaks (and caching clauses) gives the tokens of one whole cut."""
    tokenizer = domain_tokenizer()
    whole = list(tokenizer._cutter(tokenizer._jieba())(normalize(text)))
    assert tokenizer.tokens(text) == whole


def test_clause_cache_is_per_process_and_clearable() -> None:
    tokenizer = DomainTokenizer(["五险一金"], cache_size=16)
    first = tokenizer("五险一金，包吃住。五险一金")
    assert tokenizer._cut_clause.cache_info().hits == 1  # type: ignore[union-attr]
    tokenizer.clear_cache()
    assert tokenizer._cut_clause.cache_info().currsize == 0  # type: ignore[union-attr]
    uncached = DomainTokenizer(["五险一金"], cache_size=0)
    assert uncached("五险一金，包吃住。五险一金") == first
    assert "_cut_clause" not in pickle.loads(pickle.dumps(tokenizer)).__getstate__()
