"""The real-text evaluation set (``tests/data/realtext/``): load it, write it as pairs files.

Usage::

    .venv/bin/python benchmarks/realtext.py --out var/realtext            # one file per register
    .venv/bin/python benchmarks/realtext.py --out var/realtext --fields   # + structured columns

Writes ``realtext_formal.csv`` and ``realtext_walkin.csv``: every seeker × every vacancy in the
pairs format ``jobmatch train --pairs`` and ``jobmatch score-pairs`` read (``docs/training.md``):
``query_id`` (the seeker), ``resume_text`` (the seeker in that register), ``vacancy_text``,
``label`` (the hand grade 0–3, see ``tests/data/realtext/RUBRIC.md``), ``seeker_id``,
``vacancy_id``. With ``--fields`` also the seeker's ``region``, ``education``, ``birth_year``,
``priority_groups`` and ``query_date`` (2022-06-15), and the vacancy's ``vacancy_title`` and, for
our own 遂宁 postings, ``vacancy_region``.

Real postings are referenced in ``vacancies.tsv`` by file and row (the 1-based data record after
the header) and read from ``../shared/data/vacancies/`` here, at run time; their text is never
committed. When that folder is absent they are left out, with their grades, and
:attr:`RealTextSet.real_skipped` says how many.
"""

from __future__ import annotations

import argparse
import ast
import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET_DIR = ROOT / "tests" / "data" / "realtext"
TUNE_DIR = ROOT / "tests" / "data" / "realtext_tune"
"""The tuning set: other seekers, graded by the same rubric against the same vacancies (its
folder has no ``vacancies.tsv``; :data:`SET_DIR`'s is read). Choices of weights are made on it,
so the evaluation set stays unseen."""
SETS = {"eval": SET_DIR, "tune": TUNE_DIR}
SHARED_VACANCIES = ROOT.parent / "shared" / "data" / "vacancies"
REGISTERS = ("formal", "walkin")
QUERY_DATE = "2022-06-15"
REAL_FILES = ("it_jobs_2019.csv", "listings_51job_2021.csv")

PAIRS_COLUMNS = ("query_id", "resume_text", "vacancy_text", "label", "seeker_id", "vacancy_id")
FIELD_COLUMNS = (
    "query_date",
    "region",
    "education",
    "birth_year",
    "priority_groups",
    "vacancy_title",
    "vacancy_region",
)


@dataclass(frozen=True, slots=True)
class Seeker:
    """One seeker of the set, in both registers, with the few structured fields it carries."""

    seeker_id: str
    priority_groups: tuple[str, ...]
    region: str
    accepts: tuple[str, ...]
    education: str
    birth_year: int
    texts: dict[str, str]


@dataclass(frozen=True, slots=True)
class Vacancy:
    """One vacancy: ours (``source == "own"``) or a real posting read from ../shared/data."""

    vacancy_id: str
    source: str
    row: int | None
    title: str
    region: str
    text: str


@dataclass(frozen=True, slots=True)
class RealTextSet:
    """Seekers, the vacancies available here, and grades for every pair of them."""

    seekers: tuple[Seeker, ...]
    vacancies: tuple[Vacancy, ...]
    grades: dict[tuple[str, str], int]
    real_skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def pairs(self, register: str, *, fields: bool = False) -> Iterator[dict[str, str]]:
        """The labelled pairs of one register as pairs-file rows, seeker by seeker."""
        if register not in REGISTERS:
            raise ValueError(f"register {register!r} is not one of {REGISTERS}")
        for seeker in self.seekers:
            for vacancy in self.vacancies:
                row = {
                    "query_id": seeker.seeker_id,
                    "resume_text": seeker.texts[register],
                    "vacancy_text": vacancy.text,
                    "label": str(self.grades[(seeker.seeker_id, vacancy.vacancy_id)]),
                    "seeker_id": seeker.seeker_id,
                    "vacancy_id": vacancy.vacancy_id,
                }
                if fields:
                    row |= {
                        "query_date": QUERY_DATE,
                        "region": seeker.region,
                        "education": seeker.education,
                        "birth_year": str(seeker.birth_year),
                        "priority_groups": ";".join(seeker.priority_groups),
                        "vacancy_title": vacancy.title,
                        "vacancy_region": vacancy.region if vacancy.source == "own" else "",
                    }
                yield row


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _attribute_items(text: str) -> list[str]:
    try:
        items = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return [text]
    return [str(item) for item in items] if isinstance(items, list) else [text]


def _real_text(file: str, record: dict[str, str]) -> tuple[str, str]:
    """(title, vacancy text) of a real posting, composed from its columns."""
    if file == "it_jobs_2019.csv":
        title = record["title"]
        place = record["city"] + (f"-{record['district']}" if record["district"] else "")
        lines = [
            title,
            record["company"],
            f"工作地点：{place}",
            f"学历：{record['education']}；经验：{record['experience']}；薪资：{record['salary_text']}",
            record["description"],
        ]
    else:
        title = record["job_name"]
        lines = [
            title,
            f"{record['company_name']}（{record['companytype_text']}）",
            "，".join(_attribute_items(record["attribute_text"])),
            f"薪资：{record['providesalary_text']}",
            f"福利：{record['jobwelf']}",
        ]
    return title, "\n".join(line for line in lines if line.strip())


