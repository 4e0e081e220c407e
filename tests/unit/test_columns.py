"""The glue from domain records to feature columns, and pair features on real records."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from features.pairwise import (
    FEATURE_NAMES,
    FEATURES,
    PAST_WORK,
    occupation_number,
    pair_features,
)
from features.vectorize import LSAProjection, TextVectorizer
from matcher.domain.records import Employer, Seeker, Vacancy, validate_record
from matcher.intake.lexicon import domain_tokenizer
from matcher.ranking.columns import (
    TermVocabulary,
    Vocabularies,
    epoch_days,
    fit_text_vectorizer,
    group_bits,
    group_positions,
    occupation_rows,
    region_number,
    seeker_columns,
    seeker_desired_text,
    seeker_text,
    skill_key,
    vacancy_columns,
    vacancy_text,
    vacancy_title_text,
)
from matcher.reference import certificates, priority_groups
from matcher.synth import generate_dataset
from tests.conftest import employer_data, seeker_data, vacancy_data

ON = dt.date(2022, 4, 1)


def test_codes() -> None:
    assert region_number("510903") == 510903
    assert region_number("5109") == 510900
    assert region_number("51") == 510000
    with pytest.raises(ValueError, match="'5109x' is not a 2-, 4- or 6-digit"):
        region_number("5109x")
    assert epoch_days(dt.date(1970, 1, 2)) == 1
    assert epoch_days(ON) - epoch_days(dt.date(2022, 3, 1)) == 31


def test_group_bits_follow_the_reference_order() -> None:
    order = list(priority_groups())
    assert group_positions() == {code: bit for bit, code in enumerate(order)}
    assert group_bits([]) == 0
    assert group_bits([order[0]]) == 1
    assert group_bits([order[2], order[0]]) == 0b101
    assert group_bits(["返乡农民工"]) == 1 << order.index("returning_migrant")  # by alias
    with pytest.raises(ValueError, match="'外星人' is not a known priority group"):
        group_bits(["外星人"])


def test_term_vocabulary_hashes_unknown_terms_stably() -> None:
    vocabulary = TermVocabulary(("叉车", "焊接"), overflow_buckets=16)
    assert vocabulary.size == 18
    matrix = vocabulary.encode([["焊接", "焊接"], ["未知技能"], []])
    assert isinstance(matrix, sp.csr_array) and matrix.shape == (3, 18)
    assert matrix[[0]].indices.tolist() == [1]
    unknown = matrix[[1]].indices.tolist()
    assert len(unknown) == 1 and unknown[0] >= 2
    assert TermVocabulary(("x",), overflow_buckets=16).column("未知技能") == 1 + unknown[0] - 2
    assert matrix[[2]].nnz == 0
    with pytest.raises(ValueError, match="terms must be unique"):
        TermVocabulary(("a", "a"))


def test_skill_keys_ignore_width_case_and_spaces() -> None:
    assert skill_key(" Excel 表格 ") == skill_key("ＥＸＣＥＬ表格") == "excel表格"


@pytest.fixture(scope="module")
def dataset() -> tuple[list[Seeker], list[Vacancy], dict[str, Employer]]:
    data = generate_dataset(seekers=300, vacancies=60, seed=1)
    return data.seekers, data.vacancies, {employer.id: employer for employer in data.employers}


def test_vocabularies_put_reference_certificates_first(
    dataset: tuple[list[Seeker], list[Vacancy], dict[str, Employer]],
) -> None:
    seekers, vacancies, _ = dataset
    vocabularies = Vocabularies.fit(seekers, vacancies)
    table = tuple(certificates())
    assert vocabularies.certificates.terms[: len(table)] == table
    skills = {skill_key(skill) for record in [*seekers, *vacancies] for skill in record.skills}
    assert set(vocabularies.skills.terms) == skills


def test_columns_of_a_generated_dataset(
    dataset: tuple[list[Seeker], list[Vacancy], dict[str, Employer]],
) -> None:
    seekers, vacancies, employers = dataset
    vectorizer = fit_text_vectorizer(seekers, vacancies)
    vocabularies = Vocabularies.fit(seekers, vacancies)
    on = dt.date(2022, 10, 1)
    seeker_cols = seeker_columns(seekers, vectorizer, vocabularies=vocabularies, on=on)
    applicants = {vacancies[0].id: 7}
    vacancy_cols = vacancy_columns(
        vacancies,
        employers,
        vectorizer,
        vocabularies=vocabularies,
        applicants=applicants,
        campaign_groups=["disabled"],
    )
    assert len(seeker_cols) == 300 and len(vacancy_cols) == 60
    for i, seeker in enumerate(seekers[:50]):
        assert seeker_cols.age[i] == on.year - seeker.birth_year
        assert seeker_cols.region[i] == int(seeker.region)
        assert seeker_cols.education[i] == int(seeker.education)
        assert seeker_cols.groups[i] == group_bits(seeker.priority_groups)
        desired = [code for code in seeker_cols.desired_regions[i] if code >= 0]
        assert desired == [region_number(code) for code in seeker.desired_regions]
        assert seeker_cols.skills[[i]].nnz == len({skill_key(s) for s in seeker.skills})
        expected = math.nan if seeker.expected_salary is None else seeker.expected_salary
        np.testing.assert_equal(seeker_cols.expected_salary[i], np.float32(expected))
    disabled_bit = 1 << group_positions()["disabled"]
    assert (vacancy_cols.target_groups & disabled_bit).all()
    assert vacancy_cols.applicants.tolist() == [7] + [0] * 59
    for j, vacancy in enumerate(vacancies):
        assert vacancy_cols.valid_from[j] == epoch_days(vacancy.valid_from)
        verified = employers[vacancy.employer_id].verification == "verified"
        assert vacancy_cols.employer_verified[j] == verified
        assert vacancy_cols.required_certificates[[j]].nnz == len(vacancy.required_certificates)
        if vacancy.occupation:
            assert vacancy_cols.occupation[j] == occupation_number(vacancy.occupation)
    assert (vacancy_cols.occupation > 0).mean() > 0.9
    assert (seeker_cols.desired_occupations > 0).any(axis=1).mean() > 0.9
    norms = np.sqrt(seeker_cols.profile_vectors.multiply(seeker_cols.profile_vectors).sum(axis=1))
    np.testing.assert_allclose(norms, 1.0, rtol=1e-5)

    s, v = np.meshgrid(np.arange(300), np.arange(60), indexing="ij")
    rows = pair_features(seeker_cols, vacancy_cols, s.ravel(), v.ravel(), today=epoch_days(on))
    for j, (name, spec) in enumerate(FEATURES.items()):
        column = rows[:, j][~np.isnan(rows[:, j])]
        assert ((column >= spec.low) & (column <= spec.high)).all(), name
    # a seeker's own desired titles match some vacancy title better than chance
    title = rows[:, FEATURE_NAMES.index("title_similarity")]
    assert title.max() > 0.5


def test_dense_text_vectors_need_and_use_the_lsa(
    dataset: tuple[list[Seeker], list[Vacancy], dict[str, Employer]],
) -> None:
    seekers, vacancies, employers = dataset
    seekers, vacancies = seekers[:40], vacancies[:20]
    vocabularies = Vocabularies.fit(seekers, vacancies)
    with_lsa = fit_text_vectorizer(
        seekers, vacancies, vectorizer=TextVectorizer(lsa=LSAProjection(n_components=16))
    )
    columns = seeker_columns(
        seekers, with_lsa, vocabularies=vocabularies, on=ON, text_vectors="dense"
    )
    assert isinstance(columns.profile_vectors, np.ndarray)
    assert columns.profile_vectors.shape == (40, 16)
    plain = fit_text_vectorizer(seekers, vacancies)
    with pytest.raises(ValueError, match="no LSA projection"):
        seeker_columns(seekers, plain, vocabularies=vocabularies, on=ON, text_vectors="dense")
    with pytest.raises(ValueError, match="text_vectors='tfidf' is not one of"):
        vacancy_columns(
            vacancies,
            employers,
            plain,
            vocabularies=vocabularies,
            text_vectors="tfidf",  # type: ignore[arg-type]
        )


def test_the_tokenizer_given_is_used_for_every_text(
    dataset: tuple[list[Seeker], list[Vacancy], dict[str, Employer]],
) -> None:
    seekers, vacancies, employers = dataset
    seekers, vacancies = seekers[:10], vacancies[:5]
    seen: list[str] = []

    def tokenize(text: str) -> list[str]:
        seen.append(text)
        return text.split()

    vectorizer = fit_text_vectorizer(seekers, vacancies, tokenize)
    vocabularies = Vocabularies.fit(seekers, vacancies)
    seen.clear()
    seeker_columns(seekers, vectorizer, tokenize, vocabularies=vocabularies, on=ON)
    vacancy_columns(vacancies, employers, vectorizer, tokenize, vocabularies=vocabularies)
    assert seen == [
        *map(seeker_text, seekers),
        *map(seeker_desired_text, seekers),
        *map(vacancy_text, vacancies),
        *map(vacancy_title_text, vacancies),
    ]


@pytest.mark.parametrize("kind", ["sparse", "dense"])
def test_both_texts_of_a_record_vectorised_together_equal_separate_calls(
    kind: str, dataset: tuple[list[Seeker], list[Vacancy], dict[str, Employer]]
) -> None:
    """Profile and wishes (text and title) go through one transform: each row is exactly
    what a transform of its own list gives — a request's one seeker and a whole index alike."""
    seekers, vacancies, employers = dataset
    seekers, vacancies = seekers[:30], vacancies[:12]
    vectorizer = fit_text_vectorizer(
        seekers, vacancies, vectorizer=TextVectorizer(lsa=LSAProjection(n_components=16))
    )
    vocabularies = Vocabularies.fit(seekers, vacancies)

    def alone(texts: list[str]) -> Any:
        if kind == "dense":
            return vectorizer.transform_dense(texts, [domain_tokenizer()(t) for t in texts])
        return vectorizer.transform(texts, [domain_tokenizer()(t) for t in texts])

    def same(left: Any, right: Any) -> bool:
        if kind == "dense":
            return bool(np.array_equal(left, right))
        left, right = sp.csr_array(left), sp.csr_array(right)
        return (
            np.array_equal(left.indptr, right.indptr)
            and np.array_equal(left.indices, right.indices)
            and np.array_equal(left.data, right.data)
        )

    for group in (seekers, seekers[3:4]):
        cols = seeker_columns(
            group, vectorizer, vocabularies=vocabularies, on=ON, text_vectors=kind
        )
        assert same(cols.profile_vectors, alone([seeker_text(s) for s in group]))
        assert same(cols.desired_vectors, alone([seeker_desired_text(s) for s in group]))
    cols_v = vacancy_columns(
        vacancies, employers, vectorizer, vocabularies=vocabularies, text_vectors=kind
    )
    assert same(cols_v.description_vectors, alone([vacancy_text(v) for v in vacancies]))
    assert same(cols_v.title_vectors, alone([vacancy_title_text(v) for v in vacancies]))


