"""Tenants as a boundary: through every route, tenant B can neither see, change, delete nor infer
tenant A's records; candidates show opaque references and never reveal group membership.

The world's own keys (and data) are the default tenant's. Tenants A and B get keys of their own
on a copy of the world and write their records through the API. "Cannot infer" is checked by
comparing the answer about another tenant's id with the answer about an id nobody has (same
length, so the texts compare with the id replaced): status, body and counts must be the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from matcher.domain.codes import credit_code_check_char
from matcher.ranking.service import MatchService
from matcher.storage.apikeys import ApiKeys
from matcher.storage.store import Store
from tests.api.support import TestClient, World, copy_world, seeker_body, serve, vacancy_body

DISABILITY = "disability_employment"  # groups_only, 残疾人


@dataclass(frozen=True)
class Tenants:
    client: TestClient
    world: World
    keys: dict[str, dict[str, dict[str, str]]]
    """``A``/``B``/``default`` → ``score`` (score only: an employer-side platform) or ``staff``
    (score, read, write) → headers."""

    def headers(self, tenant: str, role: str = "staff") -> dict[str, str]:
        return self.keys[tenant][role]

    @property
    def service(self) -> MatchService:
        service: MatchService = self.client.app.state.service  # type: ignore[attr-defined]
        return service


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def _employer(tenants: Tenants, source: str, tenant: str, new_id: str) -> None:
    """Tenant ``tenant`` registers the default tenant's employer ``source`` as ``new_id``, under
    a credit code of its own."""
    body = _ok(tenants.client.get(f"/v1/employers/{source}", headers=tenants.headers("default")))
    body.pop("id")
    body["credit_code"] = credit_code(new_id)
    _ok(
        tenants.client.put(
            f"/v1/employers/{new_id}", json=body, headers=tenants.headers(tenant, "staff")
        )
    )


def credit_code(seed: str) -> str:
    """A valid unified social credit code (GB 32100-2015) of its own for ``seed``."""
    digits = f"{sum(map(ord, seed)):06d}"[-6:]
    first17 = f"91510900MA{digits}0"
    return first17 + credit_code_check_char(first17)


def _seeker(number: int, disabled: bool, **changes: Any) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if disabled:
        extra = {"priority_groups": ["残疾人"], "disability": {"type": "肢体残疾", "grade": 4}}
    return seeker_body(birth_year=1980 + number, experience_years=5 + number, **extra, **changes)


@pytest.fixture(scope="module")
def tenants(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tenants]:
    """A copy of the world with tenants A (employer EMP-A, vacancies VAC-A1/2, six seekers of
    whom three are in 残疾人) and B (EMP-B, VAC-B1, three seekers), written through the API."""
    copied = copy_world(world, tmp_path_factory.mktemp("tenants"))
    keys: dict[str, dict[str, dict[str, str]]] = {
        "default": {"score": copied.headers("score"), "staff": copied.headers("admin")}
    }
    with Store.open(copied.home) as store:
        api_keys = ApiKeys(store)
        for tenant in ("A", "B"):
            keys[tenant] = {}
            for role, scopes in (("score", "score"), ("staff", "score,read,write")):
                _, secret = api_keys.create(f"{tenant} {role}", scopes, tenant=tenant)
                keys[tenant][role] = {"X-API-Key": secret}
    with serve(copied) as client:
        made = Tenants(client, copied, keys)
        _employer(made, "E000004", "A", "EMP-A")
        _employer(made, "E000005", "B", "EMP-B")
        for tenant, vacancy_ids in (("A", ("VAC-A1", "VAC-A2")), ("B", ("VAC-B1",))):
            for vacancy_id in vacancy_ids:
                body = vacancy_body(copied, f"EMP-{tenant}", title=f"设备电工{vacancy_id[-1]}")
                _ok(
                    client.put(
                        f"/v1/vacancies/{vacancy_id}", json=body, headers=made.headers(tenant)
                    )
                )
        for number in range(1, 7):
            body = _seeker(number, disabled=number <= 3)
            _ok(client.put(f"/v1/seekers/SEK-A{number}", json=body, headers=made.headers("A")))
        for number in range(1, 4):
            body = _seeker(number, disabled=False)
            _ok(client.put(f"/v1/seekers/SEK-B{number}", json=body, headers=made.headers("B")))
        yield made


def _same_answer(
    first: httpx.Response, first_id: str, second: httpx.Response, second_id: str
) -> None:
    """Two answers that differ only by the id asked about."""
    assert len(first_id) == len(second_id)
    assert first.status_code == second.status_code, (first.text, second.text)
    assert first.text.replace(first_id, "<id>") == second.text.replace(second_id, "<id>")


A_RECORDS = (("seekers", "SEK-A1"), ("employers", "EMP-A"), ("vacancies", "VAC-A1"))


@pytest.mark.parametrize(("kind", "record_id"), A_RECORDS)
def test_another_tenant_cannot_read_a_record(tenants: Tenants, kind: str, record_id: str) -> None:
    client = tenants.client
    _ok(client.get(f"/v1/{kind}/{record_id}", headers=tenants.headers("A")))
    unknown = record_id[:-1] + "Z"
    for other in ("B", "default"):
        headers = tenants.headers(other)
        seen = client.get(f"/v1/{kind}/{record_id}", headers=headers)
        _same_answer(seen, record_id, client.get(f"/v1/{kind}/{unknown}", headers=headers), unknown)
        assert seen.status_code == 404


ARecord = Callable[[str, str], dict[str, Any]]


@pytest.fixture
def a_record(tenants: Tenants) -> Iterator[ARecord]:
    """Makes a new record of tenant A's for a test that B then tries to change (tests that write
    use records of their own, so each fails alone on code without tenants); A deletes them
    afterwards, so A's pool stays as the module fixture made it."""
    made: list[tuple[str, str]] = []

    def make(kind: str, record_id: str) -> dict[str, Any]:
        made.append((kind, record_id))
        if kind == "employers":
            _employer(tenants, "E000006", "A", record_id)
            stored: dict[str, Any] = _ok(
                tenants.client.get(f"/v1/employers/{record_id}", headers=tenants.headers("A"))
            )
            return stored
        body = (
            _seeker(7, False)
            if kind == "seekers"
            else vacancy_body(tenants.world, "EMP-A", title="配电工")
        )
        put = tenants.client.put(f"/v1/{kind}/{record_id}", json=body, headers=tenants.headers("A"))
        written: dict[str, Any] = _ok(put)
        return written

    yield make
    order = {"vacancies": 0, "seekers": 1, "employers": 2}
    for kind, record_id in sorted(made, key=lambda item: order[item[0]]):
        tenants.client.delete(f"/v1/{kind}/{record_id}", headers=tenants.headers("A"))


