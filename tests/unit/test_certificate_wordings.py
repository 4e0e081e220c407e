"""The blind certificate wordings (``tests/data/parsers/certificate_wordings.tsv``): how postings
and résumés name certificates, each with the codes it means, labelled before the table was read.
The share read right may only rise; ``benchmarks/measure_certificates.py`` prints it and lists
the misses."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from features.parsers import find_certificates
from features.resume import parse_resume
from matcher.intake.completion import certificate_aliases
from matcher.intake.lexicon import resume_vocabulary

WORDINGS = Path(__file__).resolve().parent.parent / "data" / "parsers" / "certificate_wordings.tsv"
FLOOR = {"vacancy": 0.87, "resume": 0.93}
"""Shares read right when the set was committed: postings 85 of 100, résumés 49 of 60 (before
the aliases and negations it brought: 67 and 38); since: 86 and 56 (执业药师, 公共营养师,
自动挡驾照; 考了一半 and 笔试过 deny what they follow)."""


@dataclass(frozen=True, slots=True)
class Wording:
    line: int
    side: str
    text: str
    expected: tuple[frozenset[str], ...]


def _codes(cell: str) -> frozenset[str]:
    return frozenset() if cell.strip() in ("", "-") else frozenset(cell.strip().split(";"))


def read_wordings(path: Path = WORDINGS) -> list[Wording]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [
            (number, line) for number, line in enumerate(handle, 1) if not line.startswith("#")
        ]
    reader = csv.DictReader((line for _, line in lines), delimiter="\t", quoting=csv.QUOTE_NONE)
    wordings = []
    for (number, _), row in zip(lines[1:], reader, strict=True):
        if row["side"] == "vacancy":
            expected = (_codes(row["required"]), _codes(row["preferred"]))
        elif row["side"] == "resume":
            expected = (_codes(row["held"]),)
        else:
            raise ValueError(f"line {number}: side {row['side']!r} is not vacancy or resume")
        wordings.append(Wording(number, row["side"], row["text"], expected))
    return wordings


def read_codes(wording: Wording) -> tuple[frozenset[str], ...]:
    """What the readers make of one wording: (required, preferred) of a posting, (held,) of a
    résumé."""
    if wording.side == "vacancy":
        found = find_certificates(wording.text, certificate_aliases())
        return frozenset(found.required), frozenset(found.preferred)
    fields = parse_resume(wording.text, resume_vocabulary(), reference_year=2022)
    return (frozenset(reading.value for reading in fields.certificates),)


def test_the_wordings_are_labelled_with_known_codes() -> None:
    known = set(certificate_aliases().values())
    wordings = read_wordings()
    assert {w.side for w in wordings} == {"vacancy", "resume"} and len(wordings) >= 150
    for wording in wordings:
        unknown = set().union(*wording.expected) - known
        assert not unknown, f"line {wording.line}: {sorted(unknown)}"


def test_the_share_of_wordings_read_right_does_not_fall() -> None:
    wordings = read_wordings()
    for side, floor in FLOOR.items():
        ours = [w for w in wordings if w.side == side]
        wrong = [w for w in ours if read_codes(w) != w.expected]
        share = 1 - len(wrong) / len(ours)
        assert share >= floor, (side, share, [(w.line, w.text) for w in wrong])
