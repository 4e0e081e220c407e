"""The MatchEngine's pipeline with a transparent stand-in ranker (text similarity + bm25)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.typing import NDArray

from features.pairwise import FEATURE_NAMES
from features.vectorize import BM25Vectorizer
from matcher.domain.campaigns import load_campaigns
from matcher.domain.records import Contact, Employer, Ownership, Seeker, Vacancy
from matcher.intake.lexicon import domain_tokenizer
from matcher.ranking.columns import (
    Vocabularies,
    binding_certificates,
    fit_text_vectorizer,
    vacancy_text,
)
from matcher.ranking.engine import (
    EngineModel,
    Filters,
    MatchEngine,
    _bm25_scores,
    _csr_row,
    _rows_of,
    explain_match,
)
from matcher.reference.tables import EducationLevel
from matcher.storage.store import Store
from matcher.synth import generate
from models.base import Ranker
from models.dataset import RankingSet

DAY = dt.date(2022, 4, 15)


class SimilarityRanker:
    """Scores = text similarity + a little bm25 + title similarity: easy to reason about."""

    kind: ClassVar[str] = "test_similarity"

    def __init__(self) -> None:
        self.feature_names_ = (*FEATURE_NAMES, "bm25")

    def fit(self, data: RankingSet) -> Self:
        return self

    def predict(self, features: NDArray[np.float32]) -> NDArray[np.float64]:
        names = self.feature_names_
        text = features[:, names.index("text_similarity")]
        title = features[:, names.index("title_similarity")]
        bm25 = features[:, names.index("bm25")]
        scores: NDArray[np.float64] = (4 * text + 2 * title + 0.05 * bm25).astype(np.float64)
        return scores

    def contributions(self, features: NDArray[np.float32]) -> NDArray[np.float64]:
        raise NotImplementedError

    def params(self) -> dict[str, Any]:
        return {}

    def save(self, directory: Path) -> list[Path]:
        raise NotImplementedError

    @classmethod
    def load(cls, directory: Path) -> Self:
        raise NotImplementedError


def similarity_model(store: Store) -> EngineModel:
    """:class:`SimilarityRanker` with text artefacts fitted on the store's records."""
    seekers, vacancies = store.list(Seeker), store.list(Vacancy)
    tokenize = domain_tokenizer()
    return EngineModel(
        ranker=SimilarityRanker(),
        vectorizer=fit_text_vectorizer(seekers, vacancies),
        bm25=BM25Vectorizer().fit([tokenize(vacancy_text(v)) for v in vacancies]),
        vocabularies=Vocabularies.fit(seekers, vacancies),
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, MatchEngine]]:
    home = tmp_path_factory.mktemp("engine")
    with Store.open(home) as store:
        generate(store, seekers=300, vacancies=120, seed=5)
        yield store, MatchEngine(store, similarity_model(store), load_campaigns(), today=DAY)


def test_recommendations_respect_the_hard_filters(world: tuple[Store, MatchEngine]) -> None:
    store, engine = world
    shown = 0
    for seeker in store.list(Seeker, limit=60):
        results = engine.recommend_vacancies(seeker, k=8)
        assert len(results) <= 8
        scores = [r.score for r in results]
        assert scores == sorted(scores, reverse=True)
        for result in results:
            vacancy = store.get(Vacancy, result.vacancy_id)
            assert vacancy.is_active(DAY)
            # a 健康证 is obtained after hire: it binds nobody (columns.binding_certificates)
            assert set(binding_certificates(vacancy.required_certificates)) <= set(
                seeker.certificates
            )
            assert seeker.region is not None  # the generator gives every seeker a home
            same_city = vacancy.region[:4] == seeker.region[:4]
            assert same_city or vacancy.region in seeker.desired_regions
            assert result.reason
        shown += len(results)
    assert shown > 100


