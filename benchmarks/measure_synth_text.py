"""Measure how readable and how real the generator's texts are.

Usage::

    .venv/bin/python benchmarks/measure_synth_text.py               # 2,000 seekers, 500 vacancies
    .venv/bin/python benchmarks/measure_synth_text.py --seekers 5000 --seed 7

Prints, for seekers of :func:`matcher.synth.generate_dataset`:

- the share of each register (formal written résumés: several lines; walk-in speech: one line)
  and their lengths (P10, median, P90 characters);
- per register, how often :func:`features.resume.parse_resume` recovers each structured field
  of the seeker from the résumé text alone (a field the seeker has: desired occupation, education,
  experience, certificates, skills, place, expected salary, age or birth year), and how often a
  walk-in text names one of the seeker's exact desired titles;

and the length of the generated vacancy descriptions beside the real postings of
``../shared/data/vacancies/it_jobs_2019.csv`` (median 345 characters; skipped when absent).

What "recovered" means, per seeker with the field:

desired occupation
    a parsed desired occupation has one of the seeker's 大典 codes (``code``) or the same 小类,
    the first three parts of the code (``minor``).
education
    the parsed level equals the seeker's.
experience
    within a year of the seeker's years, or the seeker's years within the range an approximate
    wording means (``十几年`` → 11–19).
certificates, skills
    the share of the seeker's certificates (skills) among those parsed (recall over all held);
    ``certificates exact`` counts seekers whose parsed set is exactly theirs.
place
    the parsed home county is the seeker's, or a parsed wish names one of the seeker's desired
    regions.
salary
    the lowest parsed wish is the seeker's expected salary.
age
    the parsed age (or the parsed birth year) gives the seeker's age in 2022, approximate
    wording (``五十多岁``) counting when the age is in its range.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from features.resume import ResumeFields, parse_resume  # noqa: E402
from matcher.domain.records import Seeker  # noqa: E402
from matcher.intake.lexicon import resume_vocabulary  # noqa: E402
from matcher.reference import certificates as certificate_table  # noqa: E402
from matcher.synth import TITLES, generate_dataset  # noqa: E402
from matcher.synth.schedule import REFERENCE_YEAR  # noqa: E402

REAL_POSTINGS = ROOT.parent / "shared" / "data" / "vacancies" / "it_jobs_2019.csv"
REAL_MEDIAN = 345
"""Median description length of the real postings (the data README)."""
APPROXIMATE_WORDS = ("几", "多", "来")


def register(seeker: Seeker) -> str:
    """``walk-in`` for one-line speech, ``formal`` for a written résumé of several lines."""
    return "walk-in" if "\n" not in seeker.resume_text.strip() else "formal"


def percentiles(values: Sequence[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    if not ordered:
        return (0.0, 0.0, 0.0)

    def at(share: float) -> float:
        return float(ordered[min(len(ordered) - 1, int(share * len(ordered)))])

    return at(0.1), float(statistics.median(ordered)), at(0.9)


def _minor(code: str) -> str:
    return code.rsplit("-", 1)[0]


def _approximate(evidence: str) -> bool:
    return any(word in evidence for word in APPROXIMATE_WORDS)


def _in_range(parsed: float, true: float, evidence: str) -> bool:
    """True value read right: within a year, or within the range an approximate word means."""
    if abs(parsed - true) <= 1:
        return True
    return _approximate(evidence) and parsed <= true < parsed + 10


Check = Callable[[Seeker, ResumeFields], float | None]
"""A field's recovery for one seeker in [0, 1], or None when the seeker has no such field."""


def occupation_code(seeker: Seeker, parsed: ResumeFields) -> float | None:
    wanted = set(seeker.desired_occupations)
    return float(any(g.code in wanted for g in parsed.desired_occupations)) if wanted else None


def occupation_minor(seeker: Seeker, parsed: ResumeFields) -> float | None:
    wanted = {_minor(code) for code in seeker.desired_occupations}
    if not wanted:
        return None
    return float(any(_minor(g.code) in wanted for g in parsed.desired_occupations))


def education(seeker: Seeker, parsed: ResumeFields) -> float | None:
    if seeker.education is None:
        return None
    return float(parsed.education is not None and parsed.education.value == seeker.education)


def experience(seeker: Seeker, parsed: ResumeFields) -> float | None:
    if seeker.experience_years is None:
        return None
    reading = parsed.experience_years
    if reading is None:
        return 0.0
    return float(_in_range(reading.value, seeker.experience_years, reading.evidence))


def certificates(seeker: Seeker, parsed: ResumeFields) -> float | None:
    if not seeker.certificates:
        return None
    found = {reading.value for reading in parsed.certificates}
    return sum(code in found for code in seeker.certificates) / len(seeker.certificates)


def certificates_exact(seeker: Seeker, parsed: ResumeFields) -> float | None:
    if not seeker.certificates:
        return None
    return float({reading.value for reading in parsed.certificates} == set(seeker.certificates))


def skills(seeker: Seeker, parsed: ResumeFields) -> float | None:
    if not seeker.skills:
        return None
    found = {reading.value for reading in parsed.skills}
    return sum(skill.casefold() in found for skill in seeker.skills) / len(seeker.skills)


def place(seeker: Seeker, parsed: ResumeFields) -> float | None:
    if seeker.region is None:
        return None
    if parsed.home_region is not None and parsed.home_region.value == seeker.region:
        return 1.0
    wanted = set(seeker.desired_regions)
    return float(any(reading.value in wanted for reading in parsed.desired_regions))