def _read_real(wanted: dict[str, set[int]], shared: Path) -> dict[tuple[str, int], tuple[str, str]]:
    csv.field_size_limit(sys.maxsize)
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for file, rows in wanted.items():
        with (shared / file).open(encoding="utf-8", newline="") as handle:
            for number, record in enumerate(csv.DictReader(handle), start=1):
                if number in rows:
                    found[(file, number)] = _real_text(file, record)
    return found


def load(set_dir: Path = SET_DIR, shared: Path = SHARED_VACANCIES) -> RealTextSet:
    """Read the set; real postings come from ``shared`` and are left out when it is absent. A
    set folder without its own ``vacancies.tsv`` (the tuning set) uses :data:`SET_DIR`'s."""
    seekers = tuple(
        Seeker(
            seeker_id=row["seeker_id"],
            priority_groups=tuple(row["priority_groups"].split(";")),
            region=row["region"],
            accepts=tuple(row["accepts"].split(";")),
            education=row["education"],
            birth_year=int(row["birth_year"]),
            texts={register: row[register] for register in REGISTERS},
        )
        for row in _read_tsv(set_dir / "seekers.tsv")
    )
    own_vacancies = set_dir / "vacancies.tsv"
    vacancy_rows = _read_tsv(own_vacancies if own_vacancies.exists() else SET_DIR / "vacancies.tsv")
    real_rows = [row for row in vacancy_rows if row["source"] != "own"]
    for row in real_rows:
        if row["source"] not in REAL_FILES:
            raise ValueError(f"vacancy {row['vacancy_id']}: unknown source {row['source']!r}")
    available = all((shared / file).exists() for file in REAL_FILES)
    real: dict[tuple[str, int], tuple[str, str]] = {}
    if available:
        wanted: dict[str, set[int]] = {}
        for row in real_rows:
            wanted.setdefault(row["source"], set()).add(int(row["row"]))
        real = _read_real(wanted, shared)
    vacancies: list[Vacancy] = []
    for row in vacancy_rows:
        if row["source"] == "own":
            text = f"{row['title']}\n{row['text']}"
            vacancies.append(
                Vacancy(row["vacancy_id"], "own", None, row["title"], row["region"], text)
            )
        elif available:
            key = (row["source"], int(row["row"]))
            if key not in real:
                raise ValueError(f"vacancy {row['vacancy_id']}: {key[0]} has no row {key[1]}")
            title, text = real[key]
            vacancies.append(Vacancy(row["vacancy_id"], key[0], key[1], title, "", text))
    kept = {vacancy.vacancy_id for vacancy in vacancies}
    grades: dict[tuple[str, str], int] = {}
    for row in _read_tsv(set_dir / "grades.tsv"):
        grade = int(row["grade"])
        if not 0 <= grade <= 3:
            raise ValueError(f"grade {grade} of {row['seeker_id']} × {row['vacancy_id']} ∉ 0–3")
        if row["vacancy_id"] in kept:
            grades[(row["seeker_id"], row["vacancy_id"])] = grade
    missing = [
        (seeker.seeker_id, vacancy.vacancy_id)
        for seeker in seekers
        for vacancy in vacancies
        if (seeker.seeker_id, vacancy.vacancy_id) not in grades
    ]
    if missing:
        raise ValueError(f"{len(missing)} pairs have no grade, e.g. {missing[:3]}")
    notes = [] if available else [f"{shared} absent: {len(real_rows)} real postings left out"]
    return RealTextSet(
        seekers,
        tuple(vacancies),
        grades,
        real_skipped=0 if available else len(real_rows),
        notes=notes,
    )


def write_pairs(data: RealTextSet, register: str, path: Path, *, fields: bool = False) -> int:
    """Write one register's pairs file (UTF-8 CSV); returns the number of rows."""
    columns = PAIRS_COLUMNS + (FIELD_COLUMNS if fields else ())
    rows = list(data.pairs(register, fields=fields))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the pairs files")
    parser.add_argument("--fields", action="store_true", help="add the structured columns")
    parser.add_argument(
        "--set", choices=sorted(SETS), default="eval", help="the evaluation or the tuning set"
    )
    args = parser.parse_args(argv)
    data = load(SETS[args.set])
    for note in data.notes:
        print(f"note: {note}")
    for register in REGISTERS:
        path = args.out / f"realtext_{register}.csv"
        count = write_pairs(data, register, path, fields=args.fields)
        print(
            f"{path}: {count} pairs ({len(data.seekers)} seekers × {len(data.vacancies)} vacancies)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