def test_campaign_policies_filter(world: tuple[Store, MatchEngine]) -> None:
    store, engine = world
    seekers = store.list(Seeker, limit=40)
    for seeker in seekers:
        for result in engine.recommend_vacancies(
            seeker, k=5, campaign="disability_employment", on=dt.date(2022, 5, 15)
        ):
            assert store.get(Vacancy, result.vacancy_id).accessible
        for result in engine.recommend_vacancies(seeker, k=5, campaign="private_enterprise_month"):
            vacancy = store.get(Vacancy, result.vacancy_id)
            assert store.get(Employer, vacancy.employer_id).is_private
    with pytest.raises(KeyError, match="unknown campaign"):
        engine.recommend_vacancies(seekers[0], campaign="nope")


def test_filters(world: tuple[Store, MatchEngine]) -> None:
    store, engine = world
    seeker = store.list(Seeker, limit=1)[0]
    narrowed = engine.recommend_vacancies(
        seeker, k=10, filters=Filters(regions=("510903",), min_salary=4000)
    )
    for result in narrowed:
        vacancy = store.get(Vacancy, result.vacancy_id)
        assert vacancy.region == "510903"
        assert vacancy.salary_max is None or vacancy.salary_max >= 4000


def test_irrelevant_vacancies_leave_the_top_k_unchanged(
    world: tuple[Store, MatchEngine],
) -> None:
    """Vacancies outside the seeker's commute never displace the top k."""
    store, engine = world
    seeker = store.list(Seeker, limit=5)[4]
    before = [r.vacancy_id for r in engine.recommend_vacancies(seeker, k=5)]
    template = store.list(Vacancy, limit=1)[0]
    far = [
        template.model_copy(
            update={"id": f"FAR{i}", "region": "110105", "valid_from": DAY, "valid_until": DAY}
        )
        for i in range(20)
    ]
    store.put_many(far)
    try:
        engine.refresh()
        after = [r.vacancy_id for r in engine.recommend_vacancies(seeker, k=5)]
    finally:
        for vacancy in far:
            store.delete(Vacancy, vacancy.id)
        engine.refresh()
    assert after == before


def test_candidates_are_non_identifying(world: tuple[Store, MatchEngine]) -> None:
    store, engine = world
    vacancy = store.list(Vacancy, limit=3)[2]
    candidates = engine.recommend_seekers(vacancy.id, k=10)
    assert 0 < len(candidates) <= 10
    contacts = [store.get_contact(c.seeker_id) for c in candidates if c.seeker_id is not None]
    assert len(contacts) == len(candidates)  # engine-level candidates carry their ids
    text = repr(candidates)
    for contact in contacts:
        for value in (contact.name, contact.phone, contact.id_number, contact.address):
            assert not value or value not in text
    fields = {f.name for f in dataclasses.fields(candidates[0])}
    assert not fields & {"name", "phone", "id_number", "address", "resume_text", "gender"}
    assert isinstance(contacts[0], Contact)


def test_score_orders_inline_vacancies(world: tuple[Store, MatchEngine]) -> None:
    store, engine = world
    seeker = store.list(Seeker, limit=1)[0]
    vacancies = store.list(Vacancy, limit=15)
    scored = engine.score(seeker, vacancies)
    assert sorted(v.id for v, _, _ in scored) == sorted(v.id for v in vacancies)
    assert [s for _, s, _ in scored] == sorted((s for _, s, _ in scored), reverse=True)


def _feature_ranker(engine: MatchEngine, column: str) -> Ranker:
    """A ranker scoring by one of ``engine``'s model features (it learns only its column)."""
    from models.rankers import make_ranker

    names = engine.model.ranker.feature_names_
    one_row = RankingSet(
        features=np.zeros((1, len(names)), dtype=np.float32),
        labels=np.zeros(1, dtype=np.int8),
        query_ids=np.zeros(1, dtype=np.int64),
        feature_names=names,
    )
    return make_ranker("tfidf_cosine", column=column).fit(one_row)


