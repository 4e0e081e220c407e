"""Learning-to-rank sets from stored interactions and from an analyst's pairs file."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from features.pairwise import FEATURES, MAX_FRESHNESS_DAYS
from features.vectorize import BM25Vectorizer
from matcher.domain.records import (
    LABEL_OF_KIND,
    Employer,
    Interaction,
    InteractionKind,
    Seeker,
    Vacancy,
    validate_record,
)
from matcher.errors import ImportFileError
from matcher.intake.lexicon import domain_tokenizer, text_priors
from matcher.learning.pairs import PAIRS_OPTIONAL_COLUMNS, pairs_from_file
from matcher.learning.sets import (
    NO_GROUP_TAG,
    TRAINING_FEATURE_NAMES,
    TrainingData,
    build_training_data,
    grouped_folds,
    time_split,
    train_test_sets,
)
from matcher.ranking.columns import epoch_days, fit_text_vectorizer, vacancy_text
from matcher.reference import priority_groups
from matcher.storage.store import Store
from matcher.synth import generate
from tests.conftest import employer_data, seeker_data, vacancy_data

DATA = Path(__file__).parent.parent / "data" / "training"
PAIRS_SMALL = DATA / "pairs_small.csv"
PAIRS_STRUCTURED = DATA / "pairs_structured.csv"


def column(data: TrainingData, name: str) -> np.ndarray:
    return data.ranking.features[:, data.feature_names.index(name)]


# --- from the store ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("training") / "home")
    generate(store, seekers=400, vacancies=80, seed=3)
    return store


@pytest.fixture(scope="module")
def data(generated: Store) -> TrainingData:
    return build_training_data(generated)


@pytest.fixture(scope="module")
def split(generated: Store) -> tuple[TrainingData, TrainingData]:
    return train_test_sets(generated, test_share=0.25)


@pytest.mark.integration
def test_labels_are_the_best_interaction_of_the_pair_in_its_session(
    generated: Store, data: TrainingData
) -> None:
    best: dict[tuple[str, str], int] = defaultdict(int)
    shown_at: dict[tuple[str, str], int] = {}
    for item in generated.iter_interactions():
        assert item.session_id is not None  # the generator logs a session for every event
        key = (f"{item.seeker_id}|{item.session_id}", item.vacancy_id)
        best[key] = max(best[key], LABEL_OF_KIND[item.kind])
        if item.kind is InteractionKind.IMPRESSION:
            shown_at[key] = item.position or 0
    query_of_row = np.repeat(data.query_keys, data.ranking.group_sizes)
    rows = {
        (str(query), str(vacancy)): (int(label), int(position))
        for query, vacancy, label, position in zip(
            query_of_row, data.vacancy_ids, data.ranking.labels, data.ranking.positions, strict=True
        )
    }
    assert len(rows) == data.n_rows  # one row per (query, vacancy)
    assert rows.keys() == best.keys()  # every pair, nothing else
    assert all(rows[key][0] == label for key, label in best.items())
    assert all(rows[key][1] == position for key, position in shown_at.items())


@pytest.mark.integration
def test_rows_are_grouped_by_query_in_time_and_position_order(data: TrainingData) -> None:
    ranking = data.ranking
    assert (np.diff(ranking.query_ids) >= 0).all()
    assert ranking.query_times is not None
    assert (np.diff(ranking.query_times) >= 0).all()
    assert ranking.positions is not None
    assert ranking.positions.min() >= 1 and ranking.positions.max() <= 10
    for start, size in zip(ranking.query_starts, ranking.group_sizes, strict=True):
        assert (np.diff(ranking.positions[start : start + size]) > 0).all()
    assert len(set(data.query_keys.tolist())) == data.n_queries
    assert (data.query_dates.astype(np.int64) == ranking.query_times).all()


@pytest.mark.integration
def test_labels_are_graded_and_include_hires(data: TrainingData) -> None:
    counts = np.bincount(data.ranking.labels, minlength=5)
    assert counts.sum() == data.n_rows and len(counts) == 5
    assert (counts > 0).all()  # hires (4) down to plain impressions (0)
    assert counts[0] > counts[1] > counts[4]


@pytest.mark.integration
def test_features_are_finite_but_salary_fit_and_carry_no_personal_data(data: TrainingData) -> None:
    features = data.ranking.features
    assert data.feature_names == TRAINING_FEATURE_NAMES
    assert features.dtype == np.float32
    assert features.shape == (data.n_rows, len(TRAINING_FEATURE_NAMES))
    may_be_nan = [n for n in TRAINING_FEATURE_NAMES if n in FEATURES and FEATURES[n].missing]
    for name in TRAINING_FEATURE_NAMES:
        if name not in may_be_nan:
            assert np.isfinite(column(data, name)).all(), name
    # stored records state region, education and the vacancy's history: known, not NaN
    for name in ("same_county", "education_gap", "freshness_days", "congestion"):
        assert np.isfinite(column(data, name)).all(), name
    bm25 = column(data, "bm25")  # over each query's ceiling
    assert (bm25 >= 0).all() and (bm25 < 1).all() and bm25.max() > 0.1
    banned = ("gender", "sex", "性别", "name", "phone", "id_number", "address", "contact")
    assert not [n for n in data.feature_names for word in banned if word in n]


@pytest.mark.integration
def test_congestion_and_freshness_are_as_of_the_query_day(
    generated: Store, data: TrainingData
) -> None:
    applies: dict[str, list[dt.date]] = defaultdict(list)
    for item in generated.iter_interactions():
        if item.kind is InteractionKind.APPLY:
            applies[item.vacancy_id].append(item.time.date())
    vacancies = generated.get_many(Vacancy, sorted(set(data.vacancy_ids.tolist())))
    days = np.repeat(data.query_dates, data.ranking.group_sizes)
    congestion, freshness = [], []
    for vacancy_id, day64 in zip(data.vacancy_ids, days, strict=True):
        day = day64.astype(dt.date)
        vacancy = vacancies[vacancy_id]
        before = sum(1 for applied in applies[vacancy_id] if applied < day)  # not the same day
        congestion.append(math.log1p(before / vacancy.openings))
        freshness.append(min(max((day - vacancy.valid_from).days, 0), MAX_FRESHNESS_DAYS))
    assert np.allclose(column(data, "congestion"), congestion, atol=1e-6)
    assert np.array_equal(column(data, "freshness_days"), freshness)
    assert max(congestion) > 0


@pytest.mark.integration
def test_query_tags_follow_the_seekers_priority_groups(
    generated: Store, data: TrainingData
) -> None:
    tags = data.ranking.query_tags
    assert list(tags) == [*priority_groups(), NO_GROUP_TAG]
    seekers = generated.get_many(Seeker, sorted(set(data.seeker_ids.tolist())))
    groups = [seekers[s].priority_groups for s in data.query_seeker_ids]
    assert (tags[NO_GROUP_TAG] == np.array([not g for g in groups])).all()
    for code in priority_groups():
        assert (tags[code] == np.array([code in g for g in groups])).all()
    assert 0 < tags[NO_GROUP_TAG].sum() < data.n_queries


@pytest.mark.integration
def test_train_test_sets_split_by_time_and_fit_on_training_only(
    generated: Store, split: tuple[TrainingData, TrainingData], data: TrainingData
) -> None:
    train, test = split
    assert train.query_dates.max() < test.query_dates.min()
    assert train.n_queries + test.n_queries == data.n_queries
    assert 0.2 <= test.n_queries / data.n_queries <= 0.35
    assert test.vectorizer is train.vectorizer and test.bm25 is train.bm25
    assert test.vocabularies is train.vocabularies

    # the same vectorisers, refitted on the training seekers and vacancies only
    tokenize = domain_tokenizer()
    seekers = generated.get_many(Seeker, sorted(set(train.seeker_ids.tolist())))
    vacancies = generated.get_many(Vacancy, sorted(set(train.vacancy_ids.tolist())))
    refit = fit_text_vectorizer(list(seekers.values()), list(vacancies.values()), tokenize)
    assert train.vectorizer.word_.vocabulary_ == refit.word_.vocabulary_
    assert train.vectorizer.char_.vocabulary_ == refit.char_.vocabulary_
    documents = [tokenize(vacancy_text(v)) for v in vacancies.values()]
    bm25 = BM25Vectorizer().fit(documents, prior=text_priors()[0])  # with the real postings'
    assert train.bm25.vocabulary_ == bm25.vocabulary_
    # and the test part holds words the training part never saw
    all_vocabulary = data.vectorizer.word_.vocabulary_
    assert set(all_vocabulary) - set(train.vectorizer.word_.vocabulary_)


@pytest.mark.integration
def test_time_split_of_one_set(data: TrainingData) -> None:
    train, test = time_split(data, test_share=0.25)
    assert train.query_dates.max() < test.query_dates.min()
    assert train.n_rows + test.n_rows == data.n_rows
    cut = dt.date(2022, 7, 1)
    train, test = time_split(data, test_from=cut)
    assert train.query_dates.max() < np.datetime64(cut) <= test.query_dates.min()
    assert (test.vacancy_ids == data.vacancy_ids[-test.n_rows :]).all()
    with pytest.raises(ValueError, match="test_from=2030-01-01 leaves no test queries"):
        time_split(data, test_from=dt.date(2030, 1, 1))
    with pytest.raises(ValueError, match=r"test_share=1\.5 must lie strictly between 0 and 1"):
        time_split(data, test_share=1.5)


@pytest.mark.integration
def test_grouped_folds_partition_the_queries(data: TrainingData) -> None:
    folds = grouped_folds(data, n_splits=5, seed=1)
    assert len(folds) == 5
    covered = np.zeros(data.n_queries, dtype=int)
    for train_mask, test_mask in folds:
        assert train_mask.shape == (data.n_queries,) and (train_mask == ~test_mask).all()
        covered += test_mask
        part = data.take_queries(test_mask)
        assert 0.1 < part.n_rows / data.n_rows < 0.3
    assert (covered == 1).all()
    assert [t.tolist() for _, t in folds] == [t.tolist() for _, t in grouped_folds(data, 5, 1)]
    with pytest.raises(ValueError, match="n_splits=1 must lie in 2"):
        grouped_folds(data, n_splits=1)


@pytest.mark.integration
def test_no_queries_in_the_window(generated: Store) -> None:
    with pytest.raises(ValueError, match="no queries between since=2030-01-01"):
        build_training_data(generated, since=dt.date(2030, 1, 1))


def _event(
    kind: str,
    vacancy: str,
    when: str,
    position: int | None = None,
    seeker: str = "S001",
) -> Interaction:
    return validate_record(
        Interaction,
        {
            "seeker_id": seeker,
            "vacancy_id": vacancy,
            "kind": kind,
            "time": when,
            "position": position,
        },
    )


def test_sessionless_events_join_the_query_that_showed_the_vacancy(store: Store) -> None:
    store.put_many(
        [
            validate_record(Employer, employer_data()),
            *(validate_record(Vacancy, vacancy_data(id=f"V00{i}")) for i in (1, 2, 3)),
            validate_record(Seeker, seeker_data()),
            validate_record(Seeker, seeker_data(id="S002", priority_groups=[])),
        ]
    )
    store.append_interactions(
        [
            _event("impression", "V001", "2022-03-10T10:00:00", 1),
            _event("impression", "V002", "2022-03-10T10:00:00", 2),
            _event("click", "V001", "2022-03-10T10:01:00", 1),
            _event("apply", "V001", "2022-03-10T10:05:00", 1),
            _event("interview", "V001", "2022-03-13T09:00:00"),  # days later, no session
            _event("impression", "V002", "2022-03-14T08:00:00", 1),
            _event("click", "V003", "2022-03-14T08:30:00"),  # acted on, never shown
            _event("impression", "V001", "2022-03-11T09:00:00", 3, seeker="S002"),
        ]
    )
    data = build_training_data(store)
    assert data.query_keys.tolist() == ["S001|2022-03-10", "S002|2022-03-11", "S001|2022-03-14"]
    assert data.vacancy_ids.tolist() == ["V001", "V002", "V001", "V002", "V003"]
    assert data.ranking.labels.tolist() == [3, 0, 0, 0, 1]
    assert data.ranking.positions is not None
    assert data.ranking.positions.tolist() == [1, 2, 3, 1, 0]
    assert data.ranking.query_times is not None
    assert data.ranking.query_times.tolist() == [
        epoch_days(dt.date(2022, 3, d)) for d in (10, 11, 14)
    ]
    # the application of 03-10 counts for the query of 03-11, not for its own day
    congestion = column(data, "congestion")
    assert congestion[0] == 0.0 and congestion[2] == pytest.approx(math.log1p(1 / 3))
    assert data.ranking.query_tags[NO_GROUP_TAG].tolist() == [False, True, False]
    assert data.skipped == {}

    store.delete(Vacancy, "V003")
    reduced = build_training_data(store, until=dt.date(2022, 3, 20))
    assert reduced.skipped == {"vacancy not in the store": 1}
    assert reduced.n_rows == 4

    only_later = build_training_data(store, since=dt.date(2022, 3, 11), vectorizer=data.vectorizer)
    assert only_later.vectorizer is data.vectorizer
    assert only_later.query_keys.tolist() == ["S002|2022-03-11", "S001|2022-03-14"]


def test_bad_arguments_and_an_empty_store(store: Store) -> None:
    fitted = BM25Vectorizer().fit([["电工"]])
    with pytest.raises(ValueError, match="bm25 is already fitted"):
        train_test_sets(store, bm25=fitted)
    with pytest.raises(TypeError, match="vectorizer must be a TextVectorizer or None"):
        build_training_data(store, vectorizer=fitted)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="holds no interactions; there is nothing to learn"):
        build_training_data(store)
    with pytest.raises(ValueError, match="a time split needs queries on at least two days"):
        train_test_sets(store)


# --- from a pairs file ---------------------------------------------------------------------


def test_pairs_file_with_text_alone() -> None:
    data = pairs_from_file(PAIRS_SMALL)
    ranking = data.ranking
    assert (data.n_rows, data.n_queries) == (30, 6)
    assert data.query_keys.tolist() == ["q1", "q2", "q3", "q4", "q5", "q6"]
    assert ranking.group_sizes.tolist() == [5] * 6
    assert ranking.labels[:5].tolist() == [4, 1, 2, 0, 0]
    assert ranking.positions is None and ranking.query_times is None
    assert np.isnat(data.query_dates).all()
    assert ranking.query_tags[NO_GROUP_TAG].all()
    assert data.vacancy_ids[:2].tolist() == ["line:2", "line:3"]
    assert data.seeker_ids[:2].tolist() == ["q1", "q1"]
    # the texts carry the signal
    good, bad = ranking.labels >= 3, ranking.labels == 0
    for name in ("text_similarity", "bm25"):
        assert column(data, name)[good].mean() > 3 * column(data, name)[bad].mean()
    # read from the texts: every résumé states its wish (求职意向), and the vacancies' titles
    # come from 招聘XX; the electrician's 电工 posting fits exactly, the cashier's not at all
    fit = column(data, "occupation_fit")
    assert fit[0] == 1.0 and fit[3] == 0.0
    assert np.nanmean(fit[good]) > np.nanmean(fit[bad])
    assert column(data, "required_certificate_coverage")[0] == 1  # 持低压电工证 ↔ 需持低压电工证
    # what a text-only file cannot tell is unknown (NaN), never a value that means something
    for name in ("same_county", "same_city", "congestion", "freshness_days", "employer_verified"):
        assert np.isnan(column(data, name)).all(), name


def test_pairs_file_with_structured_columns() -> None:
    data = pairs_from_file(PAIRS_STRUCTURED)
    ranking = data.ranking
    assert data.query_keys.tolist() == ["a", "b", "c"]  # rows of a query gathered
    assert data.vacancy_ids.tolist() == ["V1", "V2", "V3", "V2", "V3", "V1", "V3", "V1", "V2"]
    assert ranking.positions is not None
    assert ranking.positions.tolist() == [1, 2, 3, 1, 2, 3, 1, 2, 0]
    assert ranking.query_times is not None
    assert data.query_dates.astype(str).tolist() == ["2022-03-15", "2022-05-10", "2022-06-01"]
    assert ranking.query_tags["returning_migrant"].tolist() == [True, False, False]
    assert ranking.query_tags["fresh_graduate"].tolist() == [False, True, False]
    assert ranking.query_tags[NO_GROUP_TAG].tolist() == [False, False, True]

    def value(row: int, name: str) -> float:
        return float(column(data, name)[row])

    # row 0: the electrician and the electrician's vacancy, everything known
    assert value(0, "same_county") == 1 and value(0, "education_gap") == 0
    assert value(0, "experience_gap") == 5
    assert value(0, "salary_fit") == pytest.approx(math.log(6000 / 5500), abs=1e-6)
    assert value(0, "freshness_days") == 14  # 2022-03-01 → 2022-03-15
    assert value(0, "congestion") == pytest.approx(math.log1p(6 / 2))
    assert value(0, "skill_coverage") == 1 and value(0, "required_certificate_coverage") == 1
    assert value(0, "employer_verified") == 1 and value(0, "priority_group_match") == 1
    assert value(0, "title_similarity") > 0.5
    assert value(0, "occupation_fit") == 1  # 电工 ↔ 电工, both mapped from the titles
    assert value(1, "occupation_fit") == 0  # 电工 ↔ 会计 (major groups 6 and 2)
    assert math.isnan(value(2, "occupation_fit"))  # a posting without a title: unknown
    # row 5: the graduate (本科, no experience) and the same vacancy
    assert value(5, "education_gap") == 2 and value(5, "experience_gap") == -3
    assert value(5, "missing_required_certificates") == 1 and value(5, "freshness_days") == 70
    # rows 6–8: a seeker given by text only: what the text states is read (the wish 保安),
    # what it does not is unknown (NaN), never a neutral value
    assert math.isnan(value(7, "education_gap")) and math.isnan(value(7, "experience_gap"))
    assert math.isnan(value(7, "same_city")) and math.isnan(value(7, "salary_fit"))
    assert value(7, "occupation_fit") == 0  # 保安 ↔ 电工
    assert value(7, "freshness_days") == 92


def test_pairs_file_reuses_fitted_vectorisers() -> None:
    trained = pairs_from_file(PAIRS_SMALL)
    scored = pairs_from_file(PAIRS_STRUCTURED, vectorizer=trained.vectorizer, bm25=trained.bm25)
    assert scored.vectorizer is trained.vectorizer and scored.bm25 is trained.bm25
    folds = grouped_folds(trained, n_splits=3, seed=0)
    assert sum(test.sum() for _, test in folds) == trained.n_queries


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_pairs_file_without_a_label_column_names_it(tmp_path: Path) -> None:
    lines = PAIRS_SMALL.read_text(encoding="utf-8").splitlines()
    no_label = [line.rsplit(",", 1)[0] for line in lines]
    path = _write(tmp_path / "no_label.csv", no_label)
    with pytest.raises(ImportFileError, match="required column\\(s\\) missing: 'label'") as error:
        pairs_from_file(path)
    assert str(path) in str(error.value)


def test_pairs_file_with_bad_rows_is_rejected_with_line_numbers(tmp_path: Path) -> None:
    lines = PAIRS_SMALL.read_text(encoding="utf-8").splitlines()
    lines[7] = lines[7].rsplit(",", 1)[0] + ",5"  # line 8 of the file
    query, _, rest = lines[11].split(",", 2)
    lines[11] = f"{query},,{rest}"  # line 12: empty résumé (a real file has such rows: kept)
    lines[14] = lines[14].rsplit(",", 1)[0] + ",good"  # line 15
    path = _write(tmp_path / "bad.csv", lines)
    with pytest.raises(ImportFileError) as error:
        pairs_from_file(path)
    message = str(error.value)
    assert "2 problem(s) in 2 row(s); the file was not used" in message
    assert "line 8, label: 5 is outside 0–4" in message
    assert "line 12" not in message
    assert "line 15, label: 'good' is not an integer" in message


def test_pairs_file_checks_codes_and_columns(tmp_path: Path) -> None:
    header = "query_id,resume_text,vacancy_text,label,region,vacancy_target_groups"
    path = _write(tmp_path / "codes.csv", [header, "q,电工,招聘电工,1,5199xx,外星人"])
    with pytest.raises(ImportFileError) as error:
        pairs_from_file(path)
    assert "line 2, region: '5199xx' is not a GB/T 2260 region code" in str(error.value)
    assert "line 2, vacancy_target_groups: '外星人' is not a known priority group" in str(
        error.value
    )

    path = _write(tmp_path / "typo.csv", ["query_id,resume_text,vacancy_text,label,regoin"])
    with pytest.raises(ImportFileError, match="unknown column\\(s\\) 'regoin'"):
        pairs_from_file(path)
    path = _write(
        tmp_path / "extra.csv", ["query_id,resume_text,vacancy_text,label,note", "q,a,b,1,x"]
    )
    assert pairs_from_file(path, unknown_columns="ignore").n_rows == 1

    salary = "query_id,resume_text,vacancy_text,label,vacancy_salary_min,vacancy_salary_max"
    path = _write(tmp_path / "salary.csv", [salary, "q,电工,电工,1,6000,5000"])
    with pytest.raises(ImportFileError, match="line 2, vacancy_salary_max: 5000 is below"):
        pairs_from_file(path)

    dates = "query_id,resume_text,vacancy_text,label,query_date"
    path = _write(
        tmp_path / "dates.csv", [dates, "q,电工,电工,1,2022-03-01", "q,电工,焊工,0,2022-03-02"]
    )
    with pytest.raises(ImportFileError, match="line 3, query_date: differs from the date"):
        pairs_from_file(path)
    with pytest.raises(ImportFileError, match="no data rows"):
        pairs_from_file(_write(tmp_path / "empty.csv", [dates]))


def test_pairs_file_with_occupation_columns(tmp_path: Path) -> None:
    header = (
        "query_id,resume_text,vacancy_text,label,desired_titles,desired_occupations,"
        "vacancy_title,vacancy_occupation"
    )
    path = _write(
        tmp_path / "occupations.csv",
        [
            header,
            "q,电工,招聘电工,1,,6-31-01-03,,电工",  # code ↔ name: exact
            "q,电工,招聘焊工,0,,电工,,6-18-02-04",  # major 6 only: nothing that matters
            "q,电工,维修,0,,6-31-01-02,电工,",  # minor 6-31-01 (the vacancy's title mapped)
            "q,电工,电工,0,焊工,,,6-18-02-04",  # desired title mapped: exact
            "q,电工,电工,0,焊工,6-31-01-02,,电工",  # both count: best of 0 and 0.75
            "q,电工,电工,0,焊工,电工,岗位,",  # a title without a code
            "q,电工,电工,0,,,,",  # nothing given
        ],
    )
    data = pairs_from_file(path)
    # a row without a vacancy occupation or title is unknown; a given wish (code or title) is
    # not widened by what the résumé says
    np.testing.assert_allclose(
        column(data, "occupation_fit"), [1, 0, 0.75, 1, 0.75, np.nan, np.nan]
    )

    bad = _write(
        tmp_path / "bad_occupation.csv",
        [header, "q,电工,电工,1,,电工,,", "q,电工,电工,0,,电工;9-99-99-99,,外星工"],
    )
    with pytest.raises(ImportFileError) as error:
        pairs_from_file(bad)
    message = str(error.value)
    assert "line 3, desired_occupations: '9-99-99-99' is not a 职业分类大典 2022" in message
    assert "line 3, vacancy_occupation: '外星工' is not a 职业分类大典 2022" in message


def test_every_optional_column_has_a_parser() -> None:
    from matcher.learning.pairs import _PARSERS

    assert set(PAIRS_OPTIONAL_COLUMNS) | {"label"} == set(_PARSERS)


def test_a_pairs_file_reads_long_texts_as_far_as_records_may_go(tmp_path: Path) -> None:
    long_resume = "求职意向：电工。" + "熟悉配电柜安装。" * 2_000  # 16 K characters
    path = _write(
        tmp_path / "long.csv",
        [
            "query_id,resume_text,vacancy_text,label",
            f"q,{long_resume},招聘电工2名,1",
            "q,,招聘焊工,0",
        ],
    )
    data = pairs_from_file(path)
    assert data.n_rows == 2  # neither the long résumé nor the empty one refuses the file
    assert column(data, "occupation_fit")[0] == 1.0  # the wish at its start is still read


def test_pairs_file_reads_the_skills_a_posting_names(tmp_path: Path) -> None:
    path = tmp_path / "skills.csv"
    path.write_text(
        "query_id,resume_text,vacancy_text,label\n"
        "q1,会HTML、JavaScript和Vue，做过两年前端,招聘前端开发：熟悉HTML、JavaScript、Vue,1\n"
        "q1,会HTML、JavaScript和Vue，做过两年前端,招聘Java开发：熟悉Java、Spring和MySQL,0\n"
        "q1,会HTML、JavaScript和Vue，做过两年前端,招聘门卫：身体健康，能上夜班,0\n",
        encoding="utf-8",
    )
    data = pairs_from_file(path)
    assert column(data, "vacancy_lists_skills").tolist() == [1, 1, 0]
    assert column(data, "skill_coverage").tolist() == [1, 0, 0]