def test_profile_texts_cut_by_the_caller_are_not_cut_again(
    dataset: tuple[list[Seeker], list[Vacancy], dict[str, Employer]],
) -> None:
    """The engine cuts an inline seeker's text once, for its BM25 query and its vectors."""
    seekers, vacancies, _ = dataset
    seekers = seekers[:8]
    seen: list[str] = []

    def tokenize(text: str) -> list[str]:
        seen.append(text)
        return domain_tokenizer()(text)

    vectorizer = fit_text_vectorizer(seekers, vacancies[:5])
    vocabularies = Vocabularies.fit(seekers, vacancies[:5])
    cut = [domain_tokenizer()(seeker_text(s)) for s in seekers]
    given = seeker_columns(
        seekers, vectorizer, tokenize, vocabularies=vocabularies, on=ON, profile_tokens=cut
    )
    assert seen == [seeker_desired_text(s) for s in seekers]
    plain = seeker_columns(seekers, vectorizer, vocabularies=vocabularies, on=ON)
    assert (given.profile_vectors != plain.profile_vectors).nnz == 0
    assert (given.desired_vectors != plain.desired_vectors).nnz == 0


def test_vacancy_columns_name_missing_employers_and_bad_counts(
    dataset: tuple[list[Seeker], list[Vacancy], dict[str, Employer]],
) -> None:
    seekers, vacancies, employers = dataset
    vectorizer = fit_text_vectorizer(seekers[:5], vacancies[:5])
    vocabularies = Vocabularies.fit(seekers[:5], vacancies[:5])
    with pytest.raises(ValueError, match=rf"employers lacks \['{vacancies[0].employer_id}'\]"):
        vacancy_columns(vacancies[:1], {}, vectorizer, vocabularies=vocabularies)
    with pytest.raises(ValueError, match="applicants must be ≥ 0; negative for"):
        vacancy_columns(
            vacancies[:1],
            employers,
            vectorizer,
            vocabularies=vocabularies,
            applicants={vacancies[0].id: -1},
        )