def test_score_gives_the_scores_recommendations_give(world: tuple[Store, MatchEngine]) -> None:
    """The same pairs on the same day score alike on both paths — congestion included: a
    stored vacancy's applications count when it is scored by itself too."""
    store, world_engine = world
    seeker, _ = _best_seeker_and_vacancy(store, world_engine)
    engine = world_engine.with_ranker(_feature_ranker(world_engine, "congestion"))
    listed = engine.recommend_vacancies(seeker, k=10)
    vacancies = [store.get(Vacancy, r.vacancy_id) for r in listed]
    index = engine._index_for(None)
    assert index is not None
    applied = [int(index.columns.applicants[index.row_of[v.id]]) for v in vacancies]
    assert any(applied)  # the case that can differ
    scored = {v.id: score for v, score, _ in engine.score(seeker, vacancies)}
    assert {r.vacancy_id: r.score for r in listed} == pytest.approx(scored, abs=1e-4)


def test_reason_in_chinese(world: tuple[Store, MatchEngine]) -> None:
    store, _ = world
    seeker = store.list(Seeker, limit=1)[0].model_copy(
        update={
            "region": "510903",
            "certificates": ["low_voltage_electrician"],
            "expected_salary": 4500,
        }
    )
    vacancy = store.list(Vacancy, limit=1)[0].model_copy(
        update={
            "region": "510903",
            "required_certificates": ["low_voltage_electrician"],
            "salary_min": 5000,
            "salary_max": 6500,
        }
    )
    reason = explain_match(seeker, vacancy)
    assert "技能匹配：低压电工作业证" in reason
    assert "通勤：同在船山区" in reason
    assert "薪资：5000-6500 高于期望 4500" in reason


def test_reasons_say_what_the_seeker_falls_short_of(world: tuple[Store, MatchEngine]) -> None:
    """Staff see the education or years a posting asks that the seeker lacks (never the age)."""
    store, _ = world
    seeker = store.list(Seeker, limit=1)[0].model_copy(
        update={"education": EducationLevel.JUNIOR_OR_BELOW, "experience_years": 1.0}
    )
    vacancy = store.list(Vacancy, limit=1)[0].model_copy(
        update={
            "min_education": EducationLevel.JUNIOR_COLLEGE,
            "min_experience_years": 3.0,
            "age_min": 18,
            "age_max": 20,
        }
    )
    reason = explain_match(seeker.model_copy(update={"birth_year": 1960}), vacancy)
    assert "学历：低于大专要求" in reason
    assert "经验：要求3年，有1年" in reason
    assert "年龄" not in reason
    met = explain_match(
        seeker.model_copy(update={"education": EducationLevel.BACHELOR, "experience_years": 3.0}),
        vacancy,
    )
    assert "学历：满足大专要求" in met
    assert "经验" not in met
    unknown = explain_match(seeker.model_copy(update={"experience_years": None}), vacancy)
    assert "经验" not in unknown


def test_served_exposure_compares_rankers_on_one_index(world: tuple[Store, MatchEngine]) -> None:
    from matcher.learning.training import served_exposure

    store, engine = world
    seekers = store.list(Seeker, limit=40)
    tfidf = _feature_ranker(engine, "text_similarity")
    other = engine.with_ranker(tfidf)
    assert other._indexes is engine._indexes  # shared, not rebuilt
    assert other.model.ranker is tfidf and engine.model.ranker is not tfidf
    gini = served_exposure(engine, {"test": engine.model.ranker, "tfidf": tfidf}, seekers, on=DAY)
    assert set(gini) == {"test", "tfidf"}
    assert all(0.0 <= value < 1.0 for value in gini.values())


# --- live index updates ----------------------------------------------------------------------


@pytest.fixture
def fresh(world: tuple[Store, MatchEngine]) -> MatchEngine:
    """An engine of its own (updates must not leak into the module's shared one)."""
    store, engine = world
    return MatchEngine(store, engine.model, engine.calendar, today=DAY)