@pytest.mark.parametrize(
    ("kind", "record_id"),
    [("seekers", "DEL-S1"), ("employers", "DEL-E1"), ("vacancies", "DEL-V1")],
)
def test_another_tenant_cannot_delete_a_record(
    tenants: Tenants, a_record: ARecord, kind: str, record_id: str
) -> None:
    client = tenants.client
    before = a_record(kind, record_id)
    unknown = record_id[:-1] + "Z"
    headers = tenants.headers("B")
    deleted = client.delete(f"/v1/{kind}/{record_id}", headers=headers)
    _same_answer(
        deleted, record_id, client.delete(f"/v1/{kind}/{unknown}", headers=headers), unknown
    )
    assert deleted.status_code == 404
    assert _ok(client.get(f"/v1/{kind}/{record_id}", headers=tenants.headers("A"))) == before


def test_a_put_under_another_tenants_id_makes_the_callers_own_record(
    tenants: Tenants, a_record: ARecord
) -> None:
    client, a, b = tenants.client, tenants.headers("A"), tenants.headers("B")
    before = a_record("seekers", "PUT-S1")
    mine = _ok(client.put("/v1/seekers/PUT-S1", json=_seeker(9, False, region="510904"), headers=b))
    assert mine["region"] == "510904" != before["region"]
    assert _ok(client.get("/v1/seekers/PUT-S1", headers=a)) == before  # A's is untouched
    assert _ok(client.get("/v1/seekers/PUT-S1", headers=b)) == mine
    _ok(client.delete("/v1/seekers/PUT-S1", headers=b), 204)  # B's own goes, A's stays
    assert _ok(client.get("/v1/seekers/PUT-S1", headers=a)) == before

    before = a_record("vacancies", "PUT-V1")
    vacancy = vacancy_body(tenants.world, "EMP-B", title="仓库管理员")
    _ok(client.put("/v1/vacancies/PUT-V1", json=vacancy, headers=b))
    assert _ok(client.get("/v1/vacancies/PUT-V1", headers=a)) == before
    _ok(client.delete("/v1/vacancies/PUT-V1", headers=b), 204)
    assert _ok(client.get("/v1/vacancies/PUT-V1", headers=a)) == before

    before = a_record("employers", "PUT-E1")
    theirs = {**before, "name": "乙方同名公司"}
    theirs.pop("id")
    _ok(client.put("/v1/employers/PUT-E1", json=theirs, headers=b))
    assert _ok(client.get("/v1/employers/PUT-E1", headers=a)) == before


