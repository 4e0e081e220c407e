"""The blind résumé wordings (``tests/data/parsers/education_wordings.tsv``,
``place_wordings.tsv``, ``occupation_wordings.tsv``, ``experience_wordings.tsv``): how seekers
state their schooling, their places, the jobs they want, their years of work and their age, in
written résumés and at the counter, labelled before the reader was read. The share read right may
only rise; ``benchmarks/measure_resume.py`` prints it (``--errors`` lists the misses)."""

from __future__ import annotations

import pytest

from features.resume import parse_resume
from matcher.intake.lexicon import resume_vocabulary
from tests.conftest import read_records
from tests.unit.test_resume import REFERENCE_YEAR, _check_number, _check_occupations, _value

FLOOR = {
    ("education", "formal"): 0.92,
    ("education", "walkin"): 0.88,
    ("home", "formal"): 0.86,
    ("home", "walkin"): 0.88,
    ("accepts", "formal"): 0.83,
    ("accepts", "walkin"): 0.8,
    ("occupations", "formal"): 0.84,
    ("occupations", "walkin"): 0.76,
    ("experience", "formal"): 0.9,
    ("experience", "walkin"): 0.84,
    ("age", "formal"): 1.0,
    ("age", "walkin"): 0.94,
}
"""Shares read right when the sets were committed (education 56 of 60 and 53 of 60, home 47 of 50
and 56 of 70, accepted places 43 of 50 and 52 of 70; before the fixes they brought 45, 40, 47,
49, 21 and 31). Wished jobs, all items read and nothing else: 79 of 90 written and 91 of 110
spoken when committed, 71 and 86 before; a second hundred of each (session 29) was read 80 and 77
of 100 when written, 86 and 89 after its fixes (166 of 190 and 184 of 210 in all); a third
(session 30: 100 written, 200 spoken) 79 of 100 and 141 of 200 when written, 83 and 156 after its
fixes; then 100 seekers each written as a résumé and as said at the counter (session 30), 51 and
57 of 100 when written, 73 and 62 after the fixes (322 of 390 and 402 of 510 in all; 405 of 510
once workplaces listed after a wished job say where it is). Session 31: 150 more seekers
written twice, read 80 and 93 of 150 when written and 125 and 107 after the fixes; then 100 more
(platform field exports and 问/答 dialogues; campaign fairs), read 54 and 53 when written, 63
and 53 after the first fixes and 85 and 63 after their own (539 of 640 and 582 of 760 in all).
Years of work (within a year) and age: 68 and 60, 70 and 68 of 70 each when committed; 60 and
54, 69 and 57 before. Session 29
added blind rows with more traps (relatives' places, years and schooling; places refused; time at
home): written and spoken, home 34 and 48 of 45 and 55 when written, 35 and 49 after their fixes;
accepted places 32 and 36, then 36 and 41; years of work 33 and 37, then 36 and 45; age 44 and
48, then 45 and 50; education 25 and 26 of 30 each, then 27 and 27."""


def read_wordings() -> list[tuple[str, str, str, bool]]:
    """(field, register, text, read right) of every labelled wording."""
    vocabulary = resume_vocabulary()
    results = []
    for row in read_records("parsers/education_wordings.tsv"):
        found = parse_resume(row["text"], vocabulary, reference_year=2022).education
        got = str(found.value) if found else "-"
        results.append(("education", row["register"], row["text"], got == row["level"]))
    for row in read_records("parsers/place_wordings.tsv"):
        fields = parse_resume(row["text"], vocabulary, reference_year=2022)
        home = fields.home_region.value if fields.home_region else "-"
        results.append(("home", row["register"], row["text"], home == row["home_code"]))
        got = {reading.value for reading in fields.desired_regions}
        codes = row["accepts_codes"]
        want = set() if codes in ("-", "*") else set(codes.split(";"))  # anywhere: no limit read
        results.append(("accepts", row["register"], row["text"], got == want))
    for row in read_records("parsers/occupation_wordings.tsv"):
        fields = parse_resume(row["text"], vocabulary, reference_year=2022)
        right = _check_occupations(fields, "" if row["occupations"] == "-" else row["occupations"])
        results.append(("occupations", row["register"], row["text"], right))
    for row in read_records("parsers/experience_wordings.tsv"):
        fields = parse_resume(row["text"], vocabulary, reference_year=REFERENCE_YEAR)
        age = _value(fields.age)
        if age is None and isinstance(born := _value(fields.birth_year), int):
            age = REFERENCE_YEAR - born
        for field, value, want in (
            ("experience", _value(fields.experience_years), row["experience_years"]),
            ("age", age, row["age"]),
        ):
            right = _check_number(value, want, tolerance=1)  # within a year
            results.append((field, row["register"], row["text"], right))
    return results


@pytest.fixture(scope="module")
def wordings() -> list[tuple[str, str, str, bool]]:
    return read_wordings()


@pytest.mark.parametrize(("field", "register"), sorted(FLOOR))
def test_the_share_read_right_does_not_fall(
    field: str, register: str, wordings: list[tuple[str, str, str, bool]]
) -> None:
    ours = [(text, right) for f, r, text, right in wordings if (f, r) == (field, register)]
    assert len(ours) >= 50
    share = sum(right for _, right in ours) / len(ours)
    assert share >= FLOOR[field, register], [text for text, right in ours if not right]