def _best_seeker_and_vacancy(store: Store, engine: MatchEngine) -> tuple[Seeker, Vacancy]:
    for seeker in store.list(Seeker):
        results = engine.recommend_vacancies(seeker, k=1)
        if results:
            return seeker, store.get(Vacancy, results[0].vacancy_id)
    raise AssertionError("no seeker with a recommendation")


def test_upserted_vacancy_is_searchable_at_once_and_matches_a_rebuild(
    world: tuple[Store, MatchEngine], fresh: MatchEngine
) -> None:
    store, _ = world
    seeker, best = _best_seeker_and_vacancy(store, fresh)
    size = fresh.size
    twin = best.model_copy(update={"id": "V-LIVE-TWIN", "salary_max": (best.salary_max or 0) + 1})
    fresh.upsert_vacancies([twin])  # not in the store: the engine takes what it is given
    assert fresh.size == size + 1
    found = [r.vacancy_id for r in fresh.recommend_vacancies(seeker, k=5)]
    assert "V-LIVE-TWIN" in found
    # an updated index ranks like one built from scratch with the same vacancies
    store.put(twin)
    try:
        rebuilt = MatchEngine(store, fresh.model, fresh.calendar, today=DAY)
        for other in store.list(Seeker)[:25]:
            live = [(r.vacancy_id, r.score) for r in fresh.recommend_vacancies(other, k=10)]
            again = [(r.vacancy_id, r.score) for r in rebuilt.recommend_vacancies(other, k=10)]
            assert live == again
    finally:
        store.delete(Vacancy, "V-LIVE-TWIN")


def test_replaced_closed_and_removed_vacancies_leave_the_results(
    world: tuple[Store, MatchEngine], fresh: MatchEngine
) -> None:
    store, _ = world
    seeker, best = _best_seeker_and_vacancy(store, fresh)
    size = fresh.size
    fresh.upsert_vacancies([best.model_copy(update={"title": "幼儿园保育员"})])
    assert fresh.size == size  # replaced, not added
    again = fresh.recommend_vacancies(seeker, k=50)
    assert [r.title for r in again if r.vacancy_id == best.id] in ([], ["幼儿园保育员"])
    fresh.upsert_vacancies([best.model_copy(update={"status": "closed"})])
    assert fresh.size == size - 1
    assert best.id not in {r.vacancy_id for r in fresh.recommend_vacancies(seeker, k=200)}
    others = [v.id for v in fresh.vacancies()[:3]]
    fresh.remove_vacancies([*others, "no-such-id"])
    assert fresh.size == size - 4
    assert not {best.id, *others} & {v.id for v in fresh.vacancies()}
    fresh.refresh()  # back to what the store holds
    assert fresh.size == size


def test_campaign_masks_follow_employer_updates(
    world: tuple[Store, MatchEngine], fresh: MatchEngine
) -> None:
    """民营企业招聘月 admits private employers only: changing an employer's kind moves its
    vacancies in or out at once."""
    store, _ = world
    calendar = fresh.calendar
    campaign = next(
        c for c in calendar.campaigns.values() if c.policy.employer_kinds == ["民营企业"]
    )
    seekers = store.list(Seeker)
    served = {
        r.vacancy_id
        for s in seekers[:60]
        for r in fresh.recommend_vacancies(s, k=20, campaign=campaign.id)
    }
    assert served
    vacancy = store.get(Vacancy, sorted(served)[0])
    employer = store.get(Employer, vacancy.employer_id)
    assert employer.is_private
    fresh.upsert_employers([employer.model_copy(update={"ownership": Ownership.STATE})])
    again = {
        r.vacancy_id
        for s in seekers[:60]
        for r in fresh.recommend_vacancies(s, k=20, campaign=campaign.id)
    }
    assert not {v.id for v in fresh.vacancies() if v.employer_id == employer.id} & again


