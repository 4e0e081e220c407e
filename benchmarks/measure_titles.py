"""Measure the title → 职业分类大典 matcher: accuracy on the labelled table, coverage, speed.

Usage::

    .venv/bin/python benchmarks/measure_titles.py                 # the shipped configuration
    .venv/bin/python benchmarks/measure_titles.py --no-work-types  # without the 大典 work types
    .venv/bin/python benchmarks/measure_titles.py --errors        # list every wrong answer

Prints, for ``tests/data/title_occupations.tsv``:

- accuracy: the code is the expected one or one of the ``acceptable`` ones (rows with no expected
  code are right when the matcher gives none or an acceptable code); the same over the strict
  expected code only; and the same 中类 (mid group, ``6-31``) as the expected code;
- the same on the held-out part: titles whose cleaned text is not itself a known name, so that
  only the contains and similarity steps can answer;
- accuracy per method (exact, contains, similar, none) and coverage/accuracy at confidence
  thresholds;
- timing: build time of the matcher (cold and warm) and titles per second.

Then the blind posting titles (``tests/data/title_wordings.tsv``, labelled before the alias
tables were read) through the posting reader: the share read right and in the right mid group.

Then, when ``../shared/data`` is present, runs the matcher over the real listing titles (51job
``job_name``, BOSS直聘/猎聘 ``title``) and prints the share mapped with confidence ≥ 0.5 and the
most frequent titles left unmapped (for inspection; those files are not part of the project).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from features.titles import TitleMatch, TitleMatcher, clean_title  # noqa: E402
from matcher.intake.occupations import MIN_CONFIDENCE, build_occupation_matcher  # noqa: E402
from matcher.reference import occupations  # noqa: E402
from tests.unit.test_occupations import (  # noqa: E402
    Labelled,
    blind_title_readings,
    read_labelled,
)

SHARED_DATA = ROOT.parent / "shared" / "data"
THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def _share(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:6.1%} ({numerator}/{denominator})" if denominator else "-"


def _at_threshold(found: TitleMatch, threshold: float) -> TitleMatch:
    if found.label is not None and found.confidence < threshold:
        return TitleMatch(None, found.confidence, "none", found.matched)
    return found


def report_accuracy(
    matcher: TitleMatcher, rows: Sequence[Labelled], *, show_errors: bool
) -> dict[str, float]:
    """``matcher`` is built with ``min_confidence=0``; the shipped threshold is applied here."""
    scored = matcher.match_many([row.title for row in rows])
    found = [_at_threshold(one, MIN_CONFIDENCE) for one in scored]
    held_out = [
        clean_title(row.title, places=matcher.places) not in matcher.lookup_ for row in rows
    ]
    table = occupations()

    def accuracy(select: Sequence[bool]) -> tuple[int, int, int, int]:
        chosen = [(row, one) for row, one, keep in zip(rows, found, select, strict=True) if keep]
        right = sum(row.is_right(one.label) for row, one in chosen)
        strict = sum((one.label or "") == row.expected for row, one in chosen)
        mid = sum(row.same_mid_group(one.label) for row, one in chosen)
        return right, strict, mid, len(chosen)

    everything = [True] * len(rows)
    print(
        f"labelled titles: {len(rows)}, held out (cleaned title not a known name): "
        f"{sum(held_out)} ({sum(held_out) / len(rows):.0%})"
    )
    results: dict[str, float] = {}
    for name, select in (("all", everything), ("held-out", held_out)):
        right, strict, mid, total = accuracy(select)
        print(
            f"  {name:9s} code (incl. acceptable) {_share(right, total)}   "
            f"strict {_share(strict, total)}   same mid group {_share(mid, total)}"
        )
        results[name] = right / total if total else 0.0
        results[f"{name}-mid"] = mid / total if total else 0.0

    print("per method:")
    for method in ("exact", "contains", "similar", "none"):
        select = [one.method == method for one in found]
        right, _strict, mid, total = accuracy(select)
        print(
            f"  {method:9s} {total:4d} titles  right {_share(right, total)}   "
            f"mid {_share(mid, total)}"
        )

    print(
        f"by confidence threshold t (shipped: {MIN_CONFIDENCE}); a title is covered when its "
        "best score ≥ t; accuracy counts a title below t as 'none':"
    )
    labelled = [bool(row.expected) for row in rows]
    for threshold in THRESHOLDS:
        at = [_at_threshold(one, threshold) for one in scored]
        covered = [one.label is not None for one in at]
        right = sum(row.is_right(one.label) for row, one in zip(rows, at, strict=True))
        right_covered = sum(
            row.is_right(one.label)
            for row, one, keep in zip(rows, at, covered, strict=True)
            if keep
        )
        print(
            f"  t={threshold:.1f}  coverage {_share(sum(covered), len(rows))}  "
            f"accuracy {_share(right, len(rows))}  "
            f"precision of covered {_share(right_covered, sum(covered))}  "
            f"(titles with a code: {sum(labelled)})"
        )

    if show_errors:
        print("wrong answers:")
        for row, one in zip(rows, found, strict=True):
            if not row.is_right(one.label):
                got = f"{one.label} {table[one.label].name}" if one.label else "none"
                want = f"{row.expected} {table[row.expected].name}" if row.expected else "none"
                print(
                    f"  {row.title}  →  {got}  [{one.method} {one.confidence:.2f} "
                    f"via {one.matched}]   expected {want}"
                )
    return results


def report_timing(work_types: bool, rows: Sequence[Labelled]) -> TitleMatcher:
    started = time.perf_counter()
    matcher = build_occupation_matcher(min_confidence=0.0, work_types=work_types)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    matcher = build_occupation_matcher(min_confidence=0.0, work_types=work_types)
    warm = time.perf_counter() - started
    print(
        f"build: {cold * 1000:.0f} ms first (reads the tables), {warm * 1000:.0f} ms again; "
        f"{len(matcher.names_)} names, {len(matcher.lookup_)} dictionary keys, "
        f"{len(matcher.conflicts_)} names with conflicting codes"
    )
    titles = [row.title for row in rows] * 40
    started = time.perf_counter()
    matcher.match_many(titles)
    batch = time.perf_counter() - started
    sample = titles[:500]
    started = time.perf_counter()
    for title in sample:
        matcher.match(title)
    single = time.perf_counter() - started
    print(
        f"speed: match_many {len(titles) / batch:,.0f} titles/s; "
        f"match one by one {len(sample) / single:,.0f} titles/s "
        f"({single / len(sample) * 1000:.2f} ms each)"
    )
    return matcher


def _real_titles() -> dict[str, list[str]] | None:
    sources = {
        "51job job_name": (SHARED_DATA / "vacancies" / "listings_51job_2021.csv", "job_name"),
        "it_jobs title": (SHARED_DATA / "vacancies" / "it_jobs_2019.csv", "title"),
    }
    if not all(path.exists() for path, _ in sources.values()):
        return None
    titles: dict[str, list[str]] = {}
    for name, (path, column) in sources.items():
        with path.open(encoding="utf-8", newline="") as handle:
            titles[name] = [row[column] for row in csv.DictReader(handle)]
    return titles


def report_real_listings(matcher: TitleMatcher, top: int) -> None:
    titles = _real_titles()
    if titles is None:
        print(f"\nreal listings: {SHARED_DATA} is absent; skipped")
        return
    table = occupations()
    for source, values in titles.items():
        started = time.perf_counter()
        found = [_at_threshold(one, MIN_CONFIDENCE) for one in matcher.match_many(values)]
        seconds = time.perf_counter() - started
        mapped = sum(one.label is not None and one.confidence >= 0.5 for one in found)
        methods = Counter(one.method for one in found)
        print(
            f"\nreal listings, {source}: {len(values)} titles in {seconds:.2f} s; "
            f"mapped with confidence ≥ 0.5: {_share(mapped, len(values))}; "
            f"methods {dict(methods)}"
        )
        unmapped = Counter(
            title for title, one in zip(values, found, strict=True) if one.label is None
        )
        print(f"  top unmapped: {', '.join(f'{t} ({n})' for t, n in unmapped.most_common(top))}")
        codes = Counter(one.label for one in found if one.label is not None)
        print(
            "  top codes: "
            + ", ".join(f"{table[code].name} ({n})" for code, n in codes.most_common(12))
        )


def report_blind(*, show_errors: bool) -> None:
    """The blind posting titles (``tests/data/title_wordings.tsv``) through the posting reader."""
    readings = blind_title_readings()
    right = sum(row.is_right(code) for row, code in readings)
    mid = sum(row.same_mid_group(code) for row, code in readings)
    print(
        f"\nblind posting titles (posting reader): right {_share(right, len(readings))}, "
        f"same mid group {_share(mid, len(readings))}"
    )
    if show_errors:
        for row, code in readings:
            if not row.is_right(code):
                print(f"  {row.title}: {code} (expected {row.expected or '-'})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--no-work-types", action="store_true", help="leave out 大典 work types")
    parser.add_argument("--errors", action="store_true", help="list every wrong answer")
    parser.add_argument("--top", type=int, default=30, help="unmapped real titles to list")
    args = parser.parse_args(argv)

    rows = read_labelled()
    matcher = report_timing(not args.no_work_types, rows)
    report_accuracy(matcher, rows, show_errors=args.errors)
    report_blind(show_errors=args.errors)
    report_real_listings(matcher, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
