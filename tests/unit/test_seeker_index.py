"""The seeker index behind candidates: equal to the full scan, hard filters, live updates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from features.pairwise import MODEL_FEATURE_NAMES, model_features
from matcher.domain.campaigns import load_campaigns
from matcher.domain.records import Seeker, Vacancy
from matcher.learning.training import save_run, train_run
from matcher.ranking import engine as engine_module
from matcher.ranking.columns import epoch_days, related_table
from matcher.ranking.engine import CandidateSummary, MatchEngine, admits
from matcher.ranking.service import MatchService
from matcher.ranking.serving import load_engine_model, registry_for
from matcher.storage.store import Store
from matcher.synth import generate
from tests.conftest import today_of


@dataclasses.dataclass(frozen=True)
class Home:
    path: Path
    today: dt.date


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A generated store (300 seekers) and a trained, promoted LambdaMART model."""
    path = tmp_path_factory.mktemp("seeker_index")
    with Store.open(path) as store:
        generate(store, seekers=300, vacancies=120, seed=11)
        run = train_run(store, baselines=())
        registry = registry_for(path)
        registry.promote(save_run(registry, run).version)
    return Home(path, today_of(run.test_from))


@pytest.fixture
def store(home: Home) -> Iterator[Store]:
    with Store.open(home.path) as opened:
        yield opened


def _engine(store: Store, home: Home, **options: int) -> MatchEngine:
    registry = registry_for(home.path)
    version = registry.active_version()
    assert version is not None
    model = load_engine_model(registry.get(version))
    return MatchEngine(store, model, load_campaigns(), today=home.today, **options)  # type: ignore[arg-type]


def _ids(found: list[CandidateSummary]) -> list[str | None]:
    return [c.seeker_id for c in found]


def _group_campaign(day: dt.date) -> str:
    """A campaign running on ``day`` that boosts priority groups (staff rankings use it)."""
    running = [c for c in load_campaigns().running_on(day) if c.priority_groups]
    assert running, f"no campaign with groups runs on {day}"
    return running[0].id


def test_the_index_ranks_as_the_full_scan_when_retrieval_covers_everyone(
    store: Store, home: Home
) -> None:
    engine = _engine(store, home)  # retrieval of 1,000 covers the 300 seekers
    campaign = _group_campaign(home.today)
    for vacancy in store.list(Vacancy, limit=6):
        for options in (
            {"group_blind": True},
            {"group_blind": False},
            {"group_blind": False, "campaign": campaign},
        ):
            indexed = engine.recommend_seekers(vacancy.id, 40, **options)
            scanned = engine.scan_seekers(vacancy.id, 40, **options)
            assert indexed, (vacancy.id, options)
            assert indexed == scanned, (vacancy.id, options)


def test_retrieved_seekers_score_as_in_the_full_scan(store: Store, home: Home) -> None:
    """With retrieval narrower than the pool, every retrieved seeker keeps the scan's score;
    scoring the whole pool from the index is the scan itself."""
    engine = _engine(store, home, seeker_retrieval_size=25)
    tried = 0
    for vacancy in store.list(Vacancy, limit=12):
        scanned = engine.scan_seekers(vacancy.id, 300, group_blind=True)
        if len(scanned) <= 50:  # a pool retrieval would take whole
            continue
        tried += 1
        score_of = {c.seeker_id: c.score for c in scanned}
        indexed = engine.recommend_seekers(vacancy.id, 300, group_blind=True)
        assert 25 <= len(indexed) < len(scanned)
        assert all(c.score == score_of[c.seeker_id] for c in indexed)
        whole = engine.recommend_seekers(vacancy.id, 300, group_blind=True, retrieval=False)
        assert whole == scanned
    assert tried >= 3


def test_hard_filters_exclude_known_misfits_only(store: Store, home: Home) -> None:
    seeker = store.list(Seeker, limit=1)[0].model_copy(
        update={"birth_year": home.today.year - 30, "education": 3, "certificates": []}
    )
    vacancy = store.list(Vacancy, limit=1)[0].model_copy(
        update={"age_min": 20, "age_max": 40, "min_education": 3, "required_certificates": []}
    )
    day = home.today
    assert admits(vacancy, seeker, None, day)
    assert not admits(vacancy, seeker.model_copy(update={"birth_year": day.year - 45}), None, day)
    assert not admits(vacancy, seeker.model_copy(update={"birth_year": day.year - 18}), None, day)
    assert not admits(vacancy, seeker.model_copy(update={"education": 2}), None, day)
    unknown = seeker.model_copy(update={"birth_year": None, "education": None})
    assert admits(vacancy, unknown, None, day)
    needs = vacancy.model_copy(update={"required_certificates": ["low_voltage_electrician"]})
    assert not admits(needs, seeker, None, day)
    assert admits(
        needs, seeker.model_copy(update={"certificates": ["low_voltage_electrician"]}), None, day
    )


