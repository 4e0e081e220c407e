"""The MatchService: writes reach the engine at once (on every process), promotions swap."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from matcher.domain.campaigns import load_campaigns
from matcher.domain.records import Seeker, Vacancy
from matcher.errors import InvalidRecord, NotFound, ServiceUnavailable, UnusableModel
from matcher.learning.training import save_run, train_run
from matcher.ranking.service import MatchService
from matcher.ranking.serving import registry_for
from matcher.storage.store import Store
from matcher.synth import generate
from tests.conftest import today_of


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dt.date, str]]:
    home = tmp_path_factory.mktemp("service")
    with Store.open(home) as store:
        generate(store, seekers=300, vacancies=120, seed=5)
        run = train_run(store, baselines=())
        registry = registry_for(home)
        version = save_run(registry, run).version
        registry.promote(version)
    yield home, today_of(run.test_from), version


@pytest.fixture
def service(home: tuple[Path, dt.date, str]) -> Iterator[MatchService]:
    path, today, _ = home
    opened = MatchService(path, load_campaigns(), today=today, check_interval=0.0)
    yield opened
    opened.close()


def _served(service: MatchService) -> tuple[Seeker, Vacancy]:
    for seeker in service.store.list(Seeker):
        found = service.recommend(seeker.id, 1)
        if found:
            return seeker, service.store.get(Vacancy, found[0].vacancy_id)
    raise AssertionError("nothing recommended")


def _copy(vacancy: Vacancy, new_id: str, **changes: Any) -> dict[str, Any]:
    return {**vacancy.model_dump(mode="json"), "id": new_id, **changes}


def test_a_put_vacancy_is_served_at_once_and_a_deleted_one_is_gone(
    service: MatchService,
) -> None:
    seeker, best = _served(service)
    size = service.index_size
    service.put("vacancies", "V-SVC-1", _copy(best, "V-SVC-1", salary_max=best.salary_max))
    assert service.index_size == size + 1
    # the whole list: where the copy ranks is the model's business (it has no applications)
    everything = size + 1
    assert "V-SVC-1" in {r.vacancy_id for r in service.recommend(seeker.id, everything)}
    service.delete("vacancies", "V-SVC-1")
    assert service.index_size == size
    assert "V-SVC-1" not in {r.vacancy_id for r in service.recommend(seeker.id, everything)}


def test_changes_made_by_another_process_reach_the_engine(
    service: MatchService, home: tuple[Path, dt.date, str]
) -> None:
    """Another worker (here: a second service on the same home) writes; this one serves it."""
    seeker, best = _served(service)
    path, today, _ = home
    other = MatchService(path, load_campaigns(), today=today)
    everything = service.index_size + 1
    try:
        other.put("vacancies", "V-SVC-2", _copy(best, "V-SVC-2"))
        assert "V-SVC-2" in {r.vacancy_id for r in service.recommend(seeker.id, everything)}
        other.put("vacancies", "V-SVC-2", _copy(best, "V-SVC-2", status="closed"))
        assert "V-SVC-2" not in {r.vacancy_id for r in service.recommend(seeker.id, everything)}
    finally:
        other.delete("vacancies", "V-SVC-2")
        other.close()


def test_many_changes_are_replayed_page_by_page_not_rebuilt(
    service: MatchService, home: tuple[Path, dt.date, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """More changes than a page: every one is served, and the indexes are patched, not
    rebuilt (a large import into a big index must not rebuild every worker's index)."""
    import matcher.ranking.service as service_module

    seeker, best = _served(service)
    path, today, _ = home
    service.recommend(seeker.id, 1)  # caught up
    monkeypatch.setattr(service_module, "CATCH_UP_LIMIT", 3)
    engine = service.engine()
    rebuilds: list[int] = []
    monkeypatch.setattr(engine, "refresh", lambda: rebuilds.append(1))
    other = MatchService(path, load_campaigns(), today=today)
    ids = [f"V-SVC-PAGE-{i}" for i in range(10)]
    try:
        for vacancy_id in ids:  # 10 changes: four pages of at most 3
            other.put("vacancies", vacancy_id, _copy(best, vacancy_id))
        served = {r.vacancy_id for r in service.recommend(seeker.id, service.index_size + 20)}
        assert set(ids) <= served
        assert not rebuilds
    finally:
        for vacancy_id in ids:
            other.delete("vacancies", vacancy_id)
        other.close()
    service.recommend(seeker.id, 1)
    assert not rebuilds and not set(ids) & {v.id for v in engine.vacancies()}


def test_changes_to_most_of_the_index_rebuild_it(
    service: MatchService, home: tuple[Path, dt.date, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import matcher.ranking.service as service_module

    seeker, best = _served(service)
    path, today, _ = home
    service.recommend(seeker.id, 1)  # caught up
    monkeypatch.setattr(service_module, "CATCH_UP_LIMIT", 3)
    monkeypatch.setattr(service_module, "REBUILD_SHARE", 0.001)  # 4 changes are "most"
    engine = service.engine()
    rebuilt: list[int] = []
    real_refresh = engine.refresh

    def refresh() -> None:
        rebuilt.append(1)
        real_refresh()

    monkeypatch.setattr(engine, "refresh", refresh)
    other = MatchService(path, load_campaigns(), today=today)
    ids = [f"V-SVC-MOST-{i}" for i in range(4)]
    try:
        for vacancy_id in ids:
            other.put("vacancies", vacancy_id, _copy(best, vacancy_id))
        served = {r.vacancy_id for r in service.recommend(seeker.id, service.index_size + 20)}
        assert set(ids) <= served
        assert rebuilt == [1]
    finally:
        for vacancy_id in ids:
            other.delete("vacancies", vacancy_id)
        other.close()


def test_bulk_keeps_the_good_items_and_reports_the_bad(service: MatchService) -> None:
    _, best = _served(service)
    items: list[Any] = [
        _copy(best, "V-SVC-3"),
        {"id": "V-SVC-4", "title": "电工"},
        "not an object",
        _copy(best, "V-SVC-3"),
    ]
    results = service.bulk("vacancies", items)
    assert [r.accepted for r in results] == [True, False, False, False]
    assert {p.field for p in results[1].problems} >= {"employer_id", "valid_from"}
    assert "repeats the id of line 0" in results[3].problems[0].message
    assert service.store.exists(Vacancy, ["V-SVC-3", "V-SVC-4"]) == {"V-SVC-3"}
    service.delete("vacancies", "V-SVC-3")


def test_put_refuses_a_mismatched_id_and_bad_fields(service: MatchService) -> None:
    _, best = _served(service)
    with pytest.raises(InvalidRecord, match="id"):
        service.put("vacancies", "V-SVC-5", _copy(best, "V-OTHER"))
    with pytest.raises(InvalidRecord, match="openings"):
        service.put("vacancies", "V-SVC-5", _copy(best, "V-SVC-5", openings=0))
    assert not service.store.exists(Vacancy, ["V-SVC-5"])


def test_unknown_ids_and_campaigns_are_not_found(service: MatchService) -> None:
    seeker, _ = _served(service)
    with pytest.raises(NotFound, match="S-none"):
        service.recommend("S-none", 5)
    with pytest.raises(NotFound, match="no_such_campaign"):
        service.recommend(seeker.id, 5, campaign="no_such_campaign")
    with pytest.raises(NotFound, match="V-none"):
        service.score(seeker, ["V-none"])


def test_promotion_swaps_engines_without_failing_requests(
    service: MatchService, home: tuple[Path, dt.date, str]
) -> None:
    seeker, _ = _served(service)
    path, _, first = home
    with Store.open(path) as store:
        second = save_run(registry_for(path), train_run(store, baselines=())).version
    failures: list[BaseException] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            try:
                assert service.recommend(seeker.id, 5)
            except BaseException as error:
                failures.append(error)

    worker = threading.Thread(target=keep_asking)
    worker.start()
    try:
        service.promote(second)
        assert service.model_version == second
        service.promote(first)
    finally:
        stop.set()
        worker.join()
    assert not failures and service.model_version == first


def test_rollback_builds_the_earlier_engine_before_the_pointer_moves(
    service: MatchService, home: tuple[Path, dt.date, str]
) -> None:
    path, _, _ = home
    before = service.registry.active_version()
    assert before is not None
    with Store.open(path) as store:
        newer = save_run(registry_for(path), train_run(store, baselines=())).version
    service.promote(newer)
    stray = service.registry.root / before / "extra.txt"
    stray.write_text("x", encoding="utf-8")  # the earlier bundle no longer verifies
    try:
        with pytest.raises(UnusableModel):
            service.rollback()
        assert service.registry.active_version() == newer == service.model_version
    finally:
        stray.unlink()
    assert service.rollback() == before
    assert service.registry.active_version() == before == service.model_version


def test_without_a_model_matching_is_unavailable(tmp_path: Path) -> None:
    service = MatchService(tmp_path, load_campaigns())
    try:
        assert not service.ready
        with pytest.raises(ServiceUnavailable, match="no active model"):
            service.engine()
    finally:
        service.close()


def test_an_inline_vacancy_of_an_unknown_employer_is_not_found(service: MatchService) -> None:
    _, best = _served(service)
    stranger = best.model_copy(update={"id": "V-SVC-6", "employer_id": "E-nobody"})
    with pytest.raises(NotFound, match="E-nobody"):
        service.candidates(stranger, 5)


def test_served_by_names_the_version_that_ranked(service: MatchService) -> None:
    from matcher.ranking.service import served_by

    seeker, _ = _served(service)
    service.recommend(seeker.id, 3)
    assert served_by() == service.model_version is not None


def test_a_model_that_fails_to_build_is_logged_counted_backed_off_and_shown(
    home: tuple[Path, dt.date, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import dataclasses
    import shutil

    path, today, first = home
    copy = tmp_path / "home"
    shutil.copytree(path, copy)
    service = MatchService(copy, load_campaigns(), today=today, check_interval=0.0)
    try:
        registry = registry_for(copy)
        with Store.open(copy) as store:
            second = save_run(registry, train_run(store, baselines=())).version
        registry.promote(second)  # promoted elsewhere, then its files are damaged
        damaged = next(p for p in (copy / "models" / second).rglob("*") if p.suffix == ".txt")
        damaged.write_text("not a model", encoding="utf-8")

        def settle() -> None:
            service.engine()
            for builder in service._builders:
                builder.join()

        with caplog.at_level("ERROR", logger="matcher.ranking.service"):
            settle()
        assert service.model_version == first  # the old engine keeps serving
        failure = service.build_failure
        assert failure is not None and failure.version == second and failure.attempts == 1
        assert "UnusableModel" in failure.cause and service.build_failures_total == 1
        assert any(second in record.getMessage() for record in caplog.records)

        settle()  # within the back-off: no new attempt
        assert service.build_failures_total == 1
        service.build_failure = dataclasses.replace(failure, retry_at=0.0)
        settle()  # back-off over: tried again, the wait doubles
        again = service.build_failure
        assert service.build_failures_total == 2 and again is not None and again.attempts == 2
        assert again.retry_at - failure.retry_at > 0
    finally:
        service.close()

    fresh = MatchService(copy, load_campaigns(), today=today, check_interval=0.0)
    try:  # nothing else to serve: not ready, and the cause is named
        assert not fresh.ready
        with pytest.raises(ServiceUnavailable, match=f"{second} cannot be built"):
            fresh.engine()
    finally:
        fresh.close()