def test_bulk_writes_stay_within_the_tenant(tenants: Tenants, a_record: ARecord) -> None:
    client, a, b = tenants.client, tenants.headers("A"), tenants.headers("B")
    before = a_record("seekers", "BLK-S1")
    items = [{"id": "BLK-S1", **_seeker(8, False)}, {"id": "BLK-Z1", **_seeker(8, False)}]
    answer = _ok(client.post("/v1/seekers:bulk", json={"items": items}, headers=b))
    assert (answer["accepted"], answer["rejected"]) == (2, 0)  # A's id: no different answer
    assert _ok(client.get("/v1/seekers/BLK-S1", headers=a)) == before
    for seeker_id in ("BLK-S1", "BLK-Z1"):
        _ok(client.delete(f"/v1/seekers/{seeker_id}", headers=b), 204)
    assert _ok(client.get("/v1/seekers/BLK-S1", headers=a)) == before


def test_another_tenants_records_cannot_be_referred_to(tenants: Tenants) -> None:
    client, b = tenants.client, tenants.headers("B")
    # a vacancy of A's employer
    own = client.put("/v1/vacancies/VAC-B9", json=vacancy_body(tenants.world, "EMP-A"), headers=b)
    nobody = client.put(
        "/v1/vacancies/VAC-B9", json=vacancy_body(tenants.world, "EMP-Z"), headers=b
    )
    _same_answer(own, "EMP-A", nobody, "EMP-Z")
    assert own.status_code == 422
    bulk = [vacancy_body(tenants.world, "EMP-A") | {"id": "VAC-B8"}]
    refused = _ok(client.post("/v1/vacancies:bulk", json={"items": bulk}, headers=b))
    assert refused["rejected"] == 1
    # feedback about A's seeker and vacancy
    event = {"kind": "click", "time": "2022-05-01T10:00:00"}
    theirs = client.post(
        "/v1/interactions",
        json={"items": [{**event, "seeker_id": "SEK-A1", "vacancy_id": "VAC-A1"}]},
        headers=b,
    )
    unknown = client.post(
        "/v1/interactions",
        json={"items": [{**event, "seeker_id": "SEK-Z1", "vacancy_id": "VAC-Z1"}]},
        headers=b,
    )
    assert theirs.json()["rejected"] == 1
    assert theirs.text == unknown.text.replace("SEK-Z1", "SEK-A1").replace("VAC-Z1", "VAC-A1")
    assert (
        _ok(  # the same event is A's to record
            client.post(
                "/v1/interactions",
                json={"items": [{**event, "seeker_id": "SEK-A1", "vacancy_id": "VAC-A1"}]},
                headers=tenants.headers("A"),
            )
        )["accepted"]
        == 1
    )


def test_employer_ids_and_credit_codes_reveal_nothing(tenants: Tenants, a_record: ARecord) -> None:
    client, a, b = tenants.client, tenants.headers("A"), tenants.headers("B")
    employer = a_record("employers", "CRD-E1")
    a_record("vacancies", "CRD-V1")
    _ok(client.put("/v1/vacancies/CRD-V1", json=vacancy_body(tenants.world, "CRD-E1"), headers=a))
    employer.pop("id")
    # A's credit code is free for B (each platform lists the employers it works with)
    _ok(client.put("/v1/employers/CRD-E2", json=employer, headers=b))
    _ok(client.delete("/v1/employers/CRD-E2", headers=b), 204)
    # B's own CRD-E1 has no vacancies, whatever A's has: deleting it is no 409
    _ok(client.put("/v1/employers/CRD-E1", json=employer, headers=b))
    _ok(client.delete("/v1/employers/CRD-E1", headers=b), 204)
    _ok(client.get("/v1/employers/CRD-E1", headers=a))
    conflict = client.delete("/v1/employers/CRD-E1", headers=a)  # A's own still has a vacancy
    assert conflict.status_code == 409


