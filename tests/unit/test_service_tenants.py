"""Tenants in the service, the engine's index and batch runs: every answer is confined to one
tenant's records, whatever ids the tenants share."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from numpy.typing import NDArray

from matcher.domain.campaigns import load_campaigns
from matcher.domain.records import Employer, Fair, Seeker, Vacancy, validate_record
from matcher.errors import NotFound
from matcher.fairs.batch import BatchOptions, plan_batch, run_batch, run_key
from matcher.fairs.output import read_csv_rows
from matcher.learning.training import save_run, train_run
from matcher.ranking.engine import admits
from matcher.ranking.service import MatchService
from matcher.ranking.serving import registry_for
from matcher.storage.store import Store
from matcher.synth import generate
from tests.conftest import today_of

MARK = "甲·"
"""Tenant A's copies of the default tenant's vacancies carry this before their title."""
DISABILITY = "disability_employment"  # groups_only: 残疾人


@dataclasses.dataclass(frozen=True)
class Home:
    path: Path
    today: dt.date
    a_vacancies: frozenset[str]
    a_seekers: frozenset[str]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    """The default tenant's generated data and model, and tenant A: copies of 15 employers and
    their vacancies under the same ids (titles marked), and 40 seekers under ids of its own."""
    path = tmp_path_factory.mktemp("tenants")
    with Store.open(path) as store:
        generate(store, seekers=300, vacancies=120, seed=5)
        run = train_run(store, baselines=())
        registry = registry_for(path)
        registry.promote(save_run(registry, run).version)
        employers = store.list(Employer, limit=15)
        chosen = {e.id for e in employers}
        vacancies = [
            v.model_copy(update={"title": MARK + v.title})
            for v in store.iter(Vacancy)
            if v.employer_id in chosen
        ]
        seekers = [s.model_copy(update={"id": "A-" + s.id}) for s in store.list(Seeker, limit=40)]
        store.for_tenant("A").put_many([*employers, *vacancies, *seekers])
    yield Home(
        path,
        today_of(run.test_from),
        frozenset(v.id for v in vacancies),
        frozenset(s.id for s in seekers),
    )


@pytest.fixture
def service(home: Home) -> Iterator[MatchService]:
    opened = MatchService(home.path, load_campaigns(), today=home.today, check_interval=0.0)
    yield opened
    opened.close()


def _inline(service: MatchService) -> Seeker:
    """A default-tenant seeker who gets recommendations from A's vacancies too."""
    for seeker in service.store.list(Seeker):
        if service.recommend(seeker, 5, tenant="A"):
            return seeker
    raise AssertionError("no seeker has a recommendation among A's vacancies")


def test_recommendations_come_from_the_tenants_partition(service: MatchService, home: Home) -> None:
    seeker = _inline(service)
    theirs = service.recommend(seeker, 50, tenant="A")
    ours = service.recommend(seeker, 50)
    assert theirs and {r.vacancy_id for r in theirs} <= home.a_vacancies
    assert all(r.title.startswith(MARK) for r in theirs)
    assert ours and not any(r.title.startswith(MARK) for r in ours)
    assert service.recommend(seeker, 5, tenant="nobody") == []  # a tenant without vacancies
    with pytest.raises(NotFound):  # the default tenant's seeker id is unknown to A
        service.recommend(seeker.id, 5, tenant="A")


def test_a_write_changes_only_its_tenants_partition(service: MatchService, home: Home) -> None:
    seeker = _inline(service)
    shared = next(r for r in service.recommend(seeker, 50) if r.vacancy_id in home.a_vacancies)
    stored = service.get("vacancies", shared.vacancy_id, tenant="A")
    assert isinstance(stored, Vacancy)
    try:
        service.delete("vacancies", shared.vacancy_id, tenant="A")
        # the default tenant's vacancy of the same id is still served, and still its own
        again = {r.vacancy_id: r for r in service.recommend(seeker, 50)}
        assert again[shared.vacancy_id].title == shared.title
        assert shared.vacancy_id not in {
            r.vacancy_id for r in service.recommend(seeker, 50, tenant="A")
        }
    finally:
        service.store.for_tenant("A").put(stored)


def test_changes_from_another_process_reach_their_tenant_only(
    service: MatchService, home: Home
) -> None:
    seeker = _inline(service)
    best = service.recommend(seeker, 1)[0]
    vacancy = service.store.get(Vacancy, best.vacancy_id)
    employer = service.store.get(Employer, vacancy.employer_id)
    assert service.recommend(seeker, 5, tenant="B") == []
    with Store.open(home.path) as other:  # e.g. `jobmatch import --tenant B`
        copy = vacancy.model_copy(update={"id": "B-ONLY-1", "title": "乙·" + vacancy.title})
        other.for_tenant("B").put_many([employer, copy])
    try:
        found = service.recommend(seeker, 5, tenant="B")
        assert [(r.vacancy_id, r.title) for r in found] == [("B-ONLY-1", copy.title)]
        assert "B-ONLY-1" not in {r.vacancy_id for r in service.recommend(seeker, 200)}
        assert "B-ONLY-1" not in {r.vacancy_id for r in service.recommend(seeker, 200, tenant="A")}
    finally:
        service.delete("vacancies", "B-ONLY-1", tenant="B")
    assert service.recommend(seeker, 5, tenant="B") == []


