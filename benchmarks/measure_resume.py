"""Measure résumé reading (features.resume) on the hand-labelled table, and its speed.

Usage::

    .venv/bin/python benchmarks/measure_resume.py            # accuracy per field and split
    .venv/bin/python benchmarks/measure_resume.py --errors   # also every wrong field, row by row

Prints, for ``tests/data/resume_golden.tsv``, the accuracy of each field (desired occupations,
education, experience, certificates, age, birth year, salary, county) overall, per split (dev:
the rows the parser was tuned on; holdout: labelled before the parser's first run, tuned on
since; holdout2: labelled after tuning and never tuned on) and per register
(written résumés, walk-in speech), beside the target of 90 %; then snippets per second.

Then the blind wordings (``tests/data/parsers/education_wordings.tsv``, ``place_wordings.tsv``,
``occupation_wordings.tsv`` and ``experience_wordings.tsv``, labelled before the reader was read):
the share of schoolings, homes, accepted places, wished jobs, years of work and ages read right
per register (with ``--errors``, each
wording read wrong).

When ``../shared/data/lexicons/resume_entities.csv`` is present (entities of a résumé NER corpus:
executive biographies; not part of the project), also the share of its TITLE entities given a
大典 code through the title matcher and of its EDU entities given an education level — a parse
rate on real résumé wording, not an accuracy.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from features.resume import ResumeVocabulary, parse_resume  # noqa: E402
from matcher.intake.lexicon import resume_vocabulary  # noqa: E402
from tests.unit.test_resume import (  # noqa: E402
    FIELDS,
    REFERENCE_YEAR,
    GoldenRow,
    accuracy_by_field,
    check_row,
    read_golden,
)
from tests.unit.test_resume_wordings import read_wordings  # noqa: E402

ENTITIES = ROOT.parent / "shared" / "data" / "lexicons" / "resume_entities.csv"
TARGET = 0.90


def _share(right: int, total: int) -> str:
    return f"{right / total:6.1%} ({right}/{total})" if total else "     -"


def report(rows: list[GoldenRow], vocabulary: ResumeVocabulary, label: str) -> None:
    accuracy = accuracy_by_field(rows, vocabulary)
    print(f"\n{label}: {len(rows)} rows")
    for name in FIELDS:
        right, total = accuracy[name]
        flag = "" if not total or right / total >= TARGET else "  < target"
        print(f"  {name:<13} {_share(right, total)}{flag}")


def errors(rows: list[GoldenRow], vocabulary: ResumeVocabulary) -> None:
    print("\nwrong fields:")
    for row in rows:
        parsed = parse_resume(row.text, vocabulary, reference_year=REFERENCE_YEAR)
        wrong = [name for name, right in check_row(row, parsed).items() if not right]
        if not wrong:
            continue
        got = {
            "occupations": [(g.code, g.name, g.confidence) for g in parsed.desired_occupations],
            "education": parsed.education and parsed.education.value,
            "experience": parsed.experience_years and parsed.experience_years.value,
            "certificates": [c.value for c in parsed.certificates],
            "age": parsed.age and parsed.age.value,
            "birth_year": parsed.birth_year and parsed.birth_year.value,
            "salary": parsed.expected_salary and parsed.expected_salary.value,
            "county": parsed.home_region and parsed.home_region.value,
        }
        print(f"  {row.id} {row.text}")
        for name in wrong:
            print(f"      {name}: expected {row.expected[name]!r}, got {got[name]!r}")


def entity_parse_rate(vocabulary: ResumeVocabulary) -> None:
    if not ENTITIES.exists():
        print("\n(resume_entities.csv absent: real-entity parse rate skipped)")
        return
    from features.parsers import parse_education

    titles: list[str] = []
    schooling: list[str] = []
    with ENTITIES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["type"] == "TITLE":
                titles.append(row["entity"])
            elif row["type"] == "EDU":
                schooling.append(row["entity"])
    matcher = vocabulary.title_matcher
    coded = 0
    if matcher is not None:
        coded = sum(found.label is not None for found in matcher.match_many(titles))
    parsed = sum(
        parse_resume(f"求职意向：{title}", vocabulary).desired_occupations != () for title in titles
    )
    levels = sum(
        parse_resume(f"学历：{word}", vocabulary).education is not None for word in schooling
    )
    field_levels = sum(parse_education(word).known for word in schooling)
    print("\nreal résumé entities (executive biographies; parse rate, not accuracy):")
    print(f"  TITLE → 大典 code (title matcher)      {_share(coded, len(titles))}")
    print(f"  TITLE as 求职意向 → desired occupation {_share(parsed, len(titles))}")
    print(f"  EDU → education level (résumé parser) {_share(levels, len(schooling))}")
    print(f"  EDU → level (features.parsers field)  {_share(field_levels, len(schooling))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every wrong field")
    arguments = parser.parse_args()
    started = time.perf_counter()
    vocabulary = resume_vocabulary()
    print(f"vocabulary built in {time.perf_counter() - started:.2f} s")
    rows = read_golden()
    report(rows, vocabulary, "all")
    for split in dict.fromkeys(row.split for row in rows):
        report([row for row in rows if row.split == split], vocabulary, f"split {split}")
    for register in ("written", "walkin"):
        report([row for row in rows if row.register == register], vocabulary, register)
    if arguments.errors:
        errors(rows, vocabulary)
    blind_wordings(show_errors=arguments.errors)
    texts = [row.text for row in rows] * 20
    started = time.perf_counter()
    for text in texts:
        parse_resume(text, vocabulary, reference_year=REFERENCE_YEAR)
    elapsed = time.perf_counter() - started
    each_ms = elapsed / len(texts) * 1e3
    print(f"\nspeed: {len(texts) / elapsed:,.0f} snippets/s ({each_ms:.2f} ms each)")
    worst_case(vocabulary)
    entity_parse_rate(vocabulary)


def blind_wordings(*, show_errors: bool) -> None:
    results = read_wordings()
    print("\nblind wordings (read right / labelled)")
    for field in ("education", "home", "accepts", "occupations", "experience", "age"):
        for register in ("formal", "walkin"):
            ours = [(text, right) for f, r, text, right in results if (f, r) == (field, register)]
            right = sum(ok for _, ok in ours)
            print(f"  {field:<11} {register:<7} {right:4d}/{len(ours)} = {right / len(ours):6.1%}")
            if show_errors:
                for text, ok in ours:
                    if not ok:
                        print(f"      {text}")


ADVERSARIAL = (
    "开" * 8000,
    "想找司机，" * 1600,
    "想找司机或者" * 1300,
    "1990年生，" * 1000,
    "期望5000-6000，" * 700,
    "2015.03-2019.05 公司\n" * 400,
    "电工证、" * 2000,
    "大专，" * 2700,
)


def worst_case(vocabulary: ResumeVocabulary) -> None:
    """Milliseconds for capped pathological inputs (8,000 characters): linear patterns keep each
    in tens of milliseconds (before the per-clause caps, 想找司机， × 1600 took 1 s)."""
    timings = []
    for text in ADVERSARIAL:
        started = time.perf_counter()
        parse_resume(text, vocabulary, reference_year=REFERENCE_YEAR)
        timings.append((time.perf_counter() - started) * 1e3)
    slowest = max(range(len(timings)), key=timings.__getitem__)
    print(
        f"worst case: {timings[slowest]:.0f} ms for {ADVERSARIAL[slowest][:6]!r}… "
        f"(all {len(ADVERSARIAL)}: {', '.join(f'{ms:.0f}' for ms in timings)} ms)"
    )


if __name__ == "__main__":
    main()