def pair_row(
    seeker_changes: dict[str, Any] | None = None,
    vacancy_changes: dict[str, Any] | None = None,
    *,
    applicants: dict[str, int] | None = None,
    campaign_groups: tuple[str, ...] = (),
) -> dict[str, float]:
    """Features of the conftest seeker and vacancy (with changes), by name."""
    seeker = validate_record(Seeker, seeker_data(**(seeker_changes or {})))
    vacancy = validate_record(Vacancy, vacancy_data(**(vacancy_changes or {})))
    employer = validate_record(Employer, employer_data())
    vectorizer = fit_text_vectorizer([seeker], [vacancy])
    vocabularies = Vocabularies.fit([seeker], [vacancy])
    seekers = seeker_columns([seeker], vectorizer, vocabularies=vocabularies, on=ON)
    vacancies = vacancy_columns(
        [vacancy],
        {employer.id: employer},
        vectorizer,
        vocabularies=vocabularies,
        applicants=applicants,
        campaign_groups=campaign_groups,
    )
    row = pair_features(seekers, vacancies, [0], [0], today=epoch_days(ON))[0]
    return dict(zip(FEATURE_NAMES, row.tolist(), strict=True))


def test_pair_features_of_the_fixture_electrician_by_hand() -> None:
    """Seeker: 蓬溪县 electrician, 初中, 15 years, 低压电工证, wants 5500, born 1980, 返乡农民工.
    Vacancy: 船山区 电工, 中专+, 3 years, 电工证 required, 5000–7000, ages 20–50, 3 openings."""
    features = pair_row(applicants={"V001": 6}, campaign_groups=("返乡农民工",))
    assert features["required_certificate_coverage"] == 1.0  # 电工证 = 低压电工证
    assert features["missing_required_certificates"] == 0.0
    assert features["education_gap"] == -1.0  # 初中 (1) vs 中专 (2)
    assert features["experience_gap"] == 12.0
    assert features["salary_fit"] == pytest.approx(math.log(6000 / 5500), rel=1e-6)
    assert features["salary_known"] == 1.0
    assert features["same_county"] == 0.0 and features["same_city"] == 1.0
    assert features["in_desired_regions"] == 1.0
    assert features["age_fit"] == 1.0  # 42 in 20–50
    assert features["accessibility_fit"] == 0.0
    assert features["priority_group_match"] == 1.0  # through the campaign
    assert features["freshness_days"] == 31.0
    assert features["employer_verified"] == 1.0
    assert features["congestion"] == pytest.approx(math.log(3.0))
    assert features["title_similarity"] > 0.3  # desired title 电工 ↔ title 电工
    assert pair_row()["priority_group_match"] == 0.0  # the vacancy targets no group itself