def salary(seeker: Seeker, parsed: ResumeFields) -> float | None:
    if seeker.expected_salary is None:
        return None
    wish = parsed.expected_salary
    return float(wish is not None and wish.value.low == seeker.expected_salary)


def age(seeker: Seeker, parsed: ResumeFields) -> float | None:
    if seeker.birth_year is None:
        return None
    true = REFERENCE_YEAR - seeker.birth_year
    if parsed.birth_year is not None and parsed.birth_year.confidence >= 0.9:
        return float(parsed.birth_year.value == seeker.birth_year)
    if parsed.age is not None:
        return float(_in_range(parsed.age.value, true, parsed.age.evidence))
    return 0.0


CHECKS: dict[str, Check] = {
    "occupation code": occupation_code,
    "occupation minor": occupation_minor,
    "education": education,
    "experience": experience,
    "certificates": certificates,
    "certificates exact": certificates_exact,
    "skills": skills,
    "place": place,
    "salary": salary,
    "age": age,
}


@cache
def _certificate_words() -> tuple[str, ...]:
    words = {w for c in certificate_table().values() for w in (c.name, *c.aliases) if len(w) >= 3}
    return tuple(sorted(words, key=len, reverse=True))


def names_exact_title(seeker: Seeker, *, outside_certificates: bool = False) -> bool:
    """Whether the text holds one of the seeker's desired titles as posted (optionally not
    counting certificate names such as 保安证 or 电工证)."""
    text = seeker.resume_text
    if outside_certificates:
        for word in _certificate_words():
            text = text.replace(word, "#")
    return any(title in text for title in seeker.desired_titles)


def measure_seekers(seekers: Sequence[Seeker]) -> None:
    vocabulary = resume_vocabulary()
    by_register: dict[str, list[Seeker]] = {"formal": [], "walk-in": []}
    for seeker in seekers:
        by_register[register(seeker)].append(seeker)
    print(f"seekers: {len(seekers)}")
    for name, group in by_register.items():
        low, median, high = percentiles([len(s.resume_text) for s in group])
        print(
            f"  {name:<8} {len(group) / len(seekers):6.1%}  length P10 {low:.0f}  "
            f"median {median:.0f}  P90 {high:.0f}"
        )
    started = time.perf_counter()
    sums: dict[str, dict[str, float]] = {name: defaultdict(float) for name in by_register}
    counts: dict[str, Counter[str]] = {name: Counter() for name in by_register}
    for name, group in by_register.items():
        for seeker in group:
            parsed = parse_resume(seeker.resume_text, vocabulary, reference_year=REFERENCE_YEAR)
            for field, check in CHECKS.items():
                value = check(seeker, parsed)
                if value is not None:
                    sums[name][field] += value
                    counts[name][field] += 1
    seconds = time.perf_counter() - started
    print("\nfield recovered from the résumé text by features.resume.parse_resume:")
    print(f"  {'field':<20}" + "".join(f"{name:>22}" for name in by_register))
    for field in CHECKS:
        cells = []
        for name in by_register:
            total = counts[name][field]
            share = sums[name][field] / total if total else float("nan")
            cells.append(f"{share:>12.1%} of {total:>6}")
        print(f"  {field:<20}" + "".join(f"{cell:>22}" for cell in cells))
    walkin = by_register["walk-in"]
    if walkin:
        named = sum(names_exact_title(s) for s in walkin) / len(walkin)
        outside = sum(names_exact_title(s, outside_certificates=True) for s in walkin)
        print(
            f"\nwalk-in texts naming an exact desired title: {named:.1%} "
            f"({outside / len(walkin):.1%} outside certificate names)"
        )
    formal = by_register["formal"]
    if formal:
        named = sum(names_exact_title(s) for s in formal) / len(formal)
        print(f"formal résumés naming an exact desired title: {named:.1%}")
    print(f"(parsed {len(seekers)} résumés in {seconds:.1f} s)")


def real_lengths() -> list[int] | None:
    if not REAL_POSTINGS.is_file():
        return None
    with REAL_POSTINGS.open(encoding="utf-8", newline="") as handle:
        return [len(row["description"]) for row in csv.DictReader(handle) if row["description"]]


def measure_vacancies(descriptions: Sequence[str], titles: Sequence[str]) -> None:
    low, median, high = percentiles([len(text) for text in descriptions])
    print(f"\nvacancy descriptions: {len(descriptions)}")
    print(f"  generated  P10 {low:5.0f}  median {median:5.0f}  P90 {high:5.0f}")
    real = real_lengths()
    if real is None:
        print(f"  real       (absent: {REAL_POSTINGS}); its median is {REAL_MEDIAN}")
    else:
        low, median, high = percentiles(real)
        print(f"  real       P10 {low:5.0f}  median {median:5.0f}  P90 {high:5.0f}  ({len(real)})")
    plain = {spec.title for spec in TITLES}
    decorated = sum(title not in plain for title in titles) / len(titles)
    print(f"  titles other than a plain market title: {decorated:.1%}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=2000)
    parser.add_argument("--vacancies", type=int, default=500)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = generate_dataset(seekers=args.seekers, vacancies=args.vacancies, seed=args.seed)
    print(f"generated in {time.perf_counter() - started:.1f} s (seed {args.seed})\n")
    measure_seekers(data.seekers)
    measure_vacancies([v.description for v in data.vacancies], [v.title for v in data.vacancies])


if __name__ == "__main__":
    main()