def test_candidates_are_the_tenants_seekers_as_references(
    service: MatchService, home: Home
) -> None:
    vacancy_id = sorted(home.a_vacancies)[0]
    employer_side = service.candidates(vacancy_id, 20, tenant="A")
    staff = service.candidates(vacancy_id, 20, tenant="A", employer_side=False)
    assert employer_side and all(c.seeker_id is None for c in employer_side)
    assert {c.seeker_id for c in staff} <= home.a_seekers
    store = service.store.for_tenant("A")
    assert [c.reference for c in employer_side] == [
        store.seeker_reference(str(c.seeker_id)) for c in staff
    ]
    # the default tenant's vacancy of the same id ranks the default tenant's seekers
    default = service.candidates(vacancy_id, 20, employer_side=False)
    assert default and not {c.seeker_id for c in default} & home.a_seekers


def _disabled_pool(service: MatchService) -> tuple[str, set[str]]:
    """A default-tenant vacancy and the ids of the seekers in 残疾人 its hard filters admit
    (certificates, age and education limits)."""
    vacancy = service.store.list(Vacancy, limit=1)[0]
    day = service.engine().today
    members = {
        s.id
        for s in service.store.iter(Seeker)
        if "disabled" in s.priority_groups and admits(vacancy, s, None, day)
    }
    assert 0 < len(members) < service.store.count(Seeker)
    return vacancy.id, members


def test_a_group_campaign_changes_nothing_for_employer_side_callers(
    service: MatchService,
) -> None:
    vacancy_id, members = _disabled_pool(service)
    k = 3 * len(members)
    plain = service.candidates(vacancy_id, k)
    under_campaign = service.candidates(vacancy_id, k, campaign=DISABILITY)
    assert under_campaign == plain  # same references, order and scores
    staff = service.candidates(vacancy_id, k, employer_side=False)
    assert {c.seeker_id for c in staff} - members  # the list mixes members and others
    staff_campaign = service.candidates(vacancy_id, k, campaign=DISABILITY, employer_side=False)
    assert {c.seeker_id for c in staff_campaign} == members  # staff get the policy
    with pytest.raises(NotFound):
        service.candidates(vacancy_id, k, campaign="no-such-campaign")


def _rows(path: Path) -> list[dict[str, Any]]:
    return list(read_csv_rows(path))


def test_a_batch_run_matches_one_tenants_records(home: Home, tmp_path: Path) -> None:
    with Store.open(home.path) as store:
        a = store.for_tenant("A")
        vacancies = [v for v in a.iter(Vacancy)][:6]
        booths = [
            {"booth": f"A{number}", "employer_id": v.employer_id, "vacancy_ids": [v.id]}
            for number, v in enumerate(vacancies, start=1)
        ]
        fair = validate_record(
            Fair,
            {
                "id": "F-A",
                "name": "甲平台专场招聘会",
                "date": home.today.isoformat(),
                "region": "510903",
                "booths": booths,
            },
        )
        a.put(fair)
        with pytest.raises(NotFound):  # the default tenant has no fair F-A
            plan_batch(store, load_campaigns(), fair_id="F-A")
        options = BatchOptions(k=3, per_vacancy=5, formats=("csv",))
        summary = run_batch(
            a, load_campaigns(), home.path, tmp_path, fair_id="F-A", options=options
        )
        plan = plan_batch(a, load_campaigns(), fair_id="F-A")
    assert summary.seekers == len(home.a_seekers)
    shortlists = _rows(tmp_path / "shortlists.csv")
    invitations = _rows(tmp_path / "candidates.csv")
    assert shortlists and invitations
    assert {row["seeker_id"] for row in shortlists} <= home.a_seekers
    assert {row["vacancy_id"] for row in shortlists} <= {v.id for v in vacancies}
    assert {row["seeker_id"] for row in invitations} <= home.a_seekers
    assert all(row["title"].startswith(MARK) for row in shortlists)
    # another tenant's run of the same plan never reuses these checkpoints
    assert plan.tenant == "A"
    other = dataclasses.replace(plan, tenant="B")
    assert run_key(plan, options, "v1") != run_key(other, options, "v1")


class GroupReader:
    """A ranker that scores by what employer-side lists must not depend on: the accessibility
    and priority-group features (a trained model may well use them on real data)."""

    kind: ClassVar[str] = "group_reader"

    def __init__(self, feature_names: tuple[str, ...]) -> None:
        self.feature_names_ = feature_names

    def predict(self, features: NDArray[np.float32]) -> NDArray[np.float64]:
        names = self.feature_names_
        reads = [names.index("accessibility_fit"), names.index("priority_group_match")]
        text = names.index("text_similarity")
        scores: NDArray[np.float64] = features[:, reads].sum(axis=1) + 0.01 * features[:, text]
        return scores.astype(np.float64)


def test_employer_side_candidates_are_ranked_group_blind(
    service: MatchService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An accessible post for 残疾人 and the same post without either score differently for
    disabled seekers only when the ranker reads groups and disability: compared, staff lists
    would reveal membership; employer-side lists are the same for both posts."""
    engine = service.engine()
    reader = engine.with_ranker(GroupReader(engine.model.ranker.feature_names_))  # type: ignore[arg-type]
    monkeypatch.setattr(service._current, "engine", reader)
    vacancy_id, members = _disabled_pool(service)
    plain = service.store.get(Vacancy, vacancy_id).model_copy(
        update={"id": "inline", "accessible": False, "target_groups": []}
    )
    targeted = plain.model_copy(update={"accessible": True, "target_groups": ["disabled"]})
    k = service.store.count(Seeker)

    def scores(vacancy: Vacancy, employer_side: bool) -> dict[str, float]:
        found = service.candidates(vacancy, k, employer_side=employer_side)
        return {c.reference: c.score for c in found}

    staff_plain, staff_targeted = scores(plain, False), scores(targeted, False)
    changed = {ref for ref in staff_plain if staff_plain[ref] != staff_targeted.get(ref)}
    assert changed == {service.store.seeker_reference(i) for i in members}
    assert scores(plain, True) == scores(targeted, True)
