"""Measure the field parsers (``features.parsers``) on the real vacancy files in ../shared/data.

Usage::

    .venv/bin/python benchmarks/measure_parsers.py
    .venv/bin/python benchmarks/measure_parsers.py --sample 100 --seed 7 --out sample.tsv

Files: ``vacancies/it_jobs_2019.csv`` (12,561 postings from BOSS直聘 and 猎聘; columns
``salary_text``, ``education``, ``experience``, ``description``) and
``vacancies/listings_51job_2021.csv`` (2,500 postings from 前程无忧; ``providesalary_text`` and
``attribute_text``, a Python list literal such as ``['广州-越秀区', '3-4年经验', '本科', '招1人']``
whose items after the place are experience (``…经验``), headcount (``招…``) and education).

For every field and file it prints the non-empty strings, the share parsed (``known``; for salary
also the share recognised, i.e. known or 面议), the most frequent strings left unparsed, and the
throughput. 猎聘 states annual pay without a unit (``12-18万``), so its salaries are parsed with
``unstated_period="year"`` and reported as the field ``salary[year]``. Descriptions are scanned
with the ``find_*`` functions (salary, age, education, experience, headcount): there the share is
how often a description states the field at all, not a success rate.

``--sample N --out FILE.tsv`` writes N distinct (field, raw string, parsed result) rows, drawn in
proportion to how often each string occurs, 40 % salary, 25 % education, 25 % experience and
10 % headcount, with an empty ``correct`` column to fill in by hand.
"""

from __future__ import annotations

import argparse
import ast
import csv
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from features.parsers import (
    find_age,
    find_education,
    find_experience,
    find_headcount,
    find_salary,
    parse_education,
    parse_experience,
    parse_headcount,
    parse_salary,
)

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
IT_JOBS = SHARED_DATA / "vacancies" / "it_jobs_2019.csv"
LISTINGS_51JOB = SHARED_DATA / "vacancies" / "listings_51job_2021.csv"


def _parse_annual_salary(text: str) -> object:
    return parse_salary(text, unstated_period="year")


FIELD_PARSERS: dict[str, Callable[[str], object]] = {
    "salary": parse_salary,
    "salary[year]": _parse_annual_salary,
    "education": parse_education,
    "experience": parse_experience,
    "headcount": parse_headcount,
}
"""Field name → the call that parses it (the hand-checked sample names these fields)."""

DESCRIPTION_FINDERS: dict[str, Callable[[str], object]] = {
    "salary in description": find_salary,
    "age in description": find_age,
    "education in description": find_education,
    "experience in description": find_experience,
    "headcount in description": find_headcount,
}

MISPLACED_CHECK: dict[str, tuple[str, Callable[[str], object]]] = {
    "education": ("experience", parse_experience),
    "experience": ("education", parse_education),
}
"""The it_jobs file has education and experience swapped in some rows: count those apart."""

SAMPLE_SHARES = {"salary": 0.40, "education": 0.25, "experience": 0.25, "headcount": 0.10}


@dataclass(frozen=True)
class Column:
    """Non-empty strings of one field in one file."""

    file: str
    field: str
    values: list[str]


def _read_csv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _attribute_items(text: str) -> list[str]:
    """The items of a 51job ``attribute_text`` list literal; [] when it is not one."""
    try:
        items = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return []
    if not isinstance(items, list):
        return []
    return [str(item).strip() for item in items]


def load_columns() -> tuple[list[Column], int, int]:
    """Columns of both files, plus the number of 51job rows whose attribute_text was unreadable."""
    for path in (IT_JOBS, LISTINGS_51JOB):
        if not path.exists():
            sys.exit(f"measure_parsers: {path} not found; the real data lives in ../shared/data")
    it_rows = _read_csv(IT_JOBS)
    listing_rows = _read_csv(LISTINGS_51JOB)

    def non_empty(values: Sequence[str]) -> list[str]:
        return [value.strip() for value in values if value.strip()]

    it_name, job_name = IT_JOBS.name, LISTINGS_51JOB.name
    columns = [
        Column(
            it_name,
            "salary",
            non_empty([row["salary_text"] for row in it_rows if row["source"] != "liepin"]),
        ),
        Column(
            it_name,
            "salary[year]",
            non_empty([row["salary_text"] for row in it_rows if row["source"] == "liepin"]),
        ),
        Column(it_name, "education", non_empty([row["education"] for row in it_rows])),
        Column(it_name, "experience", non_empty([row["experience"] for row in it_rows])),
    ]
    experience, education, headcount = [], [], []
    unreadable = 0
    for row in listing_rows:
        items = _attribute_items(row["attribute_text"])
        if not items:
            unreadable += 1
        for item in items[1:]:  # the first item is the place
            if "经验" in item:
                experience.append(item)
            elif item.startswith("招"):
                headcount.append(item)
            else:
                education.append(item)
    columns += [
        Column(job_name, "salary", non_empty([row["providesalary_text"] for row in listing_rows])),
        Column(job_name, "education", non_empty(education)),
        Column(job_name, "experience", non_empty(experience)),
        Column(job_name, "headcount", non_empty(headcount)),
    ]
    descriptions = non_empty([row["description"] for row in it_rows])
    columns += [Column(it_name, name, descriptions) for name in DESCRIPTION_FINDERS]
    return columns, len(it_rows), unreadable