def test_pair_features_follow_the_records() -> None:
    features = pair_row(
        {"birth_year": 1965, "expected_salary": None, "desired_regions": ["5110"]},
        {"age_max": 50, "salary_min": None, "salary_max": None},
    )
    assert features["age_fit"] == -7.0  # 57 on 2022-04-01, max 50
    assert math.isnan(features["salary_fit"]) and features["salary_known"] == 0.0
    assert features["in_desired_regions"] == 0.0  # 内江市 does not cover 船山区
    assert pair_row({"desired_regions": ["5109"]})["in_desired_regions"] == 1.0  # 遂宁市 does
    disabled = {"priority_groups": ["残疾人"], "disability": {"type": "肢体残疾", "grade": 4}}
    assert pair_row(disabled, {"accessible": True})["accessibility_fit"] == 1.0
    assert pair_row(disabled)["accessibility_fit"] == -1.0


def test_occupation_fit_of_the_fixture_electrician() -> None:
    """The seeker wants 电工 (a desired title, mapped to 6-31-01-03)."""
    assert pair_row()["occupation_fit"] == 1.0  # vacancy 电工 6-31-01-03
    welder = {"title": "焊工", "occupation": "6-18-02-04"}
    # the same major group (6) alone says nothing: an electrician is no welder
    assert pair_row(vacancy_changes=welder)["occupation_fit"] == 0.0
    # without a code the vacancy's title is mapped; desired codes count beside the titles
    assert (
        pair_row(vacancy_changes={"title": "急招焊工", "occupation": None})["occupation_fit"] == 0.0
    )
    assert pair_row({"desired_occupations": ["6-31-03-05"], "desired_titles": []})[
        "occupation_fit"
    ] == pytest.approx(0.5)  # same mid group 6-31 (质检员 ↔ 电工)
    assert pair_row(
        {"desired_occupations": ["6-18-02-04"]}, {"title": "焊工", "occupation": "6-18-02-04"}
    )["occupation_fit"] == pytest.approx(1.0)
    assert pair_row({"desired_occupations": ["6-31-01-02"], "desired_titles": []})[
        "occupation_fit"
    ] == pytest.approx(0.75)  # same minor group 6-31-01
    nothing = pair_row({"desired_titles": []}, {"title": "电工", "occupation": None})
    assert math.isnan(nothing["occupation_fit"])  # no desired occupation: unknown, not "none"
    assert occupation_rows([["6-31-01-03"], []]).tolist() == [[6310103], [0]]
    # past work after the wishes, marked, unless also wished
    marked = occupation_rows([["6-31-01-03"], []], [["6-31-01-03", "6-18-02-04"], ["6-18-02-04"]])
    assert marked.tolist() == [[6310103, 6180204 + PAST_WORK], [6180204 + PAST_WORK, 0]]
    assert occupation_rows([]).shape == (0, 0)