def test_scoring_by_id_is_confined(tenants: Tenants) -> None:
    client, b = tenants.client, tenants.headers("B", "score")
    seeker = seeker_body()

    def score(vacancy: dict[str, Any]) -> httpx.Response:
        payload = {"seeker": seeker, "vacancies": [vacancy]}
        answer: httpx.Response = client.post("/v1/score", json=payload, headers=b)
        return answer

    _same_answer(score({"id": "VAC-A1"}), "VAC-A1", score({"id": "VAC-Z1"}), "VAC-Z1")
    assert score({"id": "VAC-A1"}).status_code == 404
    inline_a = vacancy_body(tenants.world, "EMP-A")
    inline_z = vacancy_body(tenants.world, "EMP-Z")
    _same_answer(score(inline_a), "EMP-A", score(inline_z), "EMP-Z")
    assert _ok(score({"id": "VAC-B1"}))["results"][0]["vacancy_id"] == "VAC-B1"


def test_recommendations_come_from_the_callers_vacancies(tenants: Tenants) -> None:
    client = tenants.client

    def recommended(tenant: str, **request: Any) -> httpx.Response:
        payload = {"k": 200, **request}
        answer: httpx.Response = client.post(
            "/v1/recommendations", json=payload, headers=tenants.headers(tenant, "score")
        )
        return answer

    found = {
        tenant: {r["vacancy_id"] for r in _ok(recommended(tenant, seeker=seeker_body()))["results"]}
        for tenant in ("A", "B", "default")
    }
    assert found["A"] == {"VAC-A1", "VAC-A2"}
    assert found["B"] == {"VAC-B1"}
    assert found["default"] and not found["default"] & {"VAC-A1", "VAC-A2", "VAC-B1"}
    # A's stored seeker is unknown to B
    _same_answer(
        recommended("B", seeker_id="SEK-A1"),
        "SEK-A1",
        recommended("B", seeker_id="SEK-Z1"),
        "SEK-Z1",
    )
    assert recommended("B", seeker_id="SEK-A1").status_code == 404
    assert {r["vacancy_id"] for r in _ok(recommended("A", seeker_id="SEK-A1"))["results"]} <= {
        "VAC-A1",
        "VAC-A2",
    }


def _candidates(tenants: Tenants, tenant: str, role: str, **request: Any) -> httpx.Response:
    payload = {"k": 200, **request}
    answer: httpx.Response = tenants.client.post(
        "/v1/candidates", json=payload, headers=tenants.headers(tenant, role)
    )
    return answer


def _references(tenants: Tenants, tenant: str, seeker_ids: list[str]) -> set[str]:
    store = tenants.service.store.for_tenant(tenant)
    return {store.seeker_reference(seeker_id) for seeker_id in seeker_ids}


def test_candidates_come_from_the_callers_seekers(tenants: Tenants) -> None:
    a_refs = _references(tenants, "A", [f"SEK-A{n}" for n in range(1, 7)])
    b_refs = _references(tenants, "B", [f"SEK-B{n}" for n in range(1, 4)])
    for role in ("score", "staff"):
        got = _ok(_candidates(tenants, "B", role, vacancy_id="VAC-B1"))["results"]
        assert {r["reference"] for r in got} == b_refs
        inline = vacancy_body(tenants.world, "EMP-B")
        got = _ok(_candidates(tenants, "B", role, vacancy=inline))["results"]
        assert {r["reference"] for r in got} == b_refs
    got = _ok(_candidates(tenants, "A", "staff", vacancy_id="VAC-A1"))["results"]
    assert {r["reference"] for r in got} <= a_refs and len(got) >= 5
    assert {r["seeker_id"] for r in got} <= {f"SEK-A{n}" for n in range(1, 7)}
    # A's vacancy is unknown to B (stored, or inline with A's employer)
    _same_answer(
        _candidates(tenants, "B", "score", vacancy_id="VAC-A1"),
        "VAC-A1",
        _candidates(tenants, "B", "score", vacancy_id="VAC-Z1"),
        "VAC-Z1",
    )
    _same_answer(
        _candidates(tenants, "B", "score", vacancy=vacancy_body(tenants.world, "EMP-A")),
        "EMP-A",
        _candidates(tenants, "B", "score", vacancy=vacancy_body(tenants.world, "EMP-Z")),
        "EMP-Z",
    )
    # the default tenant's candidates hold none of A's or B's seekers
    default = _ok(_candidates(tenants, "default", "staff", vacancy_id="V0000001"))["results"]
    assert default and not {r["seeker_id"] for r in default} & {"SEK-A1", "SEK-B1"}


