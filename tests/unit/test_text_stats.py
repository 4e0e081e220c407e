"""The document-frequency table of real postings: how it is built, what ships, how it loads."""

from __future__ import annotations

import csv
import gzip
import re
from collections import Counter
from pathlib import Path

import pytest

from features.text import normalize
from features.vectorize import char_ngrams
from matcher.intake.build_text_stats import (
    MIN_DOCUMENT_FREQUENCY,
    document_frequencies,
    posting_documents,
    write_table,
)
from matcher.intake.lexicon import TEXT_DF_FILE, TEXT_DF_NGRAM_RANGE, text_priors
from tests.conftest import SHARED_DATA

MAX_TABLE_BYTES = 1_500_000


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A tiny stand-in for ../shared/data: two postings of each file, one repeated."""
    it_jobs = ["source", "title", "description", "welfare"]
    _write_csv(
        tmp_path / "vacancies" / "it_jobs_2019.csv",
        it_jobs,
        [
            ["boss", "电工", "持电工证 设备维护", "五险一金"],
            ["boss", "焊工", "持焊工证", "五险一金,包吃住"],
            ["boss", "电工", "持电工证 设备维护", "五险一金"],  # the same posting again
        ],
    )
    _write_csv(
        tmp_path / "vacancies" / "listings_51job_2021.csv",
        ["job_name", "jobwelf", "attribute_text"],
        [
            ["普工", "包吃住", "['遂宁', '无需经验', '招5人']"],
            ["电工", "", "not a list"],
        ],
    )
    return tmp_path


def test_one_document_per_distinct_posting(source: Path) -> None:
    documents = posting_documents(source)
    assert documents == [
        "电工\n持电工证 设备维护\n五险一金",
        "焊工\n持焊工证\n五险一金,包吃住",
        "普工\n遂宁\n无需经验\n招5人\n包吃住",
        "电工\n",
    ]


def test_table_counts_documents_and_keeps_frequent_terms(source: Path, tmp_path: Path) -> None:
    documents = posting_documents(source)
    words = document_frequencies(documents, str.split)
    assert words["电工"] == 2 and words["包吃住"] == 1  # per document, not per occurrence
    chars = document_frequencies(documents, lambda text: char_ngrams(text, (1, 2)))
    assert chars["电"] == 2 and chars["电工"] == 2 and chars["焊工"] == 1
    table = tmp_path / "text_df.csv.gz"
    written = write_table(table, len(documents), {"word": words, "char": chars}, min_df=2)
    assert written == sum(df >= 2 for df in words.values()) + sum(df >= 2 for df in chars.values())
    first = table.read_bytes()
    write_table(table, len(documents), {"word": words, "char": chars}, min_df=2)
    assert table.read_bytes() == first  # reproducible: no time stamp in the gzip header

    word_prior, char_prior = text_priors(table)
    assert word_prior.n_documents == char_prior.n_documents == 4
    word_df = dict(zip(word_prior.terms, word_prior.document_frequency.tolist(), strict=True))
    assert word_df == {term: df for term, df in words.items() if df >= 2}
    assert word_prior.ngram_range is None and char_prior.ngram_range == TEXT_DF_NGRAM_RANGE
    assert dict(zip(char_prior.terms, char_prior.document_frequency.tolist(), strict=True)) == {
        term: df for term, df in chars.items() if df >= 2
    }


def test_shipped_table_is_small_statistics_of_many_postings() -> None:
    assert TEXT_DF_FILE.stat().st_size <= MAX_TABLE_BYTES
    word_prior, char_prior = text_priors()
    assert word_prior.n_documents > 10_000
    for prior in (word_prior, char_prior):
        assert int(prior.document_frequency.min()) >= MIN_DOCUMENT_FREQUENCY
        # terms, not sentences: no term holds a space or sentence punctuation
        assert not [term for term in prior.terms if re.search(r"[\s，。；！？,;!?]", term)]
    assert {len(term) for term in char_prior.terms} == {1, 2}
    assert "五险一金" in word_prior.terms and "经验" in char_prior.terms
    with gzip.open(TEXT_DF_FILE, "rt", encoding="utf-8") as handle:
        kinds = Counter(row["kind"] for row in csv.DictReader(handle))
    assert kinds == {
        "documents": 1,
        "word": len(word_prior.terms),
        "char": len(char_prior.terms),
    }


def test_shipped_table_agrees_with_the_real_postings() -> None:
    """Rebuild with ``python -m matcher.intake.build_text_stats ../shared/data`` when this fails
    (the postings changed). Words are cut by the domain tokenizer, whose dictionary grows: they
    are not recounted here."""
    if not (SHARED_DATA / "vacancies").is_dir():
        pytest.skip("../shared/data is absent")
    documents = posting_documents(SHARED_DATA)
    word_prior, char_prior = text_priors()
    assert word_prior.n_documents == len(documents)
    char_df = dict(zip(char_prior.terms, char_prior.document_frequency.tolist(), strict=True))
    normalised = [normalize(document) for document in documents]
    for ngram in ("经验", "开发", "销售", "叉车", "焊", "电工"):  # word characters: substrings
        count = sum(ngram in text for text in normalised)
        assert char_df.get(ngram, 0) == (count if count >= MIN_DOCUMENT_FREQUENCY else 0), ngram
