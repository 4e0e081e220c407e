"""Pair features: against a plain per-pair reference, hand-computed values, ranges, errors."""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Literal

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from features.pairwise import (
    FEATURE_NAMES,
    FEATURES,
    MODEL_FEATURE_NAMES,
    PAST_WORK,
    PAST_WORK_FIT,
    UNKNOWN_EDUCATION,
    RelatedOccupations,
    SeekerColumns,
    VacancyColumns,
    bm25_share,
    model_features,
    monotone_constraints,
    occupation_number,
    pair_features,
)
from features.vectorize import TextVectorizer

TODAY = 19_300
COUNTIES = np.array([510903, 510904, 510921, 510923, 510981, 510104, 510107, 500101])
DESIRED_CHOICES = np.concatenate([COUNTIES, [510900, 510100, 510000, 500000]])
OCCUPATIONS = np.array([6310103, 6310102, 6310201, 6180204, 6180101, 4020101, 4020201, 2020704])
"""大典 codes as ints: pairs sharing the code, only the mid group (6-31, 6-18, 4-02) or only
the major group (6, 4), and none."""
RELATED = RelatedOccupations.of(
    [(6310103, 4020101, 0.6), (6180204, 2020704, 0.3), (4020201, 4020101, 0.9)]
)
"""A few curated links among OCCUPATIONS (symmetric)."""


def _binary_rows(rng: np.random.Generator, n: int, width: int, mean: float) -> Any:
    counts = rng.poisson(mean, n)
    rows = np.repeat(np.arange(n), counts)
    cols = rng.integers(0, width, counts.sum())
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_array((data, (rows, cols)), shape=(n, width))


