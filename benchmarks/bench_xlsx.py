"""The fair workbook (``matches.xlsx``): the project's SpreadsheetML writer beside openpyxl's
write-only mode, on the same rows, in one run.

The workbook holds every shortlist row twice (求职者清单 and the county sheets) and every
invitation row once (a sheet per booth), so a city's batch writes millions of cells; with
openpyxl that was most of the batch's writing time (cProfile of a 4,000 × 20,000 run: 55 of the
61 s in ``write_files``). Rows here are synthetic but shaped like a batch's (ids, Chinese
titles, employers, reasons; 1,500 booths). Both workbooks are read back with openpyxl and
compared cell by cell.

    python benchmarks/bench_xlsx.py [--seekers 20000] [--k 10] [--invitations 100000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matcher.fairs import output
from matcher.fairs.output import CandidateRow, ShortlistRow, write_xlsx

COUNTIES = ("船山区", "安居区", "射洪市", "蓬溪县", "大英县")
TITLES = ("焊工", "普工（电子厂）", "保安", "货车司机", "养老护理员", "电商客服", "仓库管理员")


def rows(seekers: int, k: int, invitations: int) -> tuple[list[ShortlistRow], list[CandidateRow]]:
    chance = random.Random(7)
    shortlists = [
        ShortlistRow(
            seeker_id=f"S{s:07d}",
            rank=rank,
            vacancy_id=f"V{chance.randrange(20_000):07d}",
            title=chance.choice(TITLES),
            employer_id=f"E{chance.randrange(1_500):05d}",
            employer="遂宁某某制造有限公司",
            county=chance.choice(COUNTIES),
            booth=f"A{chance.randrange(1_500)}",
            time="2022-10-08 09:00-12:00",
            score=round(chance.random(), 4),
            reason="技能匹配：焊工证；通勤：同在船山区；薪资：5000-7000",
        )
        for s in range(seekers)
        for rank in range(1, k + 1)
    ]
    candidates = [
        CandidateRow(
            vacancy_id=f"V{i // 20:07d}",
            employer_id=f"E{(i // 20) % 1_500:05d}",
            employer="遂宁某某制造有限公司",
            booth=f"A{(i // 20) % 1_500}",
            county=chance.choice(COUNTIES),
            rank=i % 20 + 1,
            seeker_id=f"S{chance.randrange(seekers):07d}",
            score=round(chance.random(), 4),
            seeker_county=chance.choice(COUNTIES),
            age_band="30-39",
            education="中专",
            experience_years=float(chance.randrange(20)),
            skills="电焊；氩弧焊",
            certificates="熔化焊接与热切割作业证",
            reason="技能匹配：焊工证",
        )
        for i in range(invitations)
    ]
    return shortlists, candidates


def openpyxl_baseline(
    path: Path, shortlists: Sequence[ShortlistRow], candidates: Sequence[CandidateRow]
) -> None:
    """The same sheets through openpyxl's write-only mode (what the batch used before)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    taken: set[str] = set()

    def sheet(title: str, kind: type, items: Sequence[Any]) -> None:
        columns = output._columns(kind, include_contacts=False)
        ws = book.create_sheet(output.sheet_name(title, taken))
        ws.freeze_panes = "A2"
        header = []
        for text in output.column_headers(columns, "zh"):
            cell = WriteOnlyCell(ws, value=text)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in items:
            ws.append(output._xlsx_values(row, columns))

    sheet(output.SHORTLIST_SHEET, ShortlistRow, shortlists)
    by_county: dict[str, list[ShortlistRow]] = {}
    for row in shortlists:
        by_county.setdefault(row.county, []).append(row)
    for county, items in by_county.items():
        sheet(output.COUNTY_SHEET_PREFIX + county, ShortlistRow, items)
    by_booth: dict[str, list[CandidateRow]] = {}
    for cand in candidates:
        by_booth.setdefault(f"{cand.booth} {cand.employer}", []).append(cand)
    for title, items in by_booth.items():
        sheet(output.INVITE_SHEET_PREFIX + title, CandidateRow, items)
    book.save(path)


def cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    finally:
        book.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=20_000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--invitations", type=int, default=100_000)
    args = parser.parse_args()
    shortlists, candidates = rows(args.seekers, args.k, args.invitations)
    cells_written = (2 * len(shortlists) * 11) + len(candidates) * 15
    with tempfile.TemporaryDirectory() as folder:
        ours, theirs = Path(folder) / "ours.xlsx", Path(folder) / "openpyxl.xlsx"
        started = time.perf_counter()
        write_xlsx(ours, shortlists, candidates)
        ours_s = time.perf_counter() - started
        started = time.perf_counter()
        openpyxl_baseline(theirs, shortlists, candidates)
        theirs_s = time.perf_counter() - started
        same = sorted(map(sorted, cells(ours).values())) == sorted(
            map(sorted, cells(theirs).values())
        )
        print(
            f"matches.xlsx: {len(shortlists):,} shortlist rows (twice) and {len(candidates):,} "
            f"invitation rows, {cells_written / 1e6:.1f} M cells"
        )
        for label, seconds, path in (
            ("openpyxl write-only (baseline)", theirs_s, theirs),
            ("jobmatch SpreadsheetML writer ", ours_s, ours),
        ):
            print(f"  {label}: {seconds:6.1f} s, {path.stat().st_size / 1e6:.1f} MB")
        print(f"  {theirs_s / ours_s:.1f}× faster; same cells read back: {same}")


if __name__ == "__main__":
    main()