def _known(result: object) -> bool:
    return bool(getattr(result, "known", False))


def _recognised(result: object) -> bool:
    return _known(result) or getattr(result, "basis", "") == "negotiable"


def measure(column: Column, repeat: int) -> None:
    parse = FIELD_PARSERS.get(column.field) or DESCRIPTION_FINDERS[column.field]
    best = float("inf")
    results: list[object] = []
    for _ in range(repeat):
        start = time.perf_counter()
        results = [parse(value) for value in column.values]
        best = min(best, time.perf_counter() - start)
    total = len(column.values)
    known = sum(map(_known, results))
    rate = total / best if best > 0 else float("inf")
    megabytes = sum(len(value.encode("utf-8")) for value in column.values) / 1e6
    line = (
        f"{column.file:26} {column.field:27} {total:6d} non-empty  "
        f"known {known:6d} = {100 * known / max(total, 1):5.1f} %"
    )
    if column.field.startswith("salary") and "description" not in column.field:
        recognised = sum(map(_recognised, results))
        line += f"  recognised (known or 面议) {100 * recognised / max(total, 1):5.1f} %"
    print(line)
    print(
        f"{'':26} {'':27} {rate:9,.0f} strings/s, {1e6 / rate if rate else 0:7.1f} µs each, "
        f"{megabytes / best if best > 0 else 0:6.2f} MB/s"
    )
    if "description" not in column.field:
        unparsed = Counter(
            value
            for value, result in zip(column.values, results, strict=True)
            if not _recognised(result)
        )
        other = MISPLACED_CHECK.get(column.field)
        if other is not None:
            other_field, other_parse = other
            misplaced = sum(
                count for value, count in unparsed.items() if _known(other_parse(value))
            )
            rest = total - misplaced
            print(
                f"{'':26} {'':27} misplaced (an {other_field} value): {misplaced}; "
                f"known among the other {rest}: {100 * known / max(rest, 1):6.2f} %"
            )
        if unparsed:
            shown = ", ".join(f"{value!r}×{count}" for value, count in unparsed.most_common(8))
            print(f"{'':26} {'':27} not parsed: {shown}")


def write_sample(columns: Sequence[Column], size: int, seed: int, out: Path) -> None:
    """``size`` distinct field strings with their parse, for checking by hand."""
    rnd = random.Random(seed)
    pools: dict[str, list[tuple[str, str]]] = {}
    for column in columns:
        if column.field in FIELD_PARSERS:
            family = column.field.split("[")[0]
            pools.setdefault(family, []).extend((column.field, value) for value in column.values)
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()

    def draw(family: str, wanted: int) -> None:
        pool = pools.get(family, [])
        target = len(rows) + min(wanted, len(set(pool) - seen))
        while len(rows) < target:
            field, raw = rnd.choice(pool)
            if (field, raw) not in seen:
                seen.add((field, raw))
                rows.append((field, raw, repr(FIELD_PARSERS[field](raw))))

    for family, share in SAMPLE_SHARES.items():
        draw(family, round(size * share))
    for family in SAMPLE_SHARES:  # a field with fewer distinct strings than its share: fill up
        draw(family, size - len(rows))
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(
            handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\"
        )
        writer.writerow(["field", "raw", "parsed", "correct", "note"])
        for field, raw, parsed in rows:
            writer.writerow([field, raw, parsed, "", ""])
    print(f"wrote {len(rows)} rows to {out}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing runs, best kept")
    parser.add_argument("--sample", type=int, default=0, help="rows to write for hand-checking")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="TSV file for --sample")
    args = parser.parse_args(argv)
    if args.sample and args.out is None:
        parser.error("--sample needs --out FILE.tsv")
    columns, it_rows, unreadable = load_columns()
    print(
        f"{IT_JOBS.name}: {it_rows} rows; {LISTINGS_51JOB.name}: attribute_text unreadable in "
        f"{unreadable} rows"
    )
    for column in columns:
        measure(column, max(1, args.repeat))
    if args.sample:
        write_sample(columns, args.sample, args.seed, args.out)


if __name__ == "__main__":
    main()
