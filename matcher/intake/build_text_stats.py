"""Derive the shipped document-frequency table of real postings (``reference/text_df.csv.gz``).

Maintainers run this when the real postings or the domain dictionary change::

    python -m matcher.intake.build_text_stats ../shared/data

It reads the real postings of ``SOURCE/vacancies`` — ``it_jobs_2019.csv`` (title, description,
welfare) and ``listings_51job_2021.csv`` (job name, attributes, welfare) — one document per
distinct posting, and counts in how many documents each word (cut by
:func:`~matcher.intake.lexicon.domain_tokenizer`) and each character 1–2-gram (cut as
:func:`features.vectorize.char_ngrams` cuts them) occurs. Only statistics are written, never a
text: terms in at least :data:`MIN_DOCUMENT_FREQUENCY` documents with their counts, and the
number of documents. The vectorisers take them as a prior (:func:`text_priors`,
:class:`features.vectorize.DocumentFrequencies`), so real vocabulary is known to a model
trained on synthetic text and its idf is that of real postings.

The table is a gzipped CSV ``kind,term,df``: one ``documents`` row (the number of documents in
``df``), then ``word`` and ``char`` rows sorted by term.
"""

from __future__ import annotations

import ast
import csv
import gzip
import io
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from features.vectorize import char_ngrams
from matcher.intake.lexicon import TEXT_DF_FILE, TEXT_DF_NGRAM_RANGE, domain_tokenizer

MIN_DOCUMENT_FREQUENCY = 3
"""Terms in fewer documents are left out: they are noise (typos, names) and would make the table
large; a prior leaving them out counts them in no document."""


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _attributes(cell: str) -> list[str]:
    """``"['广州-越秀区', '1年经验', '招1人']"`` → its items (a list literal; [] if not one)."""
    try:
        value = ast.literal_eval(cell) if cell.strip() else []
    except (ValueError, SyntaxError):
        return []
    return [str(item) for item in value] if isinstance(value, list) else []


def posting_documents(source: Path) -> list[str]:
    """One text per distinct real posting of ``source/vacancies`` (file order, first kept)."""
    vacancies = source / "vacancies"
    documents: list[str] = []
    for row in _rows(vacancies / "it_jobs_2019.csv"):
        documents.append("\n".join((row["title"], row["description"], row["welfare"])))
    for row in _rows(vacancies / "listings_51job_2021.csv"):
        parts = [row["job_name"], *_attributes(row["attribute_text"]), row["jobwelf"]]
        documents.append("\n".join(parts))
    return list(dict.fromkeys(document for document in documents if document.strip()))


def document_frequencies(
    documents: Iterable[str], analyse: Callable[[str], Iterable[str]]
) -> Counter[str]:
    """In how many of ``documents`` each term ``analyse`` cuts from them occurs."""
    counts: Counter[str] = Counter()
    for document in documents:
        counts.update(set(analyse(document)))
    return counts


def _char_analyser(text: str) -> list[str]:
    return char_ngrams(text, TEXT_DF_NGRAM_RANGE)


def write_table(
    path: Path,
    n_documents: int,
    tables: dict[str, Counter[str]],
    *,
    min_df: int = MIN_DOCUMENT_FREQUENCY,
) -> int:
    """Write the gzipped ``kind,term,df`` table (reproducible bytes); return the rows written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["kind", "term", "df"])
    writer.writerow(["documents", "", n_documents])
    written = 0
    for kind, counts in tables.items():
        for term in sorted(t for t, df in counts.items() if df >= min_df):
            writer.writerow([kind, term, counts[term]])
            written += 1
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(buffer.getvalue().encode("utf-8"))
    return written


def build(source: Path, target: Path) -> tuple[int, int]:
    """Count the postings of ``source`` into ``target``; (documents, terms written)."""
    documents = posting_documents(source)
    tokenize = domain_tokenizer()
    tables = {
        "word": document_frequencies(documents, tokenize),
        "char": document_frequencies(documents, _char_analyser),
    }
    return len(documents), write_table(target, len(documents), tables)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m matcher.intake.build_text_stats SOURCE_DIR", file=sys.stderr)
        return 2
    target = TEXT_DF_FILE
    n_documents, n_terms = build(Path(args[0]), target)
    print(f"{target}: {n_terms} terms of {n_documents} postings, {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
