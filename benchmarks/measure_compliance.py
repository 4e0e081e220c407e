"""Measure the gender flags of ``features.compliance`` on the real postings in ../shared/data.

Usage::

    .venv/bin/python benchmarks/measure_compliance.py             # recall and false alarms
    .venv/bin/python benchmarks/measure_compliance.py --review    # candidates not judged yet
    .venv/bin/python benchmarks/measure_compliance.py --sample 20 --seed 3   # re-check judgements
    .venv/bin/python benchmarks/measure_compliance.py --flags     # every flag on every posting

Texts: ``vacancies/it_jobs_2019.csv`` — ``title`` and ``description``; and
``vacancies/listings_51job_2021.csv`` — ``job_name``, the items of ``attribute_text`` and
``jobwelf``. A posting is named by its file and its **row**: the 1-based number of the data record
after the header (descriptions hold line breaks, so this is not the line number of the file).

1. **Candidates**, found independently of the rules and deliberately broadly: every posting with
   a gender token at all (``男``, ``女``, ``性别``, ``宝妈``, ``小伙子``, ``姑娘``). Each candidate
   is marked *near* when a token stands within 12 characters of a requirement cue (性别, 岁, 限,
   优先, 仅/只, 要求, 招, 需, 勿, 不要, a bracket, a list number): those are the ones most likely
   to state a requirement, but all candidates are judged, not only the near ones.
2. **Judgements**, by hand, in ``tests/data/compliance_real.tsv``: file, row, judgement and a
   note in our own words — never the posting's text (the data README forbids committing it).
   ``requirement`` = the posting requires or prefers a gender (or sets quotas by gender);
   ``any_gender`` = it says any gender is welcome (男女不限, 性别不限, □男 □女 ■不限 …);
   ``other`` = gender words that are no requirement (women's-day benefits, 男生宿舍, 女装 as
   a product, contact 张女士, 美女如云 as office colour, 子女 …).
3. **Measures**: recall of gender flags on the ``requirement`` postings (target ≥ 95 %), false
   alarms on the ``any_gender`` postings (target 0) and on the ``other`` postings, gender flags
   on candidates not judged yet, and gender flags outside the candidates (a flag there means the
   candidate search is too narrow).

``--review`` prints each unjudged candidate's gender tokens in context (to the terminal only)
with a ready row for the judgement file; ``--sample N`` prints N judged postings at random so a
second reader can re-check the judgements.
"""

from __future__ import annotations

import argparse
import ast
import csv
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from features.compliance import check_compliance

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
VACANCIES = SHARED_DATA / "vacancies"
JUDGEMENTS = ROOT / "tests" / "data" / "compliance_real.tsv"
JUDGEMENT_KINDS = ("requirement", "any_gender", "other")

GENDER_TOKEN = re.compile(r"[男女]|性别|宝妈|小伙子|姑娘")
"""Anything that could carry a gender requirement; deliberately broader than the rules."""
REQUIREMENT_CUE = re.compile(
    r"性别|岁|限|优先|仅|只|要求|招|需|勿|不要|[(（)）【】\[\]]|(?:^|[^\d])\d{1,2}\s{0,2}[.、)）]"
)
NEAR = 12
CONTEXT = 20


@dataclass(frozen=True)
class Posting:
    """One real posting: where it is and the text the flags are computed on."""

    file: str
    row: int
    text: str


def _attribute_items(text: str) -> list[str]:
    try:
        items = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return [text]
    return [str(item) for item in items] if isinstance(items, list) else [text]


def read_postings() -> list[Posting]:
    """Both real files as postings, in file order."""
    csv.field_size_limit(sys.maxsize)
    postings: list[Posting] = []
    it_jobs = VACANCIES / "it_jobs_2019.csv"
    listings = VACANCIES / "listings_51job_2021.csv"
    for path in (it_jobs, listings):
        if not path.exists():
            sys.exit(f"measure_compliance: {path} not found; the real data lives in ../shared/data")
    with it_jobs.open(encoding="utf-8", newline="") as handle:
        for row, record in enumerate(csv.DictReader(handle), start=1):
            text = f"{record['title']}\n{record['description']}"
            postings.append(Posting(it_jobs.name, row, text))
    with listings.open(encoding="utf-8", newline="") as handle:
        for row, record in enumerate(csv.DictReader(handle), start=1):
            items = "，".join(_attribute_items(record["attribute_text"]))
            text = f"{record['job_name']}\n{items}\n{record['jobwelf']}"
            postings.append(Posting(listings.name, row, text))
    return postings