def _text_rows(rng: np.random.Generator, n: int, kind: str, width: int, nnz: int) -> Any:
    if kind == "dense":
        rows = rng.standard_normal((n, width)).astype(np.float32)
    else:
        rows = sp.random_array(
            (n, width), density=nnz / width, format="csr", dtype=np.float32, rng=rng
        ).toarray()
        rows[rng.random(n) < 0.05] = 0.0  # some empty texts
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    unit = (rows / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    return unit if kind == "dense" else sp.csr_array(unit)


def _first(values: np.ndarray, value: float) -> np.ndarray:
    """``values`` with its first item set to ``value``."""
    values = values.astype(np.float64) if np.isnan(value) else values.copy()
    values[0] = value
    return values


def random_columns(
    seed: int,
    n_seekers: int,
    n_vacancies: int,
    text: Literal["sparse", "dense"] = "sparse",
    *,
    text_width: int = 64,
    text_nnz: int = 8,
    skill_width: int = 40,
    certificate_width: int = 12,
) -> tuple[SeekerColumns, VacancyColumns]:
    """Random but plausible columns, with unknowns, clipping cases and edge values."""
    rng = np.random.default_rng(seed)
    ns, nv = n_seekers, n_vacancies
    desired = rng.choice(DESIRED_CHOICES, (ns, 3))
    desired[rng.random((ns, 3)) < 0.4] = -1
    desired_occupations = rng.choice(OCCUPATIONS, (ns, 2))
    desired_occupations[rng.random((ns, 2)) < 0.4] = 0
    done = np.random.default_rng([seed, 1]).random((ns, 2)) < 0.3  # a stream of its own
    desired_occupations[done & (desired_occupations > 0)] += PAST_WORK  # done, not asked for
    seekers = SeekerColumns(
        region=np.where(rng.random(ns) < 0.15, 0, rng.choice(COUNTIES, ns)),
        desired_regions=desired,
        # the first seeker states no education, experience or age at all
        education=_first(
            np.where(rng.random(ns) < 0.15, UNKNOWN_EDUCATION, rng.integers(1, 7, ns)),
            UNKNOWN_EDUCATION,
        ),
        experience_years=_first(
            rng.choice([np.nan, 0.0, 0.5, 1.0, 3.0, 8.0, 15.0, 30.0, 45.0], ns), np.nan
        ),
        expected_salary=np.where(
            rng.random(ns) < 0.8, rng.choice([500.0, 2500.0, 4000.0, 6500.0, 30_000.0], ns), np.nan
        ),
        age=_first(np.where(rng.random(ns) < 0.15, np.nan, rng.integers(16, 76, ns)), np.nan),
        skills=_binary_rows(rng, ns, skill_width, 4.0),
        certificates=_binary_rows(rng, ns, certificate_width, 1.0),
        groups=np.where(rng.random(ns) < 0.5, rng.integers(0, 1 << 16, ns), 0),
        disabled=rng.random(ns) < 0.2,
        profile_vectors=_text_rows(rng, ns, text, text_width, text_nnz),
        desired_vectors=_text_rows(rng, ns, text, text_width, text_nnz // 2),
        desired_occupations=desired_occupations,
    )
    low = np.where(rng.random(nv) < 0.7, rng.choice([1000.0, 3000.0, 5000.0, 20_000.0], nv), np.nan)
    high = np.where(rng.random(nv) < 0.7, np.fmax(low, 0) + rng.choice([0.0, 2000.0], nv), np.nan)
    high[high < 500] = 4000.0
    age_min = np.where(rng.random(nv) < 0.5, rng.choice([16.0, 18.0, 25.0], nv), np.nan)
    age_max = np.where(rng.random(nv) < 0.5, rng.choice([35.0, 45.0, 60.0], nv), np.nan)
    vacancies = VacancyColumns(
        region=np.where(rng.random(nv) < 0.1, 0, rng.choice(COUNTIES, nv)),
        min_education=rng.integers(0, 7, nv),
        min_experience_years=rng.choice([0.0, 1.0, 3.0, 5.0, 40.0], nv),
        age_min=age_min,
        age_max=age_max,
        salary_min=low,
        salary_max=high,
        required_certificates=_binary_rows(rng, nv, certificate_width, 0.7),
        preferred_certificates=_binary_rows(rng, nv, certificate_width, 0.5),
        skills=_binary_rows(rng, nv, skill_width, 3.0),
        accessible=rng.random(nv) < 0.3,
        target_groups=np.where(rng.random(nv) < 0.5, rng.integers(0, 1 << 16, nv), 0),
        valid_from=np.where(rng.random(nv) < 0.1, -1, TODAY - rng.integers(-30, 500, nv)),
        employer_verified=np.where(rng.random(nv) < 0.1, np.nan, rng.random(nv) < 0.7),
        openings=rng.integers(1, 30, nv),
        applicants=np.where(rng.random(nv) < 0.1, -1, rng.integers(0, 300, nv)),
        description_vectors=_text_rows(rng, nv, text, text_width, text_nnz * 2),
        title_vectors=_text_rows(rng, nv, text, text_width, text_nnz // 2),
        occupation=np.where(rng.random(nv) < 0.8, rng.choice(OCCUPATIONS, nv), 0),
    )
    return seekers, vacancies


# --- the plain per-pair reference ----------------------------------------------------------


def _row(matrix: Any, i: int) -> dict[int, float]:
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    return dict(
        zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True)
    )


def _dot(left: Any, right: Any, i: int, j: int) -> float:
    if sp.issparse(left):
        a, b = _row(left, i), _row(right, j)
        return sum(value * b.get(key, 0.0) for key, value in a.items())
    return float(np.dot(left[i].astype(np.float64), right[j].astype(np.float64)))


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _covers(desired: int, region: int) -> bool:
    if desired == region:
        return True
    if desired % 100 == 0 and desired // 100 == region // 100:
        return True
    return desired % 10_000 == 0 and desired // 10_000 == region // 10_000


def _occupation_fit(desired: list[int], occupation: int) -> float:
    """From the doc: the share of the four levels (major, mid, minor, occupation) in common,
    a major group shared alone counting as none, 0.75 of it for past work; NaN when either
    side has no code."""
    if occupation == 0 or not desired:
        return math.nan
    target = f"{occupation:07d}"
    best = 0.0
    for code in desired:
        text = f"{code % PAST_WORK:07d}"
        levels = next(
            (depth for depth, cut in ((4, 7), (3, 5), (2, 3)) if text[:cut] == target[:cut]),
            0,
        )
        best = max(best, levels / 4 * (0.75 if code >= PAST_WORK else 1.0))
    return best


def reference_pair_features(
    seekers: SeekerColumns, vacancies: VacancyColumns, s: int, v: int, today: int
) -> list[float]:
    """The features of one pair in plain Python, written from the docs in FEATURES."""
    f: dict[str, float] = {}
    f["text_similarity"] = _clip(
        _dot(seekers.profile_vectors, vacancies.description_vectors, s, v), 0, 1
    )
    f["title_similarity"] = _clip(
        _dot(seekers.desired_vectors, vacancies.title_vectors, s, v), 0, 1
    )
    wanted = [int(code) for code in seekers.desired_occupations[s] if code > 0]
    occupation = int(vacancies.occupation[v])
    f["occupation_fit"] = _occupation_fit(wanted, occupation)
    links = {(6310103, 4020101): 0.6, (6180204, 2020704): 0.3, (4020201, 4020101): 0.9}
    links |= {(b, a): strength for (a, b), strength in links.items()}
    f["related_occupation"] = (
        max(links.get((code % PAST_WORK, occupation), 0.0) for code in wanted)
        if wanted and occupation
        else math.nan
    )
    has, wants = set(_row(seekers.skills, s)), set(_row(vacancies.skills, v))
    f["skill_coverage"] = len(has & wants) / len(wants) if wants else 0.0
    f["vacancy_lists_skills"] = float(bool(wants))
    held = set(_row(seekers.certificates, s))
    required = set(_row(vacancies.required_certificates, v))
    preferred = set(_row(vacancies.preferred_certificates, v))
    f["required_certificate_coverage"] = len(held & required) / len(required) if required else 1.0
    f["missing_required_certificates"] = min(len(required - held), 20)
    f["preferred_certificates_held"] = min(len(preferred & held), 20)
    minimum, level = int(vacancies.min_education[v]), int(seekers.education[s])
    if level == UNKNOWN_EDUCATION:
        f["education_gap"] = math.nan
    else:
        f["education_gap"] = 0.0 if minimum == 0 else _clip(level - minimum, -6, 6)
    years = float(seekers.experience_years[s]) - float(vacancies.min_experience_years[v])
    f["experience_gap"] = math.nan if math.isnan(years) else _clip(years, -20, 20)
    low, high = float(vacancies.salary_min[v]), float(vacancies.salary_max[v])
    if math.isnan(low) and math.isnan(high):
        mid = math.nan
    elif math.isnan(low) or math.isnan(high):
        mid = high if math.isnan(low) else low
    else:
        mid = (low + high) / 2
    expected = float(seekers.expected_salary[s])
    known = not math.isnan(mid) and not math.isnan(expected) and expected > 0 and mid > 0
    f["salary_fit"] = _clip(math.log(mid / expected), -1, 1) if known else math.nan
    f["salary_known"] = float(known)
    home, workplace = int(seekers.region[s]), int(vacancies.region[v])
    places_known = home > 0 and workplace > 0
    same_city = home // 100 == workplace // 100
    city_only = home % 100 == 0 or workplace % 100 == 0  # 遂宁 may or may not be 船山区
    county_known = places_known and not (city_only and same_city)
    f["same_county"] = float(home == workplace) if county_known else math.nan
    f["same_city"] = float(same_city) if places_known else math.nan
    desired = [int(code) for code in seekers.desired_regions[s] if code >= 0]
    wish_known = workplace > 0 and bool(desired)
    covered = any(_covers(code, workplace) for code in desired)
    f["in_desired_regions"] = float(covered) if wish_known else math.nan
    age = float(seekers.age[s])
    age_min, age_max = float(vacancies.age_min[v]), float(vacancies.age_max[v])
    outside = 0.0
    if not math.isnan(age_min) and age < age_min:
        outside = age_min - age
    if not math.isnan(age_max) and age > age_max:
        outside = age - age_max
    f["age_fit"] = 1.0 if outside <= 0 else max(-outside, -20.0)
    if math.isnan(age):
        f["age_fit"] = math.nan
    if seekers.disabled[s]:
        f["accessibility_fit"] = 1.0 if vacancies.accessible[v] else -1.0
    else:
        f["accessibility_fit"] = 0.0
    f["priority_group_match"] = float(int(seekers.groups[s]) & int(vacancies.target_groups[v]) != 0)
    start = int(vacancies.valid_from[v])
    f["freshness_days"] = _clip(today - start, 0, 366) if start >= 0 else math.nan
    f["employer_verified"] = float(vacancies.employer_verified[v])
    applicants = int(vacancies.applicants[v])
    openings = int(vacancies.openings[v])
    f["congestion"] = math.log1p(applicants / openings) if applicants >= 0 else math.nan
    misses = [
        level != UNKNOWN_EDUCATION and f["education_gap"] < 0,
        not math.isnan(years) and years < 0,
        not math.isnan(age) and outside > 0,
        bool(required - held),
    ]
    knowns = [
        level != UNKNOWN_EDUCATION,
        not math.isnan(years),
        not math.isnan(age),
        bool(required),
    ]
    f["requirements_unmet"] = float(sum(misses)) if any(knowns) else math.nan
    return [f[name] for name in FEATURE_NAMES]


# --- tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["sparse", "dense"])
def test_equals_the_per_pair_reference(text: Literal["sparse", "dense"]) -> None:
    seekers, vacancies = random_columns(7, 60, 40, text)
    rng = np.random.default_rng(8)
    s = rng.integers(0, len(seekers), 400)
    v = rng.integers(0, len(vacancies), 400)
    fast = pair_features(seekers, vacancies, s, v, today=TODAY, related=RELATED)
    slow = np.array(
        [
            reference_pair_features(seekers, vacancies, int(i), int(j), TODAY)
            for i, j in zip(s, v, strict=True)
        ]
    )
    assert fast.dtype == np.float32
    assert fast.shape == (400, len(FEATURE_NAMES))
    np.testing.assert_allclose(fast, slow, rtol=1e-5, atol=1e-6, equal_nan=True)
    # every kind of value occurs, so the comparison covered each branch
    for name, distinct in (
        ("salary_fit", 5),
        ("age_fit", 5),
        ("in_desired_regions", 2),
        ("occupation_fit", 4),
        ("related_occupation", 2),
        ("education_gap", 5),
        ("requirements_unmet", 3),
    ):
        column = fast[:, FEATURE_NAMES.index(name)]
        assert len(np.unique(column[~np.isnan(column)])) >= distinct, name
    for name, spec in FEATURES.items():  # each feature that may be unknown is, somewhere
        assert np.isnan(fast[:, FEATURE_NAMES.index(name)]).any() == spec.missing, name


def test_chunking_does_not_change_the_result() -> None:
    seekers, vacancies = random_columns(3, 30, 20)
    s, v = np.meshgrid(np.arange(30), np.arange(20), indexing="ij")
    whole = pair_features(seekers, vacancies, s.ravel(), v.ravel(), today=TODAY)
    chunked = pair_features(seekers, vacancies, s.ravel(), v.ravel(), today=TODAY, chunk_size=7)
    np.testing.assert_array_equal(whole, chunked)


def test_skipped_features_are_nan_and_the_others_unchanged() -> None:
    seekers, vacancies = random_columns(4, 30, 20)
    s, v = np.meshgrid(np.arange(30), np.arange(20), indexing="ij")
    whole = pair_features(seekers, vacancies, s.ravel(), v.ravel(), today=TODAY)
    skipped = ("title_similarity", "congestion")
    rows = pair_features(seekers, vacancies, s.ravel(), v.ravel(), today=TODAY, skip=skipped)
    columns = [FEATURE_NAMES.index(name) for name in skipped]
    kept = [j for j in range(len(FEATURE_NAMES)) if j not in columns]
    assert np.isnan(rows[:, columns]).all()
    np.testing.assert_array_equal(rows[:, kept], whole[:, kept])
    with pytest.raises(ValueError, match="skip names no pair feature"):
        pair_features(seekers, vacancies, s.ravel(), v.ravel(), today=TODAY, skip=["bm25x"])


def _one_hot(columns: list[int], width: int) -> Any:
    rows = np.zeros((len(columns), width), dtype=np.float32)
    for row, column in enumerate(columns):
        rows[row, column] = 1.0
    return sp.csr_array(rows)


def _binary(rows: list[list[int]], width: int) -> Any:
    dense = np.zeros((len(rows), width), dtype=np.float32)
    for i, row in enumerate(rows):
        dense[i, row] = 1.0
    return sp.csr_array(dense)


def test_hand_computed_pairs() -> None:
    seekers = SeekerColumns(
        region=[510921, 510903],
        desired_regions=[[510903, 510900], [-1, -1]],
        education=[1, 4],
        experience_years=[15.0, 0.0],
        expected_salary=[5500.0, np.nan],
        age=[42.0, 23.0],
        skills=_binary([[0, 1], [2]], 4),
        certificates=_binary([[0], []], 3),
        groups=[0b10, 0b01],
        disabled=[False, True],
        profile_vectors=np.array([[0.6, 0.8], [1.0, 0.0]], dtype=np.float32),
        desired_vectors=np.array([[1.0, 0.0], [0.0, 0.0]], dtype=np.float32),
        desired_occupations=[[6180204, 6310102], [0, 0]],
    )
    vacancies = VacancyColumns(
        region=[510903],
        min_education=[2],
        min_experience_years=[3.0],
        age_min=[20.0],
        age_max=[35.0],
        salary_min=[5000.0],
        salary_max=[7000.0],
        required_certificates=_binary([[0, 2]], 3),
        preferred_certificates=_binary([[1]], 3),
        skills=_binary([[0, 2, 3]], 4),
        accessible=[False],
        target_groups=[0b10],
        valid_from=[TODAY - 31],
        employer_verified=[True],
        openings=[3],
        applicants=[6],
        description_vectors=np.array([[0.0, 1.0]], dtype=np.float32),
        title_vectors=np.array([[0.6, 0.8]], dtype=np.float32),
        occupation=[6310103],
    )
    rows = pair_features(seekers, vacancies, [0, 1], [0, 0], today=TODAY)
    first = dict(zip(FEATURE_NAMES, rows[0].tolist(), strict=True))
    second = dict(zip(FEATURE_NAMES, rows[1].tolist(), strict=True))
    expected_first = {
        "text_similarity": 0.8,
        "title_similarity": 0.6,
        "occupation_fit": 0.75,
        "related_occupation": 0.0,
        "skill_coverage": 1 / 3,
        "vacancy_lists_skills": 1,
        "required_certificate_coverage": 0.5,
        "missing_required_certificates": 1,
        "preferred_certificates_held": 0,
        "education_gap": -1,
        "experience_gap": 12,
        "salary_fit": math.log(6000 / 5500),
        "salary_known": 1,
        "same_county": 0,
        "same_city": 1,
        "in_desired_regions": 1,
        "age_fit": -7,
        "accessibility_fit": 0,
        "priority_group_match": 1,
        "freshness_days": 31,
        "employer_verified": 1,
        "congestion": math.log(3),
        # an education below the minimum, an age outside the range, a required certificate
        "requirements_unmet": 3,
    }
    assert first == pytest.approx(expected_first, rel=1e-6)
    assert second["text_similarity"] == 0.0  # orthogonal
    assert second["title_similarity"] == 0.0  # no desired titles
    assert math.isnan(second["occupation_fit"])  # no desired occupations: unknown
    assert math.isnan(second["related_occupation"])
    assert second["skill_coverage"] == pytest.approx(1 / 3)
    assert second["education_gap"] == 2
    assert second["experience_gap"] == -3
    assert math.isnan(second["salary_fit"]) and second["salary_known"] == 0
    assert second["same_county"] == 1
    assert math.isnan(second["in_desired_regions"])  # the seeker lists no region: unknown
    assert second["age_fit"] == 1
    assert second["accessibility_fit"] == -1
    assert second["priority_group_match"] == 0
    assert second["required_certificate_coverage"] == 0
    assert second["missing_required_certificates"] == 2
    assert second["requirements_unmet"] == 2  # fewer years than asked; certificates missing


def test_occupation_number_encodes_the_four_levels() -> None:
    assert occupation_number("6-31-01-03") == 6_310_103
    assert occupation_number("2-02-07-04") == 2_020_704
    assert occupation_number("1-01-00-00") == 1_010_000
    assert occupation_number(None) == occupation_number("") == 0
    for bad in ("6-31-01", "6-31-01-x", "0-31-01-03", "6-310-01-03", "６-31-01-03"):
        with pytest.raises(ValueError, match="is not a 职业分类大典 code"):
            occupation_number(bad)


def test_occupation_fit_by_hand() -> None:
    """Exact 1, same mid group 0.5, the same major group alone 0 (too broad to say two jobs
    are alike), else 0; the best desired code wins."""
    seekers, vacancies = random_columns(0, 5, 5)
    electrician, welder = occupation_number("6-31-01-03"), occupation_number("6-18-02-04")
    seekers = dataclasses.replace(
        seekers,
        desired_occupations=[
            [welder, electrician, 0],  # exact (beats the major-only welder)
            [occupation_number("6-31-02-01"), 0, 0],  # mid 6-31
            [welder, 0, 0],  # major 6 only: nothing in common that matters
            [occupation_number("2-02-07-04"), occupation_number("4-02-01-01"), 0],  # none
            [0, 0, 0],  # no desired occupation
        ],
    )
    vacancies = dataclasses.replace(
        vacancies, occupation=[electrician, electrician, electrician, electrician, 0]
    )
    rows = pair_features(seekers, vacancies, range(5), range(5), today=TODAY)
    fit = rows[:, FEATURE_NAMES.index("occupation_fit")]
    np.testing.assert_allclose(fit, [1.0, 0.5, 0.0, 0.0, np.nan])
    # past work fits at PAST_WORK_FIT of its share: done, not asked for
    past = dataclasses.replace(
        seekers,
        desired_occupations=[
            [welder, electrician + PAST_WORK, 0],  # the electrician's work done, a welder's wished
            [occupation_number("6-31-01-02") + PAST_WORK, 0, 0],  # minor group 6-31-01, done
            [electrician, electrician + PAST_WORK, 0],  # wished and done: the wish counts
            [welder + PAST_WORK, 0, 0],
            [0, 0, 0],
        ],
    )
    rows = pair_features(past, vacancies, range(4), range(4), today=TODAY)
    fit = rows[:, FEATURE_NAMES.index("occupation_fit")]
    np.testing.assert_allclose(fit, [PAST_WORK_FIT, 0.75 * PAST_WORK_FIT, 1.0, 0.0])
    # a vacancy without an occupation: unknown, even for a seeker whose padding is 0
    rows = pair_features(seekers, vacancies, [0, 4], [4, 4], today=TODAY)
    assert np.isnan(rows[:, FEATURE_NAMES.index("occupation_fit")]).all()
    # width 0: no seeker lists any occupation
    empty = dataclasses.replace(seekers, desired_occupations=np.zeros((5, 0), dtype=np.int64))
    rows = pair_features(empty, vacancies, range(5), range(5), today=TODAY)
    assert np.isnan(rows[:, FEATURE_NAMES.index("occupation_fit")]).all()


def test_checkerboard_best_vacancy_by_text_is_its_twin() -> None:
    """Seeker i and vacancy i share a rare word; every other pair shares only common words."""
    n = 12
    seeker_tokens = [["工作", "认真", f"技能{i}", f"岗位{i}"] for i in range(n)]
    vacancy_tokens = [["招聘", "工作", f"岗位{i}", f"技能{i}", "福利"] for i in range(n)]
    texts = [" ".join(tokens) for tokens in seeker_tokens + vacancy_tokens]
    vectorizer = TextVectorizer().fit(texts, seeker_tokens + vacancy_tokens)
    seeker_vectors = vectorizer.transform(texts[:n], seeker_tokens)
    vacancy_vectors = vectorizer.transform(texts[n:], vacancy_tokens)
    base_seekers, base_vacancies = random_columns(1, n, n)
    seekers = dataclasses.replace(
        base_seekers, profile_vectors=seeker_vectors, desired_vectors=seeker_vectors
    )
    vacancies = dataclasses.replace(
        base_vacancies, description_vectors=vacancy_vectors, title_vectors=vacancy_vectors
    )
    s, v = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    rows = pair_features(seekers, vacancies, s.ravel(), v.ravel(), today=TODAY)
    similarity = rows[:, FEATURE_NAMES.index("text_similarity")].reshape(n, n)
    np.testing.assert_array_equal(similarity.argmax(axis=1), np.arange(n))
    assert (
        np.diag(similarity) > similarity.max(axis=1, initial=0, where=~np.eye(n, dtype=bool))
    ).all()


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_seekers=st.integers(1, 30),
    n_vacancies=st.integers(1, 30),
    text=st.sampled_from(["sparse", "dense"]),
)
def test_every_feature_stays_in_its_range(
    seed: int, n_seekers: int, n_vacancies: int, text: Literal["sparse", "dense"]
) -> None:
    seekers, vacancies = random_columns(seed, n_seekers, n_vacancies, text)
    rng = np.random.default_rng(seed)
    s = rng.integers(0, n_seekers, 200)
    v = rng.integers(0, n_vacancies, 200)
    rows = pair_features(seekers, vacancies, s, v, today=TODAY)
    for j, (name, spec) in enumerate(FEATURES.items()):
        column = rows[:, j]
        nan = np.isnan(column)
        assert spec.missing or not nan.any(), name
        assert (column[~nan] >= spec.low).all() and (column[~nan] <= spec.high).all(), name


def test_registry_is_ordered_and_documented_in_one_line() -> None:
    assert tuple(FEATURES) == FEATURE_NAMES
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    for name, spec in FEATURES.items():
        assert spec.doc and "\n" not in spec.doc, name
        assert spec.low < spec.high, name
    unknowable = [name for name, spec in FEATURES.items() if spec.missing]
    assert "salary_fit" in unknowable and "occupation_fit" in unknowable
    assert "text_similarity" not in unknowable  # an empty text is a text, similarity 0
    assert (*FEATURE_NAMES, "bm25") == MODEL_FEATURE_NAMES
    assert monotone_constraints(MODEL_FEATURE_NAMES) == {
        "text_similarity": 1,
        "title_similarity": 1,
        "occupation_fit": 1,
        "related_occupation": 1,
        "skill_coverage": 1,
        "required_certificate_coverage": 1,
        "missing_required_certificates": -1,
        "preferred_certificates_held": 1,
        "experience_gap": 1,
        "age_fit": 1,
        "requirements_unmet": -1,
        "bm25": 1,
    }


FORBIDDEN_WORDS = {
    "gender",
    "sex",
    "male",
    "female",
    "name",
    "phone",
    "mobile",
    "email",
    "address",
    "contact",
    "id",
    "hukou",
    "ethnicity",
    "nation",
    "marital",
    "married",
    "religion",
    "性别",
}


def test_no_gender_or_contact_features_or_columns() -> None:
    names = [
        *FEATURE_NAMES,
        *(field.name for field in dataclasses.fields(SeekerColumns)),
        *(field.name for field in dataclasses.fields(VacancyColumns)),
    ]
    for name in names:
        assert not set(name.lower().split("_")) & FORBIDDEN_WORDS, name


def test_no_pairs_give_an_empty_matrix() -> None:
    seekers, vacancies = random_columns(0, 3, 3)
    rows = pair_features(seekers, vacancies, np.array([], dtype=np.int64), [], today=TODAY)
    assert rows.shape == (0, len(FEATURE_NAMES))


def test_take_selects_rows() -> None:
    seekers, vacancies = random_columns(5, 10, 6)
    picked_seekers, picked_vacancies = seekers.take([4, 2]), vacancies.take([5])
    direct = pair_features(seekers, vacancies, [4, 2], [5, 5], today=TODAY)
    via_take = pair_features(picked_seekers, picked_vacancies, [0, 1], [0, 0], today=TODAY)
    np.testing.assert_array_equal(direct, via_take)


# --- errors --------------------------------------------------------------------------------


def test_index_errors_name_the_bad_value() -> None:
    seekers, vacancies = random_columns(0, 5, 4)
    with pytest.raises(ValueError, match=r"seeker_index holds 5, outside 0\.\.4"):
        pair_features(seekers, vacancies, [0, 5], [0, 1], today=TODAY)
    with pytest.raises(ValueError, match=r"vacancy_index holds -1"):
        pair_features(seekers, vacancies, [0, 1], [0, -1], today=TODAY)
    with pytest.raises(TypeError, match="seeker_index must hold integers, got dtype float64"):
        pair_features(seekers, vacancies, [0.0, 1.0], [0, 1], today=TODAY)
    with pytest.raises(ValueError, match="seeker_index has 2 pairs but vacancy_index has 1"):
        pair_features(seekers, vacancies, [0, 1], [0], today=TODAY)
    with pytest.raises(ValueError, match=r"must be 1-D \(n_pairs,\)"):
        pair_features(seekers, vacancies, [[0]], [[0]], today=TODAY)
    with pytest.raises(TypeError, match="today must be an int number of days"):
        pair_features(seekers, vacancies, [0], [0], today=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="chunk_size must be a positive int, got 0"):
        pair_features(seekers, vacancies, [0], [0], today=TODAY, chunk_size=0)
    with pytest.raises(TypeError, match="seekers must be SeekerColumns"):
        pair_features(vacancies, seekers, [0], [0], today=TODAY)  # type: ignore[arg-type]


def test_both_sides_must_share_vocabularies_and_vector_kind() -> None:
    seekers, _ = random_columns(0, 5, 4, skill_width=40)
    _, other_vacancies = random_columns(0, 5, 4, skill_width=41)
    with pytest.raises(ValueError, match=r"seekers.skills has 40 columns but vacancies.skills"):
        pair_features(seekers, other_vacancies, [0], [0], today=TODAY)
    _, dense_vacancies = random_columns(0, 5, 4, "dense")
    with pytest.raises(TypeError, match="both sparse or both dense"):
        pair_features(seekers, dense_vacancies, [0], [0], today=TODAY)


def test_columns_check_their_shapes_and_types() -> None:
    seekers, vacancies = random_columns(0, 5, 4)
    with pytest.raises(ValueError, match="education has 4 rows, expected 5"):
        dataclasses.replace(seekers, education=np.ones(4))
    with pytest.raises(TypeError, match="groups must hold integers, got dtype float64"):
        dataclasses.replace(seekers, groups=np.ones(5))
    with pytest.raises(ValueError, match=r"desired_regions must have shape \(5, max_desired\)"):
        dataclasses.replace(seekers, desired_regions=np.ones(5, dtype=np.int64))
    with pytest.raises(TypeError, match="skills must be a SciPy sparse matrix, got ndarray"):
        dataclasses.replace(seekers, skills=np.ones((5, 3)))
    with pytest.raises(ValueError, match="title_vectors has 5 rows, expected 4"):
        dataclasses.replace(vacancies, title_vectors=np.ones((5, 3)))
    with pytest.raises(
        ValueError, match=r"desired_occupations must have shape \(5, max_occupations\)"
    ):
        dataclasses.replace(seekers, desired_occupations=np.ones(5, dtype=np.int64))
    with pytest.raises(TypeError, match="desired_occupations must hold integers"):
        dataclasses.replace(seekers, desired_occupations=np.ones((5, 2)))
    with pytest.raises(ValueError, match="occupation has 3 rows, expected 4"):
        dataclasses.replace(vacancies, occupation=np.ones(3, dtype=np.int64))
    with pytest.raises(ValueError, match="openings must be ≥ 1, got 0"):
        dataclasses.replace(vacancies, openings=np.zeros(4, dtype=np.int64))
    with pytest.raises(ValueError, match=r"applicants must be ≥ 0 \(−1: unknown\), got -2"):
        dataclasses.replace(vacancies, applicants=np.full(4, -2))


def test_grouped_row_dot_equals_pair_by_pair() -> None:
    """The seeker-by-seeker path (served and batch requests) computes the same dots."""
    import scipy.sparse as sparse

    from features.pairwise import _row_dot

    rng = np.random.default_rng(4)
    left = sparse.random(30, 400, density=0.05, format="csr", random_state=1, dtype=np.float32)
    right = sparse.random(500, 400, density=0.05, format="csr", random_state=2, dtype=np.float32)
    left_rows = np.repeat(rng.permutation(30), 40)
    right_rows = rng.integers(0, 500, size=len(left_rows))
    pairwise = _row_dot(left, right, left_rows, right_rows)
    grouped = _row_dot(left, right, left_rows, right_rows, grouped=True)
    assert (pairwise > 0).sum() > 100
    np.testing.assert_allclose(grouped, pairwise, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("small_gather", [0, 10**9])
def test_rows_times_dense_is_scipys_product_bit_for_bit(
    small_gather: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request's dots of one seeker row with its candidates' rows: numpy for few entries,
    scipy's gathered product for many — either way exactly ``matrix[rows] @ dense`` (the
    same float64 sums in the same order), empty and repeated rows included."""
    import scipy.sparse as sparse

    from features import pairwise

    monkeypatch.setattr(pairwise, "SMALL_GATHER", small_gather)
    rng = np.random.default_rng(9)
    matrix = sparse.random(300, 2_000, density=0.03, format="csr", random_state=3, dtype=np.float32)
    matrix = sparse.csr_array(matrix)
    matrix.data = (matrix.data / 7).astype(np.float32)  # values whose float64 sums round
    empty = np.flatnonzero(np.diff(matrix.indptr) == 0)
    rows = np.concatenate([rng.integers(0, 300, 200), [5, 5], empty[:2]]).astype(np.int64)
    dense = np.zeros(2_000)
    terms = rng.choice(2_000, 400, replace=False)
    dense[terms] = rng.random(400).astype(np.float32) / 3
    got = pairwise._rows_times_dense(matrix, rows, dense)
    expected = matrix[rows] @ dense
    assert got.dtype == np.float64
    assert (got > 0).sum() > 100
    assert np.array_equal(got, expected)  # bit for bit, not close


@pytest.mark.parametrize("value_type", [np.float32, np.float64])
@pytest.mark.parametrize("index_type", [np.int32, np.int64])
@pytest.mark.parametrize("vector_type", [np.float32, np.float64])
def test_gathered_products_are_scipys_gathered_products_bit_for_bit(
    value_type: Any, index_type: Any, vector_type: Any
) -> None:
    """``matrix[rows] @ vector`` and ``matrix[rows].T @ weights`` through scipy's kernels
    called directly: the same values and type, for every value, index and vector type, with
    repeated, empty and unsorted rows and a row holding a duplicate entry (the kernels take
    rows as stored, as scipy's product does)."""
    from features.pairwise import gathered_matvec, gathered_transposed_matvec

    rng = np.random.default_rng(4)
    matrix = sp.random(200, 900, density=0.05, format="csr", random_state=8, dtype=np.float64)
    matrix.data = (matrix.data / 7).astype(value_type)
    matrix.indptr = matrix.indptr.astype(index_type)
    matrix.indices = matrix.indices.astype(index_type)
    duplicate = int(np.flatnonzero(np.diff(matrix.indptr) >= 2)[0])
    start = int(matrix.indptr[duplicate])
    matrix.indices[start + 1] = matrix.indices[start]  # a duplicate entry: not canonical
    matrix.indices[start + 2 : start + 4] = matrix.indices[start + 2 : start + 4][::-1]
    empty = np.flatnonzero(np.diff(matrix.indptr) == 0)
    rows = np.concatenate([rng.integers(0, 200, 150), [duplicate, duplicate], empty[:2]])
    vector = (rng.random(900) / 3).astype(vector_type)
    got = gathered_matvec(matrix, rows, vector)
    expected = matrix[rows] @ vector
    assert got.dtype == expected.dtype
    assert (got > 0).sum() > 100
    assert np.array_equal(got, expected)  # bit for bit, not close
    assert gathered_matvec(matrix, rows[:0], vector).shape == (0,)
    other = matrix.tocsc()  # another format: scipy's product itself
    assert np.array_equal(gathered_matvec(other, rows, vector), other[rows] @ vector)
    weights = (rng.random(len(rows)) / 3).astype(vector_type)  # the rows as posting lists
    summed = gathered_transposed_matvec(matrix, rows, weights)
    expected = matrix[rows].T @ weights
    assert summed.dtype == expected.dtype and summed.shape == (900,)
    assert np.array_equal(summed, expected)
    assert np.array_equal(gathered_transposed_matvec(other, rows, weights), other[rows].T @ weights)


def test_per_pair_vacancy_terms_equal_per_vacancy_ones() -> None:
    """Pairs touching few of many vacancies take their per-vacancy parts (pay, congestion,
    freshness, counts) per pair: the rows equal those computed once per vacancy."""
    seekers, vacancies = random_columns(6, 4, 40)
    s = np.array([0, 1, 2, 3, 0, 1], dtype=np.int64)
    v = np.array([3, 17, 17, 39, 0, 22], dtype=np.int64)  # 6 pairs < 40 vacancies: per pair
    few = pair_features(seekers, vacancies, s, v, today=TODAY, related=RELATED)
    everyone = np.repeat(np.arange(4), 40)  # 160 pairs ≥ 40 vacancies: once per vacancy
    every = np.tile(np.arange(40), 4)
    many = pair_features(seekers, vacancies, everyone, every, today=TODAY, related=RELATED)
    expected = many[s * 40 + v]
    assert np.array_equal(few, expected, equal_nan=True)


def test_binary_and_text_rows_in_final_form_are_kept_and_others_normalised() -> None:
    """Rows already binary, canonical and float32 (a vocabulary's encoding, a slice of other
    columns) are taken as they are — no copy per request; anything else is still made so."""
    import scipy.sparse as sparse

    seekers, _ = random_columns(11, 3, 2)
    kept = dataclasses.replace(seekers)  # rebuilt from its own, final-form rows
    assert kept.skills is seekers.skills and kept.certificates is seekers.certificates
    assert kept.profile_vectors is seekers.profile_vectors
    messy = sparse.csr_matrix(  # duplicates, a 2 and an explicit zero, float64
        (np.array([1.0, 1.0, 2.0, 0.0]), np.array([1, 1, 0, 2]), np.array([0, 2, 4, 4])),
        shape=(3, seekers.skills.shape[1]),
    )
    normalised = dataclasses.replace(seekers, skills=messy).skills
    assert normalised is not messy and normalised.dtype == np.float32
    assert normalised.toarray()[:, :3].tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    assert messy.data.tolist() == [1.0, 1.0, 2.0, 0.0]  # the caller's matrix is left alone


def test_zero_vectors_are_lent_zeroed_reused_and_dropped_when_left_dirty() -> None:
    from features.pairwise import _ZeroVectors

    pool = _ZeroVectors()
    with pool.lend(10) as first:
        assert first.dtype == np.float64 and not first.any()
        first[3] = 2.0
        first[3] = 0.0  # set back, as a borrower must
    with pool.lend(10) as again, pool.lend(10) as other:
        assert again is first and other is not first  # one in use: a second is made
    with pool.lend(10, np.float32) as narrow:
        assert narrow.dtype == np.float32 and narrow is not first
    with pytest.raises(RuntimeError), pool.lend(10) as dirty:
        dirty[0] = 1.0
        raise RuntimeError("a borrower that fails")
    for _ in range(3):
        with pool.lend(10) as lent:
            assert lent is not dirty and not lent.any()
    for width in range(20, 20 + _ZeroVectors.KEPT_WIDTHS):
        with pool.lend(width):
            pass
    with pool.lend(10) as fresh:  # its width was dropped for newer ones
        assert fresh is not first


def test_related_occupations_are_symmetric_and_the_strongest_counts() -> None:
    table = RelatedOccupations.of([(1, 2, 0.4), (2, 1, 0.7), (3, 4, 0.2)])
    got = table.lookup(np.array([1, 2, 3, 4, 1, 5]), np.array([2, 1, 4, 3, 3, 5]))
    np.testing.assert_allclose(got, [0.7, 0.7, 0.2, 0.2, 0.0, 0.0])
    marked = table.lookup(np.array([1 + PAST_WORK, 3]), np.array([2, 4 + PAST_WORK]))
    np.testing.assert_allclose(marked, [0.7, 0.2])  # past work links as the code itself
    with pytest.raises(ValueError, match=r"strength must lie in \[0, 1\]"):
        RelatedOccupations.of([(1, 2, 1.5)])


def test_model_features_append_bm25_over_its_ceiling() -> None:
    seekers, vacancies = random_columns(3, 6, 5)
    s, v = np.array([0, 1, 2, 3]), np.array([0, 1, 2, 3])
    raw = np.array([0.0, 2.0, 5.0, 9.0])
    ceiling = np.array([0.0, 4.0, 5.0, 3.0])
    rows = model_features(
        seekers, vacancies, s, v, bm25=raw, bm25_ceiling=ceiling, today=TODAY, related=RELATED
    )
    assert rows.shape == (4, len(MODEL_FEATURE_NAMES))
    np.testing.assert_allclose(rows[:, -1], [0.0, 0.5, 1.0, 1.0])  # empty query 0; clipped
    np.testing.assert_array_equal(
        rows[:, :-1], pair_features(seekers, vacancies, s, v, today=TODAY, related=RELATED)
    )
    np.testing.assert_allclose(bm25_share([3.0], [6.0]), [0.5])
    with pytest.raises(ValueError, match=r"bm25 must have shape \(4,\)"):
        model_features(
            seekers, vacancies, s, v, bm25=raw[:3], bm25_ceiling=ceiling[:3], today=TODAY
        )