def test_employer_side_candidates_carry_opaque_references_only(tenants: Tenants) -> None:
    employer = _candidates(tenants, "A", "score", vacancy_id="VAC-A1")
    staff = _ok(_candidates(tenants, "A", "staff", vacancy_id="VAC-A1"))["results"]
    results = _ok(employer)["results"]
    assert results and all(r["seeker_id"] is None for r in results)
    assert all(re.fullmatch(r"ref_[0-9a-f]{20}", r["reference"]) for r in results)
    assert "SEK-A" not in employer.text
    # staff see the ids beside the same references; a reference is that seeker's, per tenant
    for row in staff:
        assert row["reference"] == _references(tenants, "A", [row["seeker_id"]]).pop()
    assert {r["reference"] for r in results} == {r["reference"] for r in staff}
    assert _references(tenants, "A", ["SEK-A1"]) != _references(tenants, "B", ["SEK-A1"])


def test_a_group_campaign_does_not_reveal_membership_to_employers(tenants: Tenants) -> None:
    plain = _ok(_candidates(tenants, "A", "score", vacancy_id="VAC-A1"))["results"]
    campaign = _ok(_candidates(tenants, "A", "score", vacancy_id="VAC-A1", campaign=DISABILITY))
    # the same list, same order and scores: nothing in it depends on group membership
    assert campaign["results"] == plain
    assert len(plain) == 6  # members and non-members alike
    # staff (read) get the campaign's policy: its group only, boosted
    members = _references(tenants, "A", ["SEK-A1", "SEK-A2", "SEK-A3"])
    staff = _ok(_candidates(tenants, "A", "staff", vacancy_id="VAC-A1", campaign=DISABILITY))
    assert {r["reference"] for r in staff["results"]} == members
    # an unknown campaign is still refused for everyone
    assert (
        _candidates(tenants, "A", "score", vacancy_id="VAC-A1", campaign="nope").status_code == 404
    )


def test_the_world_keys_stay_on_the_default_tenant(tenants: Tenants, tmp_path: Path) -> None:
    """Keys created without a tenant (the world's) see the default tenant's records only."""
    client = tenants.client
    assert client.get("/v1/seekers/S0000001", headers=tenants.headers("default")).status_code == 200
    assert client.get("/v1/seekers/S0000001", headers=tenants.headers("A")).status_code == 404
    assert client.get("/v1/seekers/SEK-A1", headers=tenants.headers("default")).status_code == 404


def test_recommendations_for_a_stored_seeker_do_not_reveal_membership(
    tenants: Tenants, a_record: ARecord
) -> None:
    """The campaign's group boost would tell a key that may not read seekers who is in 残疾人:
    compare a stored seeker's scores with and without the campaign."""
    client = tenants.client
    body = vacancy_body(
        tenants.world, "EMP-A", title="设备电工", accessible=True, campaigns=[DISABILITY]
    )
    a_record("vacancies", "ACC-V1")
    _ok(client.put("/v1/vacancies/ACC-V1", json=body, headers=tenants.headers("A")))

    def score(role: str, seeker_id: str, **request: Any) -> float:
        payload = {"seeker_id": seeker_id, "k": 50, **request}
        answer = client.post(
            "/v1/recommendations", json=payload, headers=tenants.headers("A", role)
        )
        found = {r["vacancy_id"]: r["score"] for r in _ok(answer)["results"]}
        return float(found["ACC-V1"])

    member, other = "SEK-A1", "SEK-A4"
    assert score("staff", member, campaign=DISABILITY) > score("staff", member)  # boosted
    for seeker_id in (member, other):
        assert score("score", seeker_id, campaign=DISABILITY) == score("score", seeker_id)
    # an inline seeker is the caller's own data: its groups count for any key
    inline = {"seeker": _seeker(1, disabled=True), "k": 50}
    plain = _ok(
        client.post("/v1/recommendations", json=inline, headers=tenants.headers("A", "score"))
    )
    boosted = _ok(
        client.post(
            "/v1/recommendations",
            json={**inline, "campaign": DISABILITY},
            headers=tenants.headers("A", "score"),
        )
    )
    scores = {r["vacancy_id"]: r["score"] for r in plain["results"]}
    assert {r["vacancy_id"]: r["score"] for r in boosted["results"]}["ACC-V1"] > scores["ACC-V1"]