def test_the_index_admits_exactly_whom_the_filters_admit(store: Store, home: Home) -> None:
    engine = _engine(store, home)
    vacancy = store.list(Vacancy, limit=1)[0].model_copy(
        update={"age_min": 25, "age_max": 45, "min_education": 3}
    )
    found = {c.seeker_id for c in engine.recommend_seekers(vacancy, 300)}
    expected = {s.id for s in store.iter(Seeker) if admits(vacancy, s, None, home.today)}
    assert found == expected
    assert 0 < len(expected) < store.count(Seeker)
    unknown_age = [s for s in store.iter(Seeker) if s.birth_year is None]
    assert {s.id for s in unknown_age if admits(vacancy, s, None, home.today)} <= found


def _top_seeker_copy(store: Store, engine: MatchEngine, vacancy: Vacancy, new_id: str) -> Seeker:
    best = engine.recommend_seekers(vacancy, 1)[0]
    assert best.seeker_id is not None
    return store.get(Seeker, best.seeker_id).model_copy(update={"id": new_id})


def test_upserts_and_removals_change_the_index_at_once(
    store: Store, home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "SEEKER_DELTA_LIMIT", 3)  # merge segments often
    engine = _engine(store, home)
    vacancy = store.list(Vacancy, limit=1)[0]
    before = engine.recommend_seekers(vacancy, 1)
    added = [_top_seeker_copy(store, engine, vacancy, f"NEW{i}") for i in range(5)]
    try:
        for seeker in added:  # one at a time: the second segment grows, then merges
            store.put(seeker)
            engine.upsert_seekers([seeker])
            assert seeker.id in _ids(engine.recommend_seekers(vacancy, 300))
        assert len(engine._seeker_index_for("").segments) <= 2
        assert engine.recommend_seekers(vacancy, 60) == engine.scan_seekers(vacancy, 60)
        # a replaced seeker who no longer holds what the vacancy requires leaves the list
        strict = vacancy.model_copy(update={"required_certificates": ["forklift"]})
        holder = added[0].model_copy(update={"certificates": ["forklift"]})
        store.put(holder)
        engine.upsert_seekers([holder])
        assert _ids(engine.recommend_seekers(strict, 300)).count(holder.id) == 1
        store.put(added[0])
        engine.upsert_seekers([added[0]])
        assert holder.id not in _ids(engine.recommend_seekers(strict, 300))
        for seeker in added:
            store.delete(Seeker, seeker.id)
        engine.remove_seekers([s.id for s in added])
        assert not {s.id for s in added} & set(_ids(engine.recommend_seekers(vacancy, 300)))
        assert engine.recommend_seekers(vacancy, 1) == before
        assert engine.recommend_seekers(vacancy, 60) == engine.scan_seekers(vacancy, 60)
    finally:
        for seeker in added:
            if store.exists(Seeker, [seeker.id]):
                store.delete(Seeker, seeker.id)


def test_seeker_changes_are_logged(store: Store) -> None:
    seeker = store.list(Seeker, limit=1)[0].model_copy(update={"id": "LOGGED"})
    seq = store.last_change()
    store.put(seeker)
    store.put(seeker)
    store.delete(Seeker, seeker.id)
    assert [(c.kind, c.record_id, c.op) for c in store.changes_since(seq)] == [
        ("seeker", "LOGGED", "put"),
        ("seeker", "LOGGED", "put"),
        ("seeker", "LOGGED", "delete"),
    ]


def test_a_seeker_put_on_one_worker_is_a_candidate_on_another(home: Home) -> None:
    calendar = load_campaigns()
    first = MatchService(home.path, calendar, today=home.today, check_interval=0.0)
    second = MatchService(home.path, calendar, today=home.today, check_interval=0.0)
    try:
        vacancy = first.store.list(Vacancy, limit=1)[0]
        engine = second.engine()
        copy = _top_seeker_copy(second.store, engine, vacancy, "WORKER1")
        assert "WORKER1" not in _ids(second.candidates(vacancy.id, 300, employer_side=False))
        body = copy.model_dump(mode="json", exclude_none=True)
        first.put("seekers", "WORKER1", body)
        found = second.candidates(vacancy.id, 300, employer_side=False)
        assert "WORKER1" in _ids(found)
        employer_side = second.candidates(vacancy.id, 300)
        reference = second.store.seeker_reference("WORKER1")
        assert reference in {c.reference for c in employer_side}
        first.delete("seekers", "WORKER1")
        assert "WORKER1" not in _ids(second.candidates(vacancy.id, 300, employer_side=False))
        assert reference not in {c.reference for c in second.candidates(vacancy.id, 300)}
    finally:
        if first.store.exists(Seeker, ["WORKER1"]):
            first.store.delete(Seeker, "WORKER1")
        first.close()
        second.close()