def test_stored_seekers_rank_from_the_seeker_index_as_when_vectorised(
    world: tuple[Store, MatchEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, engine = world
    plain = MatchEngine(store, engine.model, engine.calendar, today=DAY)
    # built on another day: the index's ages must come from each call's day, not the build's
    built = dt.date(2019, 6, 1)
    indexed = MatchEngine(store, engine.model, engine.calendar, today=built, index_seekers=True)
    vectorised: list[str] = []
    cut = indexed._seeker_columns

    def counting(seekers: Any, day: dt.date) -> Any:
        vectorised.extend(s.id or "inline" for s in seekers)
        return cut(seekers, day)

    monkeypatch.setattr(indexed, "_seeker_columns", counting)
    stored = store.list(Seeker)[:40]
    changed = stored[3].model_copy(update={"resume_text": stored[3].resume_text + "\n焊工"})
    indexed.upsert_seekers([changed])  # a second segment; counted as vectorised
    vectorised.clear()
    inline = stored[5].model_copy(update={"id": None, "skills": [*stored[5].skills, "叉车"]})
    edited = stored[7].model_copy(update={"expected_salary": 9000})  # not what the index holds
    block = [stored[0], changed, stored[1], inline, stored[2], edited, *stored[8:]]
    for campaign, on in ((None, DAY), ("disability_employment", dt.date(2022, 5, 15))):
        expected = plain.rank_block(block, 10, campaign, on=on, features=True)
        got = indexed.rank_block(block, 10, campaign, on=on, features=True)
        assert sum(len(r.rows) for r in got) > 0
        for want, have in zip(expected, got, strict=True):
            np.testing.assert_array_equal(have.vacancy_ids, want.vacancy_ids)
            np.testing.assert_array_equal(have.scores, want.scores)
            assert have.features is not None and want.features is not None
            np.testing.assert_array_equal(have.features, want.features)
    # only the two seekers the index does not hold unchanged were cut again, once per call
    assert vectorised == ["inline", stored[7].id] * 2
    # a single stored seeker is never vectorised (the replaced one only in its new version);
    # its list is the plain engine's
    vectorised.clear()
    for seeker in [changed, *stored[:3], *stored[4:10]]:
        served = [(r.vacancy_id, r.score) for r in indexed.recommend_vacancies(seeker, 10, on=DAY)]
        assert served == [(r.vacancy_id, r.score) for r in plain.recommend_vacancies(seeker, 10)]
    assert vectorised == []


def test_one_row_helpers_equal_scipy_on_a_small_matrix() -> None:
    documents = sp.csr_matrix(
        np.array([[0.5, 0, 2.0, 0], [0, 1.5, 0, 0], [3.0, 0, 0, 0.25]], dtype=np.float32)
    )
    queries = sp.csr_matrix(np.array([[0, 0, 0, 0], [1.0, 0, 2.0, 4.0]], dtype=np.float32))
    rows = np.array([2, 0], dtype=np.int64)
    # document 2: 3·1 + 0.25·4 = 4; document 0: 0.5·1 + 2·2 = 4.5
    np.testing.assert_array_equal(_bm25_scores(documents, rows, queries, 1), [4.0, 4.5])
    expected = np.asarray((documents[rows] @ queries[1].T).todense(), dtype=np.float32).ravel()
    np.testing.assert_array_equal(_bm25_scores(documents, rows, queries, 1), expected)
    np.testing.assert_array_equal(_bm25_scores(documents, rows, queries, 0), [0.0, 0.0])
    terms, values = _csr_row(queries, 1)
    assert terms.tolist() == [0, 2, 3] and values.tolist() == [1.0, 2.0, 4.0]
    terms, values = _csr_row(queries.toarray(), 1)  # dense rows go through a one-row matrix
    assert terms.tolist() == [0, 2, 3] and values.tolist() == [1.0, 2.0, 4.0]
    one = _rows_of(np.arange(6).reshape(3, 2), np.array([1]))
    assert one.tolist() == [[2, 3]] and not one.flags.writeable  # a view the caller cannot write
    assert (_rows_of(documents, np.array([2])) != documents[[2]]).nnz == 0
    assert _rows_of(np.arange(3), np.array([2, 0])).tolist() == [2, 0]


def test_group_blind_stored_seekers_rank_from_the_index_as_when_vectorised(
    world: tuple[Store, MatchEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, engine = world
    plain = MatchEngine(store, engine.model, engine.calendar, today=DAY)
    indexed = MatchEngine(store, engine.model, engine.calendar, today=DAY, index_seekers=True)
    vectorised: list[str | None] = []
    cut = indexed._seeker_columns

    def counting(seekers: Any, day: dt.date) -> Any:
        vectorised.extend(s.id for s in seekers)
        return cut(seekers, day)

    monkeypatch.setattr(indexed, "_seeker_columns", counting)
    grouped = [s for s in store.list(Seeker) if s.priority_groups or s.disability is not None]
    # disabled seekers first: their accessibility feature shows whether the index's columns
    # were cleared
    grouped.sort(key=lambda s: s.disability is None and "disabled" not in s.priority_groups)
    assert len(grouped) >= 5 and grouped[0].disability is not None
    # as the service makes them for callers who may not read groups (and one edited besides)
    blind = [s.model_copy(update={"priority_groups": [], "disability": None}) for s in grouped]
    edited = blind[0].model_copy(update={"expected_salary": 9000})
    block = [*blind[:10], edited, *grouped[:3]]
    for campaign, on in ((None, DAY), ("disability_employment", dt.date(2022, 5, 15))):
        expected = plain.rank_block(block, 10, campaign, on=on, features=True)
        got = indexed.rank_block(block, 10, campaign, on=on, features=True)
        assert sum(len(r.rows) for r in got) > 0
        for want, have in zip(expected, got, strict=True):
            np.testing.assert_array_equal(have.scores, want.scores)
            assert have.features is not None and want.features is not None
            np.testing.assert_array_equal(have.features, want.features)
    assert vectorised == [edited.id, edited.id]  # only the edited record was cut again
    # the test can tell: ranked with their groups, the same seekers get other features
    seen = plain.rank_block(grouped[:10], 10, on=DAY, features=True)
    cleared = plain.rank_block(blind[:10], 10, on=DAY, features=True)
    assert any(
        a.features is not None
        and b.features is not None
        and not np.array_equal(a.features, b.features)
        for a, b in zip(seen, cleared, strict=True)
    )


def test_features_a_ranker_ignores_are_not_computed_and_change_no_score(
    world: tuple[Store, MatchEngine],
) -> None:
    """A LambdaMART fitted blind to ``title_similarity`` is served without it (NaN, never
    computed): its recommendations are those of the same engine computing every feature."""
    from matcher.learning.sets import build_training_data
    from models.rankers import LambdaMARTRanker

    store, _ = world
    data = build_training_data(store)
    ranker = LambdaMARTRanker(
        num_iterations=20, num_leaves=7, min_data_in_leaf=5, unused=["title_similarity"]
    ).fit(data.ranking)
    model = EngineModel(ranker, data.vectorizer, data.bm25, data.vocabularies)
    engine = MatchEngine(store, model, load_campaigns(), today=DAY)
    assert engine._unread == {"title_similarity"}
    computing = MatchEngine(store, model, load_campaigns(), today=DAY)
    computing._unread = frozenset()
    compared = 0
    for seeker in store.list(Seeker, limit=40):
        served = engine.recommend_vacancies(seeker, 10)
        full = computing.recommend_vacancies(seeker, 10)
        assert [(r.vacancy_id, r.score) for r in served] == [(r.vacancy_id, r.score) for r in full]
        compared += len(served)
    assert compared > 100
    (block,) = engine.rank_block([store.list(Seeker, limit=1)[0]], 5, on=DAY, features=True)
    assert block.features is not None
    assert np.isnan(block.features[:, ranker.feature_names_.index("title_similarity")]).all()