def gender_tokens(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, near a requirement cue) of every gender token of ``text``."""
    for match in GENDER_TOKEN.finditer(text):
        window = text[max(0, match.start() - NEAR) : match.end() + NEAR]
        yield match.start(), match.end(), REQUIREMENT_CUE.search(window) is not None


def read_judgements(path: Path = JUDGEMENTS) -> dict[tuple[str, int], str]:
    """(file, row) → judgement, from the hand-judged table."""
    judgements: dict[tuple[str, int], str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, fields in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not fields or fields[0].startswith("#") or fields[0] == "file":
                continue
            file, row, judgement = fields[0], int(fields[1]), fields[2]
            if judgement not in JUDGEMENT_KINDS:
                sys.exit(f"{path.name} line {number}: judgement must be one of {JUDGEMENT_KINDS}")
            if (file, row) in judgements:
                sys.exit(f"{path.name} line {number}: {file} row {row} is judged twice")
            judgements[(file, row)] = judgement
    return judgements


def _gender_flags(text: str) -> list[str]:
    return [flag.rule for flag in check_compliance(text) if flag.category == "gender"]


def _show(posting: Posting, judgement: str = "") -> None:
    print(f"--- {posting.file} row {posting.row} {judgement}".rstrip())
    for start, end, near in gender_tokens(posting.text):
        left = posting.text[max(0, start - CONTEXT) : start].replace("\n", " ")
        right = posting.text[end : end + CONTEXT].replace("\n", " ")
        print(f"    {'*' if near else ' '} {left}[{posting.text[start:end]}]{right}")
    print(f"    flags: {_gender_flags(posting.text) or '-'}")


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.1%}" if whole else f"{part}/0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--review", action="store_true", help="print unjudged candidates")
    parser.add_argument("--sample", type=int, default=0, help="print N judged postings")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--flags", action="store_true", help="list every posting with a flag")
    args = parser.parse_args(argv)

    postings = read_postings()
    judgements = read_judgements()
    known = {(posting.file, posting.row) for posting in postings}
    stale = sorted(key for key in judgements if key not in known)
    if stale:
        sys.exit(f"measure_compliance: judged rows not in the files: {stale[:5]}")

    started = time.perf_counter()
    flags = {(p.file, p.row): _gender_flags(p.text) for p in postings}
    elapsed = time.perf_counter() - started
    candidates = {
        (p.file, p.row): any(near for _, _, near in gender_tokens(p.text))
        for p in postings
        if GENDER_TOKEN.search(p.text)
    }

    if args.review:
        for posting in postings:
            key = (posting.file, posting.row)
            if key in candidates and key not in judgements:
                _show(posting)
                print(f"    row for the table: {posting.file}\t{posting.row}\t?\t")
        return 0
    if args.sample:
        judged = [p for p in postings if (p.file, p.row) in judgements]
        for posting in random.Random(args.seed).sample(judged, min(args.sample, len(judged))):
            _show(posting, judgements[(posting.file, posting.row)])
        return 0
    if args.flags:
        for posting in postings:
            if flags[(posting.file, posting.row)]:
                _show(posting, judgements.get((posting.file, posting.row), "unjudged"))
        return 0

    by_kind: dict[str, list[tuple[str, int]]] = {kind: [] for kind in JUDGEMENT_KINDS}
    for key, judgement in judgements.items():
        by_kind[judgement].append(key)
    files = Counter(posting.file for posting in postings)
    print(f"postings: {len(postings)} ({', '.join(f'{f} {n}' for f, n in files.items())})")
    near = sum(candidates.values())
    print(f"candidates (any gender token): {len(candidates)}, near a requirement cue: {near}")
    unjudged = [key for key in candidates if key not in judgements]
    print(f"judged: {len(judgements)} ({', '.join(f'{k} {len(v)}' for k, v in by_kind.items())})")
    print(f"candidates not judged: {len(unjudged)}")
    print()
    caught = [key for key in by_kind["requirement"] if flags[key]]
    print(
        f"recall on postings stating a gender requirement: "
        f"{_share(len(caught), len(by_kind['requirement']))}   (target ≥ 95 %)"
    )
    for key in by_kind["requirement"]:
        if not flags[key]:
            print(f"    missed: {key[0]} row {key[1]}")
    alarms = [key for key in by_kind["any_gender"] if flags[key]]
    print(
        f"false alarms on 男女不限-type postings: {_share(len(alarms), len(by_kind['any_gender']))}"
        "   (target 0)"
    )
    other = [key for key in by_kind["other"] if flags[key]]
    print(
        "flags on other gender mentions (no requirement): "
        + _share(len(other), len(by_kind["other"]))
    )
    for key in alarms + other:
        print(f"    false alarm: {key[0]} row {key[1]} {flags[key]}")
    unjudged_flagged = [key for key in unjudged if flags[key]]
    print(f"flags on unjudged candidates: {len(unjudged_flagged)}")
    outside = [key for key, rules in flags.items() if rules and key not in candidates]
    print(
        f"flags outside the candidates: {len(outside)}"
        "   (0 = the candidate search covers the rules)"
    )
    print()
    rules = Counter(rule for key in by_kind["requirement"] for rule in flags[key])
    print(f"rules that fired on the requirements: {dict(rules.most_common())}")
    print(f"check_compliance over all postings: {elapsed:.2f} s ({len(postings) / elapsed:,.0f}/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