def test_a_pair_scores_the_same_from_either_side(store: Store, home: Home) -> None:
    """Candidates count a vacancy's applicants as recommendations do (the vacancy index's
    count), so a seeker's score for a vacancy does not depend on which side asked."""
    engine = _engine(store, home)
    index = engine._index_for(None)
    assert index is not None
    busy = [v for v in index.vacancies if index.columns.applicants[index.row_of[v.id]] > 0]
    assert busy, "the generated store should hold applications to indexed vacancies"
    compared = 0
    for vacancy in busy[:20]:
        for candidate in engine.recommend_seekers(vacancy.id, 8):
            assert candidate.seeker_id is not None
            seeker = store.get(Seeker, candidate.seeker_id)
            scores = {r.vacancy_id: r.score for r in engine.recommend_vacancies(seeker, 300)}
            if vacancy.id in scores:  # not every candidate lives within the commute filter
                assert candidate.score == scores[vacancy.id], (vacancy.id, seeker.id)
                compared += 1
    assert compared >= 10


def test_first_stage_parts_are_the_pair_features_of_their_names(store: Store, home: Home) -> None:
    """Each input of the seeker side's first stage is the pair feature of its name (unknown
    as 0) — over a segment built whole and over one joined from two — and ``words`` the
    cosine of the word parts of the text vectors."""
    engine = _engine(store, home)
    (whole,) = engine._seeker_index_for(engine._tenant(None)).segments
    joined = engine_module._joined_segments(
        [engine._seeker_segment(whole.seekers[:100]), engine._seeker_segment(whole.seekers[100:])]
    )
    words = engine._word_terms
    checked = set()
    for vacancy in store.list(Vacancy, limit=8):
        vacancy_cols, document = engine._target_columns(vacancy, engine._tenant(None))
        for segment in (whole, joined):
            parts = engine_module._first_stage(segment, vacancy_cols, document, words)
            rows = np.arange(len(segment.ids), dtype=np.int64)
            seeker_cols = engine_module._gathered([(segment, rows)], home.today, False)
            bm25 = np.asarray((segment.bm25_queries @ document.T).todense()).ravel()
            features = model_features(
                seeker_cols,
                vacancy_cols,
                rows,
                np.zeros(len(rows), dtype=np.int64),
                bm25=bm25,
                bm25_ceiling=segment.bm25_ceilings,
                today=epoch_days(home.today),
                related=related_table(),
            ).astype(np.float64)
            assert set(parts) == set(engine_module.RETRIEVAL_WEIGHTS)
            for name, values in parts.items():
                if name == "words":
                    profile = sp.csr_matrix(seeker_cols.profile_vectors)[:, :words]
                    query = sp.csr_matrix(vacancy_cols.description_vectors)[:, :words]
                    expected = np.asarray((profile @ query.T).todense()).ravel()
                else:
                    column = features[:, MODEL_FEATURE_NAMES.index(name)]
                    expected = np.nan_to_num(column, nan=0.0)
                np.testing.assert_allclose(values, expected, atol=1e-5, err_msg=name)
                if np.ptp(values) > 0:
                    checked.add(name)
    assert checked == set(engine_module.RETRIEVAL_WEIGHTS)  # every part varied somewhere


def test_the_vacancy_side_first_stage_reads_the_same_parts(store: Store, home: Home) -> None:
    """Recommendations retrieve by the same parts seen from the seeker: each is the pair
    feature of its name (unknown as 0) for every vacancy, ``words`` the word-part cosine."""
    engine = _engine(store, home)
    index = engine._index_for(None)
    assert index is not None
    words = engine._word_terms
    rows = np.arange(len(index.vacancies), dtype=np.int64)
    checked = set()
    for seeker in store.list(Seeker, limit=10):
        seeker_cols, queries, ceilings = engine._seeker_rows(
            engine._tenant(None), [seeker], home.today
        )
        parts = engine_module._vacancy_first_stage(
            index, seeker_cols, 0, queries, float(ceilings[0]), rows, words
        )
        bm25 = engine_module._bm25_scores(index.bm25_documents, rows, queries, 0)
        features = model_features(
            seeker_cols,
            index.columns,
            np.zeros(len(rows), dtype=np.int64),
            rows,
            bm25=bm25,
            bm25_ceiling=np.full(len(rows), ceilings[0]),
            today=epoch_days(home.today),
            related=related_table(),
        ).astype(np.float64)
        assert set(parts) == set(engine_module.RETRIEVAL_WEIGHTS)
        for name, values in parts.items():
            if name == "words":
                profile = sp.csr_matrix(seeker_cols.profile_vectors)[:, :words]
                vectors = sp.csr_matrix(index.columns.description_vectors)[:, :words]
                expected = np.asarray((vectors @ profile.T).todense()).ravel()
            else:
                column = features[:, MODEL_FEATURE_NAMES.index(name)]
                expected = np.nan_to_num(column, nan=0.0)
            np.testing.assert_allclose(values, expected, atol=1e-5, err_msg=name)
            if np.ptp(values) > 0:
                checked.add(name)
    assert checked == set(engine_module.RETRIEVAL_WEIGHTS)