def test_seeker_and_vacancy_text_still_work(seeker: Seeker, vacancy: Vacancy) -> None:
    assert seeker_text(seeker).startswith("电工")
    assert vacancy_text(vacancy).startswith("电工\n电工")
    assert seeker_desired_text(seeker) == "电工"
    assert vacancy_title_text(vacancy) == "电工 电工"  # title and 大典 occupation name


def test_a_higher_licence_class_meets_a_posting_that_asks_for_a_lower_one(
    tmp_path: Any,
) -> None:
    """An A2 licence entitles its holder to drive B2 vehicles (准驾车型): the certificate
    features count it as held, from records and from a pairs file alike; a C1 does not."""
    seekers = [
        validate_record(Seeker, seeker_data(id=f"S{i}", certificates=[held]))
        for i, held in enumerate(["driving_a2", "driving_c1"])
    ]
    truck = validate_record(Vacancy, vacancy_data(required_certificates=["driving_b2"]))
    employers = {"E001": validate_record(Employer, employer_data())}
    vectorizer = fit_text_vectorizer(seekers, [truck])
    vocabularies = Vocabularies.fit(seekers, [truck])
    seeker_cols = seeker_columns(seekers, vectorizer, vocabularies=vocabularies, on=ON)
    vacancy_cols = vacancy_columns([truck], employers, vectorizer, vocabularies=vocabularies)
    rows = pair_features(
        seeker_cols, vacancy_cols, np.array([0, 1]), np.array([0, 0]), today=epoch_days(ON)
    )
    coverage = rows[:, FEATURE_NAMES.index("required_certificate_coverage")]
    missing = rows[:, FEATURE_NAMES.index("missing_required_certificates")]
    assert coverage.tolist() == [1.0, 0.0] and missing.tolist() == [0.0, 1.0]

    text = (
        "query_id,resume_text,vacancy_text,label,certificates,vacancy_required_certificates\n"
        "q,开大货车十年,招聘货车司机,3,driving_a2,driving_b2\n"
        "q,开小车,招聘货车司机,0,driving_c1,driving_b2\n"
    )
    assert _pairs_feature(tmp_path, text, "required_certificate_coverage") == [1.0, 0.0]


def _pairs_feature(folder: Any, text: str, name: str) -> list[float]:
    """Feature ``name`` of each row of the pairs file ``text``."""
    from matcher.learning.pairs import pairs_from_file

    path = folder / "pairs.csv"
    path.write_text(text, encoding="utf-8")
    ranking = pairs_from_file(path).ranking
    return list(ranking.features[:, list(ranking.feature_names).index(name)].tolist())


def test_an_age_in_a_pairs_file_is_an_age_on_its_query_date(tmp_path: Any) -> None:
    """A résumé saying 20岁 in a file of 2022 decisions is 20 on that day (not 20 today): inside
    the posting's 18–55, where a 59-year-old born in 1963 is 4 years over."""
    text = (
        "query_id,query_date,resume_text,vacancy_text,label\n"
        "q,2022-06-15,焊工，20岁。,招聘电焊工，18-55岁。,3\n"
        "q,2022-06-15,焊工，1963年生。,招聘电焊工，18-55岁。,0\n"
    )
    assert _pairs_feature(tmp_path, text, "age_fit") == [1.0, -4.0]
