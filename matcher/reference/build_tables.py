"""Derive the shipped reference tables from the public source files.

Maintainers run this when a source table changes; the shipped CSVs are its output and the tests
check that they still agree with the sources (when ``../shared/data`` is present)::

    python -m matcher.reference.build_tables ../shared/data/reference

Only facts are shipped (codes, names, hierarchy); definitions and task texts stay in the source.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).parent


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(name: str, header: list[str], rows: list[list[str]]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build_regions(source: Path) -> None:
    """regions.csv: code, name, level (province, city, county), parent."""
    divisions = source / "admin_divisions"
    rows: list[list[str]] = []
    for row in _read(divisions / "provinces.csv"):
        rows.append([row["code"], row["name"], "province", ""])
    for row in _read(divisions / "cities.csv"):
        rows.append([row["code"], row["name"], "city", row["provinceCode"]])
    for row in _read(divisions / "areas.csv"):
        rows.append([row["code"], row["name"], "county", row["cityCode"]])
    _write("regions.csv", ["code", "name", "level", "parent"], rows)
    towns = [
        [row["code"], row["name"], row["areaCode"]]
        for row in _read(divisions / "suining_towns.csv")
    ]
    _write("suining_towns.csv", ["code", "name", "county"], towns)


def build_occupations(source: Path) -> None:
    """occupations.csv: 大典 2022 code, name, marker and the major/mid/minor hierarchy."""
    header = [
        "occ_code",
        "occ_name",
        "marker",
        "major_code",
        "major_name",
        "mid_code",
        "mid_name",
        "minor_code",
        "minor_name",
        "work_types",
    ]
    rows = [
        [
            row["occ_code"],
            row["occ_name"],
            row["marker"],
            row["major_code"],
            row["major_name"],
            row["mid_code"],
            row["mid_name"],
            row["minor_code"],
            row["minor_name"],
            row["included_work_types"].replace("‖", ";"),
        ]
        for row in _read(source / "occupations_2022.csv")
    ]
    _write("occupations.csv", header, rows)


def build_industries(source: Path) -> None:
    """industries.csv: GB/T 4754-2017 sections (门类) and divisions (大类)."""
    rows = []
    for row in _read(source / "industry_gbt4754_2017.csv"):
        if row["level"] == "1":
            rows.append([row["section"], row["name"], "section", ""])
        elif row["level"] == "2":
            rows.append([row["division"], row["name"], "division", row["section"]])
    _write("industries.csv", ["code", "name", "level", "section"], rows)


def build_education(source: Path) -> None:
    """education.csv: GB/T 4658-2006 codes with their group."""
    rows = [
        [row["code"], row["name"], row["level_group"]]
        for row in _read(source / "education_gbt4658_2006.csv")
    ]
    _write("education.csv", ["code", "name", "level_group"], rows)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m matcher.reference.build_tables SOURCE_DIR", file=sys.stderr)
        return 2
    source = Path(args[0])
    build_regions(source)
    build_occupations(source)
    build_industries(source)
    build_education(source)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
